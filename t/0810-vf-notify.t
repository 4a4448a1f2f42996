#!/bin/sh
# vf-notify: one signed and encrypted notice per case into the outbox, from
# the recipient's view only; recorded before it is in the outbox; never
# twice; moves the case where the process says; fails closed on keys.
. "$(dirname "$0")/lib.sh"
. "$top/t/notice.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys taro coord shop stranger || skip_all "cannot make gpg keys"
make_root
echo "coordinator-key $FPR_coord" >>"$VF_ROOT/config"
# The routes are the staff's (vf-decide route), from these.
sed -i 's/^coordinator-address .*/coordinator-address coord@example.jp/' "$VF_ROOT/config"
echo "coordinator-name Example Coordination Center" >>"$VF_ROOT/config"
VF_STAFF=notify-test
export VF_STAFF

# --- ack to a reporter who signed the report: encrypted to that key
p=$(signed_report software taro)
id=$(basename "$p")
grep -q "^Vf-Signature: good $FPR_taro" "$p"
ok $? "setup: the report is signed by the reporter's key"
out=$(vf-notify -k ack "$id" 2>"$work/err")
is $? 0 "ack: exit 0"
m=$(newest)
is "$out" "$m" "ack: prints the outbox path"
case $m in "$VF_ROOT/outbox/new/vf.$id."*) ok 0 "ack: in outbox/new, named by its Message-ID" ;;
*) ok 1 "ack: in outbox/new, named by its Message-ID" ;; esac
open_as taro "$m"
ok $? "ack: the reporter decrypts it with their own key"
signed_by_office
ok $? "ack: signed by the office key"
grep -q "受付番号\|Case number:   $id" "$work/text"
ok $? "ack: names the case"
grep -q '^To: taro@example.jp$' "$m"
ok $? "ack: To is the reporter's address"
grep -q "^Subject: \[VF#$id\] " "$m"
ok $? "ack: Subject carries [VF#ID]"
mid=$(sed -n 's/^Message-ID: //p' "$m")
case $mid in "<vf.$id."????????????????????????????????"@example.jp>") ok 0 "ack: Message-ID random, 32 hex digits" ;;
*) ok 1 "ack: Message-ID random, 32 hex digits ($mid)" ;; esac
h=$(printf '%s' "$mid" | tr -d '<>' | sha256sum | cut -c1-64)
is "$(cat "$VF_ROOT/.sent/$h" 2>/dev/null)" "$id reporter ack" \
    "ack: .sent records the Message-ID, case, role and kind"
c=$(vf-ls | grep "/$id$")
grep -q "^Vf-Notice: ack reporter $mid 20..-..-..T..:..:..Z$" "$c"
ok $? "ack: Vf-Notice on the case"
grep -q "^Vf-Reporter-Key: $FPR_taro$" "$c"
ok $? "ack: the reporter's key recorded as Vf-Reporter-Key"
grep -q "vf-notify: ack notice to reporter $mid, encrypted to $FPR_taro (the report's signer)" "$c"
ok $? "ack: the history says what was sent, to whom, how"
grep -q " vf-notify $id ack notice to reporter encrypted to the reporter's key$" "$VF_ROOT/log"
ok $? "ack: logged"
if grep -q 'taro@example.jp\|Taro Yamada' "$VF_ROOT/log" "$work/history" 2>/dev/null; then
	ok 1 "the log names no reporter's detail"
else ok 0 "the log names no reporter's detail"; fi
for hdr in Date From To Subject Message-ID Vf-Id Vf-Notice; do
	sed '/^$/q' "$m" | grep -q "^$hdr: "
	ok $? "ack: header $hdr"
done
grep -q '^Content-Type: multipart/encrypted; protocol="application/pgp-encrypted";$' "$m"
ok $? "ack: PGP/MIME, multipart/encrypted (RFC 3156)"
LC_ALL=C grep -q '[^ -~]' "$m"
is $? 1 "ack: the whole mail is ASCII"

