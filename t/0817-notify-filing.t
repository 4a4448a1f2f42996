#!/bin/sh
# vf-notify checks the outbox's and the move's folders and makes the
# outbox's tmp file while gpg runs (notice.c, file_ahead): a folder
# missing is still made, one that is not a directory still fails as it
# did, and a notice that is not delivered leaves no tmp file behind.
. "$(dirname "$0")/lib.sh"
. "$top/t/notice.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys taro coord || skip_all "cannot make gpg keys"
make_root
echo "coordinator-key $FPR_coord" >>"$VF_ROOT/config"
sed -i 's/^coordinator-address .*/coordinator-address coord@example.jp/' "$VF_ROOT/config"
VF_STAFF=notify-test
export VF_STAFF

routed() {
	p=$(signed_report software taro) || return 1
	id=$(basename "$p")
	vf-decide accept "$id" >/dev/null && vf-decide route coordinator "$id" >/dev/null &&
	    echo "$id"
}
tmpfiles() { find "$VF_ROOT/outbox/tmp" -type f 2>/dev/null | wc -l | tr -d ' '; }

# --- the outbox and waiting/ missing: made, as before
id=$(routed) || skip_all "cannot file the report"
rm -rf "$VF_ROOT/outbox" "$VF_ROOT/waiting"
out=$(vf-notify -k coordinator "$id" 2>"$work/err")
is $? 0 "no outbox, no waiting/: made"
case $out in "$VF_ROOT/outbox/new/vf.$id."*) ok 0 "the mail is in the outbox made for it" ;;
*) ok 1 "the mail is in the outbox made for it ($out)" ;; esac
test -f "$VF_ROOT/waiting/new/$id"
ok $? "the case moved to the waiting/ made for it"
for d in outbox/tmp outbox/new outbox/cur waiting/tmp waiting/cur; do
	test -d "$VF_ROOT/$d" || echo "$d" >>"$work/nodir"
done
test ! -s "$work/nodir"
ok $? "every folder made: $(cat "$work/nodir" 2>/dev/null)"
is "$(tmpfiles)" 0 "no file left in outbox/tmp"

# --- two notices in one run: the second's folders known, its tmp made ahead
id2=$(routed) && id3=$(routed) || skip_all "cannot file the reports"
vf-notify -k coordinator "$id2" "$id3" >"$work/out" 2>"$work/err"
is "$?:$(wc -l <"$work/out" | tr -d ' ')" "0:2" "two cases in one run: two mails"
is "$(ls "$VF_ROOT/outbox/new" | wc -l | tr -d ' ')" 3 "three mails in outbox/new"
is "$(tmpfiles)" 0 "two cases in one run: no file left in outbox/tmp"

# --- outbox/tmp not a directory: the filing fails and says so, as before
id4=$(routed) || skip_all "cannot file the report"
rm -rf "$VF_ROOT/outbox/tmp"
: >"$VF_ROOT/outbox/tmp"
vf-notify -k coordinator "$id4" >"$work/out" 2>"$work/err"
is $? 74 "outbox/tmp a file: 74"
grep -q "outbox/tmp: not a directory" "$work/err"
ok $? "outbox/tmp a file: says so"
is "$(ls "$VF_ROOT/outbox/new" | wc -l | tr -d ' ')" 3 "outbox/tmp a file: no mail"
rm -f "$VF_ROOT/outbox/tmp"
mkdir -m 700 "$VF_ROOT/outbox/tmp"

# --- gpg fails after the record (and the tmp file made ahead): none left
id5=$(routed) || skip_all "cannot file the report"
cat >"$work/slowfail" <<'SH'
#!/bin/sh
cat >/dev/null
sleep 1
exit 2
SH
chmod 755 "$work/slowfail"
cp "$VF_ROOT/config" "$work/config"
printf 'gpg-program %s\n' "$work/slowfail" >>"$VF_ROOT/config"
vf-notify -k coordinator "$id5" >"$work/out" 2>"$work/err"
rc=$?
test "$rc" -ne 0
ok $? "gpg fails: the notice fails ($rc)"
is "$(tmpfiles)" 0 "gpg fails: no file left in outbox/tmp"
is "$(ls "$VF_ROOT/outbox/new" | wc -l | tr -d ' ')" 3 "gpg fails: no mail"
test -f "$VF_ROOT/routed/new/$id5"
ok $? "gpg fails: the case stays routed"
cp "$work/config" "$VF_ROOT/config"

done_testing
