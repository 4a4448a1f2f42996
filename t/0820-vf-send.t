#!/bin/sh
# vf-send: the outbox to sendmail -t -oi, what it took into cur/, what it
# did not kept for the next run; one run at a time.
. "$(dirname "$0")/lib.sh"
. "$top/t/notice.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
command -v flock >/dev/null || skip_all "flock(1) not installed"
make_keys taro || skip_all "cannot make gpg keys"
make_root

# A sendmail that keeps what it is given, and fails when told to.
cat >"$work/sendmail" <<EOF
#!/bin/sh
[ -f "$work/fail" ] && exit \$(cat "$work/fail")
n=\$(ls "$work/sent" | wc -l)
printf '%s\n' "\$*" >"$work/sent/\$n.args"
cat >"$work/sent/\$n.mail"
EOF
chmod +x "$work/sendmail"
mkdir "$work/sent"
export VF_SENDMAIL="$work/sendmail"

for i in 1 2 3; do
	p=$(report software)
	"$casefix" "$p" -f "contact.pgp-key: $FPR_taro" >/dev/null
	vf-notify -k ack "$(basename "$p")" >/dev/null
done
vf-send -n >"$work/out"
is "$(wc -l <"$work/out")" 3 "-n: lists the three"
is "$(ls "$work/sent" | wc -l)" 0 "-n: sends nothing"
echo 75 >"$work/fail"
vf-send >"$work/out" 2>"$work/err"
is $? 75 "sendmail fails: 75"
is "$(ls "$VF_ROOT/outbox/new" | wc -l)" 3 "sendmail fails: all kept in new/"
grep -q 'kept for the next run' "$work/err"
ok $? "sendmail fails: says so"
echo 69 >"$work/fail"
vf-send >/dev/null 2>&1
is $? 69 "sendmail's own sysexits code passes through"
rm "$work/fail"
vf-send >"$work/out" 2>"$work/err"
is $? 0 "sendmail takes them: 0"
is "$(ls "$VF_ROOT/outbox/new" | wc -l):$(ls "$VF_ROOT/outbox/cur" | wc -l)" "0:3" \
    "sent: moved from new/ to cur/"
is "$(sed 's|/[^/]*$||' "$work/out" | sort -u)" "$VF_ROOT/outbox/cur" "prints the cur/ paths"
is "$(cat "$work/sent/0.args")" "-t -oi -f office@example.jp" "sendmail -t -oi -f office-address"
same=1
for f in "$VF_ROOT"/outbox/cur/*; do cmp -s "$work/sent/0.mail" "$f" && same=0; done
ok $same "the mail as it is in the outbox"
is "$(grep -c ' vf-send .* sent ack reporter <vf\.' "$VF_ROOT/log")" 3 "each sent mail logged"
vf-send >"$work/out"
is "$?:$(ls "$work/sent" | wc -l)" "0:6" "run again: nothing sent twice"

# The configuration's sendmail, a command line.
printf '#!/bin/sh\necho "$*" >"%s/conf.args"; cat >/dev/null\n' "$work" >"$work/other"
chmod +x "$work/other"
echo "sendmail $work/other --account office" >>"$VF_ROOT/config"
vf-notify -f -k ack "$(basename "$p")" >/dev/null
vf-send >/dev/null
is "$(cat "$work/conf.args")" "--account office -t -oi -f office@example.jp" \
    "the configured sendmail, with its own arguments"

# One run at a time.
vf-notify -f -k ack "$(basename "$p")" >/dev/null
exec 8>>"$VF_ROOT/outbox/.lock"
flock 8
vf-send >/dev/null 2>"$work/err"
is $? 75 "another vf-send running: 75"
is "$(ls "$VF_ROOT/outbox/new" | wc -l)" 1 "and nothing sent"
exec 8>&-
vf-send >/dev/null
is "$(ls "$VF_ROOT/outbox/new" | wc -l)" 0 "once it is done: sent"

chmod 770 "$VF_ROOT"
vf-send >/dev/null 2>&1
is $? 77 "a tree others may write: 77"
chmod 700 "$VF_ROOT"
vf-send extra >/dev/null 2>&1
is $? 64 "usage: 64"

done_testing
