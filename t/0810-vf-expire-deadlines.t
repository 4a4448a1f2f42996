#!/bin/sh
# vf-expire and time: reminders to a silent site operator through
# vf-notify, closing as unreachable after the last deadline (telling the
# reporter), flags for passed publication dates, idle cases and missed
# reply deadlines, stale tmp/ files; -n; twice in a row; a held lock.
# vf-notify is the stand-in in t/bin (it records each call in
# VF_NOTIFY_LOG, and STANDIN_FAIL / STANDIN_FORGET make it fail or do
# nothing, which the real one cannot be made to do); stage puts the cases
# in contacted and waiting with notices dated weeks apart, which the real
# tools reach only through an operator's and a coordinator's keys and a
# notice per case at each date. t/0990-pipeline.t runs the real chain.
. "$(dirname "$0")/lib.sh"
PATH=$top/t/bin:$PATH
VF_NOTIFY_LOG=$work/notify.log
export VF_NOTIFY_LOG

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys || skip_all "cannot make gpg keys"
make_root
cat >>"$VF_ROOT/config" <<CFG
reply-deadline-days 14
operator-wait-days 40
idle-days 30
CFG

VF_NOW=2027-03-01T00:00:00Z
export VF_NOW
printf '氏名: 期限 花子\n電子メールアドレス: kigen@example.jp\n脆弱性を確認したウェブサイトのURL: https://www.example.jp/\n脆弱性の種類: CWE-79\n' >"$work/w"
w1=$(mail kigen@example.jp 'Web Application Vulnerability Report' "$work/w" | vf-parse)
w2=$(mail kigen@example.jp 'Web Application Vulnerability Report' "$work/w" | vf-parse)
printf 'Name: Dead Line\nProduct name: ExampleDB\n' >"$work/s"
s1=$(mail dl@example.com 'Software Vulnerability Report' "$work/s" | vf-parse)
s3=$(mail dl@example.com 'Software Vulnerability Report' "$work/s" | vf-parse)
idw1=$(basename "$w1")
w1=$(stage "$w1" contacted status.accepted=2027-03-01 "+Vf-Notice: first-contact operator <vf.$idw1.1@x> 2027-03-01T00:00:00Z")
w2=$(stage "$w2" contacted status.accepted=2027-03-01 "+Vf-Notice: first-contact operator <vf.x.2@x> 2027-03-01T00:00:00Z" status.answered=2027-03-03)
s1=$(stage "$s1" waiting status.accepted=2027-03-01 'status.pubdate=2027-03-20 10:00 +0900' status.pubdate-utc=2027-03-20T01:00:00Z \
    '+Vf-Notice: coordinator coordinator <vf.s1@x> 2027-03-01T00:00:00Z')
s3=$(stage "$s3" waiting status.accepted=2027-03-01 '+Vf-Notice: coordinator coordinator <vf.s3@x> 2027-03-01T00:00:00Z')

run() { VF_NOW=$1 vf-expire >"$work/out" 2>"$work/err"; echo $? >"$work/rc"; }

run 2027-03-10T00:00:00Z
is "$(cat "$work/rc"):$(grep -c . "$work/out")" "0:0" "day 9: nothing to do"
test -s "$VF_NOTIFY_LOG"
ok $((! $?)) "vf-notify not called"

run 2027-03-15T00:00:00Z
is "$(cat "$work/rc")" 0 "day 14: exit 0"
is "$(cat "$VF_NOTIFY_LOG")" "vf-notify -k reminder $idw1" "day 14: one reminder to the silent operator, none to the one who answered"
grep -q "^$w1	reminded	" "$work/out"
ok $? "the reminder is reported"
grep -q "^$s3	flag-deadline	no answer from the coordinator" "$work/out"
ok $? "a missed reply deadline is flagged"
grep -q "^$s1	flag-deadline" "$work/out"
ok $((! $?)) "(not for a case whose publication date was agreed)"

run 2027-03-15T00:00:00Z
is "$(grep -c reminder "$VF_NOTIFY_LOG")" 1 "run again: no second reminder"

# The publication date is 2027-03-20 10:00 in Japan: 01:00 UTC.
run 2027-03-20T00:30:00Z
grep -q "^$s1	flag-pubdate" "$work/out"
ok $((! $?)) "09:30 in Japan on the day: not passed yet"
run 2027-03-20T01:30:00Z
grep -q "^$s1	flag-pubdate	agreed publication 2027-03-20T01:00:00Z (2027-03-20 10:00 +0900) has passed" "$work/out"
ok $? "10:30 in Japan: the passed publication date is flagged, with its zone"
is "$(cat "$work/rc")" 0 "flags alone: exit 0"

