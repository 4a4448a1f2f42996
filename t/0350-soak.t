#!/bin/sh
# Soak (issue 10, "Concurrency"): eight vf-parse deliveries at once, reports
# and follow-ups to open cases (threaded by their [VF#ID] subject tag, some
# signed by the report's key so that they write fields), while vf-validate,
# vf-route, vf-decide (close), vf-notify (ack, coordinator), vf-expire and
# two vf-send (to a sendmail that refuses the first try of about one mail
# in four) run over the same tree in loops. Afterwards:
#   - every mail is exactly one case or one follow-up part (by Vf-Digest,
#     the SHA-256 of the mail as delivered), in exactly one state (one file
#     per Vf-Id);
#   - every case's history and the log hold each change once;
#   - no notice twice: every Vf-Notice Message-ID once in the tree, one
#     .sent record each, every outbox mail recorded, one notice of a kind
#     to a party per case;
#   - no notice handed to sendmail twice, none lost: after a last vf-send,
#     every recorded notice was taken by sendmail once or, for a reporter
#     vf-expire erased, deleted unsent; sendmail took nothing that is not
#     a recorded notice, and every copy in outbox/cur is one it took;
#   - every tool exited 0 or 75 (a documented temporary failure; a delivery
#     that got 75 is delivered again, as the MTA would).
#
# VF_SOAK_N: the number of mails (default 160: about a minute on a loaded
# 2-core machine; 3/4 are reports, 1/4 follow-ups). A longer soak by hand:
#   VF_SOAK_N=3000 prove -v t/0350-soak.t
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
N=${VF_SOAK_N:-160}
case $N in '' | *[!0-9]*) skip_all "VF_SOAK_N must be a number" ;; esac
[ "$N" -ge 16 ] || N=16
P=8 # deliveries at once
make_keys taro coord || skip_all "cannot make gpg keys"
make_root
cat >>"$VF_ROOT/config" <<CFG
coordinator-name Coordinator
coordinator-key $FPR_coord
CFG
VF_LOCK_WAIT=${VF_LOCK_WAIT:-30}
VF_STAFF=soak
export VF_LOCK_WAIT VF_STAFF
start=$(date +%s)

# The soak's sendmail (vf-send runs it): keeps each mail it takes in
# $work/handed/; the first try of about one mail in four (by its
# Message-ID) fails with 75, as a busy MTA does, so that a mail vf-send
# kept for the next run is in the soak too.
mkdir "$work/handed" "$work/refused"
cat >"$work/sendmail" <<EOF
#!/bin/sh
t=\$(mktemp "$work/handed/.in.XXXXXX") || exit 75
cat >"\$t"
mid=\$(sed -n '1,/^\$/s/^Message-ID: //p' "\$t")
h=\$(printf '%s' "\$mid" | sha256sum | cut -c1-64)
case \$h in
[0-3]*)	if [ ! -e "$work/refused/\$h" ]; then
		: >"$work/refused/\$h"
		rm -f "\$t"
		exit 75
	fi ;;
esac
mv "\$t" "$work/handed/\${t##*/.in.}"
EOF
chmod 755 "$work/sendmail"
VF_SENDMAIL=$work/sendmail
export VF_SENDMAIL

