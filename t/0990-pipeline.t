#!/bin/sh
# The whole process through the real tools only (issues 7, 8 and 9): five
# reports (software ja/en, web ja/en, vendor; PGP/MIME and inline, signed
# and not) come in through procmail or vf-parse, are checked (one is
# incomplete, the missing notice goes out, the reporter's signed follow-up
# brings it back), routed (the contact list; one site has no contact),
# notified, sent to a stand-in sendmail that files by recipient; the
# recipients read their mail with their own keys and answer, and the
# answers come back attributed by the sent Message-ID; the staff decide
# to publication, fix and close; the reporters are told; vf-expire, past
# the grace period, deletes the reporters' details; then statistics,
# advisories and pages. Last, the whole root and the keyring are searched
# for every reporter value, in every form a mail could carry it: nothing;
# and what statistics and the public record need is still there.
. "$(dirname "$0")/lib.sh"
# Not t/bin on PATH: its stand-in vf-notify would hide the real one.
findsecret=$top/t/bin/findsecret
# VF_KEEP=1 keeps the work directory, to look at what went wrong.
[ -n "${VF_KEEP:-}" ] && trap 'echo "# kept $work"' EXIT

command -v gpg >/dev/null || skip_all "gpg not installed"
command -v procmail >/dev/null || skip_all "procmail not installed"
command -v iconv >/dev/null || skip_all "iconv not installed"
make_keys coord shop || skip_all "cannot make gpg keys"
make_root
cat >>"$VF_ROOT/config" <<EOF
coordinator-key $FPR_coord
coordinator-name Example Coordination Center
public-url https://vf.example.jp
retention-days 30
EOF
VF_STAFF=pipeline-staff
VF_NOW=2026-12-01T01:00:00Z
export VF_STAFF VF_NOW

where() { vf-ls | grep "/$1\$"; }
state() { where "$1" | sed "s|^$VF_ROOT/||; s|/.*||"; }
hdr() { sed '/^$/q' "$(where "$1")" | sed -n "s/^$2: //p" | sed -n 1p; }
field() { sed -n '/^Vf-Part: fields/,/^--=_vf/p' "$(where "$1")" | sed -n "s/^$2: //p" | sed -n 1p; }
# fieldlines ID NAME: every line of the field's value (continuations too)
fieldlines() {
	sed -n '/^Vf-Part: fields/,/^--=_vf/p' "$(where "$1")" | awk -v n="$2: " '
	    index($0, n) == 1 { on = 1; print substr($0, length(n) + 1); next }
	    on && /^\t/ { sub(/^\t/, ""); print; next } { on = 0 }'
}
history() { sed -n '/^Vf-Part: history/,/^--=_vf/p' "$(where "$1")"; }
idof() { basename "$1" | sed 's/:.*//'; }
# step RC TEXT: a tool's exit status, its stderr shown when it failed
step() { is "$1" 0 "$2" || sed 's/^/# /' "$work/err"; }

# The reporters' keys live in keyrings of their own: the office has only
# the public half, as when a reporter sends it.
newkey() { # NAME ADDRESS HOME: FPR
	mkdir -m 700 "$3"
	GNUPGHOME=$3 gpg --batch --quiet --passphrase '' --quick-gen-key \
	    "$1 <$2>" ed25519 sign,cert never 2>/dev/null
	f=$(GNUPGHOME=$3 gpg --batch --with-colons -k "<$2>" |
	    awk -F: '$1 == "fpr" { print $10; exit }')
	GNUPGHOME=$3 gpg --batch --quiet --passphrase '' --quick-add-key \
	    "$f" cv25519 encr never 2>/dev/null
	GNUPGHOME=$3 gpg --batch --armor --export "$f" | gpg --batch --quiet --import 2>/dev/null
	gpg --batch --armor --export "$OFFICE_FPR" | GNUPGHOME=$3 gpg --batch --quiet --import 2>/dev/null
	echo "$f"
}
JOHN=$work/home-john ICHIRO=$work/home-ichiro LENA=$work/home-lena
FPR_john=$(newkey 'John Example' john@example.com "$JOHN")
FPR_ichiro=$(newkey 'Tanaka Ichiro' ichiro.tanaka@example.jp "$ICHIRO")
FPR_lena=$(newkey 'Lena Sample' lena.sample@example.com "$LENA")
# The coordinator and the operator read with their own keyrings too.
for w in coord shop; do
	h=$work/home-$w
	mkdir -m 700 "$h"
	gpg --batch --quiet --export-secret-keys "<$w@example.jp>" | GNUPGHOME=$h gpg --batch --quiet --import 2>/dev/null
	gpg --batch --quiet --export "$OFFICE_FPR" | GNUPGHOME=$h gpg --batch --quiet --import 2>/dev/null
