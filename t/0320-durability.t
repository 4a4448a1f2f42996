#!/bin/sh
# Durability, call by call: a delivery reserves its number (.lock/ fsynced,
# in a thread, done before the case is linked into new/), writes the case in tmp/ and fsyncs it before it
# is linked into new/, and fsyncs new/ after the link; a follow-up fsyncs
# its new contents before they take the case's place; a PGP/MIME report
# that cannot thread takes its number while gpg decrypts it, one that may
# (or a follow-up) only after; a clear report's case is written while gpg
# encrypts its original, and written whole, under a fresh boundary, when
# gpg's output would break the case's. strace counts and orders the calls. Then a kill inside the write itself (an LD_PRELOAD
# wrapper of writev(2) that writes half and dies): nothing in new/, the
# half-written file only in tmp/, and the retry files the mail once.
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
command -v strace >/dev/null || skip_all "strace not installed"
strace -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here"
make_keys || skip_all "cannot make gpg keys"
make_root

printf '氏名: 山田太郎\n製品名: ExampleWiki\n' >"$work/body"
mail 'taro@example.jp' 'Software Vulnerability Report' "$work/body" >"$work/m1"

# trace FILE: vf-parse < FILE under strace; the calls on the tree that
# matter, one a line, numbered, in $work/calls.
# LeakSanitizer cannot run under ptrace: off for the traced runs only.
trace() {
	# The tool itself, not make valgrind's wrapper (t/lib.sh).
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	PATH=$vfbin:$PATH strace -f -y -qq -e trace=openat,openat2,fsync,fdatasync,linkat,renameat2,renameat,writev,write \
	    -o "$work/st" vf-parse <"$1" >"$work/out" 2>"$work/err"
	rc=$?
	# A call another thread interrupts is split by strace into
	# "<unfinished ...>" and "<... resumed>": join the two at the
	# resumed line, so that the order is the order calls completed in
	# (vf-parse fsyncs .lock/ in a thread while gpg runs).
	awk '/ <unfinished \.\.\.>$/ { l = $0; sub(/ <unfinished \.\.\.>$/, "", l); u[$1] = l; next }
	    /^[0-9]+ +<\.\.\. [a-z0-9_]+ resumed>/ && ($1 in u) { r = $0
		sub(/^[0-9]+ +<\.\.\. [a-z0-9_]+ resumed>/, "", r)
		print u[$1] r; delete u[$1]; next }
	    { print }' "$work/st" >"$work/st.joined"
	grep -F "$VF_ROOT" "$work/st.joined" | grep -v -e ENOENT -e EEXIST |
	    sed 's/^[0-9]* *//' | awk '{ print NR ": " $0 }' >"$work/calls"
	return $rc
}
# first PATTERN: the number of the first call matching (0 if none).
first() { grep -E "$1" "$work/calls" | sed -n '1s/:.*//p' | grep . || echo 0; }
count() { grep -cE "$1" "$work/calls"; }

trace "$work/m1"
is $? 0 "a new case is filed under strace"
id=$(basename "$(cat "$work/out")")
r=$(printf '%s' "$VF_ROOT" | sed 's/[.[\*^$]/\\&/g')
tmpf="received/tmp/[^>]*"
fsync_case=$(first "^[0-9]+: fsync\([0-9]+<$r/$tmpf>\)")
link=$(first "^[0-9]+: linkat\(.*\"received/tmp/.*\"received/new/$id\"")
fsync_new=$(first "^[0-9]+: fsync\([0-9]+<$r/received/new>\)")
fsync_lock=$(first "^[0-9]+: fsync\([0-9]+<$r/\.lock>\)")
echo "# case fsync $fsync_case, link $link, new/ fsync $fsync_new, .lock/ fsync $fsync_lock"
[ "$fsync_case" -gt 0 ] && [ "$link" -gt 0 ] && [ "$fsync_case" -lt "$link" ]
ok $? "the case file is fsynced before it is linked into new/"
[ "$fsync_new" -gt "$link" ]
ok $? "new/ is fsynced after the link"
# The promise is that no case is in new/ before its reservation is on
# disk: the .lock/ fsync completes before the link (it may now overlap gpg
# and the case file's own write, so it is no longer asked to come first).
[ "$fsync_lock" -gt 0 ] && [ "$fsync_lock" -lt "$link" ]
ok $? ".lock/ (the reservation) is on disk before the case is linked into new/"
is "$(count "^[0-9]+: fsync\([0-9]+<$r/$tmpf>\)")" 1 "one fsync of the case file"
is "$(count "^[0-9]+: fsync\([0-9]+<$r/received/new>\)")" 1 "one fsync of new/"
is "$(count "^[0-9]+: fsync\([0-9]+<$r/\.lock>\)")" 1 "one fsync of .lock/"
# Never written straight into new/: every file created is in tmp/ (or
# is a reservation, the log, the seen entry, the index).
created=$(grep -E 'open(at|at2)\(.*O_CREAT' "$work/calls" | grep -F "$VF_ROOT" |
    grep -E '"[a-z]+/(new|cur)/' | grep -c .)
