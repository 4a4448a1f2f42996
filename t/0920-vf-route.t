#!/bin/sh
# vf-route: software and vendor cases to the coordinator of the
# configuration, web cases to the site's operator by the contact list and
# the office's security.txt copies (host, then parents up to the
# registrable domain, never past it), no contact -> unreachable; the route
# recorded on the case as vf-notify reads it; -n and a second run change
# nothing; malformed contact lists stop with file:line and 78.
. "$(dirname "$0")/lib.sh"
. "$top/t/notice.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys coord shop site stranger || skip_all "cannot make gpg keys"
make_root
cat >>"$VF_ROOT/config" <<CFG
coordinator-name Example Coordination Center
coordinator-key $FPR_coord
CFG
export VF_NOW=2026-12-01T00:00:00Z

# The cases are filed by the real vf-parse and accepted by the staff's
# vf-decide (vf-validate's verdict on them is t/0900-vf-validate.t's; some
# of these forms are deliberately thin). It prints the new path.
accept() { VF_STAFF=route-test vf-decide accept "$1"; }
# webcase URL: a web report about URL, filed and accepted; its path.
webcase() {
	form web
	sed "s|^URL of the web site: .*|URL of the web site: $1|" "$work/form" >"$work/form2"
	p=$(mail hanako@example.jp "$subj" "$work/form2" | vf-parse) || return 1
	accept "$p"
}
# example KIND-LANG: a report from share/examples, filed and accepted.
example() {
	p=$(mail reporter@example.jp "$2" "$top/share/examples/$1.txt" | vf-parse) || return 1
	accept "$p"
}
id_of() { basename "$1" | sed 's/:.*//'; }
where() { vf-ls | grep "/$1\(:.*\)\?$"; }
state_of() { where "$1" | awk -F/ '{ print $(NF-2) }'; }
hdr() { sed -n "/^\$/q; s/^$2: //p" "$(where "$1")"; }
tree_sum() { find "$VF_ROOT" -path "$VF_ROOT/log" -prune -o -type f -print | sort | xargs sha256sum | sha256sum; }

# The contact list the office keeps (tabs between the columns).
T=$(printf '\t')
cat >"$VF_ROOT/contacts" <<EOF
# operators the office checked
www.example.jp${T}webmaster@example.jp${T}-${T}en${T}Example WWW
example.co.jp${T}security@example.co.jp${T}$FPR_shop${T}ja${T}株式会社エグザンプル

xn--xckya1d0c.xn--r8jz45g.jp${T}info@xn--xckya1d0c.xn--r8jz45g.jp${T}-${T}ja
both.example.jp${T}office-checked@both.example.jp${T}-${T}-${T}Both Inc
EOF
chmod 600 "$VF_ROOT/contacts"
mkdir -m 700 "$VF_ROOT/security.txt"
sectxt() { cat >"$VF_ROOT/security.txt/$1"; chmod 600 "$VF_ROOT/security.txt/$1"; }

# --- software -> the coordinator of the configuration
sw=$(example software-en 'Software Vulnerability Report')
swid=$(id_of "$sw")
is "$(state_of "$swid")" accepted "setup: a software case in accepted"
out=$(vf-route "$swid" 2>"$work/err")
is $? 0 "software: exit 0"
is "$out" "$(where "$swid")" "software: prints the path it moved"
is "$(state_of "$swid")" routed "software: moved to routed"
is "$(hdr "$swid" Vf-Route)" coordinator "software: Vf-Route coordinator"
is "$(hdr "$swid" Vf-Route-Address)" coordinator@example.jp "software: Vf-Route-Address from coordinator-address"
is "$(hdr "$swid" Vf-Route-Key)" "$FPR_coord" "software: Vf-Route-Key from coordinator-key"
is "$(hdr "$swid" Vf-Route-Name)" "Example Coordination Center" "software: Vf-Route-Name from coordinator-name"
is "$(hdr "$swid" Vf-Route-Source)" config "software: Vf-Route-Source config"
grep -q "vf-route: route coordinator, key $FPR_coord, source config: to routed" "$(where "$swid")"
ok $? "software: history names role, key and source"
grep -q " vf-route $swid routed to coordinator, key $FPR_coord, source config" "$VF_ROOT/log"
ok $? "software: logged"
if grep 'vf-route' "$(where "$swid")" "$VF_ROOT/log" | grep -q 'coordinator@example.jp\|Coordination Center'; then
	ok 1 "software: history and log name no address or name"
