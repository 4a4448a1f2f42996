#!/bin/sh
# vf-parse on real mail: clear, PGP/MIME, inline, signed, undecryptable,
# partly encrypted (EFAIL), follow-ups, redelivery, line ends, and the
# configuration errors that must leave nothing behind.
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys reporter stranger || skip_all "cannot make gpg keys"
make_root

sw="$work/sw.txt"
cat >"$sw" <<'EOF'
1. 届出者情報
氏名: 山田太郎
電子メールアドレス: taro@example.jp
2. 脆弱性情報
製品名: ExampleWiki
バージョン: 2.3.1
脆弱性の概要:
  ページ編集画面にクロスサイトスクリプティングの脆弱性があります。
EOF

field() { # CASEFILE NAME: the field's first line
	sed -n "/^Vf-Part: fields/,/^--/p" "$1" | sed -n "s/^$2: //p" | sed -n 1p
}
header() { sed -n "1,/^\$/s/^$2: //p" "$1" | sed -n 1p; }
parthdrs() { # CASEFILE ROLE: the header blocks of the parts of that role
	awk -v role="$2" '/^--=_vf/ { h = 1; blk = ""; next }
	    h && /^$/ { if (blk ~ ("Vf-Part: " role "\n")) printf "%s", blk; h = 0; next }
	    h { blk = blk $0 "\n" }' "$1"
}
ncases() { find "$VF_ROOT" -path '*/new/*' -o -path '*/cur/*' | grep -c .; }
# DESC: the gpg whose pid $work/hang.pid holds, if it wrote one, is not
# running (dead, or a zombie of an init that does not reap orphans).
gone() {
	st=
	[ -s "$work/hang.pid" ] && st=$(ps -o stat= -p "$(cat "$work/hang.pid")" 2>/dev/null)
	case $st in ""|Z*) ok 0 "$1" ;; *) ok 1 "$1 (state $st)" ;; esac
}

# --- a clear Japanese report
mail 'Yamada Taro <taro@example.jp>' \
    '=?UTF-8?B?44K944OV44OI44Km44Ko44Ki6KO95ZOB6ISG5byx5oCn6Zai6YCj5oOF5aCx44Gu5bGK5Ye6?=' \
    "$sw" >"$work/m1"
p1=$(vf-parse <"$work/m1" 2>"$work/err")
ok $? "clear report: exit 0"
case $p1 in "$VF_ROOT"/received/new/2*) ok 0 "path printed is in received/new" ;;
*) ok 1 "path printed is in received/new: '$p1'" ;; esac
test -f "$p1"
ok $? "case file exists"
is "$(stat -c %a "$p1")" 600 "case file mode 0600"
is "$(stat -c %a "$VF_ROOT")" 700 "root mode 0700"
is "$(stat -c %a "$VF_ROOT/received")" 700 "state folder mode 0700"
is "$(header "$p1" Vf-Kind)" software "kind from the IPA subject line"
is "$(field "$p1" reporter.name)" "山田太郎" "reporter.name extracted"
is "$(field "$p1" product.name)" "ExampleWiki" "product.name extracted"
is "$(header "$p1" Vf-Encryption)" none "clear mail: no encryption"
id1=$(header "$p1" Vf-Id)
grep -q "^Subject: \[VF#$id1\]" "$p1"
ok $? "case id in the Subject"

# The original is kept, encrypted to the office key: decrypt it back.
sed -n '/^-----BEGIN PGP MESSAGE-----/,/^-----END PGP MESSAGE-----/p' "$p1" \
    >"$work/orig.asc"
gpg --batch --quiet --decrypt "$work/orig.asc" >"$work/orig" 2>/dev/null
cmp -s "$work/orig" "$work/m1"
ok $? "original kept encrypted, decrypts to the mail byte for byte"
if grep -q "ExampleWiki" "$work/orig.asc"; then ok 1 "original not in clear"
else ok 0 "original not in clear"; fi

# gpg is given the mail as it starts, what its pipe takes (up to 1 MiB),
# the rest later: a mail past that still comes back byte for byte.
{
	printf 'Subject: a large log\nMessage-ID: <large-log@example.net>\n\n'
	i=0
	while [ $i -lt 30000 ]; do
		printf 'line %06d of a proof-of-concept log %s\n' $i "$(( (i * 7919) % 100003 ))"
		i=$((i + 1))
	done
} >"$work/mlarge"
pl=$(vf-parse <"$work/mlarge" 2>/dev/null)
ok $? "a clear mail over 1 MiB: exit 0"
sed -n '/^-----BEGIN PGP MESSAGE-----/,/^-----END PGP MESSAGE-----/p' "$pl" |
    gpg --batch --quiet --decrypt >"$work/orig" 2>/dev/null
