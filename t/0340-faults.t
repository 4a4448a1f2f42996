#!/bin/sh
# Faults: every tool that changes a case or sends, in front of a full
# disk, a read-only root, gpg missing, gpg-agent unusable, a recipient key
# expired or revoked, the office key missing, sendmail failing or
# hanging, and a clock that jumps back. Each fault: the exit status the
# tool's page documents, a message on stderr, the tree byte for byte as it
# was (a checksum listing of every file and folder, the log left out where
# the tool logs the failure), and, the fault gone, the same run does the
# job (nothing was lost).
. "$(dirname "$0")/lib.sh"
. "$top/t/notice.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
command -v timeout >/dev/null || skip_all "timeout(1) not installed"
make_keys coord taro || skip_all "cannot make gpg keys"
make_root base
cat >>"$VF_ROOT/config" <<CFG
coordinator-name Example Coordination Center
coordinator-key $FPR_coord
CFG
VF_STAFF=fault-staff
VF_NOW=2026-12-02T03:00:00Z
export VF_STAFF VF_NOW

# sendmail stand-ins: one that takes the mail, one per failure.
mkdir "$work/sm"
printf '#!/bin/sh\ncat >>"%s/sm/taken"\n' "$work" >"$work/sm/ok"
printf '#!/bin/sh\ncat >/dev/null\nexit 75\n' >"$work/sm/tempfail"
printf '#!/bin/sh\ncat >/dev/null\nexit 1\n' >"$work/sm/fail"
printf '#!/bin/sh\nexec sleep 30\n' >"$work/sm/hang"
chmod +x "$work"/sm/*
echo "sendmail $work/sm/ok" >>"$VF_ROOT/config"

# The cases and the tree each tool starts from, as in t/0330
# (t/notice.sh), with the coordinator notices in the outbox for vf-send.
fault_tree send
decide=$(vf-ls | grep -v /unreachable/ | xargs -n1 basename | sort | tr '\n' ' ')
is "$(ls "$work/t-send/outbox/new" | grep -c .)" 2 "setup: two notices in the outbox"

cmd_validate="vf-validate $ids"
cmd_route="vf-route $accepted"
cmd_decide="vf-decide close handled-elsewhere $decide"
cmd_notify="vf-notify -k coordinator $routed"
cmd_send="vf-send"
cmd_expire="env VF_NOW=2027-01-10T00:00:00Z vf-expire"

# Every file and folder of the root, with its mode and its bytes; the
# log left out when $nolog is set.
# outbox/.lock, vf-send's flock(1) file, is made empty once and for all.
# A folder of the tree's layout made and left empty (.sent/, outbox/new/)
# holds nothing: left out too.
sum() {
	(cd "$VF_ROOT" && find . ${nolog:+-path ./log -prune -o} \
	    ! -path ./outbox/.lock ! -empty -printf '%y %m %p\n' | sort &&
	    find . ${nolog:+-path ./log -prune -o} ! -path ./outbox/.lock \
	    -type f -print0 | sort -z | xargs -0r sha256sum) >"$work/sum.$1"
	sha256sum <"$work/sum.$1" | cut -c1-16
}

# The unfaulted exit status of each tool, on a copy.
for t in validate route decide notify send expire; do
	rm -rf "$work/r"
	cp -a "$work/t-$t" "$work/r"
	eval "cmd=\$cmd_$t"
	VF_ROOT=$work/r $cmd >/dev/null 2>"$work/err"
	eval "good_$t=$?"
	eval "is \$good_$t 0 \"$t: without a fault, exit 0\""
done
[ "$good_validate$good_route$good_decide$good_notify$good_send$good_expire" = 000000 ] ||
    sed -n '1,5s/^/#   /p' "$work/err"

# fault TOOL NAME WANT: run TOOL on $VF_ROOT (set up with the fault by the
# caller): exit WANT, a message, the tree unchanged.
fault() {
	eval "cmd=\$cmd_$1"
	before=$(sum before)
	$cmd >"$work/out" 2>"$work/err"
	rc=$?
	after=$(sum after)
	is "$rc" "$3" "$1, $2: exit $3"
	[ -s "$work/err" ]
	ok $? "$1, $2: says why ($(sed -n 1p "$work/err" | cut -c1-160))"
	is "$after" "$before" "$1, $2: the tree is as it was${nolog:+ (but the log)}"
	[ "$after" = "$before" ] ||
	    diff "$work/sum.before" "$work/sum.after" | sed -n '1,8s/^/#   /p'
	[ "$rc" = "$3" ] || sed -n '1,4s/^/#   /p' "$work/err"
}
# again TOOL NAME: the fault gone, the tool does its job.
again() {
	eval "cmd=\$cmd_$1"
	eval "want=\$good_$1"
	$cmd >/dev/null 2>"$work/err"
	is $? "$want" "$1, $2 gone: the run does the job"
}
fresh() { rm -rf "$work/r"; cp -a "$work/t-$1" "$work/r"; VF_ROOT=$work/r; }

# --- a full disk and a read-only root: a tmpfs of our own
mnt=$work/mnt
mkdir "$mnt"
if mount -t tmpfs -o size=8m,mode=700 tmpfs "$mnt" 2>/dev/null; then
	umount "$mnt"
	trap 'umount "$mnt" 2>/dev/null; cleanup' EXIT
	for t in validate route decide notify send expire; do
		mount -t tmpfs -o size=8m,mode=700 tmpfs "$mnt"
		cp -a "$work/t-$t" "$mnt/root"
		VF_ROOT=$mnt/root
		dd if=/dev/zero of="$mnt/fill" bs=4096 2>/dev/null
		if [ "$t" = send ]; then
			# Renames need no room: the mails go, and move to cur/.
			vf-send >/dev/null 2>"$work/err"
			is $? 0 "send, disk full: exit 0 (a rename needs no room)"
			is "$(ls "$VF_ROOT/outbox/cur" | grep -c .):$(ls "$VF_ROOT/outbox/new" | grep -c .)" 2:0 \
			    "send, disk full: both mails sent and moved to cur/"
		else
			fault "$t" "disk full" 75
			rm -f "$mnt/fill"
			again "$t" "disk full"
		fi
		umount "$mnt"

		mount -t tmpfs -o size=8m,mode=700 tmpfs "$mnt"
		cp -a "$work/t-$t" "$mnt/root"
		mount -o remount,ro "$mnt"
		want=77
		[ "$t" = send ] && want=73
		fault "$t" "read-only root" "$want"
		mount -o remount,rw "$mnt"
		again "$t" "read-only root"
		umount "$mnt"
	done
else
	skip "cannot mount a tmpfs (not root, or not permitted here): no full disk, no read-only root"
fi

# --- a file size limit (ulimit -f 0): every write fails with EFBIG, the
# signal ignored; the output through a pipe, not a file under the limit.
for t in validate route decide notify expire; do
	fresh "$t"
	eval "cmd=\$cmd_$t"
	before=$(sum before)
	{ ( ulimit -f 0 && exec $cmd ) 2>&1 >/dev/null; echo $? >"$work/lrc"; } |
	    cat >"$work/err"
	rc=$(cat "$work/lrc")
	after=$(sum after)
	is "$rc" 75 "$t, file size limit: exit 75"
	[ -s "$work/err" ]
	ok $? "$t, file size limit: says why ($(sed -n 1p "$work/err" | cut -c1-160))"
	is "$after" "$before" "$t, file size limit: the tree is as it was"
	[ "$after" = "$before" ] ||
	    diff "$work/sum.before" "$work/sum.after" | sed -n '1,8s/^/#   /p'
	again "$t" "file size limit"
done

# --- gpg: missing, its agent unusable, keys expired, revoked, missing
fresh notify
echo "gpg-program $work/no-such-gpg" >>"$VF_ROOT/config"
fault notify "gpg missing" 78
sed -i '/^gpg-program /d' "$VF_ROOT/config"
again notify "gpg missing"

# With the folder the notice moves the case to there already, the move
# is made beside gpg (src/notice.c, record_ahead): gpg failing, the case
# is moved back before its record is taken back.
waiting() { mkdir -p "$VF_ROOT/waiting/tmp" "$VF_ROOT/waiting/new" "$VF_ROOT/waiting/cur"; }
fresh notify
waiting
echo "gpg-program $work/no-such-gpg" >>"$VF_ROOT/config"
fault notify "gpg missing, waiting/ there" 78
sed -i '/^gpg-program /d' "$VF_ROOT/config"
again notify "gpg missing, waiting/ there"

# gpg-agent dead, and none can start: the keyring's copy under a name
# too long for a socket's (with no /run/user/UID to put it in instead).
fresh notify
dead=$work/dead/$(printf '%0120d' 0)
mkdir -p "$dead"
cp -a "$GNUPGHOME/." "$dead/"
rm -rf "$dead"/S.*
if [ -d "/run/user/$(id -u)" ]; then
	skip "gpg-agent dead: /run/user/$(id -u) exists, gpg would put its socket there"
else
	# gpg 2.2 says "no secret key" for a dead agent as for a missing
	# key (INV_SGNR 9): vf-notify cannot tell them apart, and says 78
	# naming both; vf-notify(1) says so.
	GNUPGHOME=$dead fault notify "gpg-agent dead" 78
fi
again notify "gpg-agent dead"

# A recipient key that expired: made in the past with a day to live.
past=20200101T000000
gpg --batch --no-tty --quiet --passphrase '' --faked-system-time "$past" \
    --quick-gen-key 'old <old@example.jp>' ed25519 sign,cert 1d 2>/dev/null
FPR_old=$(gpg --batch --with-colons --list-keys '<old@example.jp>' 2>/dev/null |
    awk -F: '$1 == "fpr" { print $10; exit }')
gpg --batch --no-tty --quiet --passphrase '' --faked-system-time "$past" \
    --quick-add-key "$FPR_old" cv25519 encr 1d 2>/dev/null
# A recipient key that was revoked: its revocation certificate imported.
gpg --batch --no-tty --quiet --passphrase '' --quick-gen-key \
    'gone <gone@example.jp>' ed25519 sign,cert never 2>/dev/null
FPR_gone=$(gpg --batch --with-colons --list-keys '<gone@example.jp>' 2>/dev/null |
    awk -F: '$1 == "fpr" { print $10; exit }')
gpg --batch --no-tty --quiet --passphrase '' --quick-add-key "$FPR_gone" \
    cv25519 encr never 2>/dev/null
sed 's/^:-----BEGIN/-----BEGIN/' "$GNUPGHOME/openpgp-revocs.d/$FPR_gone.rev" |
    gpg --batch --quiet --import 2>/dev/null
gpg --batch --with-colons --list-keys "$FPR_gone" 2>/dev/null | grep -q '^pub:r:'
revoked=$?
gpg --batch --with-colons --list-keys "$FPR_old" 2>/dev/null | grep -q '^pub:e:'
expired=$?
for k in old gone; do
	eval "fpr=\$FPR_$k"
	if { [ "$k" = old ] && [ "$expired" -ne 0 ]; } ||
	    { [ "$k" = gone ] && [ "$revoked" -ne 0 ]; }; then
		skip "cannot make the $k key"
		continue
	fi
	# Both the route's key and the configuration's: no key left to
	# use. vf-notify fails closed, and the case says a key is needed
	# (vf-notify(1)): that, and a history line, are its only changes.
	for pre in "" waiting; do
	fresh notify
	# waiting/ there: the case is moved beside gpg, and back.
	[ -z "$pre" ] || waiting
	sed -i "s/^coordinator-key .*/coordinator-key $fpr/" "$VF_ROOT/config"
	for id in $routed; do
		"$casefix" "$id" -h "Vf-Route-Key: $fpr" >/dev/null
	done
	what="recipient key $( [ $k = old ] && echo expired || echo revoked)${pre:+, $pre/ there}"
	$cmd_notify >"$work/out" 2>"$work/err"
	is $? 65 "notify, $what: exit 65"
	grep -q 'no usable encryption key' "$work/err"
	ok $? "notify, $what: the message says no key is usable ($(sed -n 1p "$work/err" | cut -c1-160))"
	is "$(find "$VF_ROOT/outbox" "$VF_ROOT/.sent" -type f 2>/dev/null | grep -c .)" 0 \
	    "notify, $what: nothing in the outbox or .sent"
	n=0
	for id in $routed; do
		grep -q '^Vf-Key-Needed: coordinator$' "$VF_ROOT/routed/new/$id" &&
		    n=$((n + 1))
	done
	is "$n" "$(echo $routed | wc -w)" "notify, $what: each case says Vf-Key-Needed: coordinator"
	done