is "$created" 0 "no file is created in new/ or cur/"
writes=$(grep -E '^[0-9]+: writev?\([0-9]+<' "$work/calls" |
    sed 's/^[0-9]*: writev*([0-9]*<\([^>]*\)>.*/\1/' | sort -u)
bad=$(echo "$writes" | grep -E '/(new|cur)/' | grep -c .)
is "$bad" 0 "nothing is written to a file in new/ or cur/"
echo "$writes" | grep -qE "/received/tmp/"
ok $? "the case is written in received/tmp/"

# --- a follow-up: its new contents fsynced before they replace the case
printf 'more\n' >"$work/fu"
mail 'taro@example.jp' "Re: [VF#$id]" "$work/fu" >"$work/m2"
trace "$work/m2"
is $? 0 "a follow-up is filed under strace"
fsync_tmp=$(first "^[0-9]+: fsync\([0-9]+<$r/$tmpf>\)")
swap=$(first "^[0-9]+: renameat2?\(.*\"received/tmp/.*\"received/new/$id\"")
fsync_dir=$(first "^[0-9]+: fsync\([0-9]+<$r/received/new>\)")
[ "$fsync_tmp" -gt 0 ] && [ "$swap" -gt "$fsync_tmp" ]
ok $? "follow-up: the new contents are fsynced before they replace the case"
[ "$fsync_dir" -gt "$swap" ]
ok $? "follow-up: new/ is fsynced after"

# --- a delivery that fails after its number was reserved says so in the log
cp "$VF_ROOT/config" "$work/config.good"
sed "s/^office-key .*/office-key 0123456789ABCDEF0123456789ABCDEF01234567/" \
    "$work/config.good" >"$VF_ROOT/config"
printf 'Subject: x\n\ntext\n' | vf-parse >/dev/null 2>&1
is $? 78 "the office key is not in the keyring: 78"
gap=$(sed -n 's/^[^ ]* [^ ]* vf-parse \([0-9-]*\) number reserved, no case filed: delivery failed (exit 78).*/\1/p' "$VF_ROOT/log")
test -n "$gap" && test -e "$VF_ROOT/.lock/$gap" && test -z "$(find "$VF_ROOT" -name "$gap*" -path '*/new/*')"
ok $? "the log names the number it reserved and left without a case ($gap)"
cp "$work/config.good" "$VF_ROOT/config"

# --- a PGP/MIME report: its number reserved while gpg decrypts it
# (intake.c, decrypt_meanwhile), still on disk before the case is linked;
# a PGP/MIME mail that may thread takes no number early; a delivery that
# fails after the early reservation names the number in the log.
# ptrace: strace -f follows gpg too, so the order of the reservation and
# of gpg's end is the order the calls were made in.
# gpgwait: gpg, but for WAIT_OP (--encrypt, --decrypt) it first waits, 30 s
# at most, until WAIT_DIR holds more than WAIT_MIN entries, and writes in
# WAIT_SAW whether it saw them. So gpg cannot end before vf-parse has done
# what it is to do beside gpg, however fast gpg or slow vf-parse (under a
# sanitizer or valgrind) is, and the order is the program's, not a race.
cat >"$work/gpgwait" <<'EOF'
#!/bin/sh
case " $* " in
*" $WAIT_OP "*)
	i=0
	while [ "$(ls "$WAIT_DIR" 2>/dev/null | wc -l)" -le "$WAIT_MIN" ]; do
		i=$((i + 1))
		if [ $i -gt 300 ]; then
			echo "timed out" >"$WAIT_SAW"
			exec gpg "$@"
		fi
		sleep 0.1
	done
	echo saw >"$WAIT_SAW" ;;