cmp -s "$work/orig" "$work/mlarge"
ok $? "a clear mail over 1 MiB: its original decrypts to it byte for byte"

# --- PGP/MIME, encrypted and signed by the reporter
pgpmime 'Yamada Taro <taro@example.jp>' 'Software Vulnerability Report' \
    "$sw" "$OFFICE_FPR" "$FPR_reporter" >"$work/m2"
p2=$(vf-parse <"$work/m2" 2>"$work/err")
ok $? "PGP/MIME: exit 0"
is "$(header "$p2" Vf-Encryption)" "pgp-mime ok" "PGP/MIME decrypted"
is "$(header "$p2" Vf-Signature | cut -d' ' -f1,2)" "good $FPR_reporter" \
    "signature recorded as good with the signer's fingerprint"
is "$(header "$p2" Vf-Protection)" encrypted "report protection: encrypted"
is "$(field "$p2" reporter.email)" "taro@example.jp" "fields from decrypted text"
grep -q '^Vf-Original: as-received' "$p2"
ok $? "ciphertext-only mail kept as it came"

# --- encrypted to a key the office does not have
GNUPGHOME_SAVE=$GNUPGHOME
mkdir -m 700 "$work/other"
gpg --batch --quiet --armor --export "$FPR_stranger" >"$work/stranger.asc"
gpg --batch --quiet --yes --delete-secret-keys "$FPR_stranger" 2>/dev/null
pgpmime 'x@example.net' 'report' "$sw" "$FPR_stranger" >"$work/m3"
p3=$(vf-parse <"$work/m3" 2>"$work/err")
ok $? "undecryptable mail still becomes a case (exit 0)"
is "$(header "$p3" Vf-Encryption)" "pgp-mime failed" "marked: not decrypted"
header "$p3" Vf-Problem | grep -q "no secret key"
ok $? "problem says why: no secret key"
grep -q '^-----BEGIN PGP MESSAGE-----' "$p3"
ok $? "undecryptable original kept"

# --- partly encrypted: clear text beside ciphertext is never merged (EFAIL)
pgpmime 'Yamada Taro <taro@example.jp>' 'x' "$sw" "$OFFICE_FPR" \
    | sed '1,/^$/d' >"$work/encbody"
{
	printf 'From: attacker@example.org\nSubject: report\nMIME-Version: 1.0\n'
	printf 'Content-Type: multipart/mixed; boundary="outer"\n\n'
	printf -- '--outer\nContent-Type: text/plain; charset=utf-8\n\n'
	printf '氏名: 攻撃者\n製品名: INJECTED\n<img src="http://attacker.example/\n'
	printf -- '--outer\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b1"\n\n'
	cat "$work/encbody"
	printf -- '--outer--\n'
} >"$work/m4"
p4=$(vf-parse <"$work/m4" 2>"$work/err")
ok $? "partly encrypted mail: exit 0"
is "$(field "$p4" reporter.name)" "山田太郎" "report fields come from the encrypted part only"
sed -n '/^Vf-Part: report/,/^--=_vf/p' "$p4" | grep -q INJECTED
is $? 1 "clear text not merged into the report"
sed -n '/^Vf-Part: unprotected/,/^--=_vf/p' "$p4" | grep -q INJECTED
ok $? "clear text kept apart, marked unprotected"

# --- inline clearsigned
gpg --batch --quiet --local-user "$FPR_reporter" --clearsign <"$sw" >"$work/signed.txt"
mail 'taro@example.jp' 'Software Vulnerability Report' "$work/signed.txt" >"$work/m5"
p5=$(vf-parse <"$work/m5" 2>"$work/err")
ok $? "clearsigned: exit 0"
is "$(header "$p5" Vf-Signature | cut -d' ' -f1,2)" "good $FPR_reporter" "inline signature good"
is "$(field "$p5" product.name)" "ExampleWiki" "fields from signed text"