# One software report: a product of its own (no duplicates by product),
# Encryption: no unless signed (an ack can then go out signed only).
form() { # I SIGNED
	cat <<EOF
Name: Taro Yamada
E-mail address: taro@example.jp
Reporter information to the coordinator: yes
Reporter information to the vendor: no
Publish my name in the advisory: no
Product name: SoakWiki$1
Version: 1.$1
Summary: Stored XSS number $1 in the page title.
Environment: Debian 12
Steps to reproduce: Put <script>alert($1)</script> in title $1.
Threat: Theft of session $1.
Reported to other organisations: no
Final report: no
Encryption: $2
EOF
}
msg() { # SUBJECT BODYFILE SEQ
	printf 'From: taro@example.jp\nTo: office@example.jp\nSubject: %s\n' "$1"
	printf 'Date: Thu, 26 Nov 2026 10:00:00 +0900\n'
	printf 'Message-ID: <soak.%s.%s@example.jp>\nMIME-Version: 1.0\n' "$3" "$$"
	printf 'Content-Type: text/plain; charset=utf-8\n'
	printf 'Content-Transfer-Encoding: 8bit\n\n'
	cat "$2"
}
mkdir "$work/mails" "$work/rc"
nrep1=$((N / 2))
nrep2=$((N / 4))
nfu=$((N - nrep1 - nrep2))
i=0
while [ $i -lt $((nrep1 + nrep2)) ]; do
	i=$((i + 1))
	if [ $((i % 4)) -eq 0 ]; then
		form $i yes | gpg --batch --no-tty --quiet --local-user "<taro@example.jp>" \
		    --clearsign >"$work/body" 2>/dev/null || exit 1
	else
		form $i no >"$work/body"
	fi
	msg "Software Vulnerability Report" "$work/body" "r$i" >"$work/mails/r$i"
done

# deliver LIST WORKER: deliver each mail, again on 75 (at most 20 times).
deliver() {
	for m in $1; do
		n=0
		while :; do
			vf-parse <"$work/mails/$m" >/dev/null 2>>"$work/rc/parse.$2.err"
			rc=$?
			echo "$rc" >>"$work/rc/parse.$2.rc"
			[ "$rc" -eq 75 ] && [ $n -lt 20 ] && { n=$((n + 1)); sleep 0.1; continue; }
			break
		done
	done
}
# wave NAMES...: the mails over P deliveries at once, each worker every P-th.
wave() { # LABEL NAMES...
	label=$1
	shift
	w=0
	pids=
	while [ $w -lt $P ]; do
		list=$(echo "$@" | tr ' ' '\n' | awk -v p=$P -v w=$w 'NR % p == w')
		deliver "$list" "$label.$w" &
		pids="$pids $!"
		w=$((w + 1))
	done
	wait $pids
}

