#!/bin/sh
# vf-validate: each received report to its verdict, on cases filed by the
# real vf-parse: what the field table requires (and alternatives), the
# formats, the scope, duplicates of cases and of the known list; -n, a
# second run, a case elsewhere, a bad list.
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys || skip_all "cannot make gpg keys"
VF_NOW=2026-12-03T09:00:00Z
export VF_NOW

# Complete English forms, one line a field: "FIELD<TAB>form line".
cat >"$work/software.tsv" <<'EOF'
reporter.name	Name: Taro Yamada
reporter.email	E-mail address: taro@example.jp
reporter.phone	Phone: 03-5555-0100
consent.coordinator	Reporter information to the coordinator: yes
consent.vendor	Reporter information to the vendor: no
consent.publish-name	Publish my name in the advisory: no
product.name	Product name: ExampleWiki
product.version	Version: 2.4.1
product.vendor	Vendor: Example Wiki Project
vuln.type	Vulnerability type: Stored cross-site scripting (CWE-79)
vuln.summary	Summary: Stored XSS in the page title of ExampleWiki.
vuln.environment	Environment: Debian 12, PHP 8.2
vuln.reproduce	Steps to reproduce: Put <script>alert(1)</script> in a title, save it.
vuln.threat	Threat: Theft of the session of anyone who views the page.
other.reported	Reported to other organisations: no
contact.final-report	Final report: yes
contact.encrypt	Encryption: no
EOF
cat >"$work/web.tsv" <<'EOF'
reporter.name	Name: Hanako Sato
reporter.email	E-mail address: hanako@example.jp
consent.operator	Reporter information to the site operator: no
web.url	URL of the web site: https://shop.example.jp/search
web.operator	Site operator: Example Shop
web.type	Vulnerability type: CWE-79
web.discovery	How it was found: Searching for a product with a < in its name.
web.reason	Why it is a vulnerability: The search term is echoed as HTML.
vuln.reproduce	Steps to reproduce: Open https://shop.example.jp/search?q=%3Cb%3Ex
other.reported	Reported to other organisations: no
contact.final-report	Final report: yes
contact.encrypt	Encryption: no
EOF
cat >"$work/vendor.tsv" <<'EOF'
product.vendor	Vendor: Example Soft K.K.
reporter.name	Contact person: Jiro Okamoto
reporter.email	E-mail address: psirt@example-soft.co.jp
product.name	Product name: ExampleGroupware
product.version	Affected versions: 7.0.0 to 7.3.2
vuln.type	Vulnerability type: OS command injection (CWE-78)
vuln.summary	Summary: The backup page passes a file name to the shell.
contact.encrypt	Encryption of mail to you: no
EOF
subject() {
	case $1 in
	software) echo 'Software Vulnerability Report' ;;
	web) echo 'Web Application Vulnerability Report' ;;
	vendor) echo 'Vendor Vulnerability Report' ;;
	esac
}
# file KIND [DROP [SED]]: the form less the lines of the fields in DROP
# (a regular expression), edited by SED; filed by vf-parse: its path.
file() {
	grep -v -E "^(${2:-^})	" "$work/$1.tsv" | cut -f2- |
	    sed -e "${3:-}" >"$work/form"
	mail taro@example.jp "$(subject "$1")" "$work/form" | vf-parse
}
# example NAME SUBJECT [SED]: a shipped example filed by vf-parse.
example() {
	sed -e "${3:-}" "$VF_SHARE/examples/$1" >"$work/form"
	mail taro@example.jp "$2" "$work/form" | vf-parse
}
# The case file of an id, wherever it is now; its state.
where() { find "$VF_ROOT" -path "*/new/$1" -o -path "*/cur/$1:2,*" | sed -n 1p; }
state() { where "$1" | sed "s|^$VF_ROOT/||; s|/.*||"; }
hdr() { sed -n "/^\$/q; s/^$2: //p" "$(where "$1")"; }
field() { sed -n "s/^$2: //p" "$(where "$1")"; }
idof() { basename "$1"; }
# required KIND: the fields the table says KIND requires, none of a group.
required() {
	awk -F: -v k="$1" '/^[a-z]/ && $4 !~ /@/ {
		n = split($4, r, ","); for (i = 1; i <= n; i++) if (r[i] == k) print $1 }' \
	    "$VF_SHARE/fields"
}