# --- asking again does nothing; -f does, and says so
before=$(ls "$VF_ROOT/outbox/new" | wc -l)
cp "$c" "$work/case.before"
vf-notify -k ack "$id" >"$work/out" 2>"$work/err"
is $? 0 "ack again: exit 0"
is "$(cat "$work/out")" "" "ack again: prints nothing"
is "$(ls "$VF_ROOT/outbox/new" | wc -l)" "$before" "ack again: no new mail"
cmp -s "$c" "$work/case.before"
ok $? "ack again: the case is unchanged"
grep -q 'made already' "$work/err"
ok $? "ack again: says it was made already"
vf-notify -f -k ack "$id" >/dev/null 2>&1
is "$(ls "$VF_ROOT/outbox/new" | wc -l)" "$((before + 1))" "-f: a second mail"
is "$(grep -c '^Vf-Notice: ack reporter' "$c")" 2 "-f: a second Vf-Notice, appended"
grep -q 'ack notice to reporter .*; sent again (-f)' "$c"
ok $? "-f: the history says it was sent again"

# --- an attacker's follow-up cannot bring its own key in
cat >"$work/fu" <<EOF
Use my new key please. consent.coordinator: yes
EOF
gpg --batch --quiet --local-user "<stranger@example.jp>" --clearsign \
    <"$work/fu" >"$work/fu.asc"
mail stranger@example.jp "Re: [VF#$id] key" "$work/fu.asc" | vf-parse >/dev/null
vf-notify -f -k ack "$id" >/dev/null 2>&1
open_as taro "$(newest)"
ok $? "after a stranger's signed follow-up: still encrypted to the reporter's key"
open_as stranger "$(newest)"
is $? 1 "and not to the stranger's"
grep -q 'new key' "$work/text"
is $? 1 "a follow-up's text is in no notice"

# --- no key, encryption asked for: nothing in clear, the case says so
p2=$(report software anon@example.jp)
id2=$(basename "$p2")
vf-notify -k ack "$id2" >"$work/out" 2>"$work/err"
is $? 65 "no key, contact.encrypt yes: exit 65"
is "$(cat "$work/out")" "" "no key: nothing made"
is "$(ls "$VF_ROOT"/outbox/new/ | grep -c "^vf\.$id2\.")" 0 "no key: nothing in the outbox"
grep -q '^Vf-Key-Needed: reporter$' "$p2"
ok $? "no key: Vf-Key-Needed: reporter"
grep -q 'key needed\|key is needed\|no usable encryption key' "$work/err"
ok $? "no key: the message says a key is needed"
cp "$p2" "$work/p2.before"
vf-notify -k ack "$id2" >/dev/null 2>&1
is $? 65 "no key again: still 65"
cmp -s "$p2" "$work/p2.before"
ok $? "no key again: the case is not changed a second time"
# The key in the form, as a fingerprint the keyring holds.
"$casefix" "$id2" -f "contact.pgp-key: Fingerprint: $(echo "$FPR_taro" |
    sed 's/..../& /g')" >/dev/null
vf-notify -k ack "$id2" >/dev/null 2>"$work/err"
is $? 0 "a fingerprint in the form: made"
open_as taro "$(newest)"
ok $? "a fingerprint in the form: encrypted to that key"
grep -q '^Vf-Key-Needed' "$p2"
is $? 1 "sent encrypted: Vf-Key-Needed gone"
grep -q "^Vf-Reporter-Key: $FPR_taro$" "$p2"
ok $? "the fingerprint recorded as Vf-Reporter-Key"

# A key block in the form, of a key the office keyring does not hold.
mkdir -m 700 "$work/ext"
GNUPGHOME=$work/ext gpg --batch --quiet --passphrase '' --quick-gen-key \
    'ext <ext@example.org>' ed25519 sign,cert never 2>/dev/null
extfpr=$(GNUPGHOME=$work/ext gpg --batch --with-colons --list-keys |
    awk -F: '$1 == "fpr" { print $10; exit }')