# The tool loops run until $work/stop exists; each records its exit codes.
loop() { # NAME COMMAND...
	name=$1
	shift
	while [ ! -e "$work/stop" ]; do
		"$@" >/dev/null 2>>"$work/rc/$name.err"
		echo $? >>"$work/rc/$name.rc"
	done
}
# Cases in a state, from vf-ls, one path a line.
validate() { vf-ls received | vf-validate; }
route() { vf-ls accepted | vf-route; }
# ack: only cases without an ack yet, in a state before the end; close
# (vf-decide) takes only cases acked already, so no case moves to closed
# between this list and vf-notify.
ack() {
	for f in $(vf-ls received incomplete undecided accepted routed contacted waiting); do
		# Not "moved meanwhile" (grep's 2): only no ack yet.
		grep -q '^Vf-Notice: ack ' "$f" 2>/dev/null
		[ $? -eq 1 ] && echo "$f"
	done | vf-notify -k ack
}
coordinator() { vf-ls routed | vf-notify -k coordinator; }
# Every third waiting case that was acked is closed.
decide() {
	for f in $(vf-ls waiting); do
		case ${f##*-} in *[0369]) ;; *) continue ;; esac
		grep -q '^Vf-Notice: ack ' "$f" 2>/dev/null && echo "$f"
	done | vf-decide close "soak: no answer"
}
expire() { vf-expire >/dev/null; }
# Two at once: one takes outbox/.lock, the other gets 75. A pause: an
# empty outbox is most of the runs.
send() { vf-send >/dev/null; rc=$?; sleep 0.2; return $rc; }
for t in validate route ack coordinator decide expire; do
	loop "$t" "$t" &
done
loop send.1 send &
loop send.2 send &

# Wave 1: half the reports. Wave 2: the other reports and the follow-ups
# to the cases of wave 1, delivered together.
r1=$(seq 1 $nrep1 | sed 's/^/r/')
wave w1 $r1
ids=$(vf-ls | sed 's,.*/,,' | sort)
nid=$(echo "$ids" | grep -c .)
j=0
for id in $ids; do
	[ $j -lt $nfu ] || break
	j=$((j + 1))
	f=$(vf-ls | grep "/$id\$")
	printf 'Threat: follow-up %s to %s.\n' "$j" "$id" >"$work/body"
	if grep -q "^Vf-Signer: $FPR_taro" "$f" && [ $((j % 2)) -eq 0 ]; then
		gpg --batch --no-tty --quiet --local-user "<taro@example.jp>" \
		    --clearsign <"$work/body" >"$work/body.asc" 2>/dev/null
		mv "$work/body.asc" "$work/body"
		echo "$id" >>"$work/signedfu"
	fi
	msg "Re: [VF#$id] Software Vulnerability Report" "$work/body" "f$j" >"$work/mails/f$j"
done
# The follow-ups a second time in the last quarter: two replies to a case.
while [ $j -lt $nfu ]; do
	j=$((j + 1))
	id=$(echo "$ids" | sed -n "$(((j % nid) + 1))p")
	printf 'Threat: follow-up %s to %s.\n' "$j" "$id" >"$work/body"
	msg "Re: [VF#$id] Software Vulnerability Report" "$work/body" "f$j" >"$work/mails/f$j"
done
r2=$(seq $((nrep1 + 1)) $((nrep1 + nrep2)) | sed 's/^/r/')
fu=$(seq 1 $nfu | sed 's/^/f/')
wave w2 $r2 $fu
# Let the loops take every case as far as they go, then stop them: 5 s
# more, and then as long as a case is still in received, accepted or
# routed (a loaded machine runs the loops slowly), up to two minutes.
sleep 5
n=0
while [ -n "$(vf-ls received accepted routed)" ] && [ $n -lt 120 ]; do
	sleep 1
	n=$((n + 1))
done
touch "$work/stop"
wait
# What the loops left in outbox/new, as the next cron runs would send it
# (the first try of some is refused: a run for those, and one to spare).
for try in 1 2 3; do
	vf-send >/dev/null 2>>"$work/rc/send.last.err"
	rc=$?
	echo $rc >>"$work/rc/send.last.rc"
	[ $rc -eq 0 ] && break
done
elapsed=$(($(date +%s) - start))
# VF_SOAK_KEEP=DIR: a copy of the tree and the exit codes, to look at.
[ -n "${VF_SOAK_KEEP:-}" ] && rm -rf "$VF_SOAK_KEEP" &&
    cp -a "$VF_ROOT" "$VF_SOAK_KEEP" && cp -a "$work/rc" "$VF_SOAK_KEEP/.soak-rc"

# --- every tool exited 0 or 75
for t in parse validate route ack coordinator decide expire send; do
	cat "$work/rc/$t".*rc >"$work/rcs" 2>/dev/null
	runs=$(grep -c . "$work/rcs")
	t75=$(grep -c '^75$' "$work/rcs")
	bad=$(grep -v '^0$' "$work/rcs" | grep -v '^75$' | sort | uniq -c | tr -s ' \n' ' ')
	nwarn=$(cat "$work/rc/$t".*err "$work/rc/$t.err" 2>/dev/null | grep -c .)
	echo "# $t: $runs runs, $t75 temporary failures (75), $nwarn lines on stderr"
	is "$bad" "" "$t: every run exited 0 or 75"
	[ -z "$bad" ] || cat "$work/rc/$t".*err "$work/rc/$t.err" 2>/dev/null |
	    sed 's/[0-9]\{4\}-[0-9]\{5\}/ID/g; s,/tmp/[^ ]*/root,ROOT,g' |
	    sort | uniq -c | sort -rn | head -5 | sed 's/^/#   /'
done
# A case moved by one tool while another reads the tree is no warning
# (vf-validate's duplicate index, vf-expire's first pass find it again).
is "$(cat "$work/rc/validate.err" "$work/rc/expire.err" 2>/dev/null |
    grep -c 'No such file')" 0 "no tool lost sight of a case another moved"
