#!/bin/sh
# vf-decide: every staff decision on cases filed by the real vf-parse;
# every move the table gives vf-decide made, a refused one from every
# state with the moves allowed from there named; kinds; the publication
# date with its zone in UTC; a decision taken twice changes nothing; the
# history and the log name the staff member and no reporter detail;
# vf-expire, vf-redact and vf-advisory read what vf-decide wrote.
. "$(dirname "$0")/lib.sh"
. "$top/t/notice.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys coord shop || skip_all "cannot make gpg keys"
make_root
echo "coordinator-key $FPR_coord" >>"$VF_ROOT/config"
echo "coordinator-name Example Coordination Center" >>"$VF_ROOT/config"
echo "public-url https://vf.example.jp" >>"$VF_ROOT/config"
VF_STAFF=alice-staff
VF_NOW=2026-12-02T03:00:00Z
export VF_STAFF VF_NOW
today=2026-12-02

where() { vf-ls | grep "/$1\$"; }
state() { where "$1" | sed "s|^$VF_ROOT/||; s|/.*||"; }
field() { sed -n "s/^$2: //p" "$(where "$1")" | sed -n 1p; }
hdr() { sed '/^$/q' "$(where "$1")" | sed -n "s/^$2: //p"; }
nhist() { grep -c ' vf-decide: by staff ' "$(where "$1")"; }
nlog() { grep -c " vf-decide $1 " "$VF_ROOT/log"; }
newcase() { basename "$(report "$@")"; }
# same ID CMD...: run a decision taken already: exit 0, the same bytes,
# no history or log line, "already" said.
same() {
	sid=$1
	shift
	f=$(where "$sid")
	cp "$f" "$work/before"
	nl=$(nlog "$sid")
	vf-decide "$@" "$sid" >"$work/out" 2>"$work/err"
	rc=$?
	is "$rc" 0 "again: $* exits 0"
	cmp -s "$work/before" "$(where "$sid")"
	ok $? "again: $*: the case file is byte for byte the same"
	is "$(nlog "$sid")" "$nl" "again: $*: no log line"
	grep -q "already" "$work/err"
	ok $? "again: $*: says already ($(cat "$work/err"))"
}
# refused CODE ID CMD...: exit CODE, the case untouched, nothing logged.
refused() {
	want=$1
	rid=$2
	shift 2
	f=$(where "$rid")
	cp "$f" "$work/before"
	nl=$(nlog "$rid")
	vf-decide "$@" "$rid" >"$work/out" 2>"$work/err"
	is $? "$want" "refused: $* exits $want"
	cmp -s "$work/before" "$(where "$rid")" && [ "$(nlog "$rid")" = "$nl" ]
	ok $? "refused: $*: nothing changed, nothing logged"
}

# --- a whole software case: accept, route, pubdate, published -----------
sw=$(newcase software)
vf-decide accept "$sw" >"$work/out" 2>"$work/err"
is $? 0 "accept: exit 0"
is "$(cat "$work/out")" "$VF_ROOT/accepted/new/$sw" "accept: prints the new path"
is "$(state "$sw")" accepted "accept: received -> accepted"
is "$(field "$sw" status.accepted)" "$today" "accept: status.accepted is today"
grep -q "^20..-..-..T..:..:..Z [^ ]* vf-decide: by staff alice-staff: accept (received -> accepted)$" "$(where "$sw")"
ok $? "accept: history line by staff NAME"
grep -q "^2026-12-02T03:00:00Z [^ ]* vf-decide $sw by staff alice-staff: accept (received -> accepted)$" "$VF_ROOT/log"
ok $? "accept: log line by staff NAME"
same "$sw" accept

vf-decide route coordinator "$sw" >/dev/null 2>"$work/err"
is $? 0 "route coordinator: exit 0"
is "$(state "$sw")" routed "route coordinator: accepted -> routed"
is "$(hdr "$sw" Vf-Route)" coordinator "route coordinator: Vf-Route"
is "$(hdr "$sw" Vf-Route-Address)" coordinator@example.jp "route coordinator: Vf-Route-Address from the configuration"
is "$(hdr "$sw" Vf-Route-Key)" "$FPR_coord" "route coordinator: Vf-Route-Key from the configuration"
is "$(hdr "$sw" Vf-Route-Name)" "Example Coordination Center" "route coordinator: Vf-Route-Name"
is "$(hdr "$sw" Vf-Route-Source)" staff "route coordinator: Vf-Route-Source staff"
same "$sw" route coordinator