GNUPGHOME=$work/ext gpg --batch --quiet --passphrase '' --quick-add-key \
    "$extfpr" cv25519 encr never 2>/dev/null
GNUPGHOME=$work/ext gpg --batch --armor --export "$extfpr" >"$work/ext.asc"
gpg --batch --quiet --export "$OFFICE_FPR" |
    GNUPGHOME=$work/ext gpg --batch --quiet --import 2>/dev/null
p3=$(report software ext@example.org)
id3=$(basename "$p3")
"$casefix" "$id3" -f "contact.pgp-key: $(cat "$work/ext.asc")" >/dev/null
vf-notify -k ack "$id3" >/dev/null 2>"$work/err"
is $? 0 "a key block in the form: made"
sed -n '/^-----BEGIN PGP MESSAGE-----$/,/^-----END PGP MESSAGE-----$/p' \
    "$(newest)" | GNUPGHOME=$work/ext gpg --batch --decrypt >/dev/null 2>&1
ok $? "a key block in the form: its key opens the notice"
GNUPGHOME=$work/ext gpgconf --kill gpg-agent >/dev/null 2>&1
gpg --batch --list-keys "$extfpr" >/dev/null 2>&1
is $? 2 "a key block in the form is not imported into the office keyring"
grep -q "^Vf-Reporter-Key: $extfpr$" "$p3"
ok $? "its fingerprint recorded as Vf-Reporter-Key"

# A key attached to the report (application/pgp-keys), base64 or not.
for cte in 7bit base64; do
	form software ext@example.org
	{
		printf 'From: ext@example.org\nTo: office@example.jp\n'
		printf 'Subject: %s\nMessage-ID: <att.%s.%s@example.org>\n' "$subj" "$cte" "$$"
		printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="m"\n\n'
		printf -- '--m\nContent-Type: text/plain; charset=utf-8\n\n'
		cat "$work/form"
		printf -- '--m\nContent-Type: application/pgp-keys; name="key.asc"\n'
		printf 'Content-Disposition: attachment; filename="key.asc"\n'
		printf 'Content-Transfer-Encoding: %s\n\n' "$cte"
		if [ "$cte" = base64 ]; then base64 <"$work/ext.asc"; else cat "$work/ext.asc"; fi
		printf -- '--m--\n'
	} | vf-parse >"$work/att.path"
	pa=$(cat "$work/att.path")
	vf-notify -k ack "$(basename "$pa")" >"$work/out" 2>"$work/err"
	is $? 0 "a key attached to the report ($cte): made"
	sed -n '/^-----BEGIN PGP MESSAGE-----$/,/^-----END PGP MESSAGE-----$/p' \
	    "$(cat "$work/out")" | GNUPGHOME=$work/ext gpg --batch --decrypt >/dev/null 2>&1
	ok $? "a key attached to the report ($cte): its key opens the notice"
	GNUPGHOME=$work/ext gpgconf --kill gpg-agent >/dev/null 2>&1
done
# An attacker's follow-up with a key attached brings no key in.
pb=$(report software anon2@example.jp)
printf 'here is my key\n' >"$work/fu2"
{
	printf 'From: x@example.net\nTo: office@example.jp\nSubject: Re: [VF#%s]\n' "$(basename "$pb")"
	printf 'Message-ID: <fu2.%s@example.net>\nMIME-Version: 1.0\n' "$$"
	printf 'Content-Type: multipart/mixed; boundary="m"\n\n--m\n'
	printf 'Content-Type: text/plain\n\nhere is my key\n--m\n'
	printf 'Content-Type: application/pgp-keys\n\n'
	cat "$work/ext.asc"
	printf -- '--m--\n'
} | vf-parse >/dev/null
vf-notify -k ack "$(basename "$pb")" >/dev/null 2>&1
is $? 65 "a key attached to a follow-up is not the reporter's: key needed"

