#!/bin/sh
# make install with PREFIX and DESTDIR puts tools, data and man pages where
# they belong, and the installed tools find their data (the demo runs).
# Built in a copy, so the tree under test is not rebuilt with other flags.
. "$(dirname "$0")/lib.sh"

command -v cc >/dev/null || skip_all "no C compiler"
mkdir "$work/src"
(cd "$top" && cp -R Makefile src share "$work/src/" && mkdir "$work/src/bin" &&
    cp bin/vf-demo bin/vf-send bin/vf-charts bin/vf-feed-nvd bin/vf-feed-osv \
    bin/vf-feed-jvn "$work/src/bin/")
make -s -C "$work/src" PREFIX=/opt/vf >"$work/build.log" 2>&1
ok $? "a copy builds"
# A umask that would leave the tools unreadable to others, and one that
# would leave them writable by all: the modes are install's, not these.
(umask 077 && make -s -C "$work/src" install PREFIX=/opt/vf \
    DESTDIR="$work/dest" >"$work/install.log" 2>&1)
ok $? "make install PREFIX=/opt/vf DESTDIR=... (umask 077)"
(umask 000 && make -s -C "$work/src" install PREFIX=/opt/vf \
    DESTDIR="$work/dest0" >>"$work/install.log" 2>&1)
ok $? "make install (umask 000)"
d=$work/dest/opt/vf
for dd in "$work/dest" "$work/dest0"; do
	u=$(basename "$dd")
	bad=$(find "$dd/opt/vf/bin" -type f ! -perm 755 | grep -c .)
	is "$bad" 0 "$u: every tool is mode 755"
	bad=$(find "$dd/opt/vf/share" -type f ! -perm 644 | grep -c .)
	is "$bad" 0 "$u: every data file and page is mode 644"
	bad=$(find "$dd/opt/vf" -type d ! -perm 755 | grep -c .)
	is "$bad" 0 "$u: every folder is mode 755"
done
for f in bin/vf-parse bin/vf-ls bin/vf-show bin/vf-demo bin/vf-charts \
    bin/vf-expire share/vf/crontab share/vf/fields \
    share/vf/procmailrc share/vf/forms/software.ja.txt \
    bin/vf-redact bin/vf-notify bin/vf-send share/vf/policy \
    share/vf/templates/ack.ja share/vf/templates/first-contact.en \
    share/vf/forms/web.en.txt share/vf/examples/software-ja.txt \
    bin/vf-feed-nvd bin/vf-feed-osv bin/vf-feed-jvn share/vf/jvn-vuldef.xsl \
    share/man/man1/vf-feed.1 share/man/man1/vf-feed-nvd.1 \
    share/man/man1/vf-parse.1 share/man/man5/vf-case.5 share/man/man7/vf.7; do
	test -f "$d/$f"
	ok $? "installed $f"
done
test -x "$d/bin/vf-parse"
ok $? "tools are executable"
grep -q '/opt/vf/share/vf' "$d/bin/vf-parse"
ok $? "the data directory follows PREFIX"
if command -v xsltproc >/dev/null; then
	env -u VF_SHARE "$d/bin/vf-feed-jvn" "$top/t/data/feeds/jvn-vuldef.xml" \
	    >"$work/jvn.out" 2>&1
	ok $? "the installed vf-feed-jvn finds its stylesheet"
else
	skip "xsltproc missing"
fi
if command -v gpg >/dev/null && command -v procmail >/dev/null; then
	env -u VF_SHARE PATH="$d/bin:/usr/bin:/bin" "$d/bin/vf-demo" \
	    >"$work/demo.log" 2>&1
	rc=$?
	ok $rc "the installed demo runs and finds its data"
	if [ $rc -ne 0 ]; then
		sed 's/^/#   /' "$work/demo.log" | tail -20
		keep_log 0700-installed-demo.log "$work/demo.log"
	fi
	grep -q '^Case *VF#' "$work/demo.log"
	ok $? "and shows a case"
else
	skip "gpg or procmail missing"
	skip "gpg or procmail missing"
fi

make -s -C "$work/src" uninstall PREFIX=/opt/vf DESTDIR="$work/dest" \
    >"$work/uninstall.log" 2>&1
ok $? "make uninstall"
left=$(find "$work/dest" -type f | sed "s|$work/dest||")
is "$left" "" "make uninstall removes every file install put there"
test ! -d "$d/share/vf"
ok $? "and the data directory"

done_testing
