#!/bin/sh
# gpg's work is the mail's, and bounded: the decoded-size and part limits
# hold for the whole mail, decrypted texts included (a small mail of many
# compressed encrypted blocks cannot become a case of gigabytes); gpg runs
# at most 32 times for a mail, whatever each decryption costs; each run is
# killed at gpg-timeout. And gpg runs in a known environment: by absolute
# path, never through PATH, with --no-options and nothing that goes to the
# network.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trust.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys reporter || skip_all "cannot make gpg keys"
make_outsider || skip_all "cannot make the outsider's key"
make_root
cp "$VF_ROOT/config" "$work/config.good"
good_text >"$work/good.txt"

# --- The issue's attack: many small blocks, each 4 MiB of compressible
# text once decrypted. 20 of them would be 80 MiB; the mail's limit is
# 64 MiB for everything, so the case stays within it.
{ cat "$work/good.txt"; yes 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' |
    head -c 4194304; } >"$work/big.txt"
enc_block "$work/big.txt" "$OFFICE_FPR" >"$work/big.asc"
{
	hdrs 'reporter@example.jp' 'Software Vulnerability Report'
	printf 'Content-Type: text/plain\n\n'
	i=0
	while [ $i -lt 20 ]; do cat "$work/big.asc"; i=$((i + 1)); done
} >"$work/bomb"
echo "# the mail: $(wc -c <"$work/bomb") bytes"
if [ -x /usr/bin/time ]; then
	p=$(/usr/bin/time -f %M -o "$work/rss" vf-parse <"$work/bomb" 2>"$work/err")
else
	p=$(vf-parse <"$work/bomb" 2>"$work/err")
fi
ok $? "many compressed blocks: filed"
size=$(wc -c <"$p")
echo "# the case: $size bytes"
test "$size" -le $((64 * 1024 * 1024 + 1024 * 1024))
ok $? "many compressed blocks: the case is within the mail's 64 MiB ($size bytes)"
test "$size" -ge $((60 * 1024 * 1024))
ok $? "many compressed blocks: and holds what fits in it"
has "$p" Vf-Problem "plaintext larger than what is left of the decoded-size limit" \
    "many compressed blocks: the problem names the limit"
# Twenty messages encrypted apart, unsigned: the form is read, and
# proposed, not taken (t/0143-apart.t).
has "$p" Vf-Proposes product.name "many compressed blocks: the form is read (proposed)"
if [ -x /usr/bin/time ]; then
	rss=$(tail -n 1 "$work/rss")
	echo "# peak resident memory: $rss KiB"
	test "$rss" -lt $((1024 * 1024))
	ok $? "many compressed blocks: peak memory below 1 GiB ($rss KiB)"
else
	skip "no /usr/bin/time: peak memory not measured"
fi
rm -f "$p" "$work/bomb"

# The limit is max-decoded-size: a smaller one holds the same way.
echo 'max-decoded-size 1000000' >>"$VF_ROOT/config"
{ cat "$work/good.txt"; yes 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' |
    head -c 400000; } >"$work/mid.txt"
enc_block "$work/mid.txt" "$OFFICE_FPR" >"$work/mid.asc"
{
	hdrs 'reporter@example.jp' 'Software Vulnerability Report'
	printf 'Content-Type: text/plain\n\n'
	for i in 1 2 3 4 5 6; do cat "$work/mid.asc"; done
} >"$work/m"
p=$(vf-parse <"$work/m")
size=$(wc -c <"$p")
test "$size" -le 1100000
ok $? "max-decoded-size 1000000: the case stays within it ($size bytes)"
is "$(grep -c '^バージョン: 2.3.1$' "$p")" 2 "max-decoded-size 1000000: two blocks fit, no more"
cp "$work/config.good" "$VF_ROOT/config"
echo 'max-decoded-size 12' >>"$VF_ROOT/config"
vf-parse <"$work/m" >/dev/null 2>"$work/err"
is $? 78 "max-decoded-size out of range: 78"
cp "$work/config.good" "$VF_ROOT/config"

