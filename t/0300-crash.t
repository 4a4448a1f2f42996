#!/bin/sh
# Crash safety: kill -9 at any moment leaves every case whole, in exactly
# one state, and loses no mail. Hundreds of deliveries, three at a time,
# each vf-parse killed after a random delay up to a little more than a
# delivery takes (at least 30 ms; some never killed): gpg encrypting
# the original, decrypting PGP/MIME, allocating the id, writing tmp/,
# linking into new/ are all somewhere in that window. A delivery that did
# not exit 0 is one the MTA keeps and delivers again; at the end each is
# delivered again, and every distinct mail must be exactly one case.
#
# VF_CRASH_N (deliveries, 300) and VF_CRASH_SEED (the delays) reproduce a
# run; the seed is printed.
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys reporter || skip_all "cannot make gpg keys"
make_root

n=${VF_CRASH_N:-300}
seed=${VF_CRASH_SEED:-$(date +%s)}
echo "# VF_CRASH_N=$n VF_CRASH_SEED=$seed"

header() { sed -n "1,/^\$/s/^$2: //p" "$1" | sed -n 1p; }
# Every file in a new/ or cur/ (anchored: the root may be under /tmp).
cases() {
	find "$VF_ROOT" -path "$VF_ROOT/*/new/*" -type f -o \
	    -path "$VF_ROOT/*/cur/*" -type f
}
sanitizer() {
	# -s: a delivery killed at once may not have opened its stderr file.
	grep -qs -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' \
	    -e 'runtime error:' "$@"
}
whole() {
	bnd=$(sed -n '1,/^$/s/^Content-Type: multipart\/mixed; boundary="\(.*\)"$/\1/p' \
	    "$1" | sed -n 1p)
	[ -n "$bnd" ] && [ "$(tail -n 1 "$1")" = "--$bnd--" ] &&
	    vf-show "$1" >/dev/null 2>&1
}

# The mails: a clear report each, every fifth PGP/MIME (every tenth also
# signed), each with its own Message-ID to find its case by.
cat >"$work/body" <<'EOF2'
氏名: 山田太郎
電子メールアドレス: taro@example.jp
製品名: ExampleWiki
EOF2
i=1
while [ "$i" -le "$n" ]; do
	{ cat "$work/body"; echo "delivery $i"; } >"$work/b$i"
	if [ $((i % 10)) -eq 0 ]; then
		pgpmime 'taro@example.jp' "report $i" "$work/b$i" \
		    "$OFFICE_FPR" "$FPR_reporter"
	elif [ $((i % 5)) -eq 0 ]; then
		pgpmime 'taro@example.jp' "report $i" "$work/b$i" "$OFFICE_FPR"
	else
		mail 'taro@example.jp' "report $i" "$work/b$i"
	fi >"$work/m$i" || skip_all "cannot make mail $i"
	rm -f "$work/b$i"
	i=$((i + 1))
done

# How long one delivery takes here (sanitizers, a slow disk): the kills
# must spread over all of it, gpg, the id, tmp/, the link into new/. The
# first three deliveries are never killed and give the measure.
i=1 span=30
while [ "$i" -le 3 ]; do
	t0=$(date +%s%N)
	# The tool itself, not make valgrind's wrapper (t/lib.sh): the span
	# is how long vf-parse takes, not memcheck.
	env PATH="$vfbin:$PATH" vf-parse <"$work/m$i" >"$work/o$i" 2>"$work/e$i"
	echo $? >"$work/rc$i"
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	[ $((ms * 3 / 2)) -gt "$span" ] && span=$((ms * 3 / 2))
	i=$((i + 1))
done
echo "# delays 0-$span ms"

# Delays in ms, -1 for "not killed" (one in ten).
awk -v n="$((n - 3))" -v s="$seed" -v span="$span" 'BEGIN { srand(s);
    for (i = 1; i <= n; i++)
        if (rand() < 0.1) print -1; else print int(rand() * (span + 1)) }' \
    >"$work/delays"