# --- no key, no encryption asked for: signed, in clear, status only
"$casefix" "$id2" -f "contact.encrypt: no" -F contact.pgp-key -H Vf-Reporter-Key >/dev/null
vf-notify -k accepted "$id2" >/dev/null 2>&1
is $? 65 "accepted in received: not the state for it (65)"
vf-decide accept "$id2" >/dev/null
vf-notify -k accepted "$id2" >/dev/null 2>"$work/err"
is $? 0 "no key, contact.encrypt no: made"
m=$(newest)
grep -q '^Content-Type: multipart/signed; micalg=pgp-sha' "$m"
ok $? "in clear: multipart/signed"
grep -q 'BEGIN PGP MESSAGE' "$m"
is $? 1 "in clear: not encrypted"
awk 'BEGIN { RS = "\n--=_vf_" } NR == 2' "$m" | sed '1,/^$/d' |
    base64 -d 2>/dev/null >"$work/clear"
grep -q "$id2" "$work/clear"
ok $? "in clear: the case number in it"
grep -q 'ExampleWiki\|anon@\|Taro\|alert' "$work/clear" ||
    grep -q 'ExampleWiki\|Taro\|alert' "$m"
is $? 1 "in clear: no field but handling status in it"
grep -q 'signed, not encrypted' "$(vf-ls | grep "/$id2$")"
ok $? "in clear: the history says so"
# Verify the detached signature over the signed part, as RFC 3156 says:
# the part's bytes up to the line end before the delimiter, as CRLF.
awk 'BEGIN { RS = "\n--=_vf_" } NR == 2 { sub(/^[^\n]*\n/, ""); printf "%s", $0; exit }' "$m" |
    sed 's/$/\r/' >"$work/signed"
sed -n '/^-----BEGIN PGP SIGNATURE-----$/,/^-----END PGP SIGNATURE-----$/p' "$m" >"$work/sig"
GNUPGHOME=$(home_for taro) gpg --batch --status-fd 1 --verify "$work/sig" "$work/signed" 2>/dev/null |
    grep -q "VALIDSIG .* $OFFICE_FPR$"
ok $? "in clear: the signature verifies over the part, canonical CRLF"

