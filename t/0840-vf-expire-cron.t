#!/bin/sh
# vf-expire the way cron runs it: the job line of share/crontab, with its
# environment lines only (env -i, no HOME, no terminal, stdin from
# /dev/null), over a tree with a case in every state and every deadline.
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
command -v setsid >/dev/null || skip_all "setsid not installed"
make_keys || skip_all "cannot make gpg keys"
make_root
echo "operator-wait-days 30" >>"$VF_ROOT/config"
# t/bin: stage puts a case at every stage and deadline in one tree with
# back-dated notices (the real tools reach them only a notice at a time,
# with keys for each party), and the stand-in vf-notify records what cron's
# vf-expire asked of it. t/0990-pipeline.t runs the real chain.
PATH=$top/t/bin:$PATH
VF_NOTIFY_LOG=$work/notify.log
export VF_NOTIFY_LOG

VF_NOW=2027-01-05T00:00:00Z
export VF_NOW
printf 'Name: Cron Reporter\nE-mail address: cron.reporter@example.com\nProduct name: ExampleDB\n' >"$work/s"
printf '氏名: 定期 実行\n電子メールアドレス: teiki@example.jp\n脆弱性を確認したウェブサイトのURL: https://www.example.jp/\n' >"$work/w"
for st in received incomplete undecided accepted routed contacted contacted2 \
    waiting published fixed duplicate rejected referred unreachable closed; do
	case $st in
	contacted*|fixed|unreachable) f=$work/w; s='Web Application Vulnerability Report' ;;
	*) f=$work/s; s='Software Vulnerability Report' ;;
	esac
	p=$(mail x@example.com "$s" "$f" | vf-parse)
	id=$(basename "$p")
	case $st in
	received) ;;
	contacted) stage "$p" $st "+Vf-Notice: first-contact operator <vf.$id@x> 2027-02-01T00:00:00Z" >/dev/null ;;
	contacted2) stage "$p" contacted "+Vf-Notice: first-contact operator <vf.$id@x> 2027-01-05T00:00:00Z" \
	    "+Vf-Notice: reminder operator <vf.$id.2@x> 2027-02-01T00:00:00Z" >/dev/null ;;
	waiting) stage "$p" $st status.pubdate-utc=2027-02-01T00:00:00Z 'status.pubdate=2027-02-01 09:00 +0900' >/dev/null ;;
	published) stage "$p" $st status.published=2027-01-05 status.advisory=JVN#90000009 >/dev/null ;;
	*) stage "$p" $st >/dev/null ;;
	esac
done

# The job as cron runs it: the crontab's variables, the test's paths.
job=$(awk -F '\t' '/^[0-9*]/ { print $2 }' "$top/share/crontab")
is "$job" "vf-expire" "share/crontab runs vf-expire"
cron() {
	env -i SHELL=/bin/sh PATH="$top/t/bin:$top/bin:/usr/bin:/bin" \
	    VF_ROOT="$VF_ROOT" GNUPGHOME="$GNUPGHOME" VF_SHARE="$VF_SHARE" \
	    VF_NOW="$1" VF_NOTIFY_LOG="$VF_NOTIFY_LOG" \
	    setsid /bin/sh -c "$job" </dev/null >"$work/cron.out" 2>"$work/cron.err"
}
grep -q '^SHELL=/bin/sh$' "$top/share/crontab" && grep -q '^PATH=' "$top/share/crontab" &&
    grep -q '^VF_ROOT=' "$top/share/crontab" && grep -q '^GNUPGHOME=' "$top/share/crontab"
ok $? "the crontab sets SHELL, PATH, VF_ROOT and GNUPGHOME"

cron 2027-02-20T00:00:00Z
is $? 0 "cron run: exit 0"
test -s "$work/cron.err"
ok $((! $?)) "nothing on stderr"
for st in published fixed duplicate rejected referred unreachable closed; do
	grep -q "/$st/new/.*	erased	" "$work/cron.out"
	ok $? "the $st case is erased"
done
grep -q '/contacted/new/.*	reminded	' "$work/cron.out"
ok $? "the silent operator is reminded"
grep -q '/unreachable/new/.*	closed	unreachable' "$work/cron.out" && grep -q 'vf-notify -k closed' "$VF_NOTIFY_LOG"
ok $? "the one reminded in vain is closed as unreachable, and the reporter told"
grep -q '/waiting/new/.*	flag-pubdate	' "$work/cron.out"
ok $? "the passed publication date is flagged"
grep -q '/routed/new/.*	flag-idle	' "$work/cron.out"
ok $? "idle cases are flagged"
for st in received incomplete undecided accepted routed waiting; do
	grep -q '^Name: \|^reporter.name: Cron Reporter' "$VF_ROOT/$st/new/"*
	ok $? "the open $st case keeps the reporter's details"
done

cp -R "$VF_ROOT" "$work/copy"
cron 2027-02-20T00:00:00Z
is $? 0 "the second run: exit 0"
grep -v '	flag-\|	waiting	' "$work/cron.out" >"$work/changes"
test -s "$work/changes"
ok $((! $?)) "the second run does nothing but flag again"
# (but for the outbox's lock file, made by the first run that finds an
# outbox to lock: the first made the outbox, through vf-notify)
diff -r "$VF_ROOT" "$work/copy" | grep -v "^Only in $VF_ROOT/outbox: .lock\$" >"$work/diff"
test ! -s "$work/diff"
ok $? "and changes nothing"
sed 's/^/#   /' "$work/diff" | head -5
done_testing
