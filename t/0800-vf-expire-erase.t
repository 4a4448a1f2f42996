#!/bin/sh
# vf-expire deletes the reporter's information from ended cases, wherever
# it ended up: fields, report text, follow-ups, From, originals, outbox
# notices, the keyring; it keeps what statistics and the public record
# need, and the consented credit. Then the whole root and the keyring are
# searched for every reporter value in every form a mail could carry it.
. "$(dirname "$0")/lib.sh"
findsecret=$top/t/bin/findsecret

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys coord shop || skip_all "cannot make gpg keys"
make_root
echo "coordinator-key $FPR_coord" >>"$VF_ROOT/config"
echo "coordinator-name Example Coordination Center" >>"$VF_ROOT/config"
VF_STAFF=erase-test
export VF_STAFF
# The reports come in before the days the tools run on below; vf-expire
# runs on 2027-01-10.
VF_NOW=2026-11-29T09:00:00Z
export VF_NOW

# Reporter A has a key of his own, in his own keyring; the office has only
# the public half (as when a reporter sends it).
rhome=$work/reporter-gnupg
mkdir -m 700 "$rhome"
A_NAME='Zebulon Quaxworth'
A_MAIL='zebulon.quaxworth@example.net'
A_PHONE='+81-3-5555-0199'
A_ORG='Quaxworth Forensics Lab'
A_ADDR='7-3 Kitamachi Fictionville'
GNUPGHOME=$rhome gpg --batch --quiet --passphrase '' --quick-gen-key \
    "$A_NAME <$A_MAIL>" ed25519 sign,cert never 2>/dev/null
A_FPR=$(GNUPGHOME=$rhome gpg --batch --with-colons -k "$A_MAIL" |
    awk -F: '$1 == "fpr" { print $10; exit }')
GNUPGHOME=$rhome gpg --batch --quiet --passphrase '' --quick-add-key \
    "$A_FPR" cv25519 encr never 2>/dev/null
GNUPGHOME=$rhome gpg --batch --armor --export "$A_FPR" |
    gpg --batch --quiet --import 2>/dev/null
gpg --batch --armor --export "$OFFICE_FPR" |
    GNUPGHOME=$rhome gpg --batch --quiet --import 2>/dev/null
gpg --batch --with-colons -k "$A_FPR" >/dev/null 2>&1
ok $? "the reporter's public key is in the office keyring"
gpg --batch --check-trustdb >/dev/null 2>&1

sed -e "s/John Example/$A_NAME/; s/john@example.com/$A_MAIL/" \
    -e "s/+1 555 0100/$A_PHONE/; s/Example Security Research/$A_ORG/" \
    -e "s/(5) Address:/(5) Address: $A_ADDR/" \
    -e 's/(c) Publish my name in the advisory (required): \[x\] yes  \[ \] no/(c) Publish my name in the advisory (required): [ ] yes  [x] no/' \
    -e "s/(4) Remarks:/(4) Remarks: call me Zeb after 6pm/" \
    "$VF_SHARE/examples/software-en.txt" >"$work/a.txt"
pa=$(GNUPGHOME=$rhome pgpmime "$A_NAME <$A_MAIL>" 'Software Vulnerability Report' \
    "$work/a.txt" "$OFFICE_FPR" "$A_FPR" | vf-parse)
ok $? "reporter A's signed and encrypted report is filed"
ida=$(basename "$pa")
grep -q "^Vf-Signature: good $A_FPR" "$pa"
ok $? "signed by A's key"
printf 'Zebulon again: the crash also happens in 5.0.8. Phone %s.\n' "$A_PHONE" >"$work/a2.txt"
mail "=?UTF-8?B?$(printf '%s' "$A_NAME" | base64)?= <$A_MAIL>" "Re: [VF#$ida] more" "$work/a2.txt" |
    vf-parse >/dev/null
ok $? "A's follow-up is filed"
# A second, still open case of A's, with the same key.
pa2=$(GNUPGHOME=$rhome pgpmime "$A_NAME <$A_MAIL>" 'Software Vulnerability Report' \
    "$work/a.txt" "$OFFICE_FPR" "$A_FPR" | vf-parse)