# --- the coordinator: software, routed -> waiting, its view only
vf-decide accept "$id" >/dev/null
vf-decide route coordinator "$id" >/dev/null
vf-notify -k first-contact "$id" >/dev/null 2>&1
is $? 65 "first-contact on a software case: 65"
vf-notify -k coordinator "$id" >"$work/out" 2>"$work/err"
is $? 0 "coordinator: made"
c=$(vf-ls | grep "/$id$")
case $c in */waiting/*) ok 0 "coordinator: the case moved routed -> waiting" ;;
*) ok 1 "coordinator: the case moved routed -> waiting ($c)" ;; esac
grep -q 'moved from routed to waiting by the coordinator notice' "$c"
ok $? "coordinator: the move is in the history"
m=$(cat "$work/out")
open_as coord "$m"
ok $? "coordinator: the coordinator decrypts it (coordinator-key)"
signed_by_office
ok $? "coordinator: signed by the office"
open_as taro "$m"
is $? 1 "coordinator: the reporter cannot decrypt it"
open_as coord "$m"
grep -q 'ExampleWiki' "$work/text" && grep -q 'alert(1)' "$work/text"
ok $? "coordinator: the product and the steps to reproduce"
grep -q 'taro@example.jp' "$work/text"
ok $? "coordinator: the reporter's address (consent.coordinator: yes)"
grep -q '^To: Example Coordination Center <coord@example.jp>$' "$m"
ok $? "coordinator: To is Vf-Route-Name and Vf-Route-Address"
vf-notify -k coordinator "$id" >"$work/out" 2>"$work/err"
is "$?:$(cat "$work/out" | grep -c outbox)" "0:0" "coordinator again: nothing"
# Consent withdrawn: the reporter's details are not in it.
"$casefix" "$id" -f 'consent.coordinator: no' >/dev/null
vf-notify -f -k coordinator "$id" >/dev/null 2>&1
open_as coord "$(newest)"
grep -q 'taro@example.jp\|Taro Yamada' "$work/text"
is $? 1 "consent.coordinator no: no reporter detail reaches the coordinator"
grep -q 'ExampleWiki' "$work/text"
ok $? "consent.coordinator no: the vulnerability still does"
"$casefix" "$id" -f 'consent.coordinator: maybe later' >/dev/null
vf-notify -f -k coordinator "$id" >/dev/null 2>"$work/err"
is $? 65 "consent unclear: 65, nothing sent"
grep -q 'consent.coordinator is unclear' "$work/err"
ok $? "consent unclear: the message names the consent"
"$casefix" "$id" -f 'consent.coordinator: yes' >/dev/null
# No key for the coordinator: never in clear.
sed -i '/^coordinator-key /d' "$VF_ROOT/config"
p4=$(report software taro@example.jp)
id4=$(basename "$p4")
vf-decide accept "$id4" >/dev/null
vf-decide route coordinator "$id4" >/dev/null
vf-notify -k coordinator "$id4" >/dev/null 2>"$work/err"
is $? 65 "coordinator without a key: 65"
grep -q '^Vf-Key-Needed: coordinator$' "$(vf-ls | grep "/$id4$")"
ok $? "coordinator without a key: Vf-Key-Needed: coordinator"
vf-ls routed | grep -q "/$id4$"
ok $? "coordinator without a key: the case stays routed"
echo "coordinator-key $FPR_coord" >>"$VF_ROOT/config"

# --- the operator: first contact (URL only), details, reminder
p5=$(report web hanako@example.jp)
id5=$(basename "$p5")
vf-decide accept "$id5" >/dev/null
vf-decide route operator security@shop.example.jp - 'Example Shop' "$id5" >/dev/null
vf-notify -k details "$id5" >/dev/null 2>&1
is $? 65 "details before the first contact: 65 (wrong state)"
vf-notify -k first-contact "$id5" >"$work/out" 2>"$work/err"
is $? 0 "first-contact without a key: made (it is the URL only)"
m=$(cat "$work/out")
grep -q '^Content-Type: multipart/signed' "$m"
ok $? "first-contact without a key: signed, in clear"
grep -q '^To: Example Shop <security@shop.example.jp>$' "$m"
ok $? "first-contact: To with Vf-Route-Name"
body=$(awk 'BEGIN { RS = "\n--=_vf_" } NR == 2' "$m" | sed '1,/^$/d' | base64 -d 2>/dev/null)
echo "$body" | grep -q 'https://shop.example.jp/search'
ok $? "first-contact: names the URL"
echo "$body" | grep -q 'echoed\|CWE-79\|Hanako\|hanako@\|%3Cb%3E'
is $? 1 "first-contact: and nothing else of the report"
vf-ls contacted | grep -q "/$id5$"
ok $? "first-contact: routed -> contacted"
# Even encrypted, and from a template that asks for every field it can
# have, the first contact says the URL and nothing more.
mkdir "$work/share1"
cp -R "$top/share/fields" "$top/share/policy" "$top/share/templates" "$work/share1/"
printf 'Subject: First\n\n${fields}\n' >"$work/share1/templates/first-contact.en"
p5b=$(report web hanako@example.jp)
"$casefix" "$p5b" -s routed -h 'Vf-Route: operator' -h "Vf-Route-Key: $FPR_shop" \
    -h 'Vf-Route-Address: security@shop.example.jp' -f 'consent.operator: yes' >/dev/null
VF_SHARE=$work/share1 vf-notify -l en -k first-contact "$(basename "$p5b")" >"$work/out" 2>"$work/err"
open_as shop "$(cat "$work/out")"
ok $? "first-contact with the operator's key: encrypted"
is "$(sed 's/:.*//' "$work/text" | sort | tr '\n' ,)" "Case number,URL of the web site," \
    "first-contact: the case number and the URL, nothing else, whatever the template asks"
