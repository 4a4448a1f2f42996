#!/bin/sh
# Hostile input across tools (issue 10): no value of a report, a contact
# list or a security.txt breaks out of the header it goes into; path tricks
# in attachment names, case identifiers, state names and arguments touch
# nothing outside ROOT; a policy, template, contact list or known list that
# is malformed, empty, huge or writable by group or others is refused with
# 78 and nothing is shown or sent; templates never evaluate report text.
. "$(dirname "$0")/lib.sh"
. "$top/t/notice.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys taro coord shop || skip_all "cannot make gpg keys"
make_root
cat >>"$VF_ROOT/config" <<CFG
coordinator-name Coordinator
coordinator-key $FPR_coord
CFG
T=$(printf '\t')
CR=$(printf '\r')
# Something outside the root a path trick could reach; checked at the end.
mkdir -m 700 "$work/outside" "$work/outside/received"
echo keep >"$work/outside/victim"
touch "$work/stamp"
sleep 1

# hdrblock MAIL: the header block of an outgoing mail.
hdrblock() { sed '/^$/q' "$1" | sed '$d'; }
# headers_ok MAIL: exactly the headers vf-notify writes, each once, one
# line each or folded (a continuation line starts with a space).
headers_ok() {
	hdrblock "$1" >"$work/hb"
	names=$(grep -v '^ ' "$work/hb" | sed 's/:.*//' | tr '\n' ' ')
	[ "$names" = "From To Subject Date Message-ID MIME-Version Content-Type Vf-Id Vf-Notice " ] ||
	    { echo "#   headers: $names"; return 1; }
	LC_ALL=C grep -q "$CR\|[^ -~]" "$work/hb" && { echo "#   a control or 8-bit byte"; return 1; }
	# No line longer than RFC 5322's 998.
	awk 'length > 998 { bad = 1 } END { exit bad }' "$work/hb" ||
	    { echo "#   a header line over 998 bytes"; return 1; }
	return 0
}

# --- web reports to operators whose contact-list names are hostile
long=$(head -c 12000 /dev/zero | tr '\0' 'A')
longj=$(i=0; while [ $i -lt 1500 ]; do printf '株式'; i=$((i + 1)); done)
cat >"$VF_ROOT/contacts" <<EOF
enc.example.jp${T}ops@enc.example.jp${T}-${T}en${T}=?utf-8?q?Ops=0D=0ABcc:_evil@example.net?=
encb.example.jp${T}ops@encb.example.jp${T}-${T}en${T}=?utf-8?b?$(printf 'x\r\nBcc: evil@example.net' | base64 -w0)?=
long.example.jp${T}ops@long.example.jp${T}-${T}en${T}$long
longj.example.jp${T}ops@longj.example.jp${T}-${T}ja${T}$longj
tpl.example.jp${T}ops@tpl.example.jp${T}-${T}en${T}\${reporter.email} %s%n \$(id) "x" <evil@example.net>
EOF
chmod 600 "$VF_ROOT/contacts"
for h in enc encb long longj tpl; do
	form web
	sed -i "s,^URL of the web site: .*,URL of the web site: https://$h.example.jp/," "$work/form"
	mail hanako@example.jp "$subj" "$work/form" | vf-parse >/dev/null
done
vf-ls received | vf-validate >/dev/null 2>&1
vf-ls accepted | vf-route >"$work/out" 2>"$work/err"
is $? 0 "vf-route takes contact-list names that hold encoded line breaks, 12 KB, a template slot"
is "$(vf-ls routed | wc -l)" 5 "all five routed"

for f in $(vf-ls routed); do
	h=$(sed -n '1,/^$/s/^Vf-Route-Address: ops@//p' "$f")
	sed -n '1,/^$/p' "$f" | grep -q '^Bcc:'
	is $? 1 "$h: no Bcc header in the case"
	m=$(vf-notify -k first-contact "$f" 2>"$work/err")
	rc=$?
	if [ $rc -eq 0 ] && [ -f "$m" ]; then
		headers_ok "$m"
		ok $? "$h: first contact: the headers vf-notify means, one line each or folded"
		hdrblock "$m" | grep -qi '^bcc:\|^cc:'
		is $? 1 "$h: first contact: no Bcc or Cc broke out"
		# Unfolded, To ends in the listed address.
		hdrblock "$m" | awk '/^ / { l = l $0; next } { if (l != "") print l; l = $0 } END { print l }' |
		    grep -q '^To: .*<ops@'"$h"'>$\|^To: ops@'"$h"'$'

		ok $? "$h: first contact: To is the listed address"
	else
		ok 1 "$h: first contact made (exit $rc: $(head -c 200 "$work/err"))"
	fi