# Reporter B: a web report in ISO-2022-JP, From in an encoded word.
B_NAME='鰐淵ソラ'
B_MAIL='sora.wanibuchi@example.org'
B_PHONE='090-5555-0142'
B_ORG='鰐淵情報工房'
sed -e "s/田中 一郎/$B_NAME/; s/ichiro.tanaka@example.jp/$B_MAIL/" \
    -e "s/(3) 電話番号：/(3) 電話番号：$B_PHONE/; s/(4) 所属：個人/(4) 所属：$B_ORG/" \
    "$VF_SHARE/examples/web-ja.txt" | iconv -f UTF-8 -t ISO-2022-JP >"$work/b.txt"
bfrom="=?ISO-2022-JP?B?$(printf '%s' "$B_NAME" | iconv -f UTF-8 -t ISO-2022-JP | base64)?= <$B_MAIL>"
pb=$(mail "$bfrom" 'Web Application Vulnerability Report' "$work/b.txt" ISO-2022-JP | vf-parse)
ok $? "reporter B's Japanese web report is filed"
grep -q "$B_NAME" "$pb"
ok $? "B's name is in the case (before)"

# Reporter C asked for the credit.
C_NAME='Xanthippe Vorderlund'
C_MAIL='xanthippe.v@example.com'
C_PHONE='+44 20 5555 0177'
sed -e "s/John Example/$C_NAME/; s/john@example.com/$C_MAIL/; s/+1 555 0100/$C_PHONE/" \
    "$VF_SHARE/examples/software-en.txt" >"$work/c.txt"
pc=$(mail "$C_NAME <$C_MAIL>" 'Software Vulnerability Report' "$work/c.txt" | vf-parse)
# An unsigned follow-up to C's case only proposes (Vf-Proposes, a proposal).
printf 'Version: 5.0.9\nPhone: %s\n' "$C_PHONE" >"$work/c2.txt"
mail "$C_NAME <$C_MAIL>" "Re: [VF#$(basename "$pc")] version" "$work/c2.txt" | vf-parse >/dev/null
pc=$(vf-ls | grep "/$(basename "$pc")\$")
grep -q '^Vf-Proposes: .*product.version' "$pc" && grep -q '^Vf-Part: proposal' "$pc"
ok $? "setup: C's case has a proposal and Vf-Proposes"

# Run them to their end with the real tools, each on its day: accepted,
# routed, the coordinator or the operator told, published or fixed.
at() { # DAY TOOL ARGS...
	d=$1
	shift
	VF_NOW=${d}T09:00:00Z "$@" >/dev/null 2>>"$work/ends.err" && return 0
	echo "# failed: $*: $(tail -1 "$work/ends.err")" >&2
	return 1
}
cat >"$work/sendmail" <<EOF
#!/bin/sh
cat >/dev/null
EOF
chmod 700 "$work/sendmail"
sw_to() { # CASE: accepted, routed to the coordinator, the coordinator told
	at 2026-12-01 vf-decide accept "$1" && at 2026-12-01 vf-route "$1" &&
	    at 2026-12-01 vf-notify -k coordinator "$1"
}
ida=$(basename "$pa")
ida2=$(basename "$pa2")
idb=$(basename "$pb")
idc=$(basename "$pc")
# A is acknowledged (encrypted to his key, which the case then records),
# his first case published, the other one left waiting; B's site is
# fixed, and the notice telling B is made yesterday and not sent yet; C's
# case is published with the credit C asked for.
at 2026-11-30 vf-notify -k ack "$ida" && sw_to "$ida" &&
    at 2027-01-05 vf-decide published 'JVN#90000001' "$ida" &&
    at 2026-11-30 vf-notify -k ack "$ida2" && sw_to "$ida2" &&
    at 2026-12-01 vf-decide accept "$idb" &&
    at 2026-12-01 vf-decide route operator security@shop.example.jp "$FPR_shop" Shop "$idb" &&
    at 2026-12-01 vf-notify -k first-contact "$idb" &&
    at 2027-01-04 vf-decide fixed 'Escaped.' "$idb" &&
    sw_to "$idc" && at 2027-01-06 vf-decide published 'JVN#90000002' "$idc" &&
    at 2027-01-08 env VF_SENDMAIL="$work/sendmail" vf-send &&
    at 2027-01-09 vf-notify -k fixed "$idb"