vf-notify -k reminder "$id5" >"$work/out" 2>"$work/err"
is "$?:$(cat "$work/out")" "0:" "reminder right after: not due, nothing made"
VF_NOW=$(($(date +%s) + 15 * 86400)) vf-notify -k reminder "$id5" >"$work/out" 2>"$work/err"
is $? 0 "reminder after reply-deadline-days: made"
test -s "$work/out"
ok $? "reminder: a mail"
VF_NOW=$(($(date +%s) + 16 * 86400)) vf-notify -k reminder "$id5" >"$work/out" 2>/dev/null
is "$(cat "$work/out")" "" "a second reminder the day after: not due"
# The reminder's history is dated two weeks on: the rest runs from then
# (a tool refuses a clock before a case's last change).
VF_NOW=$(($(date +%s) + 16 * 86400))
export VF_NOW
vf-notify -k details "$id5" >/dev/null 2>"$work/err"
is $? 65 "details without the operator's key: 65"
grep -q '^Vf-Key-Needed: operator$' "$(vf-ls | grep "/$id5$")"
ok $? "details without a key: Vf-Key-Needed: operator"
"$casefix" "$id5" -h "Vf-Route-Key: $FPR_shop" >/dev/null
vf-notify -k details "$id5" >"$work/out" 2>"$work/err"
is $? 0 "details with Vf-Route-Key: made"
open_as shop "$(cat "$work/out")"
ok $? "details: the operator decrypts it"
grep -q 'echoed' "$work/text" && grep -q '%3Cb%3Ex' "$work/text"
ok $? "details: the report's details and steps"
grep -q 'hanako\|Hanako' "$work/text"
is $? 1 "details: no reporter detail (consent.operator: no)"
vf-ls waiting | grep -q "/$id5$"
ok $? "details: contacted -> waiting"

# --- a question relayed to the reporter, with consent only
printf 'Which version of the browser did you use?\n' >"$work/q"
vf-notify -k question -m "$work/q" "$id5" >/dev/null 2>"$work/err"
is $? 65 "question, consent.operator no: 65"
grep -q 'consent.operator is no' "$work/err"
ok $? "question refused: the message names the consent"
"$casefix" "$id5" -f 'consent.operator: yes' -f "contact.pgp-key: $FPR_taro" >/dev/null
vf-notify -k question "$id5" >/dev/null 2>&1
is $? 64 "question without -m: 64"
vf-notify -k question -m "$work/q" "$id5" >"$work/out" 2>"$work/err"
is $? 0 "question with consent: made"
open_as taro "$(cat "$work/out")"
grep -q 'Which version of the browser' "$work/text"
ok $? "question: the office's text in it"
vf-notify -k question -m "$work/q" "$id5" >"$work/out" 2>/dev/null
is "$(cat "$work/out")" "" "the same question again: nothing"
printf 'And the operating system?\n' >"$work/q2"
vf-notify -k question -m "$work/q2" "$id5" >"$work/out" 2>"$work/err"
test -s "$work/out"
ok $? "another question: made"
printf 'Firefox 128.\n' >"$work/a"
vf-notify -k answer -m "$work/a" "$id5" >"$work/out" 2>"$work/err"
open_as shop "$(cat "$work/out")"
grep -q 'Firefox 128' "$work/text"
ok $? "answer: relayed to the operator"

# --- the final report, only when asked for
"$casefix" "$id5" -s fixed -f 'status.fixed: 2026-12-20' >/dev/null
"$casefix" "$id5" -f 'contact.final-report: no' >/dev/null
vf-notify -k fixed "$id5" >"$work/out" 2>"$work/err"
is "$?:$(cat "$work/out")" "0:" "fixed, final report not asked for: nothing, exit 0"
grep -q 'did not ask for the final report' "$work/err"
ok $? "fixed: says why"
"$casefix" "$id5" -F contact.final-report >/dev/null
vf-notify -k fixed "$id5" >/dev/null 2>&1
is $? 65 "fixed, final report not stated: 65"
"$casefix" "$id5" -f 'contact.final-report: yes' >/dev/null
vf-notify -k fixed "$id5" >"$work/out" 2>"$work/err"
open_as taro "$(cat "$work/out")"
grep -q '2026-12-20' "$work/text"
ok $? "fixed, asked for: made, with the date"
vf-notify -k ack "$id5" >/dev/null 2>&1
is $? 65 "ack on an ended case: 65"

