#!/bin/sh
# The manual: every page is mandoc -Tlint clean at warning level, every
# tool has its page, and every vf page a page refers to exists.
. "$(dirname "$0")/lib.sh"

command -v mandoc >/dev/null || skip_all "mandoc not installed"
man=$top/share/man

# mandoc prints nothing and exits 0 for a page with no warning or error.
for page in "$man"/*.[157]; do
	[ -f "$page" ] || continue
	name=$(basename "$page")
	mandoc -Tlint -Wwarning "$page" >"$work/lint" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$work/lint" ]; then
		ok 0 "$name: mandoc -Tlint -Wwarning clean"
	else
		ok 1 "$name: mandoc -Tlint -Wwarning clean (exit $rc)"
		sed 's/^/# /' "$work/lint"
	fi
done

# The tools: what is built in bin/, and what will be (src/vf-*.c), so
# that a tool without a page is caught before the first build too.
tools=$(
	for t in "$top"/bin/vf-* "$top"/src/vf-*.c; do
		[ -e "$t" ] || continue
		basename "$t" .c
	done | sort -u
)
[ -n "$tools" ]
ok $? "there are tools to document"
# Its own page, or one naming it in NAME with others (vf-feed(1) is the
# page of vf-feed-nvd, vf-feed-osv and vf-feed-jvn).
for t in $tools; do
	test -f "$man/$t.1" ||
	    for p in "$man"/*.1; do
		sed -n '/^\.Sh NAME/,/^\.Nd /p' "$p"
	    done | grep -qx "\.Nm $t\( ,\)\{0,1\}"
	ok $? "$t has a page: share/man/$t.1, or one naming it"
done
for page in vf-case.5 vf.7; do
	test -f "$man/$page"
	ok $? "share/man/$page exists"
done

# Every page a tool needs says how it exits.
for page in "$man"/*.1; do
	[ -f "$page" ] || continue
	grep -q '^\.Sh EXIT STATUS$' "$page"
	ok $? "$(basename "$page"): has EXIT STATUS"
done

# Cross-references to vf pages resolve within share/man.
for page in "$man"/*.[157]; do
	[ -f "$page" ] || continue
	missing=$(sed -n 's/^\.Xr \(vf[a-z-]*\) \([1-9]\).*/\1.\2/p' "$page" |
	    sort -u | while read -r ref; do
		[ -f "$man/$ref" ] || printf '%s ' "$ref"
	done)
	is "$missing" "" "$(basename "$page"): every .Xr vf page exists"
done

done_testing