done
T=$(printf '\t')
# The operator of shop.example.jp is known; www.example.jp (Lena's) is not.
printf '# HOST\tADDRESS\tFINGERPRINT\tLANG\tNAME\nshop.example.jp\tsecurity@shop.example.jp\t%s\tja\tExample Shop\n' \
    "$FPR_shop" >"$VF_ROOT/contacts"
chmod 600 "$VF_ROOT/contacts"

# open WHO MAIL: decrypted with WHO's keyring only; the text in $work/text
open() {
	sed -n '/^-----BEGIN PGP MESSAGE-----$/,/^-----END PGP MESSAGE-----$/p' "$2" |
	    GNUPGHOME=$work/home-$1 gpg --batch --no-tty --status-fd 3 --decrypt \
	    3>"$work/status" 2>/dev/null >"$work/entity" || return 1
	GNUPGHOME=$work/home-$1 gpgconf --kill gpg-agent >/dev/null 2>&1
	grep -q "VALIDSIG .* $OFFICE_FPR\$" "$work/status" || return 1
	tr -d '\r' <"$work/entity" | sed '1,/^$/d' | base64 -d >"$work/text"
}
enc() { printf '=?%s?B?%s?=' "$2" "$(printf '%s' "$1" | iconv -f UTF-8 -t "$2" | base64 -w0)"; }
head822() { # FROM SUBJECT N
	printf 'From: %s\nTo: office@example.jp\nSubject: %s\n' "$1" "$2"
	printf 'Date: Tue, 01 Dec 2026 %02d:00:00 +0900\nMessage-ID: <pipeline-%s@example.net>\nMIME-Version: 1.0\n' "$3" "$3"
}
encto() { # HOME SIGNER: armored, signed and encrypted to the office
	GNUPGHOME=$1 gpg --batch --no-tty --quiet --trust-model always --armor \
	    --local-user "$2" --sign --encrypt --recipient "$OFFICE_FPR"
}
pgpmime_body() { # HOME SIGNER < inner entity
	printf 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b1"\n\n'
	printf -- '--b1\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n'
	printf -- '--b1\nContent-Type: application/octet-stream\n\n'
	encto "$1" "$2"
	printf -- '--b1--\n'
}
deliver() { # MAILFILE: through procmail, as the MTA delivers
	procmail -m VF_ROOT="$VF_ROOT" GNUPGHOME="$GNUPGHOME" PATH="$PATH" \
	    VF_SHARE="$VF_SHARE" VF_NOW="$VF_NOW" "$VF_SHARE/procmailrc" <"$1" 2>"$work/err"
}
found() { # MESSAGE-ID: the case vf-parse filed it under
	grep -l "^Vf-Message-Id: <$1>" $(vf-ls) | sed -n 1p
}