# The real coordinator notice moves it on, reading the route vf-decide wrote.
vf-notify -k coordinator "$sw" >"$work/out" 2>"$work/err"
is $? 0 "vf-notify -k coordinator reads the route" || sed 's/^/# /' "$work/err"
is "$(state "$sw")" waiting "vf-notify: routed -> waiting"
open_as coord "$(cat "$work/out")"
ok $? "the notice is encrypted to the routed key"

vf-decide pubdate '2027-01-05 10:00 +09:00' "$sw" >/dev/null 2>"$work/err"
is $? 0 "pubdate: exit 0"
is "$(state "$sw")" waiting "pubdate: no move"
is "$(field "$sw" status.pubdate)" '2027-01-05 10:00 +09:00' "pubdate: kept as given"
is "$(field "$sw" status.pubdate-utc)" 2027-01-05T01:00:00Z "pubdate: +09:00 in UTC"
same "$sw" pubdate '2027-01-05 10:00 +09:00'

# vf-expire reads status.pubdate-utc: not flagged before, flagged after.
VF_NOW=2027-01-05T00:59:59Z vf-expire -n >"$work/exp" 2>&1
grep "$sw" "$work/exp" | grep -q flag-pubdate
is $? 1 "vf-expire: no flag a second before the agreed time"
VF_NOW=2027-01-05T01:00:00Z vf-expire -n >"$work/exp" 2>&1
grep "$sw" "$work/exp" | grep -q 'flag-pubdate.*2027-01-05T01:00:00Z (2027-01-05 10:00 +09:00) has passed'
ok $? "vf-expire: flags status.pubdate-utc once it has passed"

VF_NOW=2027-01-05T01:00:00Z vf-decide published 'JVN#12345678' https://jvn.jp/jp/JVN12345678/ "$sw" >/dev/null 2>"$work/err"
is $? 0 "published: exit 0"
is "$(state "$sw")" published "published: waiting -> published"
is "$(field "$sw" status.published)" 2027-01-05 "published: status.published"
is "$(field "$sw" status.advisory)" 'JVN#12345678' "published: status.advisory"
is "$(field "$sw" status.advisory-url)" https://jvn.jp/jp/JVN12345678/ "published: status.advisory-url"
same "$sw" published 'JVN#12345678' https://jvn.jp/jp/JVN12345678/
VF_NOW=2027-01-06T00:00:00Z vf-expire -n >"$work/exp" 2>&1
grep "$sw" "$work/exp" | grep -q flag-pubdate
is $? 1 "vf-expire: a published case is not flagged"