# --- each kind, both languages: complete, in scope and new -> accepted
make_root accepted
s1=$(example software-en.txt 'Software Vulnerability Report')
s2=$(example software-ja.txt 'ソフトウエア製品脆弱性関連情報の届出')
w1=$(example web-en.txt 'Web Application Vulnerability Report')
w2=$(example web-ja.txt 'ウェブアプリケーション脆弱性関連情報の届出')
v1=$(vf-parse <"$top/t/forms/34-vendor-en-careful.eml")
v2=$(vf-parse <"$top/t/forms/31-vendor-ja-careful.eml")
ids=""
for p in "$s1" "$s2" "$w1" "$w2" "$v1" "$v2"; do ids="$ids $(idof "$p")"; done
out=$(vf-validate $ids 2>"$work/err")
is $? 0 "six complete reports: exit 0"
is "$(cat "$work/err")" "" "six complete reports: no warning"
n=0
for id in $ids; do
	n=$((n + 1))
	kind=$(hdr "$id" Vf-Kind)
	is "$(state "$id")" accepted "accepted: $kind report $n ($id)"
	is "$(field "$id" status.accepted)" 2026-12-03 "accepted $id: status.accepted is today (vf_now)"
	grep -q "^..........T........Z [^ ]* vf-validate: accepted: complete, in scope and new" "$(where "$id")"
	ok $? "accepted $id: a history line"
	grep -q " vf-validate $id accepted: " "$VF_ROOT/log"
	ok $? "accepted $id: a log line"
	hdr "$id" Vf-Missing | grep -q .
	is $? 1 "accepted $id: no Vf-Missing"
done
is "$(echo "$out" | wc -l)" 6 "prints one path a case moved"
echo "$out" | grep -q "^$VF_ROOT/accepted/new/$(idof "$s1")\$"
ok $? "prints the path the case has now"
grep -q 'Taro\|taro@\|John Example\|john@' "$VF_ROOT/log"
is $? 1 "the log names no reporter's detail"

# --- a second run changes nothing; a case not in received is left alone
find "$VF_ROOT" -type f ! -name log -path '*/new/*' -exec cksum {} + | sort >"$work/sum1"
out=$(vf-validate $ids 2>"$work/err")
is $? 0 "second run: exit 0"
is "$out" "" "second run: prints nothing"
find "$VF_ROOT" -type f ! -name log -path '*/new/*' -exec cksum {} + | sort >"$work/sum2"
cmp -s "$work/sum1" "$work/sum2"
ok $? "second run: no case changed"
grep -q "in accepted, not received: left alone" "$work/err"
ok $? "second run: warns that the case is not in received"

# --- each field the table requires, left out: incomplete, Vf-Missing names it
make_root missing
for kind in software web vendor; do
	for f in $(required "$kind"); do
		p=$(file "$kind" "$(echo "$f" | sed 's/\./\\./g')")
		id=$(idof "$p")
		vf-validate "$id" >/dev/null 2>&1
		is "$(state "$id")" incomplete "$kind without $f: incomplete"
		is "$(hdr "$id" Vf-Missing)" "$f" "$kind without $f: Vf-Missing: $f"
	done
done
# What the issue lists is what the table requires.
for f in reporter.name product.name product.version vuln.environment \
    vuln.reproduce vuln.threat consent.coordinator consent.vendor \
    consent.publish-name; do
	required software | grep -qx "$f"
	ok $? "the table requires $f of software reports"
done
for f in reporter.name web.url web.type web.discovery web.reason consent.operator; do
	required web | grep -qx "$f"
	ok $? "the table requires $f of web reports"