is "$(cat "$work/rc/parse".*rc | grep -c '^0$')" "$N" \
    "every one of $N mails was taken (exit 0 once)"

# --- each mail once, as a case or a follow-up part; one file per case
find "$VF_ROOT" -path "$VF_ROOT/*/new/*" -type f -o -path "$VF_ROOT/*/cur/*" -type f |
    grep -v "^$VF_ROOT/outbox/" >"$work/files"
# The case's own digest (its header block) and each follow-up part's.
while read -r f; do
	sed -n '1,/^$/s/^Vf-Digest: //p' "$f"
	awk '/^--=_vf/ { h = 1; d = ""; fu = 0; next }
	    h && /^$/ { if (fu && d != "") print d; h = 0; next }
	    h && /^Vf-Part: followup$/ { fu = 1 }
	    h && /^Vf-Digest: / { d = $2 }' "$f"
done <"$work/files" | sort >"$work/got"
for m in "$work"/mails/*; do sha256sum <"$m" | cut -c1-64; done | sort >"$work/want"
is "$(uniq -d "$work/got" | wc -l)" 0 "no mail is filed twice"
is "$(comm -13 "$work/got" "$work/want" | wc -l)" 0 "no mail is lost"
is "$(comm -23 "$work/got" "$work/want" | wc -l)" 0 "nothing filed that was not delivered"
ncase=$(wc -l <"$work/files")
nids=$(while read -r f; do sed -n '1,/^$/s/^Vf-Id: //p' "$f"; done <"$work/files" | sort -u | wc -l)
is "$nids" "$ncase" "one file per case (one state each)"
is "$ncase" "$((nrep1 + nrep2))" "one case per report"
base_ok=0
while read -r f; do
	[ "$(basename "$f")" = "$(sed -n '1,/^$/s/^Vf-Id: //p' "$f")" ] || base_ok=1
done <"$work/files"
ok $base_ok "each case file is named by its Vf-Id"
nfup=$(while read -r f; do grep -c '^Vf-Part: followup$' "$f"; done <"$work/files" |
    awk '{ s += $1 } END { print s + 0 }')
is "$nfup" "$nfu" "one follow-up part per follow-up"
nwrote=0
if [ -s "$work/signedfu" ]; then
	for id in $(cat "$work/signedfu"); do
		f=$(grep "/$id\$" "$work/files")
		grep -q "^vuln.threat: follow-up .* to $id\.\$" "$f" ||
		    grep -q "^Vf-Erased" "$f" && nwrote=$((nwrote + 1))
	done
fi
is "$nwrote" "$(cat "$work/signedfu" 2>/dev/null | wc -l)" \
    "every follow-up signed by the report's key wrote its field (or was erased)"

# --- history and log: each change once
# once_per_fu FOLLOWUP CHANGE: on stdin, no CHANGE line a second time
# without a FOLLOWUP line since the one before.
once_per_fu() {
	awk -v fu="$1" -v ch="$2" 'index($0, fu) { n = 0 }
	    index($0, ch) { if (++n > 1) bad = 1 } END { exit bad }'
}
dup=0
: >"$work/why"
: >"$work/why.erase"
while read -r f; do
	id=$(basename "$f")
	sed -n '/^Vf-Part: history$/,/^--=_vf/p' "$f" >"$work/h"
	for pat in 'vf-parse: received' 'vf-validate: ' 'vf-route: ' \
	    'moved from routed to waiting' 'vf-decide: .*close'; do
		[ "$(grep -c -- "$pat" "$work/h")" -le 1 ] ||
		    { dup=1; echo "$id history: $pat" >>"$work/why";
		      grep -- "$pat" "$work/h" | sed 's/^/  /' >>"$work/why"; }
	done
	n=$(grep -c 'vf-parse: follow-up received' "$work/h")
	[ "$n" -eq "$(grep -c '^Vf-Part: followup$' "$f")" ] ||
	    { dup=1; echo "$id history: $n follow-up lines" >>"$work/why"; }
	n=$(grep -c " vf-parse $id follow-up" "$VF_ROOT/log")
	[ "$n" -eq "$(grep -c '^Vf-Part: followup$' "$f")" ] ||
	    { dup=1; echo "$id log: $n follow-up lines" >>"$work/why"; }
	for pat in "vf-parse $id new" "vf-validate $id " "vf-route $id " \
	    "vf-decide $id "; do
		[ "$(grep -c -- " $pat" "$VF_ROOT/log")" -le 1 ] ||
		    { dup=1; echo "$id log: $pat" >>"$work/why"; }
	done
	[ "$(grep -c " vf-parse $id new" "$VF_ROOT/log")" -eq 1 ] ||
	    { dup=1; echo "$id log: not one new" >>"$work/why"; }
	# The reporter's details deleted once, and again only for what a
	# follow-up brought after that (a reply to a closed case: now more
	# often than not, vf-send letting vf-expire go on sooner).
	once_per_fu "vf-parse: follow-up received" \
	    "vf-expire: reporter information deleted" <"$work/h" ||
	    echo "$id history: reporter information deleted twice" >>"$work/why.erase"
	grep -- " $id " "$VF_ROOT/log" | once_per_fu " vf-parse $id follow-up" \
	    " vf-expire $id reporter information deleted" ||
	    echo "$id log: reporter information deleted twice" >>"$work/why.erase"
	# A notice's Message-ID in the history once.
	grep -o '<vf\.[^>]*>' "$work/h" | sort | uniq -d | sed "s/^/$id history twice: /" >>"$work/why"
done <"$work/files"
[ -s "$work/why" ] && dup=1
ok $dup "each change once in the history and in the log"
[ $dup -eq 0 ] || sed 's/^/#   /' "$work/why" | head -10
# vf-expire holds vf-send's outbox lock from its look at outbox/new and
# outbox/cur to its last erasure, and takes notices made since from the
# case's record: a notice vf-send moves between the two looks, or
# vf-notify makes meanwhile, is deleted with the case's other details,
# never by a later run that says so a second time; and a case the walk
# meets twice (closed by vf-decide while vf-expire walks waiting/, as
# t/0855 forces) is erased once, the second time finding nothing to delete.
[ -s "$work/why.erase" ]
ok $((! $?)) "the reporter's details deleted once (again only for a later follow-up)"
# On stderr too: prove shows it without -v, and a CI log keeps it.
sed 's/^/#   /' "$work/why.erase" | head -10 | tee /dev/stderr

# --- no notice twice
while read -r f; do sed -n '1,/^$/s/^Vf-Notice: //p' "$f"; done <"$work/files" >"$work/notices"
nnot=$(wc -l <"$work/notices")
is "$(awk '{ print $3 }' "$work/notices" | sort | uniq -d | wc -l)" 0 \
    "every notice's Message-ID once in the tree"
is "$(while read -r f; do sed -n '1,/^$/s/^Vf-Notice: \([^ ]* [^ ]*\) .*/\1/p' "$f" |
    sed "s,^,$f ,"; done <"$work/files" | sort | uniq -d | wc -l)" 0 \
    "one notice of a kind to a party per case"