# --- a clearsigned text altered after signing: the signature is bad, and
# the text counts as clear, with the problem said
sed 's/ExampleWiki/EvilWiki/' "$work/signed.txt" >"$work/bad.txt"
mail 'taro@example.jp' 'Software Vulnerability Report' "$work/bad.txt" >"$work/m5b"
p5b=$(vf-parse <"$work/m5b" 2>"$work/err")
ok $? "bad signature: exit 0"
is "$(header "$p5b" Vf-Signature | cut -d' ' -f1)" bad "bad signature recorded"
is "$(header "$p5b" Vf-Protection)" clear "bad signature: text counts as clear"
header "$p5b" Vf-Problem | grep -q "signature bad"
ok $? "bad signature: problem said"

# --- follow-up by subject tag; a made-up In-Reply-To threads nothing
printf '追加の情報です。\n' >"$work/fu.txt"
mail 'taro@example.jp' "Re: [VF#$id1] 追加" "$work/fu.txt" >"$work/m6"
before=$(ncases)
p6=$(vf-parse <"$work/m6" 2>"$work/err")
ok $? "follow-up: exit 0"
is "$p6" "$p1" "follow-up filed on its case"
is "$(ncases)" "$before" "no new case for a follow-up"
grep -q '^Vf-Part: followup' "$p1"
ok $? "follow-up part added"
grep -q '追加の情報です' "$p1"
ok $? "follow-up text kept"
# Threading by Message-ID is through .sent only (t/0150-followup.t): one
# that merely has the office's shape, and the case's number, is a new case.
{
	printf 'From: taro@example.jp\nSubject: no tag here\n'
	printf 'In-Reply-To: <vf.%s.17.abc@example.jp>\n\nanother answer\n' "$id1"
} >"$work/m7"
p7=$(vf-parse <"$work/m7" 2>"$work/err")
is "$(ncases)" "$((before + 1))" "an In-Reply-To the office did not send: a new case"
is "$(grep -c '^Vf-Part: followup' "$p1")" 1 "and no follow-up on the case it names"

# A follow-up signed by another key than the report's counts as clear.
id5=$(header "$p5" Vf-Id)
gpg --batch --quiet --local-user "$OFFICE_FPR" --clearsign <"$work/fu.txt" >"$work/fu-other.txt"
mail 'taro@example.jp' "Re: [VF#$id5]" "$work/fu-other.txt" >"$work/m7b"
p7b=$(vf-parse <"$work/m7b" 2>"$work/err")
is "$p7b" "$p5" "follow-up signed by another key: filed on its case"
is "$(parthdrs "$p5" followup | grep '^Vf-Protection:')" "Vf-Protection: clear" \
    "another signer: recorded as clear"
grep -q "follow-up received (party unknown, threaded by subject tag, key $OFFICE_FPR, " "$p5"
ok $? "another signer: the history names its key"
sed -n '/^Vf-Part: followup/,/^--=_vf/p' "$p5" | grep -q '追加の情報です'
ok $? "another signer: the follow-up's text is kept"
gpg --batch --quiet --local-user "$FPR_reporter" --clearsign <"$work/fu.txt" >"$work/fu-same.txt"
mail 'taro@example.jp' "Re: [VF#$id5]" "$work/fu-same.txt" >"$work/m7c"
vf-parse <"$work/m7c" >/dev/null 2>&1
is "$(parthdrs "$p5" followup | grep '^Vf-Protection:' | tr '\n' ' ')" \
    "Vf-Protection: clear Vf-Protection: signed " \
    "the report's own key: follow-up counts as signed"

# A subject naming no case on disk, a References the office did not send:
# a new case.
before=$(ncases)
{
	printf 'From: taro@example.jp\nSubject: Re: [VF#2026-99999] old\n'
	printf 'References: <vf.%s.1.x@example.jp>\n\nthird answer\n' "$id1"
} >"$work/m7d"
vf-parse <"$work/m7d" >/dev/null 2>&1
is "$(ncases)" "$((before + 1))" "unknown tag in subject, References not ours: a new case"

# --- what a person will see carries no terminal controls (C1 CSI too)
printf 'Subject: =?UTF-8?B?%s?=\nContent-Type: multipart/mixed; boundary=k\n\n--k\nContent-Type: text/plain\n\nhello\n--k\nContent-Type: application/pgp-keys\nContent-Disposition: attachment; filename="key.asc"\n\n-----BEGIN PGP PUBLIC KEY BLOCK-----\nxx\n-----END PGP PUBLIC KEY BLOCK-----\n--k--\n' \
    "$(printf 'a\302\2332Jb' | base64)" >"$work/m11"