else ok 0 "software: history and log name no address or name"; fi

# --- a vendor's own report -> the coordinator too
vd=$(vf-parse <"$top/t/forms/31-vendor-ja-careful.eml") && vd=$(accept "$vd")
vdid=$(id_of "$vd")
grep -q '^Vf-Kind: vendor' "$vd"
ok $? "setup: a vendor report (Japanese) in accepted"
vf-route "$vdid" >/dev/null 2>"$work/err"
is "$(state_of "$vdid"):$(hdr "$vdid" Vf-Route):$(hdr "$vdid" Vf-Route-Key)" "routed:coordinator:$FPR_coord" \
    "vendor: routed to the coordinator with its key"

# --- the coordinator's configuration is needed: 78 naming the key
sw2=$(example software-ja 'ソフトウエア製品の脆弱性関連情報の届出')
sw2id=$(id_of "$sw2")
sed -i '/^coordinator-key /d' "$VF_ROOT/config"
vf-route "$sw2id" >/dev/null 2>"$work/err"
is $? 78 "no coordinator-key: exit 78"
grep -q 'no coordinator-key' "$work/err"
ok $? "no coordinator-key: the message names the key"
is "$(state_of "$sw2id")" accepted "no coordinator-key: the case is left in accepted"
echo "coordinator-key $FPR_coord" >>"$VF_ROOT/config"

# --- web, exact host
w1=$(example web-en 'Web Application Vulnerability Report')
w1id=$(id_of "$w1")
out=$(vf-route "$w1id" 2>"$work/err")
is $? 0 "exact host: exit 0"
is "$(state_of "$w1id")" routed "exact host: routed"
is "$(hdr "$w1id" Vf-Route)" operator "exact host: Vf-Route operator"
is "$(hdr "$w1id" Vf-Route-Address)" webmaster@example.jp "exact host: the entry's address"
is "$(hdr "$w1id" Vf-Route-Source)" "contacts:2 www.example.jp" "exact host: Vf-Route-Source contacts:LINE HOST"
is "$(hdr "$w1id" Vf-Route-Lang)" en "exact host: Vf-Route-Lang from the entry"
is "$(hdr "$w1id" Vf-Route-Name)" "Example WWW" "exact host: Vf-Route-Name from the entry"
is "$(hdr "$w1id" Vf-Route-Key)" "" "exact host: no key in the entry: no Vf-Route-Key"
grep -q "vf-route: route operator, key none, source contacts:2 www.example.jp: to routed" "$(where "$w1id")"
ok $? "exact host: history names role, key and source"

# --- parent domain, up to the registrable domain
w2=$(webcase 'https://A.B.Example.CO.JP/shop?q=1')
w2id=$(id_of "$w2")
vf-route "$w2id" >/dev/null 2>"$work/err"
is "$(hdr "$w2id" Vf-Route-Source)" "contacts:3 example.co.jp" "parent: a.b.example.co.jp finds example.co.jp"
is "$(hdr "$w2id" Vf-Route-Key)" "$FPR_shop" "parent: the entry's key"
is "$(hdr "$w2id" Vf-Route-Lang)" ja "parent: the entry's language"
sed '/^$/q' "$(where "$w2id")" | LC_ALL=C grep -q '[^ -~	]'
is $? 1 "parent: the case's headers stay ASCII (the name in RFC 2047 words)"
hdr "$w2id" Vf-Route-Name | grep -q '^=?UTF-8?'
ok $? "parent: Vf-Route-Name encoded"

# --- never past the registrable domain: a file for co.jp is not used
printf 'Contact: mailto:registry@co.jp\nExpires: 2099-01-01T00:00:00Z\n' | sectxt co.jp
w3=$(webcase 'https://shop.other.co.jp/')
w3id=$(id_of "$w3")
out=$(vf-route "$w3id" 2>"$work/err")
is $? 0 "past the registrable domain: exit 0"
is "$(state_of "$w3id")" unreachable "past the registrable domain: co.jp's security.txt not used: unreachable"
grep -q 'no contact for shop.other.co.jp (contacts, security.txt; shop.other.co.jp up to other.co.jp)' "$(where "$w3id")"
ok $? "past the registrable domain: history says where it looked"