esac
exec gpg "$@"
EOF
chmod +x "$work/gpgwait"
# waitfor OP DIR: vf-parse's gpg for OP waits for a new entry in DIR.
waitfor() {
	VF_GPG=$work/gpgwait WAIT_OP=$1 WAIT_DIR=$2 WAIT_SAW=$work/saw \
	WAIT_MIN=$(ls "$2" 2>/dev/null | wc -l)
	export VF_GPG WAIT_OP WAIT_DIR WAIT_SAW WAIT_MIN
	rm -f "$work/saw"
}
unwait() { unset VF_GPG WAIT_OP WAIT_DIR WAIT_SAW WAIT_MIN; }
ptrace() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	PATH=$vfbin:$PATH strace -f -q -y -e trace=execve,openat,openat2,fsync,linkat \
	    -e signal=none -o "$work/pst" vf-parse <"$1" >"$work/out" 2>"$work/err"
}
# line REGEX: the line number in $work/pst of the first call matching (0).
line() { grep -nE "$1" "$work/pst" | sed -n '1s/:.*//p' | grep . || echo 0; }
printf '氏名: 佐藤花子\n製品名: ExampleMail\n' >"$work/body4"
pgpmime 'hanako@example.jp' 'Software Vulnerability Report' "$work/body4" \
    "$OFFICE_FPR" >"$work/m4"
waitfor --decrypt "$VF_ROOT/.lock"
ptrace "$work/m4"
is $? 0 "a PGP/MIME report is filed under strace"
unwait
id4=$(basename "$(cat "$work/out")")
gpid=$(grep -E '^[0-9]+ +execve\(".*gpg' "$work/pst" | sed -n '1s/ .*//p')
# excl ID: the call that reserves ID (openat or openat2, O_EXCL).
excl() { line "openat2?\(.*\"\.lock/$1\", (\{flags=)?O_RDWR\|O_CREAT\|O_EXCL"; }
resv=$(excl "$id4")
gend=$(line "^$gpid +\+\+\+ exited")
# The .lock/ fsync's end: it runs in a thread, which strace may show as
# "<unfinished ...>" and, later, "<... fsync resumed>".
lk=$(line "fsync\([0-9]+<$r/\.lock>")
if [ "$lk" -gt 0 ] && sed -n "${lk}p" "$work/pst" | grep -q 'unfinished'; then
	tid=$(sed -n "${lk}s/ .*//p" "$work/pst")
	lk=$(awk -v from="$lk" -v tid="$tid" 'NR > from && $1 == tid &&
	    /<\.\.\. fsync resumed>\) *= 0/ { print NR; exit }' "$work/pst")
	lk=${lk:-0}