# --- The part limit is the mail's too: 600 parts outside, 600 inside.
parts() { # N BOUNDARY
	printf 'Content-Type: multipart/mixed; boundary="%s"\n\n' "$2"
	i=0
	while [ $i -lt "$1" ]; do
		printf -- '--%s\nContent-Type: application/x-part\n\n%s\n' "$2" $i
		i=$((i + 1))
	done
	printf -- '--%s--\n' "$2"
}
parts 600 in >"$work/inner"
enc_block "$work/inner" "$OFFICE_FPR" >"$work/inner.asc"
{
	hdrs 'reporter@example.jp' 'many parts'
	parts 600 out | sed '$d'
	printf -- '--out\n'
	encpart "$work/inner.asc" e
	printf -- '--out--\n'
} >"$work/m"
p=$(vf-parse <"$work/m")
n=$(grep -c '^Vf-Part: attachment$' "$p")
test "$n" -le 1000 && test "$n" -ge 900
ok $? "600 parts and 600 encrypted: at most 1000 for the mail ($n kept)"
has "$p" Vf-Problem "more than 1000 MIME parts, decrypted ones included" \
    "600 and 600 parts: the problem says so"

# --- gpg runs: every process counts, not only decryptions. A block to a
# key the office lacks costs a decryption and a probe of the agent.
printf '#!/bin/sh\necho run >>"%s/gpgruns"\nexec gpg "$@"\n' "$work" >"$work/countgpg"
chmod +x "$work/countgpg"
echo 'to someone else' >"$work/other.txt"
GNUPGHOME=$OUTSIDER enc_block "$work/other.txt" "$FPR_outsider" >"$work/other.asc"
{
	hdrs 'x@example.jp' 'many blocks to another key'
	printf 'Content-Type: text/plain\n\n'
	i=0
	while [ $i -lt 40 ]; do cat "$work/other.asc"; i=$((i + 1)); done
} >"$work/m"
: >"$work/gpgruns"
p=$(VF_GPG=$work/countgpg vf-parse <"$work/m" 2>"$work/err")
ok $? "40 blocks to another key: filed"
n=$(grep -c run "$work/gpgruns")
test "$n" -le 33 && test "$n" -ge 30
ok $? "40 blocks to another key: gpg ran $n times (32 for the mail, 1 to keep the original)"
has "$p" Vf-Problem "more than 32 gpg runs for this mail" \
    "40 blocks to another key: the case says so"
is "$(header "$p" Vf-Encryption)" "inline failed" \
    "40 blocks to another key: the encryption is said to have failed"

# --- Each run is bounded in time, not only the whole delivery.
printf '#!/bin/sh\nexec sleep 60\n' >"$work/hang"
chmod +x "$work/hang"
printf 'gpg-timeout 1\ntimeout 30\n' >>"$VF_ROOT/config"
before=$(ncases)
mail 'x@example.jp' 'hang' "$work/good.txt" |
    VF_GPG=$work/hang vf-parse >/dev/null 2>"$work/err"
is $? 75 "a gpg run past gpg-timeout: 75"
grep -q 'gpg ran longer than gpg-timeout (1 s)' "$work/err"
ok $? "a gpg run past gpg-timeout: says so"
# The same while a report is decrypted.
{ hdrs 'reporter@example.jp' 'hang'; printf 'Content-Type: text/plain\n\n'
  enc_block "$work/good.txt" "$OFFICE_FPR"; } >"$work/m"
VF_GPG=$work/hang vf-parse <"$work/m" >/dev/null 2>"$work/err"
is $? 75 "a decryption past gpg-timeout: 75"
grep -q 'gpg ran longer than gpg-timeout (1 s): killed' "$work/err"
ok $? "a gpg run past gpg-timeout: says so"
is "$(ncases)" "$before" "a gpg run past gpg-timeout: nothing filed"
cp "$work/config.good" "$VF_ROOT/config"
echo 'gpg-timeout 0' >>"$VF_ROOT/config"
mail 'x@example.jp' 'x' "$work/good.txt" | vf-parse >/dev/null 2>"$work/err"
is $? 78 "gpg-timeout 0: 78"
cp "$work/config.good" "$VF_ROOT/config"

# --- gpg by absolute path, never through PATH.
mkdir "$work/fakebin"
printf '#!/bin/sh\necho ran >"%s/fake-ran"\nexit 2\n' "$work" >"$work/fakebin/gpg"
chmod +x "$work/fakebin/gpg"
if [ -x /usr/bin/gpg ]; then
	mail 'x@example.jp' 'path' "$work/good.txt" >"$work/m"
	PATH=$work/fakebin:$PATH vf-parse <"$work/m" >/dev/null 2>"$work/err"
	ok $? "a gpg first in PATH: filed with /usr/bin/gpg"
	test ! -e "$work/fake-ran"
	ok $? "a gpg first in PATH is never run"
