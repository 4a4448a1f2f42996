#!/bin/sh
# vf-parse never writes a case its own reader refuses: a follow-up that
# would take its case past a limit of the case-file reader (here 10000
# parts) is filed as a case of its own, naming the case it answers
# (Vf-Mentions), and the case it answers stays readable and unchanged.
. "$(dirname "$0")/lib.sh"
. "$top/t/notice.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys || skip_all "cannot make gpg keys"
make_root

p=$(report software)
id=$(basename "$p")

# fu N: a follow-up on the case with 900 small attachments (the mail's
# own limit is 1000 MIME parts), Message-ID of its own.
fu() {
	printf 'From: taro@example.jp\nTo: office@example.jp\n'
	printf 'Subject: Re: [VF#%s] more logs %s\n' "$id" "$1"
	printf 'Message-ID: <fu%s.%s@example.jp>\nMIME-Version: 1.0\n' "$1" "$$"
	printf 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
	printf 'Content-Type: text/plain\n\nMore logs, part %s.\n' "$1"
	i=0
	while [ $i -lt 900 ]; do
		printf -- '--b\nContent-Type: application/octet-stream; name="l%d.bin"\n' $i
		printf 'Content-Disposition: attachment; filename="l%d.bin"\n\nlog %d\n' $i $i
		i=$((i + 1))
	done
	printf -- '--b--\n'
}
n=1 filed=0
while [ $n -le 11 ]; do
	fu $n | vf-parse >"$work/out" 2>"$work/err" || break
	[ "$(cat "$work/out")" = "$p" ] && filed=$((filed + 1))
	n=$((n + 1))
done
is "$filed" 11 "eleven follow-ups of 900 attachments go to the case"
parts=$(grep -c '^Vf-Part: ' "$p")
echo "# the case has $parts parts"
cp "$p" "$work/before"

fu 12 | vf-parse >"$work/out" 2>"$work/err"
is $? 0 "the twelfth is filed (exit 0)"
q=$(cat "$work/out")
[ -n "$q" ] && [ "$q" != "$p" ]
ok $? "as a case of its own"
cmp -s "$p" "$work/before"
ok $? "the case it answers is unchanged"
vf-show "$id" >/dev/null 2>"$work/err"
is $? 0 "and still readable by vf-show"
grep -c '^Vf-Part: ' "$p" | { read -r k; test "$k" -le 10000; }
ok $? "and within the reader's 10000 parts"
qid=$(basename "$q")
grep -q "^Vf-Mentions: $id$" "$q"
ok $? "the new case names the case it answers (Vf-Mentions)"
grep -q "a follow-up to case $id, filed as a case of its own: it would have more than 10000 parts" "$q"
ok $? "its history says why"
grep -q "$id.*follow-up filed as case $qid" "$VF_ROOT/log"
ok $? "the log of the answered case says where the mail went"
vf-show "$qid" >/dev/null
is $? 0 "the new case is readable"
fu 12 | vf-parse >"$work/out2"
is "$(cat "$work/out2")" "$q" "the same mail again: the same case, no third"

done_testing
