#!/bin/sh
# vf-show: a case for a person, by id or path; control characters from a
# mail never reach the terminal.
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys || skip_all "cannot make gpg keys"
make_root

printf '氏名: 山田太郎\n製品名: ExampleWiki\n再現手順: step one\n\033]0;pwned\007\033[2J text\n' >"$work/sw"
p=$(mail taro@example.jp 'Software Vulnerability Report' "$work/sw" | vf-parse)
id=$(basename "$p")

vf-show "$id" >"$work/out1"
ok $? "by id: exit 0"
vf-show "VF#$id" >"$work/out2"
cmp -s "$work/out1" "$work/out2"
ok $? "VF#id names the same case"
vf-show "$p" >"$work/out3"
cmp -s "$work/out1" "$work/out3"
ok $? "a path names the same case"
echo "$p" | vf-show >"$work/out4"
cmp -s "$work/out1" "$work/out4"
ok $? "paths on stdin"
grep -q "^Case *VF#$id" "$work/out1"
ok $? "case id shown"
grep -q "^  Name \[reporter.name\]" "$work/out1"
ok $? "English labels from the field table"
vf-show -j "$id" | grep -q "^  氏名 \[reporter.name\]"
ok $? "-j: Japanese labels"
grep -q "Steps to reproduce \[vuln.reproduce\] (attack method: confidential)" "$work/out1"
ok $? "attack-class fields are marked"
if grep -q "$(printf '\033')" "$work/out1"; then ok 1 "no escape character reaches the terminal"
else ok 0 "no escape character reaches the terminal"; fi
grep -q '?]0;pwned?' "$work/out1"
ok $? "control characters shown as ?"

vf-show 2026-99999 >/dev/null 2>"$work/err"
is $? 66 "unknown id: 66"
vf-show /etc/passwd >/dev/null 2>"$work/err"
is $? 66 "a file outside the tree is refused"
vf-show 2026-99999 "$id" >"$work/out5" 2>/dev/null
is $? 66 "one bad argument: worst status"
grep -q "^Case *VF#$id" "$work/out5"
ok $? "and the good one is still shown"

done_testing
