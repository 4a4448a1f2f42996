#!/bin/sh
# A case moved, renamed or flagged by a mail reader is still the case: found
# by its Vf-Id whatever its file is called, given back its name by the next
# change (which says so in its history), new again after a follow-up; two
# files of one case are an error naming both; finding a case costs no scan
# of a folder while the index is right. And what a reader and a terminal
# show: every part described, each original its own name, no
# bidirectional override printed.
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys || skip_all "cannot make gpg keys"
make_root

hist() { sed -n '/^Vf-Part: history$/,/^--=_vf/p' "$1"; }

printf '氏名: 山田太郎\n製品名: ExampleWiki\n' >"$work/body"
mail 'taro@example.jp' 'Software Vulnerability Report' "$work/body" >"$work/m1"
p=$(vf-parse <"$work/m1")
id=$(basename "$p")
n=0
followup() { # the reporter answers, threaded by the case tag
	n=$((n + 1))
	printf 'answer %d\n' "$n" >"$work/fu"
	mail 'taro@example.jp' "Re: [VF#$id] more" "$work/fu" >"$work/fu$n"
	vf-parse <"$work/fu$n" >"$work/fp" 2>"$work/err"
}

# --- mutt's save or mrefile: a name of the reader's own, flagged seen
odd=$VF_ROOT/received/cur/1796163661.M000939P19045Q1.vm:2,S
mkdir -p "$VF_ROOT/received/cur"
mv "$p" "$odd"
vf-show "$id" >"$work/show" 2>"$work/err"
ok $? "vf-show ID finds a case a reader renamed"
grep -q "^Path *$odd\$" "$work/show"
ok $? "and shows where it is"
vf-show "$odd" >/dev/null 2>&1
ok $? "vf-show takes the renamed file's path"
vf-ls received | grep -qxF "$odd"
ok $? "vf-ls lists it"
vf-ls -l received | grep -q "^$id	received	"
ok $? "vf-ls -l names it by its Vf-Id"
again=$(vf-parse <"$work/m1" 2>"$work/err")
is "$again" "$odd" "the same mail again names the renamed case"
is "$(ncases)" 1 "and files nothing new"

followup
p2=$(cat "$work/fp")
is "$p2" "$VF_ROOT/received/new/$id" "a follow-up goes to it; it gets back its name, in new/"
test ! -e "$odd"
ok $? "the reader's name is gone"
is "$(ncases)" 1 "still one case"
hist "$p2" | grep -qF "found as received/cur/1796163661.M000939P19045Q1.vm:2,S (vf had put it as received/new/$id): moved or renamed outside vf; named received/new/$id again"
ok $? "its history says it was found renamed outside vf"
grep -q "^answer 1" "$p2"
ok $? "the follow-up is in it"

# --- flags of its own name: seen and replied; a follow-up makes it new
mkdir -p "$VF_ROOT/received/cur"
mv "$p2" "$VF_ROOT/received/cur/$id:2,RS"
followup
p3=$(cat "$work/fp")
is "$p3" "$VF_ROOT/received/new/$id" "a follow-up to a case flagged seen: new again"
is "$(hist "$p3" | grep -c 'outside vf')" 1 "a reader's flags are no news for the history"

# --- moved to another state by a reader (mblaze's mrefile, or mv)
mkdir -p "$VF_ROOT/accepted/new" "$VF_ROOT/accepted/cur" "$VF_ROOT/accepted/tmp"
if command -v mrefile >/dev/null; then
	mrefile "$p3" "$VF_ROOT/accepted" >/dev/null
	how=mrefile
else
	mv "$p3" "$VF_ROOT/accepted/cur/1796163999.M1P2.vm:2,S"
	how=mv
fi
moved=$(find "$VF_ROOT/accepted" -type f)
vf-show "$id" >"$work/show" 2>"$work/err"
grep -q '^State *accepted$' "$work/show"
ok $? "moved by $how: vf-show finds it in its new state"
followup
p4=$(cat "$work/fp")
is "$p4" "$VF_ROOT/accepted/new/$id" "the next change names it again, in the state it was moved to"
hist "$p4" | grep -q "found as ${moved#"$VF_ROOT"/} (vf had put it as received/new/$id): moved or renamed outside vf"
ok $? "its history says where vf had put it"