done

for pre in "" waiting; do
	fresh notify
	[ -z "$pre" ] || waiting
	sed -i "s/^office-key .*/office-key 0123456789ABCDEF0123456789ABCDEF01234567/" "$VF_ROOT/config"
	fault notify "office key not in the keyring${pre:+, $pre/ there}" 78
	sed -i "s/^office-key .*/office-key $OFFICE_FPR/" "$VF_ROOT/config"
	again notify "office key not in the keyring${pre:+, $pre/ there}"
done

# --- sendmail failing, hanging: the mail stays, the log says why
nolog=1
for how in tempfail:75 fail:75 hang:75; do
	fresh send
	sed -i "s|^sendmail .*|sendmail $work/sm/${how%:*}|" "$VF_ROOT/config"
	[ "${how%:*}" = hang ] && echo "sendmail-timeout 1" >>"$VF_ROOT/config"
	t0=$(date +%s)
	fault send "sendmail ${how%:*}" "${how#*:}"
	[ "${how%:*}" = hang ] &&
	    ok $(( $(date +%s) - t0 > 10 )) "send, sendmail hangs: killed after the timeout, not waited for"
	grep -q "not sent: sendmail" "$VF_ROOT/log"
	ok $? "send, sendmail ${how%:*}: the log says the mail was not sent"
	sed -i "s|^sendmail .*|sendmail $work/sm/ok|" "$VF_ROOT/config"
	again send "sendmail ${how%:*}"
	is "$(ls "$VF_ROOT/outbox/cur" | grep -c .)" 2 "send, sendmail ${how%:*} gone: both mails sent"
done
nolog=

# --- a clock that jumps back: VF_NOW a month before the last history
# line. A tool that would write history dated before what the case says
# already happened refuses (75, the clock named), writes nothing; once the
# clock is right the same run does the job.
for t in validate route decide notify; do
	fresh "$t"
	VF_NOW=2026-11-01T00:00:00Z
	fault "$t" "clock back" 75
	VF_NOW=2026-12-02T03:00:00Z
	grep -q "clock" "$work/err"
	ok $? "$t, clock back: the message names the clock"
	again "$t" "clock back"
done
# vf-expire counts its deadlines from the clock: a month back, nothing is
# due yet, so it does nothing (exit 0, the tree as it was); a case it
# would write is refused like the others'.
fresh expire
cmd_expire_was=$cmd_expire
cmd_expire="env VF_NOW=2026-11-01T00:00:00Z vf-expire"
before=$(sum before)
$cmd_expire >/dev/null 2>"$work/err"
is "$?:$(sum after)" "0:$before" "expire, clock back: nothing due, nothing changed"
cmd_expire=$cmd_expire_was
again expire "clock back"
done_testing