p11=$(vf-parse <"$work/m11" 2>/dev/null)
if vf-show "$p11" | grep -q "$(printf '\302\233')"; then ok 1 "no C1 control in what vf-show prints"
else ok 0 "no C1 control in what vf-show prints"; fi
grep -q '^Vf-Filename: key.asc' "$p11"
ok $? "a reporter's public key is kept as an attachment"

# --- the same mail again: idempotent
before=$(ncases)
again=$(vf-parse <"$work/m1" 2>"$work/err")
ok $? "redelivery: exit 0"
is "$again" "$p1" "redelivery names the same case"
is "$(ncases)" "$before" "redelivery files nothing new"
cp "$p1" "$work/p1.before"
vf-parse <"$work/m6" >/dev/null 2>&1
cmp -s "$p1" "$work/p1.before"
ok $? "redelivered follow-up changes nothing"

# The same mail delivered five times at the same moment: one case.
printf '氏名: 同時\n製品名: Race\n' >"$work/race.txt"
mail 'race@example.jp' 'Software Vulnerability Report' "$work/race.txt" >"$work/m13"
before=$(ncases)
for i in 1 2 3 4 5; do
	( vf-parse <"$work/m13" >"$work/race.$i" 2>/dev/null; echo $? >"$work/race.$i.rc" ) &
done
wait
is "$(cat "$work"/race.*.rc | sort -u | tr '\n' ' ')" "0 " "five at once: every delivery exits 0"
is "$(ncases)" "$((before + 1))" "five at once: one case"
is "$(cat "$work"/race.[1-5] | sort -u | grep -c .)" 1 "five at once: all name the same case"

# --- line ends and the mbox From_ line
for v in crlf cr from; do
	case $v in
	crlf) sed 's/$/\r/' "$work/m1" ;;
	cr) tr '\n' '\r' <"$work/m1" ;;
	from) { echo 'From taro@example.jp Thu Nov 26 10:00:00 2026'; cat "$work/m1"; } ;;
	esac >"$work/m8"
	p8=$(vf-parse <"$work/m8" 2>"$work/err")
	ok $? "$v: exit 0"
	is "$(field "$p8" reporter.name)" "山田太郎" "$v: fields extracted"
done

# --- a broken mail is still a case, marked
printf 'Subject: x\nContent-Type: multipart/mixed; boundary="q"\n\n--q\nContent-Transfer-Encoding: base64\n\n!!!***\n' >"$work/m9"
p9=$(vf-parse <"$work/m9" 2>"$work/err")
ok $? "broken MIME: exit 0"
test -n "$(header "$p9" Vf-Problem)"
ok $? "broken MIME: problem recorded"

# --- errors that must leave nothing behind
vf-parse </dev/null >/dev/null 2>&1
is $? 66 "empty input: 66"
before=$(ncases)
cp "$VF_ROOT/config" "$work/config.good"
grep -v office-key "$work/config.good" >"$VF_ROOT/config"
vf-parse <"$work/m1" >/dev/null 2>"$work/err"
is $? 78 "no office-key: 78"
grep -q office-key "$work/err"
ok $? "no office-key: says so"
sed "s/^office-key .*/office-key 0123456789ABCDEF0123456789ABCDEF01234567/" \
    "$work/config.good" >"$VF_ROOT/config"