run 2027-03-29T00:00:00Z
is "$(grep -c reminder "$VF_NOTIFY_LOG")" 2 "14 days after the first reminder: the second"

# Dry run: says it, does nothing.
cp -R "$VF_ROOT" "$work/copy"
VF_NOW=2027-04-12T00:00:00Z vf-expire -n >"$work/dry"
grep -q "^$w1	closed	would close as unreachable" "$work/dry"
ok $? "-n says it would close the case"
diff -r "$VF_ROOT" "$work/copy" >/dev/null
ok $? "-n changes nothing"
is "$(grep -c . "$VF_NOTIFY_LOG")" 2 "-n runs no vf-notify"

# A lock held by someone deciding: vf-expire waits, then gives up (75).
flock "$VF_ROOT/.lock/$idw1" sleep 4 &
sleep 1
VF_LOCK_WAIT=1 VF_NOW=2027-04-12T00:00:00Z vf-expire >"$work/out" 2>"$work/err"
is $? 75 "the case is locked: exit 75"
test -f "$w1"
ok $? "and the case is left as it was"
wait

run 2027-04-12T00:00:00Z
w1u=$VF_ROOT/unreachable/new/$idw1
is "$(cat "$work/rc")" 0 "day 42, 14 days after the last reminder: exit 0"
grep -q "^$w1u	closed	unreachable" "$work/out"
ok $? "closed as unreachable"
grep -q '^status.closed: 2027-04-12$' "$w1u" && grep -q '^status.reason: ' "$w1u"
ok $? "with status.closed and status.reason"
grep -q 'vf-expire: closed as unreachable' "$w1u"
ok $? "recorded in the history"
grep -q "vf-notify -k closed $idw1" "$VF_NOTIFY_LOG"
ok $? "the reporter is told"
grep -q '期限 花子' "$w1u"
ok $? "the reporter's details wait until the notice is sent"
run 2027-04-12T00:00:00Z
grep -q "^$w1u	waiting	" "$work/out"
ok $? "... and say so"
mkdir -p "$VF_ROOT/outbox/cur"
mv "$VF_ROOT"/outbox/new/* "$VF_ROOT/outbox/cur/"
run 2027-04-12T00:00:00Z
grep -q "^$w1u	erased	" "$work/out" && ! grep -q '期限 花子' "$w1u"
ok $? "once it is sent, they are deleted"

# vf-notify failing, or recording nothing: a failure, tried again later.
w3=$(mail kigen@example.jp 'Web Application Vulnerability Report' "$work/w" | vf-parse)
w3=$(stage "$w3" contacted "+Vf-Notice: first-contact operator <vf.w3@x> 2027-04-12T00:00:00Z")
STANDIN_FAIL=75 VF_NOW=2027-04-30T00:00:00Z vf-expire >/dev/null 2>"$work/err"
is $? 75 "vf-notify fails: exit 75"
grep -q 'vf-notify -k reminder failed' "$work/err"
ok $? "... and says so"
STANDIN_FORGET=1 VF_NOW=2027-04-30T00:00:00Z vf-expire >/dev/null 2>"$work/err"
is $? 75 "vf-notify records no notice: exit 75"
grep -q 'recorded no notice' "$work/err"
ok $? "... and says so"

# Idle cases.
VF_NOW=2027-05-01T00:00:00Z vf-expire >"$work/out" 2>&1
grep -q "^$s3	flag-idle	nothing happened since 2027-03-01" "$work/out"
ok $? "an idle case is flagged"

# tmp/: files older than 36 hours go, younger ones stay.
mkdir -p "$VF_ROOT/received/tmp" "$VF_ROOT/outbox/tmp"
echo old >"$VF_ROOT/received/tmp/1.old"
echo young >"$VF_ROOT/received/tmp/2.young"
echo old >"$VF_ROOT/outbox/tmp/3.old"
touch -d 2027-04-29T11:00:00Z "$VF_ROOT/received/tmp/1.old" "$VF_ROOT/outbox/tmp/3.old"
touch -d 2027-04-29T13:00:00Z "$VF_ROOT/received/tmp/2.young"
VF_NOW=2027-05-01T00:00:00Z vf-expire >"$work/out" 2>&1
grep -q "^$VF_ROOT/received/tmp/1.old	removed	" "$work/out" && ! test -f "$VF_ROOT/received/tmp/1.old" &&
    ! test -f "$VF_ROOT/outbox/tmp/3.old"
ok $? "files left in tmp/ for 37 hours are removed"
test -f "$VF_ROOT/received/tmp/2.young"
ok $? "a file 35 hours old is kept"

done_testing
