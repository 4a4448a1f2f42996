#!/bin/sh
# vf-expire killed with SIGKILL at random moments while it erases: every
# case is left whole, either as it was or erased, in one state; the next
# run finishes the job.
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys || skip_all "cannot make gpg keys"
make_root
VF_NOW=2027-01-10T00:00:00Z
export VF_NOW
printf 'Name: Crash Testperson\nE-mail address: crash.testperson@example.com\nProduct name: ExampleDB\n' >"$work/s"
mail 'Crash Testperson <crash.testperson@example.com>' 'Software Vulnerability Report' "$work/s" >"$work/m"
n=0
while [ $n -lt 30 ]; do
	p=$(sed "s/^Message-ID: .*/Message-ID: <$n@example.com>/" "$work/m" | vf-parse)
	p=$(VF_NOW=2027-01-05T00:00:00Z VF_STAFF=crash-test vf-decide close 'Handled.' "$p")
	n=$((n + 1))
done

# One case a mail reader has renamed: still the case (its Vf-Id).
mkdir -p "$VF_ROOT/closed/cur"
mv "$p" "$VF_ROOT/closed/cur/1796163661.M000939P19045Q1.vm:2,S"

kills=0
for delay in 0.01 0.02 0.03 0.05 0.08 0.1 0.15 0.2; do
	vf-expire >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
	wait "$pid" 2>/dev/null
done
echo "# killed $kills runs"
bad=0
whole=0
for f in "$VF_ROOT"/*/new/* "$VF_ROOT"/*/cur/*; do
	[ -f "$f" ] || continue
	vf-show "$f" >/dev/null 2>&1 || bad=$((bad + 1))
	whole=$((whole + 1))
done
is "$whole:$bad" "30:0" "every case is whole after the kills"
is "$(vf-ls | grep -c .)" 30 "each in exactly one state"
vf-expire >/dev/null 2>"$work/err"
is $? 0 "the next run finishes"
grep -l 'Crash Testperson\|crash.testperson' "$VF_ROOT"/closed/new/* "$VF_ROOT"/closed/cur/* >/dev/null 2>&1
ok $((! $?)) "and every case is erased, the renamed one too"
done_testing