# The public record of it is an advisory.
vf-redact -f -a public "$sw" >"$work/rec" 2>"$work/err"
is $? 0 "vf-redact -a public reads the published case"
vf-advisory -o "$work/csaf" <"$work/rec" >"$work/adv" 2>"$work/err"
is $? 0 "vf-advisory: exit 0" || sed 's/^/# /' "$work/err"
j=$(ls "$work/csaf"/*.json 2>/dev/null | sed -n 1p)
is "$(basename "${j:-none}")" jvn_12345678.json "vf-advisory: named by status.advisory (CSAF 5.1)"
if command -v jq >/dev/null && [ -n "$j" ]; then
	is "$(jq -r .document.tracking.id "$j")" 'JVN#12345678' "CSAF: tracking id"
	is "$(jq -r .document.tracking.initial_release_date "$j")" 2027-01-05T01:00:00.000Z \
	    "CSAF: released at the agreed time in UTC"
	jq -r '.document.references[]?.url' "$j" | grep -qx https://jvn.jp/jp/JVN12345678/
	ok $? "CSAF: the advisory URL"
else
	skip "jq missing"; skip "jq missing"; skip "jq missing"
fi
if [ -n "$j" ] && [ -d "$top/node_modules/@secvisogram/csaf-validator-lib" ] && command -v node >/dev/null; then
	node "$top/t/csaf-validate.mjs" "$j" >"$work/valid" 2>&1
	grep -q '^valid ' "$work/valid"
	ok $? "CSAF: valid (schema and mandatory tests)" || sed 's/^/# /' "$work/valid"
else
	skip "node or node_modules missing (npm ci)"
fi

# --- a web case: route operator, answered, fixed --------------------------
web=$(newcase web)
vf-decide accept "$web" >/dev/null 2>&1
vf-decide route operator 'Security@ショップ.example.jp' "$FPR_shop" 'Example Shop 株式会社' "$web" >"$work/out" 2>"$work/err"
is $? 0 "route operator: exit 0"
is "$(state "$web")" routed "route operator: accepted -> routed"
is "$(hdr "$web" Vf-Route)" operator "route operator: Vf-Route"
is "$(hdr "$web" Vf-Route-Address)" Security@xn--xckya1d0c.example.jp "route operator: the address, domain in A-labels"
is "$(hdr "$web" Vf-Route-Key)" "$FPR_shop" "route operator: the key"
hdr "$web" Vf-Route-Name | grep -q '^Example Shop =?UTF-8?B?[A-Za-z0-9+/=]*?=$'
ok $? "route operator: a non-ASCII name RFC 2047-encoded"
same "$web" route operator 'Security@ショップ.example.jp' "$FPR_shop" 'Example Shop 株式会社'
grep -a 'vf-decide:' "$(where "$web")" | grep -q 'Security@\|xn--\|Example Shop'
is $? 1 "route operator: the history names the key, not the address or name"
vf-notify -k first-contact "$web" >"$work/out" 2>"$work/err"
is $? 0 "vf-notify -k first-contact reads the route" || sed 's/^/# /' "$work/err"
grep -q '^To: .*<Security@xn--xckya1d0c.example.jp>$' "$(cat "$work/out")"
ok $? "first-contact: To is the routed operator"
is "$(state "$web")" contacted "first-contact: routed -> contacted"

# Silent for 20 days: a reminder is due; the answer recorded, none is.
VF_NOW=2026-12-22T00:00:00Z vf-expire -n >"$work/exp" 2>&1
grep "$web" "$work/exp" | grep -q reminded
ok $? "vf-expire: a reminder is due before the answer is recorded"
VF_NOW=2026-12-22T00:00:00Z vf-decide answered "$web" >/dev/null 2>"$work/err"
is $? 0 "answered: exit 0"
is "$(state "$web")" contacted "answered: no move (the details notice moves it)"
is "$(field "$web" status.answered)" 2026-12-22 "answered: status.answered"
VF_NOW=2026-12-22T00:00:00Z same "$web" answered
VF_NOW=2026-12-22T00:00:00Z vf-expire -n >"$work/exp" 2>&1
grep "$web" "$work/exp" | grep -q reminded
is $? 1 "vf-expire: no reminder once status.answered is recorded"
VF_NOW=2026-12-22T00:00:00Z vf-notify -k details "$web" >/dev/null 2>"$work/err"
is "$(state "$web")" waiting "details notice: contacted -> waiting"
VF_NOW=2026-12-25T00:00:00Z vf-decide fixed 'Output is escaped now.' "$web" >/dev/null 2>"$work/err"
is $? 0 "fixed: exit 0"
is "$(state "$web")" fixed "fixed: waiting -> fixed"
is "$(field "$web" status.fixed)" 2026-12-25 "fixed: status.fixed"
is "$(field "$web" status.fix-method)" 'Output is escaped now.' "fixed: status.fix-method"
VF_NOW=2026-12-26T00:00:00Z same "$web" fixed 'Output is escaped now.'

# --- kinds ---------------------------------------------------------------
sw2=$(newcase software)
"$casefix" "$sw2" -s waiting >/dev/null
refused 65 "$sw2" fixed
grep -q 'fixed is for web cases; this case is software' "$work/err"
ok $? "fixed on a software case: says it is for web cases"
refused 65 "$sw2" answered
refused 65 "$sw2" route operator ops@example.jp -
web2=$(newcase web)
"$casefix" "$web2" -s waiting >/dev/null
refused 65 "$web2" published 'JVN#1'
grep -q 'published is for software and vendor cases; this case is web' "$work/err"
ok $? "published on a web case: says it is for software and vendor cases"
refused 65 "$web2" pubdate '2027-01-05 10:00 JST'
refused 65 "$web2" route coordinator
un=$(newcase web)
"$casefix" "$un" -h 'Vf-Kind: unknown' -s undecided >/dev/null
refused 65 "$un" accept
grep -q 'this case is unknown (set it: vf-decide kind' "$work/err"
ok $? "accept of a case of unknown kind: says to set the kind"
vf-decide kind software "$un" >/dev/null 2>"$work/err"
is $? 0 "kind: exit 0"
is "$(hdr "$un" Vf-Kind)" software "kind: Vf-Kind set"
is "$(state "$un")" received "kind: undecided -> received, to be checked again"
same "$un" kind software
vf-decide kind vendor "$un" >/dev/null 2>&1
is "$(hdr "$un" Vf-Kind)/$(state "$un")" vendor/received "kind in received: set, no move"
vf-decide accept "$un" >/dev/null 2>&1
is "$(state "$un")" accepted "a vendor case is accepted"
refused 65 "$un" kind web
grep -q 'kind is taken on a case in received, incomplete, undecided; this one is in accepted' "$work/err"
ok $? "kind after acceptance: refused, says where it is taken"

# --- every move the table gives vf-decide ----------------------------------
# From vf(7) (t/unit/test_state.c keeps it equal to state.c). The case is
# put in the move's first state by casefix: no vf-validate exists yet to
# bring a case to incomplete or undecided, and a test per state reached
# through the whole process would only repeat the ones above.
sed -n '/^\.Ss States and moves/,/^\.El/p' "$top/share/man/vf.7" |
    sed -n 's/^\.It \([a-z]*\) Ta \([a-z]*\) Ta \(.*\) Ta \(.*\)$/\1|\2|\3|\4/p' >"$work/rows"
test "$(grep -c . "$work/rows")" -gt 30
ok $? "read the move table from vf(7) ($(grep -c . "$work/rows") rows)"
base=$(newcase software)

# act TARGET KIND: the decision that moves a case of KIND to TARGET.
act() {
	case $1 in
	accepted) echo accept ;;
	rejected) echo "reject|Not a vulnerability." ;;
	duplicate) echo "duplicate|$base" ;;
	referred) echo "refer|Not a site for users in Japan." ;;
	closed) echo "close|The reporter withdrew the report." ;;
	unreachable) echo "unreachable|No contact for the operator." ;;
	received) echo recheck ;;
	incomplete) echo "incomplete|reporter.phone" ;;
	undecided) echo undecided ;;
	routed) if [ "$2" = web ]; then echo "route|operator|ops@example.jp|$FPR_shop"
		else echo "route|coordinator"; fi ;;
	published) echo "published|JVN#99999999" ;;
	fixed) echo fixed ;;
	*) echo none ;;
	esac
}
kind_in() { [ "$2" = any ] || case ", $2," in *", $1,"*) true ;; *) false ;; esac; }

nmoves=0
while IFS='|' read -r from to kinds by; do
	case $by in *vf-decide*) ;; *) continue ;; esac
	for k in software web; do
		kind_in "$k" "$kinds" || continue
		id=$(newcase "$k")
		[ "$from" = received ] || "$casefix" "$id" -s "$from" >/dev/null
		a=$(act "$to" "$k")
		oldifs=$IFS; IFS='|'; set -- $a; IFS=$oldifs
		vf-decide "$@" "$id" >"$work/out" 2>"$work/err"
		rc=$?
		is "$rc/$(state "$id")/$(nhist "$id")/$(nlog "$id")" "0/$to/1/1" \
		    "allowed: $k $from -> $to by vf-decide $1 (exit, state, one history and log line)" ||
		    sed 's/^/# /' "$work/err"
		nmoves=$((nmoves + 1))
	done
done <"$work/rows"
test "$nmoves" -ge 40
ok $? "every vf-decide move of the table tried ($nmoves)"

# A refused move from every state, for both kinds: a target the table
# does not allow from there, and the message names those it allows.
states=$(cut -d'|' -f1,2 "$work/rows" | tr '|' '\n' | awk '!seen[$0]++')
for k in software web; do
	for s in $states; do
		allowed=$(while IFS='|' read -r from to kinds by; do
			[ "$from" = "$s" ] || continue
			case $by in *vf-decide*) ;; *) continue ;; esac
			kind_in "$k" "$kinds" && printf '%s\n' "$to"
		done <"$work/rows" | paste -sd, - | sed 's/,/, /g')
		target=
		for t in accepted rejected closed duplicate received routed published fixed incomplete undecided referred unreachable; do
			[ "$t" = "$s" ] && continue
			case $t in published) [ "$k" = software ] || continue ;; fixed|unreachable) [ "$k" = web ] || continue ;; esac
			case ", $allowed," in *", $t,"*) continue ;; esac
			target=$t
			break
		done
		id=$(newcase "$k")
		[ "$s" = received ] || "$casefix" "$id" -s "$s" >/dev/null
		a=$(act "$target" "$k")
		oldifs=$IFS; IFS='|'; set -- $a; IFS=$oldifs
		refused 65 "$id" "$@"
		if [ -n "$allowed" ]; then
			grep -q "a $k case in $s cannot move to $target; from $s it may move to: $allowed\$" "$work/err"
		else
			grep -q "a $k case in $s cannot move to $target; no decision moves it from $s\$" "$work/err"
		fi
		ok $? "refused: $k $s -> $target names the moves allowed (${allowed:-none})" ||
		    sed 's/^/# /' "$work/err"
	done
done

# --- the publication date and its zone ---------------------------------------
pd=$(newcase software)
vf-decide accept "$pd" >/dev/null 2>&1
while IFS='|' read -r given utc; do
	vf-decide pubdate "$given" "$pd" >/dev/null 2>"$work/err"
	is "$?/$(field "$pd" status.pubdate-utc)/$(field "$pd" status.pubdate)" "0/$utc/$given" \
	    "pubdate '$given' is $utc"
done <<'EOF'
2027-01-05 10:00 +0900|2027-01-05T01:00:00Z
2027-01-05 10:00 JST|2027-01-05T01:00:00Z
2027-07-05 10:00 JST|2027-07-05T01:00:00Z
2027-07-05 10:00:30 +09|2027-07-05T01:00:30Z
2027-01-01 05:00 +09:00|2026-12-31T20:00:00Z
2027-03-01 01:00 -05:00|2027-03-01T06:00:00Z
2027-06-30 23:30 -09:30|2027-07-01T09:00:00Z
2027-01-05 10:00 +05:45|2027-01-05T04:15:00Z
2028-02-29 12:00 UTC|2028-02-29T12:00:00Z
2027-01-05T00:30:15Z|2027-01-05T00:30:15Z
2027-01-05 00:30:15 GMT|2027-01-05T00:30:15Z
2027-01-05 10:00 +14:00|2027-01-04T20:00:00Z
EOF
grep -q 'vf-decide: by staff alice-staff: pubdate 2027-01-05T01:00:00Z (given as 2027-01-05 10:00 JST)$' "$(where "$pd")"
ok $? "pubdate: the same time given another way is recorded as given"
grep -q 'vf-decide: by staff alice-staff: pubdate 2027-07-05T01:00:00Z (given as 2027-07-05 10:00 JST; was 2027-01-05T01:00:00Z)$' "$(where "$pd")"
ok $? "pubdate: a changed date says what it was"
while read -r bad; do
	refused 64 "$pd" pubdate "$bad"
done <<'EOF'
2027-02-29 10:00 +09:00
2027-04-31 10:00 Z
2027-13-01 10:00 Z
2027-01-05 24:00 Z
2027-01-05 10:60 Z
2027-01-05 10:00:60 Z
2027-01-05 10:00 +15:00
2027-01-05 10:00 +09:60
2027-01-05 10:00 CST
2027-01-05 10:00 Asia/Tokyo
2027-01-05 10:00
2027-01-05
2027-1-5 10:00 Z
tomorrow
2027-01-05 10:00 +09:00 extra
1969-12-31 23:00 Z
EOF
vf-decide pubdate '2027-02-29 10:00 JST' "$pd" 2>&1 | grep -q '2027-02-29 10:00 JST: no such day'
ok $? "pubdate: an impossible day says so"
vf-decide pubdate '2027-01-05 10:00 PST' "$pd" 2>&1 | grep -q 'ambiguous; give the offset'
ok $? "pubdate: a zone name other than JST, UTC, GMT, Z: give the offset"

# --- duplicates -------------------------------------------------------------
mkdir -m 700 "$VF_ROOT/known"
printf '# NVD\nCVE-2026-0001\tExampleWiki\tExample\t2.4.1\tCWE-79\t-\nCVE-2026-1234\tExampleWiki\tExample\t<2.5\tCWE-79\thttps://nvd.nist.gov/\n' >"$VF_ROOT/known/nvd"
printf 'x\n' >"$VF_ROOT/known/.nvd"
chmod 600 "$VF_ROOT/known/nvd" "$VF_ROOT/known/.nvd"
d1=$(newcase software)
vf-decide duplicate "VF#$sw" "$d1" >/dev/null 2>"$work/err"
is $? 0 "duplicate of a case: exit 0"
is "$(state "$d1")/$(field "$d1" status.duplicate-of)/$(hdr "$d1" Vf-Duplicate)" \
    "duplicate/$sw/case $sw (by staff)" "duplicate of a case: status.duplicate-of, Vf-Duplicate"
is "$(field "$d1" status.closed)" "$today" "duplicate: status.closed"
same "$d1" duplicate "$sw"
d2=$(newcase software)
vf-decide duplicate CVE-2026-1234 "$d2" >/dev/null 2>"$work/err"
is "$?/$(state "$d2")/$(hdr "$d2" Vf-Duplicate)" "0/duplicate/known CVE-2026-1234 nvd:3 (by staff)" \
    "duplicate of a known ID: found in ROOT/known/, FILE:LINE recorded"
d3=$(newcase software)
refused 65 "$d3" duplicate CVE-2099-0001
grep -q 'CVE-2099-0001: no such ID in the known-vulnerability list' "$work/err"
ok $? "duplicate of an unknown ID: says so"
refused 65 "$d3" duplicate 2026-99999
refused 65 "$d3" duplicate "$d3"
grep -q 'not a duplicate of itself' "$work/err"
ok $? "duplicate of itself: refused"

# --- reject, close, refer; reasons stay out of the history and the log ------
r1=$(newcase software)
vf-decide reject 'Taro Yamada reported a feature, not a flaw.' "$r1" >/dev/null 2>&1
is "$(state "$r1")/$(field "$r1" status.reason)/$(field "$r1" status.closed)" \
    "rejected/Taro Yamada reported a feature, not a flaw./$today" "reject: status.reason, status.closed"
same "$r1" reject 'Taro Yamada reported a feature, not a flaw.'
r2=$(newcase web)
vf-decide accept "$r2" >/dev/null 2>&1
vf-decide close 'hanako@example.jp withdrew it.' "$r2" >/dev/null 2>&1
is "$(state "$r2")/$(field "$r2" status.reason)" "closed/hanako@example.jp withdrew it." "close: from accepted, with the reason"
same "$r2" close 'hanako@example.jp withdrew it.'
refused 64 "$r2" reject ''

# --- take: proposal parts ---------------------------------------------------
# Two proposals of one case at chosen times, one value of two lines: a
# fixture writes them as the contract says (Vf-Part: proposal,
# Vf-Proposed-By, Vf-Received, Vf-Of, the fields part's syntax, the case
# header Vf-Proposes), since vf-parse's times are those of delivery. The
# proposal vf-parse itself makes is taken below.
add_proposal() {	# ID BY TIME BODYFILE
	f=$(where "$1")
	b=$(sed -n 's/^Content-Type: multipart\/mixed; boundary="\(.*\)"$/\1/p' "$f" | sed -n 1p)
	awk -v b="$b" -v by="$2" -v t="$3" -v body="$4" '
	$0 == "--" b "--" {
		print "--" b
		print "Content-Type: text/plain; charset=utf-8"
		print "Content-Transfer-Encoding: 8bit"
		print "Content-Disposition: inline"
		print "Content-Description: a proposal"
		print "Vf-Part: proposal"
		print "Vf-Proposed-By: " by
		print "Vf-Received: " t
		print "Vf-Of: 4"
		print ""
		while ((getline l < body) > 0) print l
	}
	{ print }' "$f" >"$work/withprop" && cat "$work/withprop" >"$f"
}
tk=$(newcase software)
vf-decide accept "$tk" >/dev/null 2>&1
printf 'product.version: 2.4.2\nvuln.workaround: Turn titles off:\n\tadmin > settings.\n' >"$work/p1"
printf 'product.version: 2.4.3\n' >"$work/p2"
add_proposal "$tk" "vendor $FPR_shop" 2026-12-01T10:00:00Z "$work/p1"
add_proposal "$tk" "reporter unsigned" 2026-11-30T10:00:00Z "$work/p2"
"$casefix" "$tk" -h 'Vf-Proposes: product.version, vuln.workaround' >/dev/null
vf-show "$tk" >/dev/null 2>"$work/err"
ok $? "fixture: the case with proposal parts still reads" || sed 's/^/# /' "$work/err"
vf-decide take product.version "$tk" >/dev/null 2>"$work/err"
is $? 0 "take: exit 0" || sed 's/^/# /' "$work/err"
is "$(field "$tk" product.version)" 2.4.2 "take: the latest proposal's value (by Vf-Received, not file order)"
is "$(hdr "$tk" Vf-Proposes)" vuln.workaround "take: removed from Vf-Proposes"
grep -q "vf-decide: by staff alice-staff: take product.version (part [0-9]*, proposed by vendor $FPR_shop)$" "$(where "$tk")"
ok $? "take: the history names the field and who proposed it, not the value"
same "$tk" take product.version
vf-decide take "$tk" vuln.workaround >/dev/null 2>&1
is "$(sed -n '/^vuln.workaround: /,/^[^	]/p' "$(where "$tk")" | sed -n 1,2p | tr '\n' '|')" \
    "vuln.workaround: Turn titles off:|	admin > settings.|" "take: a value of two lines, case before field"
is "$(hdr "$tk" Vf-Proposes)" "" "take: Vf-Proposes gone once empty"
refused 65 "$tk" take vuln.poc
grep -q 'no proposal names vuln.poc' "$work/err"
ok $? "take of a field no proposal names: says so"
refused 64 "$tk" take status.published
refused 64 "$tk" take
grep -a 'vf-decide' "$VF_ROOT/log" | grep -q '2\.4\.2\|admin > settings'
is $? 1 "take: the log holds no proposed value"

# The same through the real vf-parse: a clear follow-up proposes (it may
# not write fields), and staff take what they believe.
tr=$(newcase software)
printf 'Version: 9.9.9\nE-mail address: evil@example.net\n' >"$work/fu.txt"
mail taro@example.jp "Re: [VF#$tr] version" "$work/fu.txt" | vf-parse >/dev/null 2>&1
is "$(hdr "$tr" Vf-Proposes)" "reporter.email, product.version" "vf-parse: the follow-up proposes"
vf-decide take product.version "$tr" >/dev/null 2>"$work/err"
is "$?/$(field "$tr" product.version)/$(hdr "$tr" Vf-Proposes)" "0/9.9.9/reporter.email" \
    "take of vf-parse's proposal: the value taken, the other left proposed" ||
    sed 's/^/# /' "$work/err"
is "$(field "$tr" reporter.email)" taro@example.jp "take: a field not named is not taken"
grep -q 'vf-decide: by staff alice-staff: take product.version (part [0-9]*, proposed by [a-z]* unsigned)$' "$(where "$tr")"
ok $? "take: the history names the proposal and who made it"
same "$tr" take product.version
grep -q '9\.9\.9\|evil@example.net' "$VF_ROOT/log"
is $? 1 "take: the log holds no proposed value"

# --- -n, stdin, usage, exit codes -------------------------------------------
n1=$(newcase software)
cp "$(where "$n1")" "$work/before"
vf-decide -n accept "$n1" >"$work/out" 2>"$work/err"
is $? 0 "-n: exit 0"
is "$(cat "$work/out")" "$VF_ROOT/received/new/$n1	would accept (received -> accepted)" "-n: says what it would do"
cmp -s "$work/before" "$(where "$n1")" && [ "$(nlog "$n1")" = 0 ]
ok $? "-n: nothing changed, nothing logged"
n2=$(newcase software)
printf '%s\n%s\n' "$n1" "$n2" | vf-decide accept >"$work/out" 2>"$work/err"
is "$?/$(state "$n1")/$(state "$n2")" 0/accepted/accepted "cases one a line on stdin"
n3=$(newcase software)
echo "$n3" | vf-decide reject 'Spam.' - >/dev/null 2>&1
is "$(state "$n3")" rejected "- reads the cases from stdin"
n4=$(newcase software)
r=$VF_ROOT; (unset VF_ROOT; vf-decide -d "$r" accept "$n4") >/dev/null 2>&1
is "$?/$(state "$n4")" 0/accepted "-d names the root"
vf-decide frobnicate "$n3" >/dev/null 2>&1
is $? 64 "an unknown decision: 64"
vf-decide >/dev/null 2>&1
is $? 64 "no decision: 64"
vf-decide accept 2026-99999 >/dev/null 2>&1
is $? 66 "no such case: 66"
vf-decide route operator 'not an address' "$FPR_shop" "$n3" >/dev/null 2>&1
is $? 64 "route operator with a bad address: 64"
vf-decide route operator ops@example.jp ABCD "$n3" >/dev/null 2>&1
is $? 64 "route operator with a bad fingerprint: 64"
vf-decide published 'JVN#1' 'https://' "$n3" >/dev/null 2>&1
is $? 64 "published with a URL without a host: 64"
VF_STAFF='eve; rm' vf-decide accept "$n3" >/dev/null 2>&1
is $? 64 "a staff name that is not one word: 64"
l1=$(newcase software)
if command -v flock >/dev/null; then
	flock "$VF_ROOT/.lock/$l1" sleep 3 &
	sleep 0.5
	VF_LOCK_WAIT=1 vf-decide accept "$l1" >/dev/null 2>&1
	is $? 75 "the case's lock held: 75"
	wait
else
	skip "flock(1) missing"
fi
grep ' vf-decide ' "$VF_ROOT/log" | grep -v '^[^ ]* [^ ]* vf-decide [0-9-]* by staff alice-staff: ' | grep -q .
is $? 1 "every vf-decide log line says by staff NAME"
cp "$VF_ROOT/config" "$work/config"
sed -i '/^coordinator-address/d' "$VF_ROOT/config"
l2=$(newcase software)
vf-decide accept "$l2" >/dev/null 2>&1
vf-decide route coordinator "$l2" >/dev/null 2>&1
is $? 78 "route coordinator without coordinator-address: 78"
cp "$work/config" "$VF_ROOT/config"

# Eight staff at once on one case: one decision, one history line.
cc=$(newcase web)
for i in 1 2 3 4 5 6 7 8; do
	VF_STAFF=staff$i vf-decide accept "$cc" >/dev/null 2>&1 &
done
wait
is "$(state "$cc")/$(nhist "$cc")/$(nlog "$cc")" accepted/1/1 \
    "eight at once: accepted once, one history and one log line"

# --- no reporter value in the history or the log ------------------------------
for v in 'Taro Yamada' taro@example.jp 'Hanako Sato' hanako@example.jp; do
	grep -q "$v" "$VF_ROOT/log"
	is $? 1 "the log holds no '$v'"
	found=0
	for f in $(vf-ls); do
		grep -a ' vf-decide: ' "$f" | grep -q "$v" && found=1
	done
	is "$found" 0 "no vf-decide history line holds '$v'"
done

done_testing