fi
lnk=$(line "linkat\(.*\"received/new/$id4\"")
echo "# gpg $gpid: reservation at $resv, gpg's end at $gend, link at $lnk"
[ "$resv" -gt 0 ] && [ "$gend" -gt "$resv" ] && [ "$(cat "$work/saw")" = saw ]
ok $? "a PGP/MIME report's number is reserved while gpg decrypts it"
[ "$lnk" -gt "$resv" ] && [ "$lk" -gt 0 ] && [ "$lk" -lt "$lnk" ]
ok $? "and the reservation is still fsynced before the case is linked"
grep -q '佐藤花子' "$(cat "$work/out")"
ok $? "the case holds the decrypted report"
# Its .seen entry and its case's tmp file are made while gpg decrypts it
# too (each a new inode), after gpg starts and before it ends; the case is
# linked after. Each is waited for in a run of its own, so that each check
# fails alone when its step goes back before gpg's start or after its end.
# made DIR MAIL WHAT: MAIL filed, gpg waiting for a new entry in DIR; the
# call creating it must come between gpg's execve and gpg's end.
made() {
	waitfor --decrypt "$VF_ROOT/$1"
	ptrace "$2"
	rc=$?
	unwait
	idm=$(basename "$(cat "$work/out")")
	gp=$(grep -E '^[0-9]+ +execve\(".*gpg' "$work/pst" | sed -n '1s/ .*//p')
	gx=$(grep -nE "^$gp +execve\(" "$work/pst" | sed -n '1s/:.*//p')
	ge=$(line "^$gp +\+\+\+ exited")
	mk=$(line "openat2?\(.*\"$1/[^\"]*\", (\{flags=)?O_[A-Z|]*O_CREAT")
	ln=$(line "linkat\(.*\"received/new/$idm\"")
	echo "# $1: gpg $gp exec at $gx, made at $mk, gpg's end at $ge, link at $ln"
	[ "$rc" -eq 0 ] && [ "${gx:-0}" -gt 0 ] && [ "$mk" -gt "$gx" ] &&
	    [ "$ge" -gt "$mk" ] && [ "$ln" -gt "$ge" ] &&
	    [ "$(cat "$work/saw")" = saw ]
	ok $? "$3 is made while gpg decrypts the report"
}
pgpmime 'hanako@example.jp' 'Software Vulnerability Report' "$work/body4" \
    "$OFFICE_FPR" | sed 's/^Message-ID: <\(.*\)>/Message-ID: <s\1>/' >"$work/m4s"
made .seen "$work/m4s" "a PGP/MIME report's .seen entry"
vp=$(sed -n '1s/ .*//p' "$work/pst")	# vf-parse's pid, not gpg's
pw=$(line "^$vp +openat\\(AT_FDCWD[^,]*, \"/etc/passwd\"")
[ "$pw" -gt "$gx" ] && [ "$pw" -lt "$ge" ]
ok $? "and the user name its history names, read from /etc/passwd"
pgpmime 'hanako@example.jp' 'Software Vulnerability Report' "$work/body4" \
    "$OFFICE_FPR" | sed 's/^Message-ID: <\(.*\)>/Message-ID: <t\1>/' >"$work/m4t"
made received/tmp "$work/m4t" "a PGP/MIME report's case file (in received/tmp)"
grep -q '佐藤花子' "$(cat "$work/out")" && vf-validate -n "$(cat "$work/out")" >/dev/null
ok $? "and that case reads back with its report"
is "$(ls "$VF_ROOT/received/tmp" | wc -l)" 0 "nothing left in received/tmp"
# The same PGP/MIME mail again, once and then five times at once: it is
# filed before, so nothing is taken for it (no number, no tmp file), and
# the five wait for each other on its .seen entry while gpg decrypts.
nlock=$(ls "$VF_ROOT/.lock" | wc -l)
nlog=$(grep -c 'number reserved' "$VF_ROOT/log")
vf-parse <"$work/m4t" >"$work/out" 2>"$work/err"
is $? 0 "a PGP/MIME mail filed before: exit 0"
grep -q 'delivered before' "$work/err"
ok $? "a PGP/MIME mail filed before: says so"
is "$(basename "$(cat "$work/out")")" "$idm" "and names its case"
pgpmime 'hanako@example.jp' 'Software Vulnerability Report' "$work/body4" \
    "$OFFICE_FPR" | sed 's/^Message-ID: <\(.*\)>/Message-ID: <u\1>/' >"$work/m4u"
ncase=$(ls "$VF_ROOT"/*/new "$VF_ROOT"/*/cur 2>/dev/null | grep -c '^[0-9]')
for i in 1 2 3 4 5; do
	( vf-parse <"$work/m4u" >"$work/race.$i" 2>/dev/null; echo $? >"$work/race.$i.rc" ) &
done
wait
is "$(cat "$work"/race.*.rc | sort -u | tr '\n' ' ')" "0 " "five at once: every delivery exits 0"
is "$(ls "$VF_ROOT"/*/new "$VF_ROOT"/*/cur 2>/dev/null | grep -c '^[0-9]')" \
    "$((ncase + 1))" "five at once: one case"
is "$(cat "$work"/race.[1-5] | sort -u | grep -c .)" 1 "five at once: all name it"
is "$(ls "$VF_ROOT/.lock" | wc -l)" "$((nlock + 1))" \
    "the six deliveries reserve one number, the case's"