# --- a public suffix in the contact list is an error
cp "$VF_ROOT/contacts" "$work/contacts.good"
printf 'co.jp\tjprs@co.jp\t-\t-\n' >>"$VF_ROOT/contacts"
vf-route -n "$w1id" >/dev/null 2>"$work/err"
is $? 78 "public suffix entry: exit 78"
grep -q "contacts:7: co.jp: a public suffix" "$work/err"
ok $? "public suffix entry: contacts:LINE: reason"
cp "$work/contacts.good" "$VF_ROOT/contacts"

# --- IDN host: U-labels, full-width, in the URL; A-labels in the list
w4=$(webcase 'https://ショップ.例え.ＪＰ/カート')
w4id=$(id_of "$w4")
vf-route "$w4id" >/dev/null 2>"$work/err"
is "$(hdr "$w4id" Vf-Route-Source)" "contacts:5 xn--xckya1d0c.xn--r8jz45g.jp" "IDN: the host in A-labels finds the entry"
is "$(hdr "$w4id" Vf-Route-Address)" info@xn--xckya1d0c.xn--r8jz45g.jp "IDN: the entry's address"

# --- no contact -> unreachable
w5=$(webcase 'https://nobody.example.net/login')
w5id=$(id_of "$w5")
out=$(vf-route "$w5id" 2>"$work/err")
is $? 0 "no contact: exit 0"
is "$out" "$(where "$w5id")" "no contact: prints the path"
is "$(state_of "$w5id")" unreachable "no contact: unreachable"
grep -q 'vf-route: no contact for nobody.example.net' "$(where "$w5id")"
ok $? "no contact: history says no contact for HOST"
is "$(hdr "$w5id" Vf-Route)" "" "no contact: no Vf-Route"
grep -q " vf-route $w5id unreachable: no contact for nobody.example.net" "$VF_ROOT/log"
ok $? "no contact: logged"

# --- security.txt: valid, with a key the keyring has, languages
sectxt sec.example.jp <<EOF
# RFC 9116
cOnTaCt: https://sec.example.jp/report
Contact: mailto:security@sec.example.jp
Expires: 2027-06-30T00:00:00+09:00
Encryption: https://sec.example.jp/key.asc
Encryption: openpgp4fpr:$(echo "$FPR_site" | tr A-F a-f)
Preferred-Languages: fr, en-GB, ja
Policy: https://sec.example.jp/policy
EOF
w6=$(webcase 'https://www.sec.example.jp/')
w6id=$(id_of "$w6")
vf-route "$w6id" >/dev/null 2>"$work/err"
is "$(state_of "$w6id")" routed "security.txt: routed"
is "$(hdr "$w6id" Vf-Route-Address)" security@sec.example.jp "security.txt: the mailto: Contact"
is "$(hdr "$w6id" Vf-Route-Source)" "security.txt sec.example.jp" "security.txt: Vf-Route-Source security.txt HOST (found at the parent)"
is "$(hdr "$w6id" Vf-Route-Key)" "$FPR_site" "security.txt: the openpgp4fpr: key the office keyring has"
is "$(hdr "$w6id" Vf-Route-Lang)" en "security.txt: the first of ja/en in Preferred-Languages"
is "$(hdr "$w6id" Vf-Route-Warning)" "" "security.txt: a current file: no warning"
grep -q 'web contacts (not mailed): https://sec.example.jp/report' "$(where "$w6id")"
ok $? "security.txt: the https Contact recorded in the history, not mailed"

# --- a Japanese web report (IPA's layout) by the site's security.txt
sectxt shop.example.jp <<EOF
Contact: mailto:psirt@shop.example.jp
Expires: 2027-06-30T00:00:00Z
Preferred-Languages: ja
EOF
wj=$(example web-ja 'ウェブアプリケーション脆弱性関連情報の届出')
wjid=$(id_of "$wj")
vf-route "$wjid" >/dev/null 2>"$work/err"
is "$(hdr "$wjid" Vf-Route-Address):$(hdr "$wjid" Vf-Route-Lang):$(hdr "$wjid" Vf-Route-Source)" \
    "psirt@shop.example.jp:ja:security.txt shop.example.jp" "Japanese web report: the host's security.txt, in Japanese"