done
m=$(ls -t "$VF_ROOT"/outbox/new/* | xargs grep -l '^To:.*ops@tpl.example.jp' | sed -n 1p)
hdrblock "$m" | grep -q 'taro@\|hanako@\|uid='
is $? 1 "a name holding \${reporter.email} or \$(id) is not evaluated"

# --- security.txt values: hostile Contact and Preferred-Languages
mkdir -p -m 700 "$VF_ROOT/security.txt"
printf 'Contact: mailto:sec@sx.example.jp%s\nBcc: evil@example.net\nContact: mailto:a@sx.example.jp?bcc=evil@example.net\nPreferred-Languages: en%s\nBcc: x, =?utf-8?q?ja=0A?=\nExpires: 2099-01-01T00:00:00Z\n' "$CR" "$CR" \
    >"$VF_ROOT/security.txt/sx.example.jp"
chmod 600 "$VF_ROOT/security.txt/sx.example.jp"
form web
sed -i "s,^URL of the web site: .*,URL of the web site: https://sx.example.jp/," "$work/form"
p=$(mail hanako@example.jp "$subj" "$work/form" | vf-parse)
vf-validate "$p" >/dev/null 2>&1
vf-ls accepted | vf-route >/dev/null 2>"$work/err"
rc=$?
f=$(vf-ls | grep "/$(basename "$p")\$")
case $rc in 0 | 65 | 78) ok 0 "security.txt with CR, a Bcc line, a bcc= query: handled (exit $rc)" ;;
*) ok 1 "security.txt with hostile values: exit $rc" ;; esac
lang=$(sed -n '1,/^$/s/^Vf-Route-Lang: //p' "$f")
case $lang in '' | ja | en) ok 0 "Vf-Route-Lang is ja, en or absent ($lang)" ;; *) ok 1 "Vf-Route-Lang: $lang" ;; esac
addr=$(sed -n '1,/^$/s/^Vf-Route-Address: //p' "$f")
case $addr in *'?'* | *"$CR"* | *' '*) ok 1 "Vf-Route-Address an addr-spec ($addr)" ;;
*) ok 0 "Vf-Route-Address is an addr-spec or absent ($addr)" ;; esac
if [ "$(basename "$(dirname "$(dirname "$f")")")" = routed ]; then
	m=$(vf-notify -k first-contact "$f" 2>/dev/null)
	headers_ok "$m"
	ok $? "security.txt route: the first contact's headers are vf-notify's"
else
	skip "security.txt route not routed ($(dirname "$(dirname "$f")"))"
fi

# --- the reporter's address and name: line breaks, encoded words, 10 KB
for v in 'taro@example.jp =?utf-8?q?=0D=0ABcc:_evil@example.net?=' \
    "taro@example.jp$CR" "$long@example.jp" \
    '=?utf-8?b?dGFyb0BleGFtcGxlLmpwDQpCY2M6IGV2aWxAZXhhbXBsZS5uZXQ=?='; do
	form software
	# The address as the form has it, the name a 10 KB line break attempt.
	sed -i "s|^E-mail address: .*|E-mail address: $v|; s|^Name: .*|Name: =?utf-8?q?T=0ABcc:_e@x.net?= $long|; s/^Encryption: yes/Encryption: no/" "$work/form"
	p=$(mail hanako@example.jp "$subj" "$work/form" | vf-parse)
	vf-validate "$p" >/dev/null 2>&1
	f=$(vf-ls | grep "/$(basename "$p")\$")
	n0=$(ls "$VF_ROOT/outbox/new" | wc -l)
	m=$(vf-notify -k ack "$f" 2>"$work/err")
	rc=$?
	if [ $rc -eq 0 ]; then
		headers_ok "$m"
		ok $? "reporter address $(printf '%.30s' "$v" | tr -d '\r'): the ack's headers are vf-notify's"
		hdrblock "$m" | grep -qi '^bcc:'
		is $? 1 "reporter address $(printf '%.30s' "$v" | tr -d '\r'): no Bcc broke out"
	else
		is "$(ls "$VF_ROOT/outbox/new" | wc -l)" "$n0" \
		    "reporter address $(printf '%.30s' "$v" | tr -d '\r'): refused (exit $rc), nothing in the outbox"
	fi
done

# --- templates never evaluate report text
form software
sed -i 's|^Product name: .*|Product name: ${reporter.email} %s%n%x $(id) `id`|; s|^Summary: .*|Summary: ${office.name}%n|' "$work/form"
p=$(mail taro@example.jp "$subj" "$work/form" | vf-parse)
id=$(basename "$p")
vf-validate "$p" >/dev/null 2>&1
vf-ls accepted | vf-route >/dev/null 2>&1
f=$(vf-ls | grep "/$id\$")
m=$(vf-notify -k coordinator "$f" 2>"$work/err")
is $? 0 "coordinator notice of a report whose fields hold slots, formats, \$(id)"
if open_as coord "$m"; then
	grep -qF '${reporter.email} %s%n%x $(id) `id`' "$work/text"
	ok $? "the product name shows as itself"
	grep -qF '${office.name}%n' "$work/text"
	ok $? "the summary shows as itself"
	grep -q 'uid=' "$work/text"
	is $? 1 "nothing was run"
else
	ok 1 "the coordinator opens the notice"
fi

# --- attachment file names: path tricks stay names in the case file
i=0
for fn in '../../../outside/victim' '/etc/passwd' "$id" \
    "$(head -c 5000 /dev/zero | tr '\0' 'x')" \
    "=?utf-8?q?..=2F..=2Fvictim=00x?=" "a${CR}b"; do
	i=$((i + 1))
	{
		printf 'From: taro@example.jp\nTo: office@example.jp\nSubject: %s\n' "$subj"
		printf 'Message-ID: <att.%s.%s@example.jp>\nMIME-Version: 1.0\n' "$i" "$$"
		printf 'Content-Type: multipart/mixed; boundary="B"\n\n--B\n'
		printf 'Content-Type: text/plain; charset=utf-8\n\n'
		cat "$work/form"
		printf '\n--B\nContent-Type: application/octet-stream\n'
		printf 'Content-Disposition: attachment; filename="%s"\n\n' "$fn"
		printf 'payload %s\n--B--\n' "$i"
	} >"$work/att"
	ncase=$(ncases)
	p=$(vf-parse <"$work/att" 2>"$work/err")
	rc=$?
	is "$rc.$(ncases)" "0.$((ncase + 1))" "attachment name $(printf '%.20s' "$fn" | tr -d '\r'): one new case"
	case $p in "$VF_ROOT"/received/new/????-?????) ok 0 "attachment $i: the case is named by its id" ;;
	*) ok 1 "attachment $i: the case is named by its id ($p)" ;; esac
done

# --- path tricks in identifiers, states and arguments
other=$(vf-ls | sed -n 1p)
oid=$(basename "$other")
cp "$other" "$work/other.before"
for a in ../../outside/victim /etc/passwd "$work/outside/victim" \
    "$VF_ROOT/../outside/victim" "$VF_ROOT/received/new/../../../outside/victim" \
    "VF#../$oid" "$oid/../../outside" "$(head -c 5000 /dev/zero | tr '\0' '9')" \
    "$oid${CR}" ''; do
	short=$(printf '%.30s' "$a" | tr -d '\r')
	vf-show "$a" >"$work/out" 2>"$work/err"
	rc=$?
	[ $rc -ne 0 ] && [ -s "$work/err" ] && ! grep -q keep "$work/out"
	ok $? "vf-show '$short': refused with a message (exit $rc)"
	vf-validate "$a" >/dev/null 2>"$work/err"
	rc=$?
	[ $rc -ne 0 ] && [ -s "$work/err" ]
	ok $? "vf-validate '$short': refused with a message (exit $rc)"
	vf-decide close 'x' "$a" >/dev/null 2>"$work/err"
	rc=$?
	[ $rc -ne 0 ] && [ -s "$work/err" ]
	ok $? "vf-decide close '$short': refused with a message (exit $rc)"
done
for s in ../outside ../../etc /etc outside/received received/../../outside nosuch "$long"; do
	short=$(printf '%.30s' "$s")
	vf-ls "$s" >"$work/out" 2>"$work/err"
	rc=$?
	[ $rc -ne 0 ] && [ -s "$work/err" ] && [ ! -s "$work/out" ]
	ok $? "vf-ls '$short': refused with a message (exit $rc)"
done
for a in ../../etc "../$oid" "/$oid" "$oid/.." "$long"; do
	vf-decide duplicate "$a" "$id" >/dev/null 2>"$work/err"
	rc=$?
	[ $rc -ne 0 ] && [ -s "$work/err" ]
	ok $? "vf-decide duplicate '$(printf '%.30s' "$a")': refused (exit $rc)"
done
cmp -s "$other" "$work/other.before" || cmp -s "$(vf-ls | grep "/$oid\$")" "$work/other.before"
ok $? "the case named in the tricks is unchanged"

# --- policy, template, contact list, known list: refused with 78
cp -R "$top/share" "$work/share"
chmod -R go-w "$work/share"
VF_SHARE=$work/share
export VF_SHARE
form web
sed -i "s,^URL of the web site: .*,URL of the web site: https://ack.example.jp/," "$work/form"
p=$(mail hanako@example.jp "$subj" "$work/form" | vf-parse)
vf-validate "$p" >/dev/null 2>&1
wid=$(basename "$p")
refused() { # DESC COMMAND...: exit 78, a message, nothing on stdout or in the outbox
	desc=$1
	shift
	n0=$(ls "$VF_ROOT/outbox/new" | wc -l)
	"$@" >"$work/out" 2>"$work/err"
	rc=$?
	is "$rc" 78 "$desc: exit 78"
	[ -s "$work/err" ] && [ ! -s "$work/out" ] && [ "$(ls "$VF_ROOT/outbox/new" | wc -l)" -eq "$n0" ]
	ok $? "$desc: says why, nothing shown or sent ($(head -c 120 "$work/err" | tr '\n' ' '))"
}
cp "$work/share/policy" "$work/policy.good"
chmod g+w "$work/share/policy"
refused "policy writable by group" vf-redact -a reporter "$wid"
refused "policy writable by group (vf-notify)" vf-notify -k ack "$wid"
chmod 644 "$work/share/policy"
chmod o+w "$work/share/policy"
refused "policy writable by others" vf-redact -a reporter "$wid"
chmod 644 "$work/share/policy"
: >"$work/share/policy"
refused "empty policy" vf-redact -a reporter "$wid"
printf 'this is not a rule\n' >"$work/share/policy"
refused "malformed policy" vf-redact -a reporter "$wid"
{ cat "$work/policy.good"; head -c 1100000 /dev/zero | tr '\0' '#'; } >"$work/share/policy"
refused "policy over 1 MiB" vf-redact -a reporter "$wid"
cp "$work/policy.good" "$work/share/policy"
chmod 644 "$work/share/policy"
vf-redact -a reporter "$wid" >/dev/null 2>&1
is $? 0 "the policy restored: vf-redact works again"

t=$work/share/templates/ack.en
cp "$t" "$work/tpl.good"
chmod g+w "$t"
refused "template writable by group" vf-notify -k ack -l en "$wid"
chmod 644 "$t"
: >"$t"
refused "empty template" vf-notify -k ack -l en "$wid"
printf 'no subject line\n\nbody\n' >"$t"
refused "malformed template" vf-notify -k ack -l en "$wid"
{ cat "$work/tpl.good"; head -c 70000 /dev/zero | tr '\0' 'x'; } >"$t"
refused "template over 64 KiB" vf-notify -k ack -l en "$wid"
cp "$work/tpl.good" "$t"

form web
sed -i "s,^URL of the web site: .*,URL of the web site: https://new.example.jp/x," "$work/form"
p=$(mail hanako@example.jp "$subj" "$work/form" | vf-parse)
vf-validate "$p" >/dev/null 2>&1
cid=$(basename "$p")
c=$VF_ROOT/contacts
cp "$c" "$work/contacts.good"
chmod g+w "$c"
refused "contact list writable by group" vf-route "$cid"
chmod 600 "$c"
printf 'enc.example.jp\tnot an address\t-\t-\n' >"$c"
refused "malformed contact list" vf-route "$cid"
{ cat "$work/contacts.good"; head -c 17000000 /dev/zero | tr '\0' '#'; } >"$c"
refused "contact list over 16 MiB" vf-route "$cid"
: >"$c"
vf-route "$cid" >/dev/null 2>&1
case $? in 0 | 65) ok 0 "an empty contact list is an empty list" ;; *) ok 1 "empty contact list" ;; esac
cp "$work/contacts.good" "$c"

mkdir -p -m 700 "$VF_ROOT/known"
printf 'CVE-2026-1\tExampleWiki\tExample\t*\tCWE-79\thttps://example.jp/1\n' >"$VF_ROOT/known/list"
chmod 620 "$VF_ROOT/known/list"
form software
sed -i 's/^Product name: .*/Product name: KnownWiki/' "$work/form"
p=$(mail taro@example.jp "$subj" "$work/form" | vf-parse)
refused "known list file writable by group" vf-validate "$p"
chmod 600 "$VF_ROOT/known/list"
chmod 770 "$VF_ROOT/known"
refused "known directory writable by group" vf-validate "$p"
chmod 700 "$VF_ROOT/known"
printf 'CVE-2026-2\tonly three\tcolumns\n' >"$VF_ROOT/known/bad"
chmod 600 "$VF_ROOT/known/bad"
refused "malformed known list" vf-validate "$p"
rm -f "$VF_ROOT/known/bad"
vf-validate "$p" >/dev/null 2>&1
is $? 0 "the known list repaired: vf-validate works again"

# --- nothing outside the root was touched
is "$(cat "$work/outside/victim")" keep "the file outside ROOT is unchanged"
is "$(find "$work/outside" -newer "$work/stamp" | wc -l)" 0 "nothing outside ROOT was written"
is "$(find /tmp "$top" /etc -newer "$work/stamp" -name victim 2>/dev/null | grep -v "^$work/" | wc -l)" 0 \
    "no file named by a trick was made elsewhere"
done_testing