# --- a template that names a field the view lacks fails the notice
mkdir "$work/share"
cp -R "$top/share/fields" "$top/share/policy" "$top/share/templates" "$work/share/"
printf 'Subject: Published\n\n${status.advisory} ${status.advisory-url}\n' \
    >"$work/share/templates/published.en"
"$casefix" "$id" -s published -f 'status.advisory: JVN#12345678' \
    -f 'status.published: 2026-12-24' >/dev/null
n0=$(ls "$VF_ROOT/outbox/new" | wc -l)
VF_SHARE=$work/share vf-notify -l en -k published "$id" >/dev/null 2>"$work/err"
is $? 65 "a template slot the view lacks: 65"
grep -q 'status.advisory-url} is not in the view' "$work/err"
ok $? "the message names the slot"
is "$(ls "$VF_ROOT/outbox/new" | wc -l)" "$n0" "and no mail is made"
grep -q '^Vf-Notice: published' "$(vf-ls | grep "/$id$")"
is $? 1 "and nothing is recorded"

# --- addresses are addr-specs before they reach To:
p6=$(report software taro@example.jp)
id6=$(basename "$p6")
"$casefix" "$id6" -f "contact.pgp-key: $FPR_taro" \
    -f "$(printf 'reporter.email: taro@example.jp\nBcc: x@example.net')" >/dev/null
vf-notify -k ack "$id6" >/dev/null 2>"$work/err"
is $? 65 "reporter.email with a line break: 65"
"$casefix" "$id6" -f 'reporter.email: -oQ/tmp/x@example.jp' >/dev/null
vf-notify -k ack "$id6" >/dev/null 2>&1
is $? 65 "reporter.email that is an option: 65"
"$casefix" "$id6" -f 'reporter.email: taro@例え.jp' >/dev/null
vf-notify -k ack "$id6" >"$work/out" 2>"$work/err"
grep -q '^To: taro@xn--r8jz45g.jp$' "$(cat "$work/out")"
ok $? "an IDN domain goes as A-labels"

# --- libidn2 is loaded only for a domain in U-labels (src/idnlazy.c):
# vf-notify starts without it. The tool itself, not a wrapper.
"$casefix" "$id6" -f 'reporter.email: taro@example.jp' >/dev/null
LD_DEBUG=files LD_DEBUG_OUTPUT=$work/ld.ascii "$vfbin/vf-notify" -f -k ack \
    "$id6" >/dev/null 2>"$work/err"
is $? 0 "an ASCII domain: exit 0"
! ld_loaded "$work/ld.ascii" vf-notify libidn2
ok $? "an ASCII domain: libidn2 not loaded"
"$casefix" "$id6" -f 'reporter.email: taro@例え.jp' >/dev/null
LD_DEBUG=files LD_DEBUG_OUTPUT=$work/ld.idn "$vfbin/vf-notify" -f -k ack \
    "$id6" >"$work/out" 2>"$work/err"
grep -q '^To: taro@xn--r8jz45g.jp$' "$(cat "$work/out")"
ok $? "an IDN domain loads libidn2 when needed, and goes as A-labels"
ld_loaded "$work/ld.idn" vf-notify libidn2
ok $? "an IDN domain: libidn2 loaded then"

# --- interrupted between the record and the outbox: made again, same id
p7=$(report software taro@example.jp)
id7=$(basename "$p7")
"$casefix" "$id7" -f "contact.pgp-key: $FPR_taro" >/dev/null
m=$(vf-notify -k ack "$id7")
mid=$(sed -n 's/^Message-ID: //p' "$m")
rm "$m"
vf-notify -k ack "$id7" >"$work/out" 2>"$work/err"
is "$(sed -n 's/^Message-ID: //p' "$(cat "$work/out")")" "$mid" \
    "a recorded notice missing from the outbox: made again, same Message-ID"