is "$(grep -c 'number reserved' "$VF_ROOT/log")" "$nlog" "and log no unused number"
is "$(ls "$VF_ROOT/received/tmp" | wc -l)" 0 "and leave nothing in received/tmp"
# A follow-up in PGP/MIME (by its subject tag, or a reply by its
# In-Reply-To): no number is taken for it, so no gap in the numbering.
nlock=$(ls "$VF_ROOT/.lock" | wc -l)
printf 'more, encrypted\n' >"$work/fu4"
pgpmime 'hanako@example.jp' "Re: [VF#$id4]" "$work/fu4" "$OFFICE_FPR" >"$work/m5"
ptrace "$work/m5"
is $? 0 "a PGP/MIME follow-up is filed"
is "$(basename "$(cat "$work/out")")" "$id4" "to its case"
grep -q "more, encrypted" "$VF_ROOT"/*/*/"$id4"
ok $? "the follow-up is in case $id4"
is "$(ls "$VF_ROOT/.lock" | wc -l)" "$nlock" "a PGP/MIME follow-up reserves no number"
{ sed -n '1,/^$/p' "$work/m4" | grep -v '^$'
  echo "In-Reply-To: <nobody-knows@example.jp>"; echo
  sed '1,/^$/d' "$work/m4"; } >"$work/m6"
sed -i 's/^Message-ID: <\(.*\)>/Message-ID: <x\1>/' "$work/m6"
ptrace "$work/m6"
is $? 0 "a PGP/MIME report with an In-Reply-To is filed"
id6=$(basename "$(cat "$work/out")")
resv6=$(excl "$id6")
gpid6=$(grep -E '^[0-9]+ +execve\(".*gpg' "$work/pst" | sed -n '1s/ .*//p')
gend6=$(line "^$gpid6 +\+\+\+ exited")
[ "$resv6" -gt 0 ] && [ "$resv6" -gt "$gend6" ]
ok $? "one that may thread (In-Reply-To) takes its number only after decryption"
# gpg fails after the number was reserved: 75, the number in the log.
printf '#!/bin/sh\nexec sleep 60\n' >"$work/hang4"
chmod +x "$work/hang4"
cp "$VF_ROOT/config" "$work/config.good"
echo 'gpg-timeout 1' >>"$VF_ROOT/config"
sed 's/^Message-ID: <\(.*\)>/Message-ID: <y\1>/' "$work/m4" >"$work/m7"
nlock=$(ls "$VF_ROOT/.lock" | wc -l)
VF_GPG=$work/hang4 vf-parse <"$work/m7" >/dev/null 2>"$work/err"
is $? 75 "the report's gpg hangs: 75"
gap=$(sed -n 's/^[^ ]* [^ ]* vf-parse \([0-9-]*\) number reserved, no case filed: delivery failed (exit 75).*/\1/p' "$VF_ROOT/log")
test -n "$gap" && test -e "$VF_ROOT/.lock/$gap" &&
    test -z "$(find "$VF_ROOT" -name "$gap*" -path '*/new/*')" &&
    [ "$(ls "$VF_ROOT/.lock" | wc -l)" -eq $((nlock + 1)) ]
ok $? "the log names the number reserved during decryption and left without a case ($gap)"
is "$(ls "$VF_ROOT/received/tmp" | wc -l)" 0 \
    "and the case file made during decryption is removed"
cp "$work/config.good" "$VF_ROOT/config"
vf-parse <"$work/m7" >"$work/out" 2>"$work/err"
ok $? "the retry files it"
[ "$(basename "$(cat "$work/out")")" != "$gap" ]
ok $? "under a new number"