# --- 1. the reports come in -------------------------------------------
# Software, Japanese, ISO-2022-JP, clear and unsigned (she asks for clear
# mail: no key of hers is known).
sed 's/■要 □不要/□要 ■不要/' "$VF_SHARE/examples/software-ja.txt" >"$work/sja.txt"
{
	head822 "$(enc '佐藤 花子' ISO-2022-JP) <hanako.sato@example.jp>" \
	    "$(enc 'ソフトウエア製品脆弱性関連情報の届出' ISO-2022-JP)" 1
	printf 'Content-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n\n'
	iconv -f UTF-8 -t ISO-2022-JP "$work/sja.txt"
} >"$work/1.eml"
# Software, English, inline PGP signed and encrypted, its version left out.
grep -v '(2) Version:' "$VF_SHARE/examples/software-en.txt" >"$work/sen.txt"
{
	head822 'John Example <john@example.com>' 'Software Vulnerability Report' 2
	printf 'Content-Type: text/plain; charset=UTF-8\n\n'
	encto "$JOHN" "$FPR_john" <"$work/sen.txt"
} >"$work/2.eml"
# Web, Japanese, PGP/MIME signed and encrypted.
{
	head822 'Tanaka Ichiro <ichiro.tanaka@example.jp>' \
	    "$(enc 'ウェブアプリケーション脆弱性関連情報の届出' UTF-8)" 3
	{
		printf 'Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n'
		cat "$VF_SHARE/examples/web-ja.txt"
	} | pgpmime_body "$ICHIRO" "$FPR_ichiro"
} >"$work/3.eml"
# Web, English, clearsigned, for a site with no contact.
{
	head822 'Lena Sample <lena.sample@example.com>' 'Web Application Vulnerability Report' 4
	printf 'Content-Type: text/plain; charset=UTF-8\n\n'
	GNUPGHOME=$LENA gpg --batch --no-tty --quiet --local-user "$FPR_lena" \
	    --clearsign <"$VF_SHARE/examples/web-en.txt"
} >"$work/4.eml"

for i in 1 2 3 4; do
	deliver "$work/$i.eml"
	step $? "mail $i: procmail delivers it into vf-parse"
done
vf-parse <"$top/t/forms/31-vendor-ja-careful.eml" >"$work/out" 2>"$work/err"
step $? "the vendor's report (t/forms, ISO-2022-JP): vf-parse files it"
sja=$(idof "$(found pipeline-1@example.net)")
sen=$(idof "$(found pipeline-2@example.net)")
wja=$(idof "$(found pipeline-3@example.net)")
wen=$(idof "$(found pipeline-4@example.net)")
ven=$(idof "$(cat "$work/out")")
is "$(vf-ls received | wc -l | tr -d ' ')" 5 "five cases, all received"
is "$(hdr "$sja" Vf-Kind):$(hdr "$sen" Vf-Kind):$(hdr "$wja" Vf-Kind):$(hdr "$wen" Vf-Kind):$(hdr "$ven" Vf-Kind)" \
    software:software:web:web:vendor "the kinds: software, software, web, web, vendor"
is "$(hdr "$sja" Vf-Protection)" clear "software ja: clear"
is "$(hdr "$sen" Vf-Signer)" "$FPR_john" "software en (inline): signed by John's key"
is "$(hdr "$wja" Vf-Signer)" "$FPR_ichiro" "web ja (PGP/MIME): signed by Ichiro's key"
is "$(hdr "$wen" Vf-Signer)" "$FPR_lena" "web en (clearsigned): signed by Lena's key"
is "$(hdr "$wja" Vf-Encryption)" "pgp-mime ok" "web ja: PGP/MIME decrypted"

# Collect every reporter value now, as the cases hold it, to search for
# it at the end: every field of the reporter class (share/fields) that is
# not a yes/no answer, and the address of each From.
rfields=$(awk -F: '!/^#/ && $2 == "reporter" && $5 != "yesno" { print $1 }' "$VF_SHARE/fields")
for c in $sja $sen $wja $wen $ven; do
	for f in $rfields; do fieldlines "$c" "$f"; done
done | sed 's/^[[:space:]]*//; s/[[:space:]]*$//' | grep -v '^-*$' | grep -v '^-----' |
    awk 'length($0) >= 4' | sort -u >"$work/values"
for i in 1 2 3 4; do sed -n 's/^From: .*<\(.*\)>$/\1/p' "$work/$i.eml"; done >>"$work/values"
sed -n 's/^From: .*<\(.*\)>$/\1/p' "$top/t/forms/31-vendor-ja-careful.eml" >>"$work/values"
# The names as the mails wrote them, and the reporters' keys.
printf '%s\n' '佐藤 花子' 'Tanaka Ichiro' '田中 一郎' 'Lena Sample' "$FPR_ichiro" "$FPR_lena" >>"$work/values"
grep -q '^hanako.sato@example.jp$' "$work/values" && grep -q '^03-5555-0142$' "$work/values" &&
    grep -q '^psirt@example-soft.co.jp$' "$work/values" && grep -q 'サンプルビル4階' "$work/values"
ok $? "setup: the reporters' values collected ($(wc -l <"$work/values" | tr -d ' '))"