nsent=$(ls "$VF_ROOT/.sent" | wc -l)
is "$nsent" "$nnot" "one .sent record per Vf-Notice"
miss=0
for mid in $(awk '{ print $3 }' "$work/notices"); do
	h=$(printf '%s' "$mid" | tr -d '<>' | sha256sum | cut -c1-64)
	[ -f "$VF_ROOT/.sent/$h" ] || miss=$((miss + 1))
done
is "$miss" 0 "every Vf-Notice is in .sent"
nout=0
orphan=0
for m in "$VF_ROOT"/outbox/new/* "$VF_ROOT"/outbox/cur/*; do
	[ -f "$m" ] || continue
	nout=$((nout + 1))
	mid=$(sed -n '1,/^$/s/^Message-ID: //p' "$m")
	grep -qF " $mid " "$work/notices" || orphan=$((orphan + 1))
done
is "$orphan" 0 "every mail in the outbox is a recorded notice"

# --- vf-send: every notice to sendmail once, none lost
for m in "$work"/handed/*; do
	[ -f "$m" ] && sed -n '1,/^$/s/^Message-ID: //p' "$m"
done | sort >"$work/handed.mid"
nhanded=$(wc -l <"$work/handed.mid")
is "$(uniq -d "$work/handed.mid" | wc -l)" 0 "no notice handed to sendmail twice"
awk '{ print $3 }' "$work/notices" | sort >"$work/notices.mid"
is "$(comm -23 "$work/handed.mid" "$work/notices.mid" | wc -l)" 0 \
    "sendmail took nothing but recorded notices"
is "$(ls "$VF_ROOT/outbox/new" | wc -l)" 0 "the last vf-send left nothing in outbox/new"
# A recorded notice sendmail never took: only a reporter's, deleted from
# the outbox with the rest of an erased reporter's details.
: >"$work/lost"
nunsent=0
comm -13 "$work/handed.mid" "$work/notices.mid" >"$work/unsent"
while read -r mid; do
	f=$(grep -lF " $mid" $(cat "$work/files") | sed -n 1p)
	if grep -qF " reporter $mid" "$f" &&
	    grep -q '^Vf-Erased\|reporter information deleted' "$f"; then
		nunsent=$((nunsent + 1))
	else
		echo "$mid ${f##*/}" >>"$work/lost"
	fi