# --- a web case whose URL names no host: 65, left alone
wb=$(webcase 'not a url')
wbid=$(id_of "$wb")
vf-route "$wbid" >/dev/null 2>"$work/err"
is $? 65 "no host in web.url: exit 65"
is "$(state_of "$wbid")" accepted "no host in web.url: left in accepted"

# --- a signed-message armor without its signature: held
printf -- '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nContact: mailto:a@cut.example.jp\nExpires: 2027-01-01T00:00:00Z\n' |
    sectxt cut.example.jp
wc_=$(webcase 'https://cut.example.jp/')
wcid=$(id_of "$wc_")
vf-route "$wcid" >/dev/null 2>"$work/err"
is "$(state_of "$wcid")" accepted "armor without signature: left in accepted"
hdr "$wcid" Vf-Route-Warning | grep -q 'signed-message armor without its signature: not used'
ok $? "armor without signature: Vf-Route-Warning says so"

# --- a key named that the keyring lacks: staff must fetch it
sectxt nokey.example.jp <<EOF
Contact: mailto:security@nokey.example.jp
Expires: 2027-06-30T00:00:00Z
Encryption: openpgp4fpr:0123456789ABCDEF0123456789ABCDEF01234567
EOF
w7=$(webcase 'https://nokey.example.jp/')
w7id=$(id_of "$w7")
vf-route "$w7id" >/dev/null 2>"$work/err"
is "$(hdr "$w7id" Vf-Route-Key)" "" "unknown key: no Vf-Route-Key (vf never fetches one)"
hdr "$w7id" Vf-Route-Warning | grep -q 'key 0123456789ABCDEF0123456789ABCDEF01234567 is not in the office keyring'
ok $? "unknown key: the warning says staff must fetch it"

# --- expired: used, with a warning
sectxt old.example.jp <<EOF
Contact: mailto:security@old.example.jp
Expires: 2025-01-01T00:00:00Z
EOF
w8=$(webcase 'https://old.example.jp/')
w8id=$(id_of "$w8")
vf-route "$w8id" >/dev/null 2>"$work/err"
is "$(state_of "$w8id")" routed "expired security.txt: routed all the same"
hdr "$w8id" Vf-Route-Warning | grep -q 'security.txt old.example.jp expired 2025-01-01T00:00:00Z'
ok $? "expired security.txt: Vf-Route-Warning says so"
grep -q 'warning: security.txt old.example.jp expired' "$(where "$w8id")"
ok $? "expired security.txt: the history says so"

# --- contacts entry and security.txt for one host: the entry wins
printf 'Contact: mailto:sectxt@both.example.jp\nExpires: 2027-01-01T00:00:00Z\n' | sectxt both.example.jp
w9=$(webcase 'https://both.example.jp/')
w9id=$(id_of "$w9")
vf-route "$w9id" >/dev/null 2>"$work/err"
is "$(hdr "$w9id" Vf-Route-Address)" office-checked@both.example.jp "both: the contacts entry wins over security.txt"

# --- most specific first: a host's security.txt before its parent's entry
printf 'Contact: mailto:psirt@deep.example.co.jp\nExpires: 2027-01-01T00:00:00Z\n' | sectxt deep.example.co.jp
w18=$(webcase 'https://deep.example.co.jp/')
w18id=$(id_of "$w18")
vf-route "$w18id" >/dev/null 2>"$work/err"
is "$(hdr "$w18id" Vf-Route-Source)" "security.txt deep.example.co.jp" \
    "most specific: the host's security.txt before the contacts entry of example.co.jp"

# --- signed with a key the office has: good signature recorded
signed() {
	gpg --batch --no-tty --quiet --local-user "<$1@example.jp>" --clearsign
}
printf 'Contact: mailto:security@signed.example.jp\nExpires: 2027-01-01T00:00:00Z\nCanonical: https://signed.example.jp/.well-known/security.txt\n' |
    signed site | sectxt signed.example.jp