# --- 2. vf-validate ------------------------------------------------------
vf-ls received | vf-validate >"$work/out" 2>"$work/err"
step $? "vf-validate over the received cases: exit 0"
is "$(state "$sen")" incomplete "software en without its version: incomplete"
is "$(hdr "$sen" Vf-Missing)" product.version "Vf-Missing: product.version"
for c in $sja $wja $wen; do
	is "$(state "$c")" accepted "$c ($(hdr "$c" Vf-Kind) $(hdr "$c" Vf-Lang)): accepted"
done
vstate=$(state "$ven")
history "$sen" | grep -q 'vf-validate: .*incomplete'
ok $? "the verdict is in the history"

vf-notify -k missing "$sen" >"$work/out" 2>"$work/err"
step $? "vf-notify -k missing: the notice to John"
miss=$(cat "$work/out")
grep -q '^To: .*john@example.com' "$miss"
ok $? "the missing notice goes to the reporter"
grep -q '^-----BEGIN PGP MESSAGE-----$' "$miss"
ok $? "encrypted (John asked for it; the report's signer is his key)"
open john "$miss"
ok $? "John decrypts the missing notice with his own key"
grep -q 'Version' "$work/text"
ok $? "it names the missing field by the form's label"
# John's signed follow-up supplies the version.
printf '(2) Version: 5.0.0 to 5.0.7\n' >"$work/fu.txt"
{
	head822 'John Example <john@example.com>' "Re: [VF#$sen] missing" 5
	printf 'In-Reply-To: %s\n' "$(sed -n 's/^Message-ID: //p' "$miss")"
	printf 'Content-Type: text/plain; charset=UTF-8\n\n'
	GNUPGHOME=$JOHN gpg --batch --no-tty --quiet --local-user "$FPR_john" --clearsign <"$work/fu.txt"
} >"$work/5.eml"
vf-parse <"$work/5.eml" >/dev/null 2>"$work/err"
step $? "John's signed follow-up: filed"
is "$(state "$sen")" received "the follow-up supplies the field: back to received"
is "$(field "$sen" product.version)" '5.0.0 to 5.0.7' "the version is written"
vf-validate "$sen" >/dev/null 2>"$work/err"
step $? "vf-validate again"
is "$(state "$sen")" accepted "now accepted"
is "$(hdr "$sen" Vf-Missing)" "" "Vf-Missing gone"

# --- 3. vf-route ---------------------------------------------------------
vf-ls accepted | vf-route >"$work/out" 2>"$work/err"
step $? "vf-route over the accepted cases"
for c in $sja $sen; do
	is "$(state "$c"):$(hdr "$c" Vf-Route):$(hdr "$c" Vf-Route-Key)" "routed:coordinator:$FPR_coord" \
	    "$c: routed to the coordinator, by its key"
done
is "$(state "$wja"):$(hdr "$wja" Vf-Route):$(hdr "$wja" Vf-Route-Address)" \
    routed:operator:security@shop.example.jp "web ja: routed to the operator in the contact list"
is "$(hdr "$wja" Vf-Route-Source)" "contacts:2 shop.example.jp" "Vf-Route-Source names the contact line"
is "$(state "$wen")" unreachable "web en (www.example.jp, no contact): unreachable"
is "$(field "$wen" status.closed)" 2026-12-01 "status.closed set"

# --- 4. vf-notify, vf-send -----------------------------------------------
vf-notify -k coordinator "$sja" "$sen" >"$work/out" 2>"$work/err"
step $? "vf-notify -k coordinator"
vf-notify -k first-contact "$wja" >>"$work/out" 2>"$work/err"
step $? "vf-notify -k first-contact"
vf-notify -k closed "$wen" >>"$work/out" 2>"$work/err"
step $? "vf-notify -k closed: Lena is told her site has no contact"
is "$(state "$sja"):$(state "$sen"):$(state "$wja")" waiting:waiting:contacted \
    "the notices move the cases: waiting, waiting, contacted"
for c in $sja $sen $wja $wen; do hdr "$c" Vf-Notice; done | grep -c . | grep -qx 4
ok $? "each case records its notice (Vf-Notice)"