done <"$work/unsent"
is "$(wc -l <"$work/lost")" 0 "every recorded notice was handed to sendmail (or erased with its reporter)"
sed 's/^/#   never sent: /' "$work/lost" | head -5
# Each copy in outbox/cur was taken by sendmail.
for m in "$VF_ROOT"/outbox/cur/*; do
	[ -f "$m" ] && sed -n '1,/^$/s/^Message-ID: //p' "$m"
done | sort >"$work/cur.mid"
is "$(comm -23 "$work/cur.mid" "$work/handed.mid" | wc -l)" 0 \
    "every mail in outbox/cur was taken by sendmail"
nrefused=$(ls "$work/refused" | wc -l)
[ "$nrefused" -gt 0 ] && [ "$nhanded" -gt 0 ]
ok $? "sendmail refused some first tries ($nrefused) and took the rest ($nhanded)"
nack=$(grep -c '^ack ' "$work/notices")
ncoord=$(grep -c '^coordinator ' "$work/notices")
nerased=$(grep -l '^Vf-Erased\|reporter information deleted' $(cat "$work/files") | wc -l)
# The loops took every case as far as they go: nothing left in received,
# accepted or routed; every open case acked.
is "$(vf-ls received accepted routed | wc -l)" 0 "the loops took every case through"
echo "# $N mails ($((nrep1 + nrep2)) reports, $nfu follow-ups, $(wc -l <"$work/signedfu" 2>/dev/null || echo 0) signed), $P at once, ${elapsed}s"
echo "# $ncase cases: $(vf-ls | sed 's,/[^/]*/[^/]*$,,; s,.*/,,' | sort | uniq -c | tr '\n' ' ')"
echo "# $nnot notices ($nack ack, $ncoord coordinator), $nsent .sent, $nout in the outbox (notices to erased reporters are deleted: $nerased cases erased)"
echo "# sendmail: $nhanded taken, $nrefused first tries refused; $nunsent reporter notices erased unsent"
done_testing