w10=$(webcase 'https://signed.example.jp/')
w10id=$(id_of "$w10")
vf-route "$w10id" >/dev/null 2>"$work/err"
is "$(hdr "$w10id" Vf-Route-Source)" "security.txt signed.example.jp, good signature by $FPR_site" \
    "signed, good: Vf-Route-Source records the verdict and the key"
is "$(hdr "$w10id" Vf-Route-Address)" security@signed.example.jp "signed, good: the signed Contact"
is "$(hdr "$w10id" Vf-Route-Warning)" "" "signed, good, Canonical names the host: no warning"

# --- Canonical naming another host: used, with a warning
printf 'Contact: mailto:security@moved.example.jp\nExpires: 2027-01-01T00:00:00Z\nCanonical: https://elsewhere.example.com/.well-known/security.txt\n' |
    sectxt moved.example.jp
w16=$(webcase 'https://moved.example.jp/')
w16id=$(id_of "$w16")
vf-route "$w16id" >/dev/null 2>"$work/err"
hdr "$w16id" Vf-Route-Warning | grep -q 'security.txt moved.example.jp: its Canonical names another place (https://elsewhere.example.com/.well-known/security.txt)'
ok $? "Canonical elsewhere: Vf-Route-Warning says so"

# --- signed, with unsigned text around it: only the signed text is read
{
	printf 'Contact: mailto:before@around.example.jp\n'
	printf 'Contact: mailto:security@around.example.jp\nExpires: 2027-01-01T00:00:00Z\n' | signed site
	printf 'Contact: mailto:after@around.example.jp\n'
} | sectxt around.example.jp
w17=$(webcase 'https://around.example.jp/')
w17id=$(id_of "$w17")
vf-route "$w17id" >/dev/null 2>"$work/err"
is "$(hdr "$w17id" Vf-Route-Address)" security@around.example.jp "text around a signature: the signed Contact, not the one before it"
hdr "$w17id" Vf-Route-Warning | grep -q 'security.txt around.example.jp: text outside the signed part ignored'
ok $? "text around a signature: Vf-Route-Warning says it was ignored"

# --- signed, body changed afterwards: bad signature, not used, held
printf 'Contact: mailto:security@tamper.example.jp\nExpires: 2027-01-01T00:00:00Z\n' |
    signed site | sed 's/security@tamper/attacker@tamper/' | sectxt tamper.example.jp
w11=$(webcase 'https://tamper.example.jp/')
w11id=$(id_of "$w11")
out=$(vf-route "$w11id" 2>"$work/err")
is "$out" "" "bad signature: nothing moved"
is "$(state_of "$w11id")" accepted "bad signature: left in accepted for staff"
hdr "$w11id" Vf-Route-Warning | grep -q 'security.txt tamper.example.jp: bad signature'
ok $? "bad signature: Vf-Route-Warning says so"
is "$(hdr "$w11id" Vf-Route-Address)" "" "bad signature: its Contact is not used"
grep -q 'bad signature' "$work/err"
ok $? "bad signature: said on stderr"

# --- signed by a key the office keyring lacks: used, with a warning
printf 'Contact: mailto:security@stranger.example.jp\nExpires: 2027-01-01T00:00:00Z\n' |
    signed stranger | sectxt stranger.example.jp
keyid=$(echo "$FPR_stranger" | cut -c25-40)
gpg --batch --yes --quiet --delete-secret-and-public-key "$FPR_stranger" 2>/dev/null
w12=$(webcase 'https://stranger.example.jp/')
w12id=$(id_of "$w12")
vf-route "$w12id" >/dev/null 2>"$work/err"
is "$(state_of "$w12id")" routed "unknown signer: routed"
hdr "$w12id" Vf-Route-Warning | grep -q "signed by key $keyid, which the office keyring lacks"
ok $? "unknown signer: Vf-Route-Warning names the key"