# one I DELAY: deliver mail I, kill it after DELAY ms; its exit status
# goes to rcI. The kill comes before the wait, so the pid is still ours.
one() {
	vf-parse <"$work/m$1" >"$work/o$1" 2>"$work/e$1" &
	p=$!
	if [ "$2" -ge 0 ]; then
		sleep "$(printf '%d.%03d' $(($2 / 1000)) $(($2 % 1000)))"
		kill -KILL "$p" 2>/dev/null
	fi
	wait "$p"
	echo $? >"$work/rc$1"
}

t0=$(date +%s)
i=4
while read -r d; do
	one "$i" "$d" 2>/dev/null &
	if [ $((i % 3)) -eq 0 ]; then
		wait
	fi
	i=$((i + 1))
done <"$work/delays"
wait
echo "# $((n - 3)) deliveries, three at a time, in $(( $(date +%s) - t0 )) s"

filed=0 killed=0 other=0
i=1
while [ "$i" -le "$n" ]; do
	rc=$(cat "$work/rc$i")
	case $rc in
	0)
		filed=$((filed + 1))
		p=$(cat "$work/o$i")
		if [ -f "$p" ] && whole "$p"; then
			ok 0 "delivery $i: exit 0, whole case"
		else
			ok 1 "delivery $i: exit 0, whole case at '$p'"
		fi
		;;
	137)
		killed=$((killed + 1))
		;;
	*)
		# Not killed, not filed: the MTA keeps it. Say why.
		other=$((other + 1))
		echo "# delivery $i: exit $rc: $(sed -n 1p "$work/e$i")"
		;;
	esac
	if sanitizer "$work/e$i"; then
		ok 1 "delivery $i: sanitizer report"
		sed -n '1,20s/^/#   /p' "$work/e$i"
	fi
	i=$((i + 1))
done
echo "# filed $filed, killed $killed, other exits $other"
[ "$killed" -gt 0 ]
ok $? "some deliveries were killed ($killed)"

# No partial file in any new/ or cur/.
cases >"$work/files"
bad=0
while read -r f; do
	if ! whole "$f"; then
		bad=$((bad + 1))
		echo "#   not a whole case: $f"
	fi
done <"$work/files"
is "$bad" 0 "every file in new/ and cur/ is a whole case ($(grep -c . "$work/files") files)"
echo "# stale files in tmp/: $(find "$VF_ROOT" -path "$VF_ROOT/*/tmp/*" \
    -type f | grep -c .)"

# Deliver every mail again, as the MTA would the ones not taken: each
# exits 0; one filed before names the same case as before.
fail=0 same=0
i=1
while [ "$i" -le "$n" ]; do
	rc0=$(cat "$work/rc$i")
	vf-parse <"$work/m$i" >"$work/o2" 2>"$work/e2"
	rc=$?
	if [ "$rc" -ne 0 ] || sanitizer "$work/e2"; then
		fail=$((fail + 1))
		echo "#   redelivery $i (first exit $rc0): exit $rc: $(sed -n 1p "$work/e2")"
	elif [ "$rc0" -eq 0 ] && [ "$(cat "$work/o2")" != "$(cat "$work/o$i")" ]; then
		fail=$((fail + 1))
		echo "#   redelivery $i names $(cat "$work/o2"), first $(cat "$work/o$i")"
	elif [ "$rc0" -eq 0 ]; then
		same=$((same + 1))
	fi
	i=$((i + 1))
done
is "$fail" 0 "every mail delivered again: exit 0 ($same named their case again)"

# Each distinct mail is exactly one case.
cases >"$work/files"
: >"$work/mids"
while read -r f; do
	header "$f" Vf-Message-Id >>"$work/mids"
done <"$work/files"
is "$(grep -c . "$work/files")" "$n" "$n mails, $n cases"
nbad=0
i=1
while [ "$i" -le "$n" ]; do
	mid=$(sed -n '1,/^$/s/^Message-ID: //p' "$work/m$i" | sed -n 1p)
	c=$(grep -cxF -e "$mid" "$work/mids")
	if [ "$c" -ne 1 ]; then
		nbad=$((nbad + 1))
		echo "#   mail $i ($mid): $c cases"
	fi
	i=$((i + 1))
done
is "$nbad" 0 "each mail is exactly one case"
bad=0
while read -r f; do
	whole "$f" || bad=$((bad + 1))
done <"$work/files"
is "$bad" 0 "after redelivery, every case is whole"

done_testing
