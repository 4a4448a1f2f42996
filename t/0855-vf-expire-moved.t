#!/bin/sh
# vf-expire and a case that ends while it walks the tree: staff close a
# waiting case between the walk's listing of waiting/ and vf-expire's read
# of it. vf-expire looks at it where it is now (closed/), and the walk
# meets it there again, so the case is on the list to erase twice: the
# second time finds nothing left and must record nothing. Its reporter's
# details are deleted once, in the history, the log and vf-expire's
# output (the soak, t/0350, saw a second "reporter information deleted:
# notices to the reporter in the outbox (1)" for a notice already gone).
# Its reporter's key, counted twice by that walk, is counted again by a
# walk that sees the tree unchanged, and deleted. Then a tree that changes
# during every count: a case naming a key is put off (75), and erased,
# key and all, by the next run.
# The moment is forced by the test hook VF_TEST_STOP_BEFORE (vf-expire(1)).
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
[ -r /proc/self/stat ] || skip_all "no /proc to see a stopped process"
make_keys || skip_all "cannot make gpg keys"
make_root
VF_STAFF=moved-test
export VF_STAFF

cat >"$work/sendmail" <<EOF
#!/bin/sh
cat >/dev/null
EOF
chmod 700 "$work/sendmail"
cat >"$work/form" <<EOF
Name: Hanako Moved
E-mail address: hanako.moved@example.jp
Reporter information to the coordinator: yes
Reporter information to the vendor: no
Publish my name in the advisory: no
Product name: MovedWiki
Version: 2.0
Summary: Stored XSS in the page title.
Environment: Debian 12
Steps to reproduce: Put a script in the title.
Threat: Theft of sessions.
Reported to other organisations: no
Final report: no
Encryption: no
EOF
# reporter HOME 'NAME <ADDRESS>' ADDRESS: a reporter's own key in HOME, its
# public half in the office keyring; its fingerprint in FPR.
reporter() {
	mkdir -m 700 "$1"
	GNUPGHOME=$1 gpg --batch --quiet --passphrase '' --quick-gen-key \
	    "$2" ed25519 sign,cert never 2>/dev/null
	FPR=$(GNUPGHOME=$1 gpg --batch --with-colons -k "$3" |
	    awk -F: '$1 == "fpr" { print $10; exit }')
	GNUPGHOME=$1 gpg --batch --armor --export "$FPR" |
	    gpg --batch --quiet --import 2>/dev/null
}
# Signed by the reporter's own key, of which the office has the public
# half: the one case naming it, the key goes with its erasure.
rhome=$work/reporter-gnupg
reporter "$rhome" 'Hanako Moved <hanako.moved@example.jp>' hanako.moved@example.jp
R_FPR=$FPR
GNUPGHOME=$rhome gpg --batch --no-tty --quiet --clearsign <"$work/form" \
    >"$work/form.asc" 2>/dev/null
p=$(mail 'Hanako Moved <hanako.moved@example.jp>' \
    'Software Vulnerability Report' "$work/form.asc" | vf-parse)
ok $? "setup: the report is filed"
grep -q "^Vf-Signature: good $R_FPR" "$p"
ok $? "setup: signed by the reporter's key"
id=$(basename "$p")
vf-notify -k ack "$id" >/dev/null 2>"$work/err" &&
    VF_SENDMAIL=$work/sendmail vf-send >/dev/null 2>>"$work/err"