# --- a clear report: all of its case but the original's ciphertext is
# written while gpg encrypts the original (intake.c, deliver_new); the
# file is the same, fsynced once before its link. A ciphertext that would
# hold the case's boundary (gpg is configurable) sends the case the plain
# way, with a fresh boundary.
printf '氏名: 田中次郎\n製品名: ExampleCMS\n' >"$work/body8"
mail 'jiro@example.jp' 'Software Vulnerability Report' "$work/body8" >"$work/m8"
# ahead ROOT MAIL WHAT: MAIL filed into ROOT under strace; its case must be
# written while gpg encrypts the original, and linked after.
ahead() {
	waitfor --encrypt "$1/received/tmp"
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	VF_ROOT=$1 PATH=$vfbin:$PATH strace -f -q -y \
	    -e trace=execve,writev,fsync,linkat -e signal=none \
	    -o "$work/pst" vf-parse <"$2" >"$work/out" 2>"$work/err"
	is $? 0 "$3 is filed under strace"
	unwait
	id8=$(basename "$(cat "$work/out")")
	rr=$(printf '%s' "$1" | sed 's/[.[\*^$]/\\&/g')
	gpid=$(grep -E '^[0-9]+ +execve\(".*gpg' "$work/pst" | sed -n '1s/ .*//p')
	wr=$(line "writev\([0-9]+<$rr/received/tmp/")
	gend=$(line "^$gpid +\+\+\+ exited")
	lnk=$(line "linkat\(.*\"received/new/$id8\"")
	echo "# gpg $gpid: first write of the case at $wr, gpg's end at $gend, link at $lnk"
	[ "$wr" -gt 0 ] && [ "$gend" -gt "$wr" ] && [ "$lnk" -gt "$gend" ] &&
	    [ "$(cat "$work/saw")" = saw ]
	ok $? "$3: the case is written while gpg encrypts the original, linked after"
	is "$(grep -cE "fsync\([0-9]+<$rr/received/tmp/" "$work/pst")" 1 \
	    "$3: its file fsynced once"
}
mkdir -m 700 "$work/fresh"
cp "$VF_ROOT/config" "$work/fresh/config"
ahead "$work/fresh" "$work/m8" "a new tree's first case"
ahead "$VF_ROOT" "$work/m8" "a clear report"
c8=$(cat "$work/out")
# original CASE: the body of its original part, as the case holds it (the
# writer's LF before the next delimiter left out).
original() {
	awk -v b="--$(sed -n '1,/^$/s/^Content-Type: multipart\/mixed; boundary="\(.*\)"$/\1/p' "$1")" '
	    $0 == b || $0 == b "--" { if (body) exit; inp = 1; hdr = 1; orig = 0; next }
	    inp && hdr && /^Vf-Part: original$/ { orig = 1 }
	    inp && hdr && /^$/ { hdr = 0; if (orig) body = 1; next }
	    body { if (n++) print prev; prev = $0 }' "$1"
}
original "$c8" >"$work/orig8"
gpg --batch --no-tty --quiet --decrypt "$work/orig8" 2>/dev/null |
    cmp -s - "$work/m8"
ok $? "its original decrypts to the mail as it came"
grep -q '田中次郎' "$c8"
ok $? "and its report is there"

# A gpg whose output holds the boundary of the case being written.
cat >"$work/gpgb" <<EOF
#!/bin/sh
gpg "\$@" >"$work/gpgb.out" || exit \$?
case " \$* " in *" --encrypt "*)
	i=0
	while [ \$i -lt 100 ]; do
		f=\$(ls -t "$VF_ROOT/received/tmp" | sed -n 1p)
		[ -n "\$f" ] && b=\$(sed -n 's/^Content-Type: multipart\/mixed; boundary="\(.*\)"\$/\1/p' "$VF_ROOT/received/tmp/\$f") &&
		    [ -n "\$b" ] && break
		sleep 0.05
		i=\$((i + 1))
	done
	printf -- '--%s\nContent-Type: text/plain\n\ninjected\n' "\$b" >>"$work/gpgb.out"
	echo "\$b" >"$work/gpgb.bnd" ;;
esac
cat "$work/gpgb.out"
EOF
chmod +x "$work/gpgb"
sed 's/^Message-ID: <\(.*\)>/Message-ID: <b\1>/' "$work/m8" >"$work/m9"
VF_GPG=$work/gpgb vf-parse <"$work/m9" >"$work/out" 2>"$work/err"
is $? 0 "a ciphertext holding the case's boundary: filed"
c9=$(cat "$work/out")
bnd9=$(cat "$work/gpgb.bnd" 2>/dev/null)
test -n "$bnd9" && ! grep -q "boundary=\"$bnd9\"" "$c9"
ok $? "under a fresh boundary (not $bnd9)"
original "$c9" >"$work/orig9"
cmp -s "$work/orig9" "$work/gpgb.out"
ok $? "its original part holds gpg's output byte for byte"
b9=$(sed -n '1,/^$/s/^Content-Type: multipart\/mixed; boundary="\(.*\)"$/\1/p' "$c9")
is "$(grep -c '^Vf-Part: original' "$c9")" 1 "one original part"
is "$(grep -cxF -- "--$b9" "$c9")" "$(grep -c '^Vf-Part: ' "$c9")" \
    "and no part injected: one delimiter per part"