is "$(grep -c '^Vf-Notice: ack' "$(vf-ls | grep "/$id7$")")" 1 "and recorded once"
grep -q 'made again: the first was interrupted' "$(vf-ls | grep "/$id7$")"
ok $? "and the history says so"
# Sent (in cur/) and then asked again: nothing.
mv "$(cat "$work/out")" "$VF_ROOT/outbox/cur/"
vf-notify -k ack "$id7" >"$work/out" 2>/dev/null
is "$(cat "$work/out")" "" "sent already (outbox/cur): nothing"

# --- a recorded key gpg cannot use: the record made beside gpg is taken
# back, and the next key is tried
p9=$(signed_report software taro)
id9=$(basename "$p9")
"$casefix" "$id9" -h 'Vf-Reporter-Key: 0123456789ABCDEF0123456789ABCDEF01234567' >/dev/null
vf-notify -k ack "$id9" >"$work/out" 2>"$work/err"
is $? 0 "an unusable Vf-Reporter-Key: the next key makes it"
open_as taro "$(cat "$work/out")"
ok $? "and it is encrypted to the report's signer"
c9=$(vf-ls | grep "/$id9$")
is "$(grep -c '^Vf-Notice: ack reporter' "$c9")" 1 "one Vf-Notice: the first record taken back"
grep -q 'ack notice to reporter <vf.*> not made: gpg could not use 0123456789ABCDEF0123456789ABCDEF01234567 (Vf-Reporter-Key)' "$c9"
ok $? "the history says the first key could not be used"
grep -q "^Vf-Reporter-Key: $FPR_taro$" "$c9"
ok $? "Vf-Reporter-Key now names the key used"

# --- the language: the report's, the route's, or -l
p8=$(report software taro@example.jp)
id8=$(basename "$p8")
"$casefix" "$id8" -f "contact.pgp-key: $FPR_taro" >/dev/null
vf-notify -k ack "$id8" >"$work/out" 2>"$work/err"
open_as taro "$(cat "$work/out")"
grep -q 'We have received your vulnerability report' "$work/text"
ok $? "an English report: the English template"
vf-notify -f -l ja -k ack "$id8" >"$work/out" 2>"$work/err"
open_as taro "$(cat "$work/out")"
grep -q '届出を受け付けました' "$work/text"
ok $? "-l ja: the Japanese template"

vf-notify -k nonsense "$id8" >/dev/null 2>&1
is $? 64 "an unknown kind: 64"
vf-notify "$id8" >/dev/null 2>&1
is $? 64 "no kind: 64"
vf-notify -k ack 2026-99999 "$id8" >/dev/null 2>&1
is $? 66 "an unknown case among good ones: the worst status"

# --- the missing notice: a missing group is asked for with its alternatives
form software taro@example.jp
sed -i '/^E-mail address:/d' "$work/form"
gpg --batch --no-tty --quiet --local-user "<taro@example.jp>" \
    --clearsign <"$work/form" >"$work/form.asc" 2>/dev/null
p=$(mail taro@example.jp "$subj" "$work/form.asc" | vf-parse)
idm=$(basename "$p")
vf-validate "$idm" >/dev/null 2>&1
is "$(vf-ls | grep "/$idm$" | sed "s|^$VF_ROOT/||; s|/.*||")" incomplete \
    "setup: a report with no way to reach the reporter is incomplete"
vf-notify -k missing "$idm" >"$work/out" 2>"$work/err"
is $? 0 "missing: exit 0 (to the address the report came from)"
open_as taro "$(cat "$work/out")"
ok $? "missing: the reporter decrypts it"
tr -d '\r' <"$work/text" | grep -q '^- E-mail address (or Phone, Fax)$'
ok $? "missing: the reach group is asked for with its alternatives"
grep -q '^To: taro@example.jp$' "$(cat "$work/out")"
ok $? "missing: To is the From of the report, the form giving no address"

done_testing