printf 'Subject: new\n\nnew text\n' | vf-parse >/dev/null 2>"$work/err"
is $? 78 "office key not in the keyring: 78"
is "$(ncases)" "$before" "configuration errors file nothing"
is "$(find "$VF_ROOT" -path "$VF_ROOT/*/tmp/*" -type f | grep -c .)" 0 "nothing left in tmp/"
cp "$work/config.good" "$VF_ROOT/config"
chmod 770 "$VF_ROOT"
vf-parse <"$work/m1" >/dev/null 2>&1
is $? 77 "a root others can write is refused: 77"
chmod 700 "$VF_ROOT"

# gpg-agent unreachable: a retry could work, so 75 and nothing filed.
# (vf runs gpg with --no-options: a gpg.conf cannot take the agent away,
# a wrapper does.)
cp -r "$GNUPGHOME" "$work/noagent"
rm -f "$work/noagent"/S.*
printf '#!/bin/sh\nexec gpg --agent-program /bin/false "$@"\n' >"$work/gpg-noagent"
chmod +x "$work/gpg-noagent"
pgpmime 'taro@example.jp' 'Software Vulnerability Report' "$sw" \
    "$OFFICE_FPR" >"$work/m10"
before=$(ncases)
GNUPGHOME=$work/noagent VF_GPG=$work/gpg-noagent vf-parse <"$work/m10" \
    >/dev/null 2>"$work/err"
is $? 75 "gpg-agent unreachable: 75 (the MTA retries)"
is "$(ncases)" "$before" "gpg-agent unreachable: nothing filed"
vf-parse <"$work/m10" >/dev/null 2>&1
ok $? "the retry with the agent back files it"
is "$(ncases)" "$((before + 1))" "one case for it"

# Thousands of armored blocks: gpg runs at most 32 times, the rest is
# kept as it came, and the case says so.
printf '#!/bin/sh\necho run >>"%s/gpgruns"\nexec gpg "$@"\n' "$work" >"$work/countgpg"
chmod +x "$work/countgpg"
{
	printf 'Subject: many blocks\n\n'
	i=0
	while [ $i -lt 500 ]; do
		printf -- '-----BEGIN PGP MESSAGE-----\n\nhQ==\n-----END PGP MESSAGE-----\n'
		i=$((i + 1))
	done
} >"$work/m12"
p12=$(VF_GPG=$work/countgpg vf-parse <"$work/m12" 2>/dev/null)
ok $? "500 armored blocks: filed"
n=$(grep -c run "$work/gpgruns" 2>/dev/null)
test "${n:-0}" -ge 2 && test "$n" -le 33
ok $? "500 armored blocks: gpg ran $n times (some blocks and the original, at most 33)"
header "$p12" Vf-Problem | grep -q "more than 32 gpg runs"
ok $? "500 armored blocks: the case says so"

# Larger than max-message-size: refused with 75, the MTA keeps it.
echo 'max-message-size 2048' >>"$VF_ROOT/config"
before=$(ncases)
{ printf 'Subject: big\n\n'; yes 'a line of a long report' | sed 3000q; } |
    vf-parse >/dev/null 2>"$work/err"
is $? 75 "over max-message-size: 75"
grep -q 'max-message-size' "$work/err"
ok $? "over max-message-size: says which limit"
is "$(ncases)" "$before" "over max-message-size: nothing filed"
printf 'Subject: small\n\nsmall\n' | vf-parse >/dev/null 2>&1
ok $? "under max-message-size: filed"
cp "$work/config.good" "$VF_ROOT/config"

# A gpg that hangs: after the configured timeout, 75 and gpg killed.
printf '#!/bin/sh\necho $$ >"%s/hang.pid"\nexec sleep 60\n' "$work" >"$work/hang"
chmod +x "$work/hang"
echo 'timeout 2' >>"$VF_ROOT/config"
before=$(ncases)
printf 'Subject: hang\n\nsome text\n' |
    VF_GPG=$work/hang vf-parse >/dev/null 2>"$work/err"
is $? 75 "gpg hangs: 75 after the timeout"
grep -q 'timed out' "$work/err"
ok $? "gpg hangs: says it timed out"
is "$(ncases)" "$before" "gpg hangs: nothing filed"
test -s "$work/hang.pid"
ok $? "gpg hangs: the hanging gpg did run"
sleep 1
# Dead or a zombie (an init that does not reap orphans): not running.
st=$(ps -o stat= -p "$(cat "$work/hang.pid")" 2>/dev/null)
case $st in ""|Z*) ok 0 "the hung gpg was killed" ;;
*) ok 1 "the hung gpg was killed (state $st)" ;; esac
cp "$work/config.good" "$VF_ROOT/config"

# The original's gpg starts before the number is reserved: a delivery
# that fails in between (.lock is no folder) still exits as it did, and
# leaves no gpg behind.
mkdir -m 700 "$work/lockroot"
cp "$work/config.good" "$work/lockroot/config"
: >"$work/lockroot/.lock"
rm -f "$work/hang.pid"
printf 'Subject: no lock\n\nsome text\n' |
    VF_ROOT=$work/lockroot VF_GPG=$work/hang vf-parse >/dev/null 2>"$work/err"
is $? 74 "no .lock folder: 74"
grep -q 'lockroot/.lock: Not a directory' "$work/err"
ok $? "no .lock folder: says why"
gone "no .lock folder: no gpg left running"
rm -rf "$work/lockroot"

# The original's gpg starts before the .seen lock and the MIME parse, a
# guess from the header: a clear mail runs one gpg --encrypt, a PGP/MIME
# one none, and a mail filed before stops the one it started.
printf '#!/bin/sh\nfor a; do [ "$a" = --encrypt ] && echo $$ >>"%s/enc.log"; done\nexec gpg "$@"\n' \
    "$work" >"$work/gpglog"
chmod +x "$work/gpglog"
rm -f "$work/enc.log"
printf 'Subject: one encrypt\nMessage-ID: <one-enc@example.net>\n\nsome text\n' >"$work/oneenc"
VF_GPG=$work/gpglog vf-parse <"$work/oneenc" >/dev/null 2>&1
ok $? "a clear mail, gpg started early: exit 0"
is "$(wc -l <"$work/enc.log" | tr -d ' ')" 1 "a clear mail: one gpg --encrypt, not two"
rm -f "$work/enc.log"
pgpmime 'Yamada Taro <taro@example.jp>' 'fresh' "$sw" "$OFFICE_FPR" >"$work/m2b"
VF_GPG=$work/gpglog vf-parse <"$work/m2b" >/dev/null 2>&1
ok $? "a PGP/MIME mail, no early gpg: exit 0"
is "$(cat "$work/enc.log" 2>/dev/null | wc -l | tr -d ' ')" 0 \
    "a PGP/MIME mail, kept as it came: no gpg --encrypt"
rm -f "$work/hang.pid"
VF_GPG=$work/hang vf-parse <"$work/oneenc" >/dev/null 2>"$work/err"
is $? 0 "a clear mail filed before: exit 0"
grep -q 'delivered before' "$work/err"
ok $? "a clear mail filed before: says so"
# Killed before it wrote its pid, or after: either way not running; one
# left alone would have written it by now and still sleep.
sleep 1
gone "a clear mail filed before: no gpg left running"
mkdir -m 700 "$work/seenroot"
cp "$work/config.good" "$work/seenroot/config"
: >"$work/seenroot/.seen"
rm -f "$work/hang.pid"
VF_ROOT=$work/seenroot VF_GPG=$work/hang vf-parse <"$work/oneenc" \
    >/dev/null 2>"$work/err"
is $? 75 "no .seen folder: 75"
sleep 1
gone "no .seen folder: no gpg left running"
rm -rf "$work/seenroot"

# The field table is loaded while gpg runs now: a broken one still fails
# the delivery with 78, says so, files nothing, and stops that gpg.
mkdir "$work/badshare"
cp -R "$VF_SHARE/." "$work/badshare/"
printf 'not a field line at all\n' >>"$work/badshare/fields"
printf 'Subject: bad table\nMessage-ID: <bad-table@example.net>\n\nsome text\n' >"$work/badclear"
pgpmime 'Yamada Taro <taro@example.jp>' 'bad table' "$sw" "$OFFICE_FPR" >"$work/badpgp"
for m in badclear badpgp; do
	n0=$(ncases)
	rm -f "$work/hang.pid"
	VF_SHARE=$work/badshare vf-parse <"$work/$m" >/dev/null 2>"$work/err"
	is $? 78 "a broken field table ($m): 78"
	grep -q 'fields' "$work/err"
	ok $? "a broken field table ($m): says so"
	is "$(ncases)" "$n0" "a broken field table ($m): nothing filed"
done
VF_SHARE=$work/badshare VF_GPG=$work/hang vf-parse <"$work/badclear" \
    >/dev/null 2>&1
is $? 78 "a broken field table, gpg started: 78"
sleep 1
gone "a broken field table: no gpg left running"
rm -rf "$work/badshare"

# Two gpg at once (the original's, and the check of an inline signature):
# the timeout kills both.
printf '#!/bin/sh\necho $$ >>"%s/hang.pids"\nexec sleep 60\n' "$work" >"$work/hang2"
chmod +x "$work/hang2"
echo 'timeout 2' >>"$VF_ROOT/config"
rm -f "$work/hang.pids"
printf 'Subject: two hang\n\n-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\ntext\n-----BEGIN PGP SIGNATURE-----\n\niQ==\n-----END PGP SIGNATURE-----\n' |
    VF_GPG=$work/hang2 vf-parse >/dev/null 2>"$work/err"
is $? 75 "two gpg hang: 75 after the timeout"
is "$(wc -l <"$work/hang.pids" | tr -d ' ')" 2 "two gpg hang: both ran"
sleep 1
left=0
for pid in $(cat "$work/hang.pids"); do
	st=$(ps -o stat= -p "$pid" 2>/dev/null)
	case $st in ""|Z*) ;; *) left=$((left + 1)); kill "$pid" 2>/dev/null ;; esac
done
is "$left" 0 "two gpg hang: both killed"
cp "$work/config.good" "$VF_ROOT/config"

# With no gpg to hide behind (a PGP/MIME report, decrypted), the number
# is reserved beside the form's reading: its failure still fails the
# delivery, said as before.
mkdir -m 700 "$work/lockroot"
cp "$work/config.good" "$work/lockroot/config"
: >"$work/lockroot/.lock"
VF_ROOT=$work/lockroot vf-parse <"$work/m2" >/dev/null 2>"$work/err"
is $? 74 "PGP/MIME, no .lock folder: 74"
grep -q 'lockroot/.lock: Not a directory' "$work/err"
ok $? "PGP/MIME, no .lock folder: says why"
is "$(find "$work/lockroot" -path '*/new/*' | grep -c .)" 0 \
    "PGP/MIME, no .lock folder: nothing filed"
rm -rf "$work/lockroot"

# --- attachments stay in the transfer encoding they came in, byte for byte
partbody() { # CASEFILE FILENAME: the body of the part with that Vf-Filename
	awk -v fn="$2" '/^--=_vf/ { if (inb) exit; h = 1; blk = ""; next }
	    h && /^$/ { h = 0; if (blk ~ ("Vf-Filename: " fn "\n")) inb = 1; next }
	    h { blk = blk $0 "\n"; next }
	    inb { print }' "$1"
}
partcte() { # CASEFILE FILENAME: that part's Content-Transfer-Encoding
	parthdrs "$1" attachment | awk -v fn="$2" '
	    /^Content-Transfer-Encoding: / { cte = $2 }
	    $0 == "Vf-Filename: " fn { print cte; exit }
	    /^Vf-Part: / { cte = "" }'
}
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "%c", (i * 37 + 11) % 256 }' \
    >"$work/poc.bin"
# 64 columns (PEM style), where an encoder of our own would write 76.
base64 -w 64 <"$work/poc.bin" >"$work/poc.b64"
qp='GET /?q=3D%3Cscript%3E HTTP/1.1=
 200 OK'
attach() { # the multipart body with four attachments
	printf 'Content-Type: multipart/mixed; boundary=z\n\n--z\n'
	printf 'Content-Type: text/plain; charset=utf-8\n\n'
	cat "$sw"
	printf -- '--z\nContent-Type: application/octet-stream; name="poc.bin"\n'
	printf 'Content-Disposition: attachment; filename="poc.bin"\n'
	printf 'Content-Transfer-Encoding: base64\n\n'
	cat "$work/poc.b64"
	printf -- '--z\nContent-Type: text/x-log\n'
	printf 'Content-Disposition: attachment; filename="log.txt"\n'
	printf 'Content-Transfer-Encoding: quoted-printable\n\n%s\n' "$qp"
	printf -- '--z\nContent-Type: application/octet-stream\n'
	printf 'Content-Disposition: attachment; filename="bad.bin"\n'
	printf 'Content-Transfer-Encoding: base64\n\nYWJj*ZGVm\n'
	printf -- '--z\nContent-Type: application/octet-stream\n'
	printf 'Content-Disposition: attachment; filename="raw.bin"\n\n'
	printf 'raw\001bytes\n--z--\n'
}
{
	printf 'From: taro@example.jp\nSubject: attachments\nMIME-Version: 1.0\n'
	attach
} >"$work/m12"
attach >"$work/inner12"
gpg --batch --no-tty --quiet --trust-model always --armor --encrypt \
    --recipient "$OFFICE_FPR" --output "$work/inner12.asc" "$work/inner12"
{
	printf 'From: taro@example.jp\nSubject: encrypted attachments\n'
	printf 'MIME-Version: 1.0\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b1"\n\n'
	printf -- '--b1\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n'
	printf -- '--b1\nContent-Type: application/octet-stream\n\n'
	cat "$work/inner12.asc"
	printf -- '--b1--\n'
} >"$work/m13"
for m in m12 m13; do
	p=$(vf-parse <"$work/$m" 2>"$work/err")
	ok $? "$m: attachments: exit 0"
	is "$(partcte "$p" poc.bin)" base64 "$m: base64 attachment keeps base64"
	partbody "$p" poc.bin | cmp -s - "$work/poc.b64"
	ok $? "$m: base64 attachment kept byte for byte as it came"
	partbody "$p" poc.bin | base64 -d 2>/dev/null | cmp -s - "$work/poc.bin"
	ok $? "$m: and decodes to the file sent"
	is "$(partcte "$p" log.txt)" quoted-printable \
	    "$m: quoted-printable attachment keeps its encoding"
	is "$(partbody "$p" log.txt)" "$qp" "$m: quoted-printable kept as it came"
	is "$(partbody "$p" bad.bin)" "YWJjZGVm" \
	    "$m: broken base64 is decoded and encoded again"
	is "$(partcte "$p" raw.bin)" base64 "$m: unencoded bytes get base64"
	is "$(partbody "$p" raw.bin)" "cmF3AWJ5dGVz" "$m: and are those bytes"
	is "$(field "$p" reporter.name)" "山田太郎" "$m: the form is read"
	vf-show "$p" >/dev/null 2>&1
	ok $? "$m: vf-show reads the case"
done

grep -q "vf-parse $id1 new software case" "$VF_ROOT/log"
ok $? "log records the new case"

# --- every original is kept, encrypted or as it came, whatever the path
pgpblocks() { # CASEFILE DIR: each PGP message of the case decrypted, DIR/1...
	mkdir -p "$2"
	awk -v d="$2" '/^-----BEGIN PGP MESSAGE-----$/ { n++; f = d "/" n ".asc" }
	    f { print >f } /^-----END PGP MESSAGE-----$/ { close(f); f = "" }' "$1"
	for a in "$2"/*.asc; do
		gpg --batch --quiet --decrypt "$a" >"${a%.asc}" 2>/dev/null
	done
}
pgpblocks "$p1" "$work/blocks1"
found=0
for f in "$work"/blocks1/*[0-9]; do cmp -s "$f" "$work/m6" && found=1; done
is "$found" 1 "follow-up: its original kept encrypted, decrypts to the mail"

# A root that says multipart/encrypted but holds no ciphertext: its
# original is not ciphertext, so it is encrypted on arrival.
{
	printf 'From: taro@example.jp\nSubject: not really encrypted\n'
	printf 'Content-type: Multipart/Encrypted; boundary="e"\n\n--e\n'
	printf 'Content-Type: text/plain; charset=utf-8\n\n'
	cat "$sw"
	printf -- '--e--\n'
} >"$work/m14"
p14=$(vf-parse <"$work/m14" 2>"$work/err")
ok $? "multipart/encrypted without ciphertext: exit 0"
is "$(parthdrs "$p14" original | sed -n 's/^Vf-Original: //p')" \
    encrypted-on-arrival "multipart/encrypted without ciphertext: original encrypted"
pgpblocks "$p14" "$work/blocks14"
cmp -s "$work/blocks14/1" "$work/m14"
ok $? "multipart/encrypted without ciphertext: original decrypts to the mail"
# PGP/MIME with CRLF line ends: still kept as it came, not encrypted again.
sed 's/$/\r/' "$work/m2" | sed "s/^Subject: .*/Subject: crlf pgp-mime\r/" \
    >"$work/m15"
