#!/bin/sh
# The whole-tree tools read each case by its head (vf_case_loadhead): the
# top headers, the fields and the history, never a report part. Filed by
# the real vf-parse: a report whose history starts past the first 8 KiB
# read (a long "steps to reproduce") with a large report part after it
# (a long log below the form), and a plain one. What the tools decide
# from the head is what they decide from the whole case; a case torn in
# its head gets the whole reader's error; and the report part is not read.
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys || skip_all "cannot make gpg keys"
make_root

ex=$VF_SHARE/examples/software-en.txt
awk '/^Mail subject:/ { next } { print }
    /\(6\) Steps to reproduce/ { for (i = 1; i <= 300; i++)
	printf "    %d. one more step of a long reproduction, as written\n", i + 3 }' \
    "$ex" >"$work/big"
i=0
while [ $i -lt 4000 ]; do
	echo "log $i: 0123456789abcdef0123456789abcdef0123456789abcdef"
	i=$((i + 1))
done >>"$work/big"
sed -e '/^Mail subject:/d' -e 's/ExampleDB Server/OtherDB/' "$ex" >"$work/small"
big=$(mail john@example.com 'Software Vulnerability Report' "$work/big" | vf-parse)
small=$(mail john@example.com 'Software Vulnerability Report' "$work/small" | vf-parse)
[ -f "$big" ] && [ -f "$small" ]
ok $? "two reports filed"
off=$(grep -b -m1 '^Vf-Part: history$' "$big" | cut -d: -f1)
size=$(wc -c <"$big")
[ "${off:-0}" -gt 8192 ] && [ "$size" -gt 200000 ]
ok $? "the big case's history starts past 8 KiB ($off), the file is $size bytes"

# vf-validate -n (the head) and a real run (the whole case, under the
# lock) on a copy of the root: the same verdict and the same reasons.
vf-validate -n "$big" "$small" >"$work/dry" 2>"$work/dry.err"
is $? 0 "vf-validate -n"
cp -R "$VF_ROOT" "$work/copy"
VF_ROOT=$work/copy vf-validate "$(basename "$big")" "$(basename "$small")" \
    >"$work/moved" 2>"$work/moved.err"
is $? 0 "vf-validate, for real, on a copy"
for c in "$big" "$small"; do
	id=$(basename "$c")
	want=$(awk -F '\t' -v p="$c" '$1 == p { print $2 }' "$work/dry")
	got=$(sed -n "s|^$work/copy/\([a-z]*\)/new/$id\$|\1|p" "$work/moved")
	is "$got" "$want" "$id: -n says $want, the real run moved it there"
	why=$(awk -F '\t' -v p="$c" '$1 == p { print $3 }' "$work/dry")
	grep -qF "vf-validate: $want: $why" "$work/copy/$got/new/$id"
	ok $? "$id: and the real run's history gives -n's reasons"
done

# vf-stats counts both; vf-expire looks at both (every part's headers).
vf-stats -t received >"$work/stats" 2>"$work/stats.err"
is $? 0 "vf-stats reads both"
[ "$(awk -F '\t' 'NR > 1 { n += $2 } END { print n + 0 }' "$work/stats")" -ge 2 ] ||
    grep -q 2 "$work/stats"
ok $? "and counts them"
vf-expire -n >/dev/null 2>"$work/exp.err"
is $? 0 "vf-expire -n reads both"

# The report part is not read: of the big file, vf-stats and vf-validate
# -n read the first 8 KiB and then up to the end of the history only once
# the first read fell short; each case file is opened once by -n.
if command -v strace >/dev/null; then
	bytes() { # TRACE FILE: bytes read from FILE
		awk -v f="<$2>" 'index($0, f) && ($0 ~ /^[0-9]+ +(read|pread64)\(/) {
		    n += $NF } END { print n + 0 }' "$1"
	}
	strace -f -y -e trace=openat,read,pread64 -o "$work/st1" vf-stats \
	    >/dev/null 2>&1
	n=$(bytes "$work/st1" "$big")
	[ "$n" -gt 0 ] && [ "$n" -lt $((size / 2)) ]
	ok $? "vf-stats read $n of the big case's $size bytes"
	strace -f -y -e trace=openat,read,pread64 -o "$work/st2" vf-validate -n \
	    "$big" "$small" >/dev/null 2>&1
	n=$(bytes "$work/st2" "$big")
	[ "$n" -gt 0 ] && [ "$n" -lt $((size / 2)) ]
	ok $? "vf-validate -n read $n of them"
	opens=$(grep -c "openat(.*$(basename "$big")\"" "$work/st2")
	is "$opens" 1 "vf-validate -n opens each case once"
else
	for i in 1 2 3; do skip "strace not installed"; done
fi

# Torn in its fields (a copy with its fields cut): the tools that read
# the head give the error the whole reader gives (vf-show), line and all.
torn=$VF_ROOT/received/new/torn
id=$(basename "$small")
mkdir -p "$work/tornroot"
awk '/^product.name:/ { print "product.name"; next } { print }' "$small" |
    sed "s/$id/2026-99999/g" >"$torn"
vf-show "$torn" >/dev/null 2>"$work/show.err"
is $? 65 "vf-show refuses the torn copy"
vf-stats >/dev/null 2>"$work/stats.err"
is $? 65 "vf-stats too"
want=$(sed -n "s|^vf-show: $torn: ||p" "$work/show.err")
got=$(sed -n "s|^vf-stats: $torn: ||p" "$work/stats.err")
[ -n "$want" ]
is "$got" "$want" "with the same words and line"
vf-validate -n "$small" >/dev/null 2>"$work/val.err"
got=$(sed -n "s|^vf-validate: $torn: \(.*\) (not compared for duplicates)\$|\1|p" "$work/val.err")
is "$got" "$want" "vf-validate's index says the same"
rm -f "$torn"

done_testing