# --- https-only contact: recorded, not mailed; held for staff
printf 'Contact: https://webonly.example.jp/form\nExpires: 2027-01-01T00:00:00Z\n' | sectxt webonly.example.jp
w13=$(webcase 'https://webonly.example.jp/')
w13id=$(id_of "$w13")
vf-route "$w13id" >/dev/null 2>"$work/err"
is "$(state_of "$w13id")" accepted "https-only: left in accepted"
hdr "$w13id" Vf-Route-Warning | grep -q 'names no mail Contact; on the web: https://webonly.example.jp/form'
ok $? "https-only: Vf-Route-Warning gives the web contact"
b=$(sha256sum <"$(where "$w13id")")
vf-route "$w13id" >/dev/null 2>&1
is "$(sha256sum <"$(where "$w13id")")" "$b" "https-only: a second run changes nothing"

# --- -n shows the route and changes nothing
w14=$(webcase 'https://shop.example.co.jp/')
w14id=$(id_of "$w14")
before=$(tree_sum)
out=$(vf-route -n "$w14id" 2>"$work/err")
is $? 0 "-n: exit 0"
is "$out" "$w14id	routed	operator	security@example.co.jp	$FPR_shop	ja	contacts:3 example.co.jp" "-n: shows the route"
is "$(tree_sum)" "$before" "-n: the tree is unchanged"
out=$(vf-route -n "$w5id" "$sw2id" 2>/dev/null)
echo "$out" | grep -q "^$sw2id	routed	coordinator	coordinator@example.jp	$FPR_coord	-	config$"
ok $? "-n: a software case's route"

# --- a case not in accepted is left alone
rc=$(mail hanako@example.jp 'Web Application Vulnerability Report' "$top/share/examples/web-en.txt" | vf-parse)
rcid=$(id_of "$rc")
b=$(sha256sum <"$rc")
vf-route "$rcid" >/dev/null 2>"$work/err"
is $? 0 "not accepted: exit 0"
is "$(state_of "$rcid")" received "not accepted: stays in received"
is "$(sha256sum <"$(where "$rcid")")" "$b" "not accepted: the file is unchanged"
grep -q "VF#$rcid: in received, not accepted: left alone" "$work/err"
ok $? "not accepted: a warning says so"

# --- a second run over everything changes nothing
vf-route "$w14id" "$sw2id" >/dev/null 2>&1
before=$(tree_sum)
vf-ls | vf-route >"$work/out" 2>"$work/err"
is "$(cat "$work/out")" "" "second run: nothing moved"
is "$(tree_sum)" "$before" "second run: the tree is unchanged"

# --- principle 6: history and log name role, key and source, no address
if vf-ls | xargs grep -h 'vf-route: ' | grep -q '@' ||
    grep ' vf-route ' "$VF_ROOT/log" | grep -q '@'; then
	ok 1 "no vf-route history or log line holds an address"
else ok 0 "no vf-route history or log line holds an address"; fi

# --- malformed contact lists: 78 with contacts:LINE: reason
bad() {
	cp "$work/contacts.good" "$VF_ROOT/contacts"
	printf '%s\n' "$1" >>"$VF_ROOT/contacts"
	vf-route -n "$w1id" >/dev/null 2>"$work/err"
	rc=$?
	is "$rc" 78 "malformed ($2): exit 78"
	grep -q "/contacts:7: $3" "$work/err"
	ok $? "malformed ($2): contacts:7: $3"
}
bad "x.example.jp${T}not-an-address${T}-${T}ja" "bad address" "not-an-address: not an addr-spec"
bad "x.example.jp${T}a@x.example.jp${T}ABCD${T}ja" "bad fingerprint" "ABCD: not a fingerprint"
bad "x.example.jp${T}a@x.example.jp${T}-${T}fr" "unknown language" "fr: unknown language"
bad "x.example.jp a@x.example.jp - ja" "spaces, not tabs" "want 4 or 5 TAB-separated columns"
bad "*.example.jp${T}a@x.example.jp${T}-${T}ja" "wildcard" "\*.example.jp: no wildcards"
bad "jp${T}a@x.jp${T}-${T}ja" "a public suffix" "jp: a public suffix"
bad "github.io${T}a@github.io${T}-${T}en" "a private public suffix" "github.io: a public suffix"
bad "WWW.Example.JP${T}b@example.jp${T}-${T}ja" "a host twice" "www.example.jp: listed already at line 2"
cp "$work/contacts.good" "$VF_ROOT/contacts"
chmod 620 "$VF_ROOT/contacts"
vf-route -n "$w1id" >/dev/null 2>"$work/err"
is $? 78 "a contact list the group may write: exit 78"
grep -q 'contacts: refusing a file' "$work/err"
ok $? "a contact list the group may write: refused, said so"
chmod 600 "$VF_ROOT/contacts"