p15=$(vf-parse <"$work/m15" 2>"$work/err")
ok $? "PGP/MIME with CRLF: exit 0"
is "$(parthdrs "$p15" original | sed -n 's/^Vf-Original: //p')" \
    as-received "PGP/MIME with CRLF: kept as it came"

# A follow-up when the office key is unusable: 78, its case unchanged.
cp "$p1" "$work/p1.before"
sed "s/^office-key .*/office-key 0123456789ABCDEF0123456789ABCDEF01234567/" \
    "$work/config.good" >"$VF_ROOT/config"
printf 'From: taro@example.jp\nSubject: Re: [VF#%s]\n\nmore\n' "$id1" |
    vf-parse >/dev/null 2>"$work/err"
is $? 78 "follow-up, office key not in the keyring: 78"
cmp -s "$p1" "$work/p1.before"
ok $? "follow-up, office key not in the keyring: case unchanged"
cp "$work/config.good" "$VF_ROOT/config"
# gpg cannot be run at all: 78, nothing filed.
before=$(ncases)
printf 'Subject: no gpg\n\ntext\n' |
    VF_GPG=/nonexistent/gpg vf-parse >/dev/null 2>"$work/err"
is $? 78 "gpg cannot be run: 78"
grep -q 'cannot run gpg' "$work/err"
ok $? "gpg cannot be run: says so"
is "$(ncases)" "$before" "gpg cannot be run: nothing filed"


done_testing
