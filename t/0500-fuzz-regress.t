#!/bin/sh
# Every crash a fuzzer ever found (fuzz/regress/NAME/) and every seed
# (fuzz/seeds/NAME/) goes through its harness again, built with the normal
# compiler and flags (obj/replay/fuzz_NAME, made by `make check`), so that
# `make SANITIZE=1 check` holds the fixes without clang or libFuzzer.
. "$(dirname "$0")/lib.sh"

# Where the fuzzers keep what they found: it must be there to be replayed.
test -d "$top/fuzz/regress"
ok $? "fuzz/regress/ exists"

for src in "$top"/fuzz/fuzz_*.c; do
	[ -f "$src" ] || continue
	base=$(basename "$src" .c)
	name=${base#fuzz_}
	bin=$top/obj/replay/$base
	set --
	for f in "$top/fuzz/regress/$name"/* "$top/fuzz/seeds/$name"/*; do
		[ -f "$f" ] && set -- "$@" "$f"
	done
	if [ $# -eq 0 ]; then
		skip "$name: no reproducers or seeds"
		continue
	fi
	if [ ! -x "$bin" ]; then
		ok 1 "$name: $bin not built (make check builds it)"
		continue
	fi
	timeout 600 "$bin" "$@" >"$work/out" 2>"$work/err"
	rc=$?
	ran=$(sed -n 's/^replay: \([0-9]*\) inputs$/\1/p' "$work/out")
	if [ "$rc" -eq 0 ] && [ "$ran" = "$#" ] && ! grep -q \
	    -e 'ERROR: AddressSanitizer' -e 'runtime error:' \
	    -e 'ERROR: LeakSanitizer' "$work/err"; then
		ok 0 "$name: $ran of $# inputs replayed"
	elif [ "$rc" -eq 0 ] && [ "$ran" != "$#" ]; then
		ok 1 "$name: ${ran:-no} inputs replayed of $#"
	else
		ok 1 "$name: $# inputs replayed (exit $rc)"
		# Name the input that failed: replay them one by one.
		for f in "$@"; do
			timeout 60 "$bin" "$f" >/dev/null 2>&1 ||
			    echo "#   fails: ${f#$top/}"
		done
		sed -n '1,30s/^/#   /p' "$work/err"
	fi
done
done_testing