done
for f in reporter.name product.vendor product.name vuln.summary contact.encrypt; do
	required vendor | grep -qx "$f"
	ok $? "the table requires $f of vendor reports (the vendor form's required items)"
done
# An unclear yes/no answer is missing: the notice will ask.
p=$(file software 'consent\.vendor' '$a\
Reporter information to the vendor: [x] yes [x] no')
id=$(idof "$p")
field "$id" consent.vendor | grep -q 'yes'
ok $? "setup: an unclear consent is kept as written"
vf-validate "$id" >/dev/null 2>&1
is "$(hdr "$id" Vf-Missing)" consent.vendor "an unclear yes/no answer is missing"
# A reporter reached by telephone or fax instead of e-mail.
for alt in reporter.phone reporter.fax; do
	make_root "alt-$alt"
	case $alt in
	reporter.phone) line='Phone: 03-5555-0100' ;;
	reporter.fax) line='Fax: 03-5555-0101' ;;
	esac
	p=$(file software 'reporter\.email|reporter\.phone' "\$a\\
$line")
	id=$(idof "$p")
	field "$id" "$alt" | grep -q 5555
	ok $? "setup: no e-mail address, $alt given"
	vf-validate "$id" >/dev/null 2>&1
	is "$(state "$id")" accepted "no e-mail address but $alt: accepted"
done
make_root noreach
p=$(file web 'reporter\.email|reporter\.phone|reporter\.fax')
id=$(idof "$p")
vf-validate "$id" >/dev/null 2>&1
is "$(hdr "$id" Vf-Missing)" reporter.email "neither e-mail, telephone nor fax: Vf-Missing: reporter.email"
# Japanese: the product name left out of the Japanese example.
p=$(example software-ja.txt 'ソフトウエア製品脆弱性関連情報の届出' '/製品名/d')
id=$(idof "$p")
vf-validate "$id" >/dev/null 2>&1
is "$(state "$id")" incomplete "Japanese report without 製品名: incomplete"
hdr "$id" Vf-Missing | grep -q 'product\.name'
ok $? "Japanese report without 製品名: Vf-Missing names product.name"
p=$(example web-ja.txt 'ウェブアプリケーション脆弱性関連情報の届出' '/URL/d')
id=$(idof "$p")
vf-validate "$id" >/dev/null 2>&1
hdr "$id" Vf-Missing | grep -q 'web\.url'
ok $? "Japanese web report without its URL: Vf-Missing names web.url"

# --- malformed values: incomplete, Vf-Malformed names them
make_root malformed
p=$(file software reporter.email '$a\
E-mail address: taro@@example.jp')
id=$(idof "$p")
out=$(vf-validate "$id" 2>/dev/null)
is "$(state "$id")" incomplete "a malformed e-mail address: incomplete"
is "$(hdr "$id" Vf-Malformed)" reporter.email "Vf-Malformed: reporter.email"
hdr "$id" Vf-Missing | grep -q .
is $? 1 "a malformed address is not also missing"
make_root idn
p=$(file software reporter.email '$a\
E-mail address: taro@例え.jp')
id=$(idof "$p")
vf-validate "$id" >/dev/null 2>&1
is "$(state "$id")" accepted "an address with an IDN domain is well-formed"
p=$(file web web.url '$a\
URL of the web site: https:///search')
id=$(idof "$p")
vf-validate "$id" >/dev/null 2>&1
is "$(hdr "$id" Vf-Malformed)" web.url "a URL without a host: Vf-Malformed: web.url"
p=$(file web web.url '$a\
URL of the web site: shop.example.jp/search')
id=$(idof "$p")
vf-validate "$id" >/dev/null 2>&1
is "$(hdr "$id" Vf-Malformed)" web.url "a URL without a scheme: Vf-Malformed: web.url"
p=$(file web web.type '$a\
Vulnerability type: XSS (CWE-abc)')
id=$(idof "$p")
vf-validate "$id" >/dev/null 2>&1
is "$(hdr "$id" Vf-Malformed)" web.type "CWE-abc: Vf-Malformed: web.type"
# Telephone numbers: an optional '+', 7 to 15 digits with separators,
# then the end or a break; full-width digits are NFKC'd by vf-parse.
n=0
for ph in '03-5555-0100' '(03) 5555 0100' '+81 3 5555 0100' \
    '０３－５５５５－０１００' '03-5555-0100 (weekdays)' '03-5555-0100内線12' \
    '03-5555-0100 / 090-1234-5678'; do
	n=$((n + 1))
	make_root phone$n	# a tree each: the same product is no duplicate
	p=$(file software 'reporter\.email|reporter\.phone' "\$a\\
Phone: $ph")
	id=$(idof "$p")
	vf-validate "$id" >/dev/null 2>&1
	is "$(state "$id")" accepted "phone '$ph' alone reaches the reporter: accepted"
done
for ph in '03-5555-01a0' '123' '+81 3 5555 0100 0000 0000 0' 'x03-5555-0100'; do
	p=$(file software reporter.phone "\$a\\
Phone: $ph")
	id=$(idof "$p")
	vf-validate "$id" >/dev/null 2>&1
	is "$(hdr "$id" Vf-Malformed)" reporter.phone "phone '$ph': Vf-Malformed: reporter.phone"
done
p=$(file software 'reporter\.email|reporter\.phone' '$a\
Phone: なし\
Fax: N/A')
id=$(idof "$p")
vf-validate "$id" >/dev/null 2>&1
is "$(hdr "$id" Vf-Missing)" reporter.email "no e-mail and 'なし'/'N/A' for phone and fax: the reach group is missing"
hdr "$id" Vf-Malformed | grep -q phone
is $? 1 "'なし' is no answer, not a malformed number"
make_root phone-none
p=$(file software reporter.phone '$a\
Phone: なし')
id=$(idof "$p")
vf-validate "$id" >/dev/null 2>&1
is "$(state "$id")" accepted "an e-mail address and 'なし' for phone: accepted"
p=$(file web 'web\.type|web\.url' '$a\
URL of the web site: https://例え.jp/検索\
Vulnerability type: Reflected cross-site scripting')
id=$(idof "$p")
vf-validate "$id" >/dev/null 2>&1
is "$(state "$id")" accepted "an IDN URL and a type named in words: accepted"
# Dates: no report field of the shipped table is a date, so a table
# where vendor.pubdate is one.
mkdir "$work/share"
cp -R "$VF_SHARE"/* "$work/share/"
sed -i 's/^\(vendor\.pubdate:[^:]*:[^:]*:[^:]*:\)line:/\1date:/' "$work/share/fields"
for d in 2026-02-30 2026/12/20 2026-12-20; do
	dn=$((${dn:-0} + 1)); make_root "date-$dn"
	p=$(VF_SHARE=$work/share file vendor '^' "\$a\\
Preferred publication date: $d")
	id=$(idof "$p")
	VF_SHARE=$work/share vf-validate "$id" >/dev/null 2>&1
	case $d in
	2026-12-20) is "$(state "$id")" accepted "date $d: well-formed" ;;
	*) is "$(hdr "$id" Vf-Malformed)" vendor.pubdate "date $d: Vf-Malformed: vendor.pubdate" ;;
	esac
done

# --- scope: a web site not under .jp is referred; scope-domain takes it in
make_root scope
p=$(file web web.url '$a\
URL of the web site: https://shop.example.com/search')
id=$(idof "$p")
vf-validate "$id" >/dev/null 2>&1
is "$(state "$id")" referred "a site under .com: referred"
grep -q "vf-validate: referred: out of scope: shop.example.com" "$(where "$id")"
ok $? "referred: the history says why"
echo 'scope-domain example.com' >>"$VF_ROOT/config"
echo 'scope-domain example.org' >>"$VF_ROOT/config"
p=$(file web web.url '$a\
URL of the web site: https://shop.example.com/cart')
id=$(idof "$p")
vf-validate "$id" >/dev/null 2>&1
is "$(state "$id")" accepted "scope-domain example.com: a site under it is in scope"
p=$(file web web.url '$a\
URL of the web site: https://www.badexample.com/')
id=$(idof "$p")
vf-validate "$id" >/dev/null 2>&1
is "$(state "$id")" referred "scope-domain example.com does not take in badexample.com"
echo 'scope-domain not a domain/' >>"$VF_ROOT/config"
vf-validate "$id" >/dev/null 2>"$work/err"
is $? 78 "a malformed scope-domain: exit 78"

# --- the kind unknown: undecided
make_root unknown
p=$(example followup-ja.txt 'ご連絡')
id=$(idof "$p")
is "$(hdr "$id" Vf-Kind)" unknown "setup: the kind is unknown"
vf-validate "$id" >/dev/null 2>&1
is "$(state "$id")" undecided "kind unknown: undecided"
# Doubtful: no title or subject names the kind, and the report holds both
# a site's URL and a product's name (a flaw in a CMS, seen on one site):
# who must act is the staff's decision, not the parser's guess.
printf '%s\n' 'URL of the web site: https://shop.example.jp/' \
    'Product name: ExampleCMS' 'Version: 3.1' 'Name: Taro Yamada' \
    'E-mail address: taro@example.jp' >"$work/form"
id=$(idof "$(mail taro@example.jp 'A question' "$work/form" | vf-parse)")
is "$(hdr "$id" Vf-Kind)" unknown "a URL and a product, no kind named: the kind stays unknown"
vf-validate "$id" >/dev/null 2>&1
is "$(state "$id")" undecided "the doubtful kind: undecided"
printf '%s\n' 'URL of the web site: https://shop.example.jp/' \
    'Name: Taro Yamada' 'E-mail address: taro@example.jp' >"$work/form"
id=$(idof "$(mail taro@example.jp 'A question' "$work/form" | vf-parse)")
is "$(hdr "$id" Vf-Kind)" web "a URL alone, no kind named: web, as before"

# --- duplicates of cases
make_root dupcase
a=$(idof "$(file web)")
b=$(idof "$(file web '' 's|https://shop.example.jp/search|HTTPS://Shop.Example.JP:443/a/../search#x|')")
c=$(idof "$(file web web.type '$a\
Vulnerability type: SQL injection (CWE-89)')")
out=$(vf-validate "$b" "$a" "$c" 2>/dev/null)
is "$(state "$a")" accepted "the first report of a URL: accepted"
is "$(state "$b")" duplicate "the same URL spelled otherwise, later: duplicate (validated first)"
is "$(hdr "$b" Vf-Duplicate)" "case $a (same URL and type, CWE-79)" "Vf-Duplicate names the case and why"
is "$(field "$b" status.duplicate-of)" "VF#$a" "status.duplicate-of names the case"
is "$(state "$c")" accepted "the same URL, another CWE: not a duplicate"
d=$(idof "$(file software)")
e=$(idof "$(file software '' 's/^Version: .*/Version: 2.0 to 2.5/; s/^Product name: .*/Product name: Ｅｘａｍｐｌｅ　Ｗｉｋｉ/')")
f=$(idof "$(file software '' 's/^Version: .*/Version: 3.0/')")
vf-validate "$d" "$e" "$f" >/dev/null 2>&1
is "$(state "$d")" accepted "software: the first: accepted"
is "$(state "$e")" duplicate "software: full-width name, versions overlapping: duplicate"
is "$(hdr "$e" Vf-Duplicate)" "case $d (same product, overlapping versions, same CWE-79)" "software: Vf-Duplicate says why"
is "$(state "$f")" accepted "software: versions not overlapping: accepted"
g=$(idof "$(file software '' 's/^Version: .*/Version: 2.4.1/')")
mv "$(where "$d")" "$VF_ROOT/rejected/new/" 2>/dev/null ||
    { mkdir -p "$VF_ROOT/rejected/new" "$VF_ROOT/rejected/cur" "$VF_ROOT/rejected/tmp"; mv "$(where "$d")" "$VF_ROOT/rejected/new/"; }
vf-validate "$g" >/dev/null 2>&1
is "$(state "$g")" accepted \
    "the same product again: the original rejected, the other a duplicate: no original left, accepted"

# --- duplicates of the known list
make_root dupknown
mkdir "$VF_ROOT/known"
printf '# test list\n\nCVE-2026-0001\tＥｘａｍｐｌｅ　Ｗｉｋｉ\t-\t>=2.0 <2.4.2\tCWE-79\t-\n' >"$VF_ROOT/known/nvd"
printf 'JVNDB-2026-000123\t-\t-\t-\t-\thttps://shop.example.jp/search\n' >"$VF_ROOT/known/jvn"
printf 'CVE-2026-9999\tExampleWiki\t-\t*\tCWE-79\t-\n' >"$VF_ROOT/known/.nvd"
k1=$(idof "$(file software)")
vf-validate "$k1" >/dev/null 2>&1
is "$(state "$k1")" duplicate "a product on the list, 2.4.1 in >=2.0 <2.4.2: duplicate"
is "$(hdr "$k1" Vf-Duplicate)" "known CVE-2026-0001 known/nvd:3 (same product, overlapping versions, same CWE-79)" \
    "Vf-Duplicate: known ID FILE:LINE (why), full-width list name against ASCII"
is "$(field "$k1" status.duplicate-of)" CVE-2026-0001 "status.duplicate-of names the entry"
k2=$(idof "$(file software '' 's/^Version: .*/Version: 2.4.2/')")
vf-validate "$k2" >/dev/null 2>&1
is "$(state "$k2")" accepted "2.4.2 is not in >=2.0 <2.4.2 (and .nvd, a file being written, is not read): accepted"
k3=$(idof "$(file web)")
vf-validate "$k3" >/dev/null 2>&1
is "$(hdr "$k3" Vf-Duplicate)" "known JVNDB-2026-000123 known/jvn:1 (same URL, no CWE to compare)" "a URL on the list: duplicate"
# A Japanese report: its name spaced and in half-width kana, its versions
# in words ("3.2.1 およびそれ以前"), against a list line as JVN names it.
printf 'JVNDB-2026-000777\tはやぶさ メーラー\t-\t>=3.0 <3.1\t-\t-\n' >"$VF_ROOT/known/jvn-ja"
k4=$(idof "$(example software-ja.txt 'ソフトウエア製品脆弱性関連情報の届出')")
vf-validate "$k4" >/dev/null 2>&1
is "$(hdr "$k4" Vf-Duplicate)" "known JVNDB-2026-000777 known/jvn-ja:1 (same product, overlapping versions, no CWE to compare)" \
    "Japanese: はやぶさメーラー 3.2.1 およびそれ以前 meets はやぶさ メーラー >=3.0 <3.1"
rm "$VF_ROOT/known/jvn-ja"
printf 'JVNDB-2026-000778\tはやぶさ メーラー\t-\t>=3.2.2\t-\t-\n' >"$VF_ROOT/known/jvn-ja"
k5=$(idof "$(example software-ja.txt 'ソフトウエア製品脆弱性関連情報の届出')")
vf-validate "$k5" >/dev/null 2>&1
is "$(state "$k5")" accepted "Japanese: 3.2.1 およびそれ以前 does not meet >=3.2.2 (and the earlier case, a duplicate, is no original)"

# --- -n: each verdict printed, nothing moved or changed
make_root dryrun
n1=$(idof "$(file software)")
n2=$(idof "$(file software vuln.threat)")
find "$VF_ROOT" -type f -exec cksum {} + | sort >"$work/sum1"
out=$(vf-validate -n "$n1" "$n2" 2>/dev/null)
is $? 0 "-n: exit 0"
echo "$out" | grep -q "received/new/$n1	accepted	complete, in scope and new"
ok $? "-n: prints the verdict accepted"
echo "$out" | grep -q "received/new/$n2	incomplete	missing: vuln.threat"
ok $? "-n: prints the verdict incomplete and what is missing"
find "$VF_ROOT" -type f -exec cksum {} + | sort >"$work/sum2"
cmp -s "$work/sum1" "$work/sum2"
ok $? "-n: no file changed, moved or made (log included)"
# stdin: one id a line.
out=$(printf '%s\n' "$n1" "$n2" | vf-validate 2>/dev/null)
is "$(echo "$out" | wc -l)" 2 "ids on stdin, one a line"

# --- a bad list: 78, file:line, nothing done
mkdir "$VF_ROOT/known"
n3=$(idof "$(file web)")
printf 'CVE-2026-1\tFoo\t-\t*\tCWE-79\t-\nCVE-2026-2\tBar\t-\t*\tXSS\t-\n' >"$VF_ROOT/known/bad"
vf-validate "$n3" >"$work/out" 2>"$work/err"
is $? 78 "a bad CWE column: exit 78"
grep -q 'known/bad:2: not a CWE identifier' "$work/err"
ok $? "a bad list: file:line: reason"
is "$(state "$n3")" received "a bad list: the case is left in received"
printf 'CVE-2026-1\tFoo\t-\t*\n' >"$VF_ROOT/known/bad"
vf-validate "$n3" >/dev/null 2>"$work/err"
is $? 78 "too few columns: exit 78"
grep -q 'known/bad:1: fewer than 6' "$work/err"
ok $? "too few columns: says so"
printf 'CVE-2026-1\tFoo\t-\t*\t-\tnot a url\n' >"$VF_ROOT/known/bad"
vf-validate "$n3" >/dev/null 2>&1
is $? 78 "a bad URL column: exit 78"

# --- what the converters make of the real feeds is a list vf-validate reads
corpora=$top/../shared/corpora
if [ -d "$corpora/nvd-cve-json" ] && [ -d "$corpora/osv-schema" ] &&
    command -v jq >/dev/null && [ -x "$top/bin/vf-feed-nvd" ]; then
	make_root feeds
	mkdir "$VF_ROOT/known"
	for f in $(find "$corpora/nvd-cve-json" -name '*.json' -o -name '*.json.gz' |
	    grep -v '/ref/\|cpematch-\|cvehistory-\|sources-' | sort); do
		case $f in
		*.gz) gzip -dc "$f" >"$work/feed.json"; u=$work/feed.json ;;
		*) u=$f ;;
		esac
		vf-feed-nvd "$u" >>"$VF_ROOT/known/nvd" 2>/dev/null
	done
	for f in $(find "$corpora/osv-schema/tools" -name '*.json' | sort); do
		case $f in */ghsa/testdata/*.osv.json) ;; */ghsa/testdata/*|*/CSAF/*) continue ;; esac
		vf-feed-osv "$f" >>"$VF_ROOT/known/osv" 2>/dev/null
	done
	n=$(cat "$VF_ROOT"/known/* | grep -vc '^#')
	test "$n" -ge 500
	ok $? "setup: the converters made $n entries from the real NVD and OSV samples"
	id=$(idof "$(file software)")
	vf-validate "$id" >/dev/null 2>"$work/err"
	is $? 0 "vf-validate reads every line the converters made of the real feeds"
	is "$(state "$id")" accepted "and a report of none of them is accepted"
else
	skip "no ../shared/corpora NVD and OSV samples, jq or vf-feed-nvd"
	skip "no ../shared/corpora NVD and OSV samples, jq or vf-feed-nvd"
	skip "no ../shared/corpora NVD and OSV samples, jq or vf-feed-nvd"
fi

done_testing