ok $? "setup: the reporter is acknowledged, the ack sent"
grep -l "^Vf-Id: $id\$" "$VF_ROOT"/outbox/cur/* 2>/dev/null |
    xargs grep -q '^Vf-Notice: ack reporter' 2>/dev/null
ok $? "setup: the office's copy of the ack in outbox/cur"
p=$(vf-ls | grep "/$id\$")
p=$("$top/t/bin/stage" "$p" waiting)
is "$(vf-ls waiting)" "$p" "setup: the case is waiting"

# stopped PID: wait (up to a minute) until PID is stopped (0) or gone (1).
stopped() {
	n=0
	while [ $n -lt 600 ]; do
		case $(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) in
		T) return 0 ;;
		'' | Z) return 1 ;;
		esac
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}
# go_on PID: let it go on, each time the hook stops it again (once a
# walk: the recounts meet the case too), and wait for its exit status.
go_on() {
	kill -CONT "$1"
	while stopped "$1"; do
		kill -CONT "$1"
	done
	wait "$1"
}

# vf-expire stops where it has listed waiting/ and is about to read the
# case; staff close it; vf-expire goes on.
VF_TEST_STOP_BEFORE=$id vf-expire >"$work/out" 2>"$work/err" &
pid=$!
stopped "$pid"
ok $? "setup: vf-expire stopped before it read the waiting case"
vf-decide close 'No answer.' "$id" >/dev/null 2>>"$work/err.decide"
ok $? "setup: the case is closed meanwhile"
go_on "$pid"
rc=$?
sed 's/^/# stderr: /' "$work/err"
is $rc 0 "vf-expire: exit 0"
p=$(vf-ls closed)
grep -q "Hanako\|hanako\.moved" "$p"
ok $((! $?)) "the reporter's details are deleted"
grep -l "^Vf-Id: $id\$" "$VF_ROOT"/outbox/cur/* >/dev/null 2>&1
ok $((! $?)) "the ack to the reporter is deleted from the outbox"
is "$(grep -c 'vf-expire: reporter information deleted' "$p")" 1 \
    "the history records the deletion once"
grep 'reporter information deleted' "$p" | sed 's/^/#   /'
is "$(grep -c " vf-expire $id reporter information deleted" "$VF_ROOT/log")" 1 \
    "the log records it once"
is "$(grep -c '	erased	' "$work/out")" 1 "vf-expire says so once"

# The next run: nothing left to delete, nothing said.
vf-expire >"$work/out2" 2>"$work/err"
is "$?:$(grep -c '	erased	' "$work/out2")" 0:0 "the next run erases nothing"
is "$(grep -c 'vf-expire: reporter information deleted' "$(vf-ls closed)")" 1 \
    "and records nothing"
# The first pass counted the case's key twice (once where it followed the
# case, once where the walk met it again); the tree changed during that
# walk, so the keys were counted again, once, and the key went with the
# case (kept, no later run would delete it: the erased case names it no
# more).
gpg --batch --with-colons -k "$R_FPR" >/dev/null 2>&1
ok $((! $?)) "the reporter's key is deleted from the keyring"

# --- the tree changes during every count: the erasure is put off
# A second reporter, a second key, a closed case; while vf-expire counts,
# new reports are filed in each of its walks.
rhome2=$work/reporter2-gnupg
reporter "$rhome2" 'Jiro Busy <jiro.busy@example.jp>' jiro.busy@example.jp
R2_FPR=$FPR
sed 's/Hanako Moved/Jiro Busy/; s/hanako\.moved/jiro.busy/' "$work/form" |
    GNUPGHOME=$rhome2 gpg --batch --no-tty --quiet --clearsign \
    >"$work/form2.asc" 2>/dev/null
p2=$(mail 'Jiro Busy <jiro.busy@example.jp>' \
    'Software Vulnerability Report' "$work/form2.asc" | vf-parse)
id2=$(basename "$p2")
grep -q "^Vf-Signature: good $R2_FPR" "$p2" &&
    vf-decide close 'Out of scope.' "$id2" >/dev/null 2>>"$work/err.decide"
ok $? "setup: a second reporter's signed case, closed"
VF_TEST_STOP_BEFORE=$id2 vf-expire >"$work/out3" 2>"$work/err3" &
pid=$!
walks=0
while stopped "$pid"; do
	walks=$((walks + 1))
	printf 'Subject: busy %s\n\nbusy\n' "$walks" | vf-parse >/dev/null 2>&1
	kill -CONT "$pid"
done
wait "$pid"
is $? 75 "cases filed during every walk: vf-expire exits 75"
is "$walks" 3 "it counted the keys three times"
grep -q "$id2: erasure put off: cases were filed or moved while vf-expire counted" "$work/err3"
ok $? "and says the erasure is put off"
grep -q 'Jiro Busy' "$(vf-ls closed | grep "/$id2\$")"
ok $? "the reporter's details are still there"
gpg --batch --with-colons -k "$R2_FPR" >/dev/null 2>&1
ok $? "and so is the reporter's key"
vf-expire >"$work/out4" 2>"$work/err4"
is $? 0 "the next run, the tree at rest: exit 0"
grep -q 'Jiro Busy' "$(vf-ls closed | grep "/$id2\$")"
ok $((! $?)) "it erases the case"
gpg --batch --with-colons -k "$R2_FPR" >/dev/null 2>&1
ok $((! $?)) "and deletes the key"
done_testing