cat >"$work/sendmail" <<EOF
#!/bin/sh
# sendmail -t stand-in: files each mail under its recipient's address.
t=\$(mktemp "$work/mail.XXXXXX")
cat >"\$t"
to=\$(sed -n '/^\$/q; s/^To: .*<\(.*\)>\$/\1/p; s/^To: \([^ <]*\)\$/\1/p' "\$t" | sed -n 1p)
mkdir -p "$work/mbox/\$to"
mv "\$t" "$work/mbox/\$to/"
EOF
chmod 700 "$work/sendmail"
VF_SENDMAIL=$work/sendmail vf-send >"$work/sent" 2>"$work/err"
step $? "vf-send"
is "$(ls "$VF_ROOT/outbox/new" | wc -l | tr -d ' ')" 0 "the outbox is empty"
for a in coordinator@example.jp security@shop.example.jp john@example.com lena.sample@example.com; do
	test -n "$(ls "$work/mbox/$a" 2>/dev/null)"
	ok $? "a mail for $a"
done
is "$(ls "$work/mbox/coordinator@example.jp" | wc -l | tr -d ' ')" 2 "two for the coordinator"

cm=$(grep -l "^Subject: .*VF#$sja" "$work/mbox/coordinator@example.jp"/* | sed -n 1p)
open coord "$cm"
ok $? "the coordinator decrypts its notice with its key; the office signed it"
grep -q 'hanako.sato@example.jp' "$work/text"
ok $? "Hanako consented: her address is in the coordinator's notice"
om=$(ls "$work/mbox/security@shop.example.jp"/* | sed -n 1p)
open shop "$om"
ok $? "the operator decrypts the first contact"
grep -q 'https://shop.example.jp/search' "$work/text"
ok $? "the first contact names the URL"
grep -q 'ichiro\|田中' "$work/text"
is $? 1 "and not the reporter"

# --- 5. the answers come back ------------------------------------------
reply() { # WHO FROM NOTICE TEXT N: signed, encrypted, In-Reply-To the notice
	mid=$(sed -n 's/^Message-ID: //p' "$3" | sed -n 1p)
	{
		head822 "$2" 'Re: your notice' "$5"
		printf 'In-Reply-To: %s\nReferences: %s\n' "$mid" "$mid"
		printf 'Content-Type: text/plain; charset=UTF-8\n\n%s\n' "$4" |
		    pgpmime_body "$work/home-$1" "$1@example.jp"
	} >"$work/$5.eml"
	GNUPGHOME=$work/home-$1 gpgconf --kill gpg-agent >/dev/null 2>&1
	vf-parse <"$work/$5.eml"
}
out=$(reply coord 'Coordination Center <coordinator@example.jp>' "$cm" 'COORD: the vendor will publish on 5 January.' 6 2>"$work/err")
step $? "the coordinator's answer: vf-parse files it"
is "$out" "$(where "$sja")" "threaded by the sent Message-ID alone, onto its case"
grep -q '^Vf-Party: coordinator$' "$(where "$sja")" && grep -q '^Vf-Party-Check: ok$' "$(where "$sja")"
ok $? "Vf-Party: coordinator, Vf-Party-Check: ok"
out=$(reply shop 'Example Shop <security@shop.example.jp>' "$om" 'SHOP: send the details here.' 7 2>"$work/err")
step $? "the operator's answer: filed"
grep -q '^Vf-Party: operator$' "$(where "$wja")"
ok $? "Vf-Party: operator"

vf-decide answered "$wja" >/dev/null 2>"$work/err"
step $? "vf-decide answered"
vf-notify -k details "$wja" >"$work/out" 2>"$work/err"
step $? "vf-notify -k details"
is "$(state "$wja")" waiting "details sent: waiting"
open shop "$(cat "$work/out")"
ok $? "the operator decrypts the details"
grep -q 'shop.example.jp/search' "$work/text"
ok $? "the details hold the report"

# --- 6. decisions to the end ---------------------------------------------
VF_NOW=2026-12-20T00:00:00Z vf-decide pubdate '2027-01-05 10:00 +09:00' "$sja" "$sen" >/dev/null 2>"$work/err"
step $? "vf-decide pubdate"
is "$(field "$sja" status.pubdate-utc)" 2027-01-05T01:00:00Z "status.pubdate-utc"
VF_NOW=2027-01-05T01:00:00Z vf-decide published 'JVN#99000001' https://jvn.jp/jp/JVN99000001/ "$sja" >/dev/null 2>"$work/err"
step $? "vf-decide published (software ja)"
VF_NOW=2027-01-05T01:00:00Z vf-decide published 'JVN#99000002' https://jvn.jp/jp/JVN99000002/ "$sen" >/dev/null 2>"$work/err"
step $? "vf-decide published (software en)"
VF_NOW=2026-12-28T00:00:00Z vf-decide fixed 'The search page escapes its output.' "$wja" >/dev/null 2>"$work/err"
step $? "vf-decide fixed (web ja)"
VF_NOW=2026-12-03T00:00:00Z vf-decide close 'The vendor handles it itself.' "$ven" >/dev/null 2>"$work/err"
step $? "vf-decide close (the vendor's report, $vstate)"
is "$(state "$sja"):$(state "$sen"):$(state "$wja"):$(state "$ven")" published:published:fixed:closed \
    "published, published, fixed, closed"
grep -q "vf-decide: by staff pipeline-staff: published" "$(where "$sja")"
ok $? "the decision names the staff member"
VF_NOW=2027-01-05T02:00:00Z vf-notify -k published "$sja" "$sen" >"$work/out" 2>"$work/err"
step $? "vf-notify -k published: the reporters are told"
VF_NOW=2027-01-05T02:00:00Z vf-notify -k fixed "$wja" >>"$work/out" 2>"$work/err"
step $? "vf-notify -k fixed"
# The vendor asked for encrypted mail and gave no key: nothing in clear.
VF_NOW=2027-01-05T02:00:00Z vf-notify -k closed "$ven" >>"$work/out" 2>"$work/err"
is $? 65 "vf-notify -k closed to the vendor's reporter, who asked for encryption and gave no key: refused"
is "$(hdr "$ven" Vf-Key-Needed)" reporter "Vf-Key-Needed: reporter"
grep -l '^To: .*hanako.sato@example.jp' $(cat "$work/out") >/dev/null &&
    grep -l '^To: .*ichiro.tanaka@example.jp' $(cat "$work/out") >/dev/null
ok $? "the final notices go to the reporters"
VF_NOW=2027-01-05T02:00:00Z VF_SENDMAIL=$work/sendmail vf-send >/dev/null 2>"$work/err"
step $? "vf-send the final notices"
jm=$(grep -l "^Subject: .*VF#$sen" "$work/mbox/john@example.com"/* | xargs ls -t | sed -n 1p)
open john "$jm"
ok $? "John reads his published notice with his own key"
grep -q 'JVN#99000002' "$work/text"
ok $? "it names the advisory"

# The public record before the deletion, to compare.
vf-stats -t outcomes -t received -t cwe >"$work/outcomes.before" 2>"$work/err"
step $? "vf-stats before the deletion"

# --- 7. vf-expire, past the grace period ----------------------------------
# retention-days 30: Lena's (closed 2026-12-01) and the vendor's (closed
# 2026-12-03) are past it on 2027-01-20, the fixed one (2026-12-28) and
# the published ones (2027-01-05) not yet.
VF_NOW=2027-01-20T00:00:00Z vf-expire >"$work/exp1" 2>"$work/err"
step $? "vf-expire on 2027-01-20"
is "$(grep '	erased	' "$work/exp1" | cut -f1 | sed 's|.*/||' | sort | tr '\n' ' ')" "$wen $ven " \
    "within retention-days (30): only the cases ended before 2026-12-21 erased"
is "$(state "$sja")" published "the published case is left as it was"
test -n "$(field "$sja" reporter.email)"
ok $? "its reporter's details still there"
VF_NOW=2027-02-10T00:00:00Z vf-expire >"$work/exp2" 2>"$work/err"
step $? "vf-expire past the grace period"
is "$(grep -c '	erased	' "$work/exp2")" 3 "the other three are erased"
VF_NOW=2027-02-10T00:00:00Z vf-expire >"$work/exp3" 2>"$work/err"
grep -c '	erased	' "$work/exp3" | grep -qx 0
ok $? "run again: nothing more to do"
grep -q 'vf-expire: reporter information deleted' "$(where "$sja")"
ok $? "the deletion is recorded in the history"
for k in $FPR_john $FPR_ichiro $FPR_lena; do
	gpg --batch -k "$k" >/dev/null 2>&1
	is $? 2 "reporter key ${k%????????????????????????????????} deleted from the office keyring"
done
gpg --batch -k "$FPR_coord" >/dev/null 2>&1
ok $? "the coordinator's key stays"

# --- 8. the public record after --------------------------------------------
vf-stats -t outcomes -t received -t cwe >"$work/outcomes.after" 2>"$work/err"
step $? "vf-stats after"
cmp -s "$work/outcomes.before" "$work/outcomes.after"
ok $? "outcomes, receipts and CWE tables are the same after the deletion" ||
    diff "$work/outcomes.before" "$work/outcomes.after" | sed 's/^/# /'
grep -q '^software	2	0' "$work/outcomes.after" && grep -q '^web	0	1	' "$work/outcomes.after"
ok $? "outcomes: two software published, one web fixed"
mkdir "$work/stats"
for t in received outcomes timely open cwe delay; do vf-stats -t $t >"$work/stats/$t.tsv"; done
grep -q . "$work/stats/cwe.tsv"
ok $? "the CWE table survives"
vf-ls published | vf-redact -f -a public >"$work/records" 2>"$work/err"
step $? "vf-redact -a public of the published cases"
vf-advisory -o "$work/csaf" <"$work/records" >/dev/null 2>"$work/err"
step $? "vf-advisory"
is "$(sed -n 's/^case.lang: //p' "$work/records" | tr '\n' ' ')" "ja en " "the languages: ja (Hanako), en (John)"
is "$(ls "$work/csaf" | tr '\n' ' ')" "jvn_99000001.json jvn_99000002.json " "one CSAF file each, named by the advisory"
grep -q '"John Example"' "$work/csaf/jvn_99000002.json"
ok $? "John asked for the credit: his name is in the advisory"
grep -q 'Sato\|佐藤\|hanako' "$work/csaf/jvn_99000001.json"
is $? 1 "Hanako did not: hers is not"
grep -q 'ExampleWiki\|3.2.1' "$work/csaf/jvn_99000001.json" || grep -q '"product"' "$work/csaf/jvn_99000001.json"
ok $? "the product is still there"
if command -v node >/dev/null && [ -d "$top/node_modules/@secvisogram/csaf-validator-lib" ]; then
	node "$top/t/csaf-validate.mjs" "$work/csaf"/*.json >"$work/valid" 2>&1
	is "$(grep -c '^valid ' "$work/valid")" 2 "both advisories valid (schema and mandatory tests)" ||
	    sed 's/^/# /' "$work/valid"
else
	skip "node or node_modules missing (npm ci)"
fi
vf-pages -o "$work/public" -s "$work/stats" -u https://vf.example.jp <"$work/records" >/dev/null 2>"$work/err"
step $? "vf-pages"
test -f "$work/public/index.html" && test -f "$work/public/.well-known/csaf/provider-metadata.json"
ok $? "the index and the CSAF provider metadata"
grep -rq 'JVN#99000001\|JVN99000001' "$work/public"
ok $? "the pages list the advisory"

# --- 9. nothing of the reporters anywhere --------------------------------
# John's name stays where he asked for it (the credit); nothing else.
grep -v '^John Example$' "$work/values" >"$work/search"
find "$VF_ROOT" "$GNUPGHOME" "$work/public" "$work/csaf" "$work/stats" -type f >"$work/files"
set --
while IFS= read -r v; do set -- "$@" "$v"; done <"$work/search"
"$findsecret" "$@" -- $(cat "$work/files") >"$work/found"
ok $? "no reporter value anywhere in the root, the keyring, the public record ($(wc -l <"$work/search" | tr -d ' ') values, every encoding)"
sed 's/^/# /' "$work/found" | head -20
"$findsecret" 'Tanaka Ichiro' -- "$work/3.eml" "$ICHIRO/pubring.kbx" >/dev/null
ok $((! $?)) "(the search finds a value where it is)"
for f in product.name status.published status.advisory; do
	test -n "$(field "$sja" $f)"
	ok $? "kept: $f"
done
is "$(hdr "$wja" Vf-Kind):$(field "$wja" status.fixed)" web:2026-12-28 "kept: the kind and the fix date"

done_testing
