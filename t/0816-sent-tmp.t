#!/bin/sh
# A vf-notify killed while it writes a .sent entry leaves
# ROOT/.sent/HASH.PID.tmp; vf-expire removes such files once 36 hours old
# (as it does files left in tmp/), never the entries themselves, never a
# younger one.
. "$(dirname "$0")/lib.sh"
. "$top/t/notice.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys taro || skip_all "cannot make gpg keys"
make_root
p=$(signed_report software taro) || skip_all "cannot file the report"
id=$(basename "$p")
vf-notify -k ack "$id" >/dev/null
ok $? "setup: an acknowledgement made"
entry=$(ls "$VF_ROOT/.sent")
is "$(echo "$entry" | wc -l | tr -d ' ')" 1 "setup: its Message-ID in .sent"

# What sent.c leaves when killed between its open and its rename: the
# entry's name, the writer's pid, ".tmp".
old=$VF_ROOT/.sent/$(printf '%064d' 1).4242.tmp
young=$VF_ROOT/.sent/$(printf '%064d' 2).4243.tmp
echo "$id reporter ack" >"$old"
echo "$id reporter ack" >"$young"
now=$(date +%s)
touch -d "@$((now - 37 * 3600))" "$old" "$VF_ROOT/.sent/$entry"
touch -d "@$((now - 35 * 3600))" "$young"

vf-expire -n >"$work/dry" 2>&1
test -f "$old"
ok $? "vf-expire -n: the stale .sent tmp file stays"
grep -q "^$old	removed	" "$work/dry"
ok $? "vf-expire -n: says it would remove it"

vf-expire >"$work/out" 2>"$work/err"
is $? 0 "vf-expire: exit 0"
grep -q "^$old	removed	" "$work/out" && ! test -e "$old"
ok $? "a .sent tmp file 37 hours old is removed"
test -f "$young"
ok $? "a .sent tmp file 35 hours old is kept"
test -f "$VF_ROOT/.sent/$entry"
ok $? "the Message-ID's entry stays, however old"

done_testing