else
	skip "no /usr/bin/gpg here"
	skip "no /usr/bin/gpg here"
fi
echo 'gpg-program gpg' >>"$VF_ROOT/config"
vf-parse <"$work/m" >/dev/null 2>"$work/err"
is $? 78 "gpg-program not an absolute path: 78"
grep -q 'never looked up in PATH' "$work/err"
ok $? "gpg-program not an absolute path: says why"
cp "$work/config.good" "$VF_ROOT/config"
printf 'gpg-program %s\n' "$work/countgpg" >>"$VF_ROOT/config"
: >"$work/gpgruns"
mail 'x@example.jp' 'configured gpg' "$work/good.txt" | vf-parse >/dev/null 2>&1
ok $? "gpg-program names the gpg: filed"
test -s "$work/gpgruns"
ok $? "gpg-program names the gpg: that one ran"
cp "$work/config.good" "$VF_ROOT/config"
mail 'x@example.jp' 'x' "$work/good.txt" | VF_GPG=gpg vf-parse >/dev/null 2>&1
is $? 78 "VF_GPG not an absolute path: 78"

# --- The fixed head of every gpg run: no gpg.conf, no network.
printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s/argv"\nexec gpg "$@"\n' "$work" >"$work/argvgpg"
chmod +x "$work/argvgpg"
enc_block "$work/good.txt" "$OFFICE_FPR" "$FPR_reporter" >"$work/enc.asc"
{ hdrs 'reporter@example.jp' 'Software Vulnerability Report'
  printf 'Content-Type: text/plain\n\n'; cat "$work/enc.asc"; } >"$work/m"
: >"$work/argv"
VF_GPG=$work/argvgpg vf-parse <"$work/m" >/dev/null 2>&1
n=$(grep -c . "$work/argv")
test "$n" -ge 3
ok $? "decrypt, key listing, original: $n gpg runs seen"
bad=0
while read -r line; do
	case " $line " in
	" --no-options "*) ;;
	*) bad=1; echo "#   not first: --no-options: $line" ;;
	esac
	for o in --batch --no-tty --disable-dirmngr --no-auto-key-retrieve \
	    --no-auto-key-import --no-auto-key-locate --exit-on-status-write-error; do
		case " $line " in
		*" $o "*) ;;
		*) bad=1; echo "#   no $o: $line" ;;
		esac
	done
done <"$work/argv"
ok $bad "every gpg run: --no-options first, no key lookup, no dirmngr"
! grep -v -- ' --no-random-seed-file ' "$work/argv" | grep -q .
ok $? "every gpg run: no random seed file (a gpg beside another waits 250 ms for its lock)"
# And so gpg writes no random_seed into the gpg home, which it does as it
# exits when it has one to use (an encryption draws on it).
rm -f "$GNUPGHOME/random_seed"
mail 'x@example.jp' 'seed' "$work/good.txt" >"$work/mseed"
vf-parse <"$work/mseed" >/dev/null 2>&1 &&
    sed 's/^Message-ID: <\(.*\)>/Message-ID: <seed\1>/' "$work/m" | vf-parse >/dev/null 2>&1
ok $? "a clear and an encrypted report filed"
test ! -e "$GNUPGHOME/random_seed"
ok $? "and gpg wrote no random_seed into the gpg home"
grep -q -- '--list-keys -- '"$FPR_reporter"'$' "$work/argv"
ok $? "the signer's user IDs are listed by full fingerprint"
# A gpg.conf that gpg would refuse (and one that would bend it) is not read.
enc_block "$work/good.txt" "$OFFICE_FPR" "$FPR_reporter" >"$work/enc.asc"
{ hdrs 'reporter@example.jp' 'Software Vulnerability Report'
  printf 'Content-Type: text/plain\n\n'; cat "$work/enc.asc"; } >"$work/m"
printf 'no-such-option-at-all\nignore-mdc-error\nkeyserver hkps://keys.example.net\nauto-key-retrieve\n' \
    >"$GNUPGHOME/gpg.conf"
p=$(vf-parse <"$work/m")
rc=$?
rm -f "$GNUPGHOME/gpg.conf"
ok $rc "a gpg.conf gpg would refuse: not read, filed"
is "$(header "$p" Vf-Encryption)" "inline ok" "a gpg.conf gpg would refuse: decrypted"
is "$(header "$p" Vf-Signature)" "good $FPR_reporter ultimate sender" \
    "a gpg.conf gpg would refuse: signature checked"

done_testing