# --- the real security.txt files of ../shared/corpora/sectxt: read as
# RFC 9116 says (odd case, CRLF and LF mixed, white-space lines)
corp=$top/../shared/corpora/sectxt/sectxtlib/resources/test
if [ -d "$corp" ]; then
	w15=$(webcase 'https://corpus.example.jp/')
	w15id=$(id_of "$w15")
	nf=0 nbad=0
	for f in "$corp"/valid_signed/*.stxt "$corp"/valid_unsigned/*.stxt "$corp"/gen_unsigned/*.stxt; do
		nf=$((nf + 1))
		cp "$f" "$VF_ROOT/security.txt/corpus.example.jp"
		line=$(vf-route -n "$w15id" 2>/dev/null)
		# Each has a Contact and an Expires the parser must find.
		case $line in
		*"no Contact"*|*"no Expires"*|*"not an RFC 3339"*|*"not a field"*|"")
			nbad=$((nbad + 1)); echo "# $f: $line" ;;
		esac
	done
	is "$nbad" 0 "corpus: every one of $nf real files read with its Contact and Expires"
	cp "$corp/valid_unsigned/rfc_unsigned.stxt" "$VF_ROOT/security.txt/corpus.example.jp"
	vf-route -n "$w15id" | grep -q "	security@example.com	-	-	security.txt corpus.example.jp$"
	ok $? "corpus: RFC 9116's example gives its mailto: Contact"
	cp "$corp/valid_signed/redhat.stxt" "$VF_ROOT/security.txt/corpus.example.jp"
	vf-route "$w15id" >/dev/null 2>&1
	is "$(hdr "$w15id" Vf-Route-Address)" secalert@redhat.com "corpus: Red Hat's signed file gives its mailto: Contact"
	hdr "$w15id" Vf-Route-Warning | grep -q "signed by key .*, which the office keyring lacks" &&
	    hdr "$w15id" Vf-Route-Warning | grep -q "expired 2025-03-15T00:00:00Z" &&
	    hdr "$w15id" Vf-Route-Warning | grep -q "the key at https://access.redhat.com/security/data/97f5eac4.txt must be fetched by staff"
	ok $? "corpus: Red Hat's file: unknown signer, expired, key to fetch, all warned"
else
	skip "../shared/corpora/sectxt absent"
	skip "../shared/corpora/sectxt absent"
	skip "../shared/corpora/sectxt absent"
	skip "../shared/corpora/sectxt absent"
fi

# --- the contract: vf-notify sends on the route vf-route recorded
out=$(vf-notify -k coordinator "$swid" 2>"$work/err")
is $? 0 "vf-notify -k coordinator on a routed case: exit 0"
m=$(newest)
grep -q '^To: .*coordinator@example.jp' "$m"
ok $? "vf-notify -k coordinator: To is Vf-Route-Address"
open_as coord "$m"
ok $? "vf-notify -k coordinator: encrypted to Vf-Route-Key"
is "$(state_of "$swid")" waiting "vf-notify -k coordinator: the case moves on to waiting"
out=$(vf-notify -k first-contact "$w2id" 2>"$work/err")
is $? 0 "vf-notify -k first-contact on a routed web case: exit 0"
m=$(newest)
grep -q '^To: .*security@example.co.jp' "$m"
ok $? "vf-notify -k first-contact: To is the operator's Vf-Route-Address"
sed -n 's/^To: \(.*\) <.*/\1/p' "$m" | grep -q '^=?UTF-8?'
ok $? "vf-notify -k first-contact: To carries Vf-Route-Name, encoded"
open_as shop "$m"
ok $? "vf-notify -k first-contact: encrypted to the entry's key"
is "$(state_of "$w2id")" contacted "vf-notify -k first-contact: the case moves on to contacted"

done_testing