ok $? "setup: the cases run to their end by vf-decide, vf-route, vf-notify and vf-send"
pa=$(vf-ls | grep "/$ida\$")
pa2=$(vf-ls | grep "/$ida2\$")
pb=$(vf-ls | grep "/$idb\$")
pc=$(vf-ls | grep "/$idc\$")
is "$(sed "s|^$VF_ROOT/||; s|/.*||" <<EOF
$pa
$pa2
$pb
$pc
EOF
)" "published
waiting
fixed
published" "setup: published, waiting, fixed, published"
grep -q "^Vf-Reporter-Key: $A_FPR\$" "$pa"
ok $? "setup: A's case records the key the ack went to"
# The outbox: the office's copy of the ack to A (sent), the coordinator
# notice (kept: not the reporter's), the notice to B still waiting.
ackA=$(grep -l "^Vf-Id: $ida\$" "$VF_ROOT"/outbox/cur/* | xargs grep -l '^Vf-Notice: ack reporter')
coordA=$(grep -l "^Vf-Id: $ida\$" "$VF_ROOT"/outbox/cur/* | xargs grep -l '^Vf-Notice: coordinator coordinator')
test -n "$ackA" && test -n "$coordA" && test -n "$(ls "$VF_ROOT/outbox/new")"
ok $? "setup: the ack to A and the coordinator notice sent, B's notice in outbox/new"
# A notice made after vf-expire read the outbox (vf-notify, while
# vf-expire ran) is known to it only by the case's Vf-Notice: hide the
# ack to A (sent) and the notice to B (not sent) from the outbox scan,
# which skips a file without a Vf-Id. The case's record must find both.
for f in "$ackA" "$VF_ROOT"/outbox/new/*; do
	sed -i '1,/^$/s/^Vf-Id: /X-Hidden-Vf-Id: /' "$f"
done
! grep -q "^Vf-Id: " "$ackA" "$VF_ROOT"/outbox/new/*
ok $? "setup: the ack to A and the notice to B hidden from the scan"
# Written yesterday by the clock the tools run by (VF_NOW; the file's
# time is the machine's, which vf-expire reads as the notice's age).
touch -d 2027-01-09T09:00:00Z "$VF_ROOT"/outbox/new/*
VF_NOW=2027-01-10T09:00:00Z

snapshot() { (cd "$VF_ROOT" && find . -type f ! -path './.lock/*' | sort | xargs sha256sum); }

# -n changes nothing.
snapshot >"$work/before"
vf-expire -n >"$work/dry" 2>"$work/err"
is $? 0 "vf-expire -n: exit 0"
snapshot >"$work/after"
cmp -s "$work/before" "$work/after"
ok $? "-n changes nothing"
grep -q "	erased	would delete" "$work/dry"
ok $? "-n says what it would delete"

# vf-send's lock on the outbox held: vf-expire does nothing, says why,
# and exits 75 (a notice moved from new/ to cur/ while vf-expire reads
# the two would escape it).
exec 8>>"$VF_ROOT/outbox/.lock"
flock -n 8
ok $? "setup: the outbox's lock held (as vf-send holds it)"
snapshot >"$work/before"
VF_LOCK_WAIT=0 vf-expire >"$work/out0" 2>"$work/err"
is $? 75 "vf-expire while the outbox is locked: exit 75"
grep -q "outbox is in use" "$work/err"
ok $? "the message says the outbox is in use"
snapshot >"$work/after"
cmp -s "$work/before" "$work/after"
ok $? "and nothing was changed"
exec 8>&-

vf-expire >"$work/out1" 2>"$work/err"
is $? 0 "vf-expire: exit 0"
pa=$(vf-ls published | grep "$ida")
grep -q "^$pa	erased	" "$work/out1"
ok $? "A's published case is erased"
grep -q "^$VF_ROOT/fixed/.*	waiting	" "$work/out1"
ok $? "B's case waits while a notice to B is not sent"
# Unsent for longer than notice-wait-days (7): the wait is over, for a
# notice the scan could not read as for any other.
touch -d 2027-01-01T09:00:00Z "$VF_ROOT"/outbox/new/*
vf-expire -n >"$work/dry2" 2>"$work/err"
grep -q "^$VF_ROOT/fixed/.*	erased	would delete .*notices to the reporter in the outbox (1)" "$work/dry2"
ok $? "a notice to B unsent for 9 days no longer holds B's case back"
touch -d 2027-01-09T09:00:00Z "$VF_ROOT"/outbox/new/*
grep -q "^$VF_ROOT/published/.*	erased	.*kept: reporter.name" "$work/out1"
ok $? "C's case is erased, the credit kept"
gpg --batch -k "$A_FPR" >/dev/null 2>&1
ok $? "A's key is kept: A's other case is open"
grep -c "^Vf-Reporter-Key" "$pa" | grep -qx 0
ok $? "the erased case names A's key no more"
test -f "$ackA"
ok $((! $?)) "the notice to A in the outbox is deleted"
test -f "$coordA"
ok $? "the notice to the coordinator is kept"
grep -q "vf-expire: reporter information deleted: reporter fields" "$pa"
ok $? "the history records which classes were deleted"
grep "reporter information deleted" "$VF_ROOT/log" | grep -q "$ida"
ok $? "so does the log"
for f in product.name product.version status.published status.advisory vuln.summary; do
	grep -q "^$f: " "$pa"
	ok $? "kept: $f"
done
grep -q '^Vf-Kind: software' "$pa"
ok $? "kept: the kind"

# The notice to B is sent (the sending script moves it), A's other case ends.
VF_SENDMAIL=$work/sendmail vf-send >/dev/null 2>"$work/err"
ok $? "the notice to B is sent (vf-send)"
at 2027-01-08 vf-decide close 'The vendor stopped answering.' "$ida2"
ok $? "A's other case closed (vf-decide close)"
vf-expire >"$work/out2" 2>"$work/err"
is $? 0 "second run: exit 0"
grep -c '	erased	' "$work/out2" | grep -qx 2
ok $? "B's case and A's other case are erased now"
gpg --batch -k "$A_FPR" >/dev/null 2>&1
ok $((! $?)) "A's key is deleted from the keyring once no case needs it"
gpg --batch -k "$OFFICE_FPR" >/dev/null 2>&1
ok $? "the office key is kept"
pc=$(vf-ls published | grep "$(basename "$pc")")
grep -q "^reporter.name: $C_NAME\$" "$pc"
ok $? "C's consented credit is kept"
grep -q "$C_MAIL" "$pc"
ok $((! $?)) "but not C's address"
grep -q '^Vf-Part: proposal' "$pc"
ok $((! $?)) "the proposal part is deleted"
grep -q '^Vf-Proposes:' "$pc"
ok $((! $?)) "and so is Vf-Proposes, which named it"

# Twice in a row changes nothing the second time.
snapshot >"$work/before"
vf-expire >"$work/out3" 2>"$work/err"
is "$?:$(grep -c . "$work/out3")" "0:0" "third run: nothing to do, nothing said"
snapshot >"$work/after"
cmp -s "$work/before" "$work/after"
ok $? "third run changes nothing"

# A follow-up to an erased case brings details again: erased again.
printf 'Zebulon Quaxworth once more.\n' >"$work/a3.txt"
mail "$A_NAME <$A_MAIL>" "Re: [VF#$ida] thanks" "$work/a3.txt" | vf-parse >/dev/null
vf-expire >"$work/out4" 2>"$work/err"
grep -c '	erased	' "$work/out4" | grep -qx 1
ok $? "a follow-up after the erasure is erased by the next run"

# Now nothing of A, B or C (but C's consented name) is anywhere.
find "$VF_ROOT" "$GNUPGHOME" -type f >"$work/files"
"$findsecret" "$A_NAME" "$A_MAIL" "$A_PHONE" "$A_ORG" "$A_ADDR" "Quaxworth" "Zebulon" \
    "$A_FPR" "$B_NAME" "$B_MAIL" "$B_PHONE" "$B_ORG" "$C_MAIL" "$C_PHONE" \
    -- $(cat "$work/files") >"$work/found"
ok $? "no reporter value anywhere in the root or the keyring, in any encoding"
sed 's/^/# /' "$work/found" | head -20
# The search itself finds what is there: C's consented name, in the case.
"$findsecret" "$C_NAME" -- "$pc" >/dev/null
ok $((! $?)) "(the search finds a value that is there)"
grep -q 'Zebulon' "$rhome/pubring.kbx"
ok $? "(and the reporter's own keyring, outside, still has his key)"

done_testing