vf-validate -n "$c9" >/dev/null 2>"$work/err"
ok $? "and the case reads back"
is "$(ls "$VF_ROOT/received/tmp" | wc -l)" 0 "nothing left in received/tmp"

# --- a kill inside the write
if ! command -v cc >/dev/null; then
	skip "no C compiler for the writev wrapper"
	done_testing
fi
cat >"$work/killw.c" <<'EOF'
#define _GNU_SOURCE
#include <sys/uio.h>
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The first writev to a file in a tmp/ of $KILL_ROOT: half, then death. */
ssize_t
writev(int fd, const struct iovec *iov, int n)
{
	static ssize_t (*real)(int, const struct iovec *, int);
	const char *root = getenv("KILL_ROOT");
	char l[64], t[4096];
	ssize_t k;

	if (real == NULL)
		real = (ssize_t (*)(int, const struct iovec *, int))
		    dlsym(RTLD_NEXT, "writev");
	snprintf(l, sizeof(l), "/proc/self/fd/%d", fd);
	if (root != NULL && n > 0 && (k = readlink(l, t, sizeof(t) - 1)) > 0) {
		t[k] = '\0';
		if (strncmp(t, root, strlen(root)) == 0 &&
		    strstr(t + strlen(root), "/tmp/") != NULL) {
			if (write(fd, iov[0].iov_base, iov[0].iov_len / 2 + 1) < 0)
				_exit(99);
			raise(SIGKILL);
		}
	}
	return real(fd, iov, n);
}
EOF
if ! cc -shared -fPIC -o "$work/killw.so" "$work/killw.c" -ldl 2>"$work/cc.err"; then
	skip "cannot build the writev wrapper"
	done_testing
fi
killed() {
	env KILL_ROOT="$VF_ROOT" LD_PRELOAD="$work/killw.so" \
	    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	    vf-parse <"$1" >"$work/out" 2>"$work/err"
}
printf '氏名: 鈴木一郎\n製品名: ExampleDB\n' >"$work/body3"
mail 'ichiro@example.jp' 'Software Vulnerability Report' "$work/body3" >"$work/m3"
before=$(ncases)
logged=$(grep -c "number reserved" "$VF_ROOT/log")
killed "$work/m3"
is $? 137 "a delivery killed inside the write of its case: SIGKILL"
is "$(ncases)" "$before" "killed in the write: no case in new/ or cur/"
half=$(find "$VF_ROOT/received/tmp" -type f -newer "$work/m3" | sed -n 1p)
test -n "$half" && [ "$(wc -c <"$half")" -gt 0 ]
ok $? "the half-written file is in tmp/ only"
grep -q '^--=_vf_.*--$' "$half"
is $? 1 "and it is not a whole case"
is "$(grep -c "number reserved" "$VF_ROOT/log")" "$logged" \
    "a killed delivery writes no log line (it could not)"
p3=$(vf-parse <"$work/m3" 2>"$work/err")
ok $? "the retry files it"
is "$(ncases)" "$((before + 1))" "once"
grep -q '鈴木一郎' "$p3"
ok $? "whole"
# A follow-up killed in the write leaves its case as it was.
cp "$p3" "$work/p3.before"
id3=$(basename "$p3")
printf 'more\n' >"$work/fu3"
mail 'ichiro@example.jp' "Re: [VF#$id3]" "$work/fu3" >"$work/m4"
killed "$work/m4"
is $? 137 "a follow-up killed inside the write"
cmp -s "$p3" "$work/p3.before"
ok $? "its case is as it was"
vf-parse <"$work/m4" >/dev/null 2>&1
grep -q '^more$' "$p3"
ok $? "the retry adds the follow-up"

done_testing
