#!/bin/sh
# vf-ls lists cases by state, one path a line; -l one readable line a case.
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys || skip_all "cannot make gpg keys"
make_root

printf '氏名: 山田太郎\n脆弱性を確認したウェブサイトのURL: https://www.example.jp/\n' >"$work/web"
printf 'Name: Alice\nProduct name: ExampleDB\n' >"$work/sw"
p1=$(mail a@example.jp 'Web Application Vulnerability Report' "$work/web" | vf-parse)
p2=$(mail b@example.com 'Software Vulnerability Report' "$work/sw" | vf-parse)

vf-ls >"$work/all"
ok $? "vf-ls: exit 0"
is "$(sort "$work/all" | tr '\n' ' ')" "$(printf '%s\n%s\n' "$p1" "$p2" | sort | tr '\n' ' ')" \
    "vf-ls prints every case path"
is "$(vf-ls received | grep -c .)" 2 "vf-ls received: both cases"
is "$(vf-ls accepted | grep -c .)" 0 "vf-ls accepted: none yet"
vf-ls nosuchstate >/dev/null 2>"$work/err"
is $? 64 "unknown state: 64"
grep -q 'nosuchstate' "$work/err"
ok $? "unknown state named in the message"

id1=$(basename "$p1")
vf-ls -l received >"$work/long"
line=$(grep "^$id1	" "$work/long")
is "$(echo "$line" | cut -f2,3)" "received	web" "-l: id, state, kind"
echo "$line" | grep -q "\[VF#$id1\] Web Application Vulnerability Report"
ok $? "-l: decoded subject with the case tag"

# A case moved by a mail reader to cur/ with flags is still listed.
mkdir -p "$VF_ROOT/received/cur"
mv "$p2" "$VF_ROOT/received/cur/$(basename "$p2"):2,S"
vf-ls received | grep -q "/received/cur/$(basename "$p2"):2,S\$"
ok $? "cases in cur/ (read in mutt) are listed"

# The listing feeds other filters: paths in, paths out.
is "$(vf-ls received | vf-show | grep -c '^Case ')" 2 "vf-ls | vf-show shows every case"

chmod 777 "$VF_ROOT"
vf-ls >/dev/null 2>&1
is $? 77 "a root others can write is refused"
for m in 750 704; do
	chmod "$m" "$VF_ROOT"
	vf-ls >/dev/null 2>"$work/err"
	is $? 77 "a root others can read ($m) is refused"
done
grep -q 'chmod 700' "$work/err"
ok $? "and the message says what to do"
chmod 700 "$VF_ROOT"
ln -s "$VF_ROOT" "$work/link"
VF_ROOT=$work/link vf-ls >/dev/null 2>"$work/err"
is $? 77 "a root that is a symbolic link is refused"
VF_ROOT=$work/link/ vf-ls >/dev/null 2>&1
is $? 77 "with a trailing slash too"
# A link planted below the root is not followed out of the tree.
mkdir -m 700 "$work/elsewhere"
cp "$VF_ROOT/received/cur/"* "$work/elsewhere/"
mkdir -p "$VF_ROOT/accepted"
ln -s "$work/elsewhere" "$VF_ROOT/accepted/cur"
vf-ls accepted >"$work/out" 2>"$work/err"
[ $? -ne 0 ] && [ ! -s "$work/out" ]
ok $? "a state folder that is a symbolic link is not listed"
rm "$VF_ROOT/accepted/cur"
VF_ROOT= vf-ls >/dev/null 2>&1
is $? 64 "no root named: 64"

# Two files of one case (a reader's copy left beside it): -l, which reads
# every Vf-Id, names both and exits 65, still listing each.
one=$(vf-ls received | sed -n 1p)
oid=$(sed -n 's/^Vf-Id: //p' "$one" | sed -n 1p)
mkdir -p "$VF_ROOT/closed/cur"
cp "$one" "$VF_ROOT/closed/cur/copy.vm:2,S"
vf-ls -l >"$work/out" 2>"$work/err"
is $? 65 "two files of case $oid: vf-ls -l exits 65"
grep -F "$one" "$work/err" | grep -F "$VF_ROOT/closed/cur/copy.vm:2,S" | grep -q "case $oid"
ok $? "and names both files"
is "$(grep -c "^$oid	" "$work/out")" 2 "and still lists both"
rm "$VF_ROOT/closed/cur/copy.vm:2,S"
vf-ls -l >/dev/null 2>"$work/err"
is "$?:$(wc -c <"$work/err")" "0:0" "one file again: 0, nothing said"

# The ids seen are a bit each per year; a number too large for the bits
# is kept in a list: two files of such a case are told alike. (A copy
# with its Vf-Id changed: no vf-parse run reaches number 900000001.)
sed "s/$oid/2026-900000001/g" "$one" >"$VF_ROOT/closed/cur/big1"
cp "$VF_ROOT/closed/cur/big1" "$VF_ROOT/closed/cur/big2"
vf-ls -l >"$work/out" 2>"$work/err"
is $? 65 "two files of case 2026-900000001: 65"
grep -F "closed/cur/big1 and $VF_ROOT/closed/cur/big2 are two files of case 2026-900000001" "$work/err" >/dev/null
ok $? "and both are named"
is "$(grep -c "two files" "$work/err")" 1 "and no other pair is"
rm "$VF_ROOT/closed/cur/big1" "$VF_ROOT/closed/cur/big2"

done_testing