# --- finding a case is no scan of a folder while the index is right
if command -v strace >/dev/null; then
	# LeakSanitizer cannot run under ptrace; each traced run must work.
	st() {
		# The tool itself, not make valgrind's wrapper (t/lib.sh).
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		    PATH=$vfbin:$PATH strace -f -y -e trace=getdents64 -o "$work/st" "$@" \
		    >/dev/null 2>"$work/st.err"
		echo $? >"$work/st.rc"
	}
	scans() {
		if [ "$(cat "$work/st.rc")" -ne 0 ]; then
			echo "failed: exit $(cat "$work/st.rc")"
		else
			grep -c "getdents64([0-9]*<$VF_ROOT" "$work/st"
		fi
	}
	st vf-parse <"$work/fu$n"
	is "$(scans)" 0 "a follow-up delivered again: no folder scanned"
	followup_st() {
		n=$((n + 1))
		printf 'answer %d\n' "$n" >"$work/fu"
		mail 'taro@example.jp' "Re: [VF#$id] more" "$work/fu" >"$work/fu$n"
		st vf-parse <"$work/fu$n"
	}
	followup_st
	is "$(scans)" 0 "a follow-up to a case where vf put it: no folder scanned"
	mail 'other@example.jp' 'Web Application Vulnerability Report' \
	    "$work/body" >"$work/m2"
	st vf-parse <"$work/m2"
	is "$(scans)" 0 "a new report: no folder scanned"
	# Renamed by a reader: the first look-up scans once, then no more.
	mv "$VF_ROOT/accepted/new/$id" "$VF_ROOT/accepted/cur/x.vm:2,S"
	st vf-show "$id"
	[ "$(cat "$work/st.rc")" -eq 0 ] && [ "$(scans)" -gt 0 ]
	ok $? "a stale entry: one scan finds the case"
	st vf-show "$id"
	is "$(scans)" 0 "and the next look-up scans nothing"
	mv "$VF_ROOT/accepted/cur/x.vm:2,S" "$VF_ROOT/accepted/new/$id"
else
	for i in 1 2 3 4 5; do skip "strace not installed"; done
fi

# --- two files of one case: an error that names both
own=$(vf-parse <"$work/m1" 2>/dev/null)
mkdir -p "$VF_ROOT/closed/cur"
cp "$own" "$VF_ROOT/closed/cur/copy.vm:2,S"
mv "$own" "$VF_ROOT/accepted/cur/y.vm:2,S"
vf-show "$id" >/dev/null 2>"$work/err"
is $? 65 "two files with one Vf-Id: vf-show exits 65"
before=$(ncases)
vf-parse <"$work/m1" >/dev/null 2>"$work/err2"
is "$? $(ncases)" "65 $before" "the same mail again: 65, no third file"
grep -F "$VF_ROOT/closed/cur/copy.vm:2,S" "$work/err" | grep -qF "$VF_ROOT/accepted/cur/y.vm:2,S"
ok $? "and names both files"
rm "$VF_ROOT/closed/cur/copy.vm:2,S"
vf-show "$id" >/dev/null 2>&1
ok $? "one of them removed: the case is found again"

# --- what a reader shows: every part described, originals apart
c=$(vf-parse <"$work/m1" 2>/dev/null)
parts=$(grep -c '^Vf-Part: ' "$c")
descs=$(awk '/^--=_vf/ { h = 1; next } h && /^$/ { h = 0 }
    h && /^Content-Description: / { n++ } END { print n + 0 }' "$c")
is "$descs" "$parts" "every part carries a Content-Description ($parts parts)"
grep -q "^Content-Description: follow-up, 20[0-9-]*T[0-9:]*Z$" "$c"
ok $? "a follow-up's says when it came"
names=$(sed -n 's/^Content-Disposition: attachment; filename="\(.*\.eml[.asc]*\)"$/\1/p' "$c")
is "$(echo "$names" | sort -u | grep -c .)" "$(echo "$names" | grep -c .)" \
    "each original has a file name of its own ($(echo $names))"
echo "$names" | grep -qx "$id.eml.asc"
ok $? "the report's original is $id.eml.asc"
if command -v mshow >/dev/null; then
	mshow -t "$c" >"$work/tree" 2>&1
	is "$(grep -c 'name=".*\.eml\.asc"' "$work/tree")" "$(echo "$names" | grep -c .)" \
	    "mblaze's mshow -t lists every original by its name"
else
	skip "mblaze not installed"
fi

# --- bidirectional overrides never reach the terminal
rlo=$(printf '\342\200\256')
lri=$(printf '\342\201\246')
printf '氏名: %sgnp.exe\n製品名: Wiki%sX\n' "$rlo" "$lri" >"$work/bidi"
subj="=?UTF-8?B?$(printf 'Report %s1.3.2' "$rlo" | base64 -w0)?="
mail 'b@example.jp' "$subj" "$work/bidi" >"$work/m3"
b=$(vf-parse <"$work/m3")
grep -q "$rlo" "$b"
ok $? "the case keeps the text as written"
# nobidi FILE DESCRIPTION SHOWN: no override in FILE, SHOWN instead.
nobidi() {
	if grep -q -e "$rlo" -e "$lri" "$1"; then
		ok 1 "$2 prints no bidirectional override"
	else
		ok 0 "$2 prints no bidirectional override"
	fi
	grep -qF "$3" "$1"
	ok $? "$2 shows it as ?"
}
vf-show "$b" >"$work/show"
nobidi "$work/show" vf-show '?gnp.exe'
vf-ls -l >"$work/ls"
nobidi "$work/ls" "vf-ls -l" 'Report ?1.3.2'

done_testing
