#!/bin/sh
# vf-notify -j: gpg runs side by side, notices filed in the order asked,
# the same notices as one at a time, nothing twice when run twice.
. "$(dirname "$0")/lib.sh"
. "$top/t/notice.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys taro coord || skip_all "cannot make gpg keys"
VF_STAFF=batch-test
export VF_STAFF

# tree NAME: six software cases routed to the coordinator and one only
# received (no coordinator notice for it), all filed by vf-parse; the
# same numbers in every tree.
tree() {
	make_root "$1"
	echo "coordinator-key $FPR_coord" >>"$VF_ROOT/config"
	sed -i 's/^coordinator-address .*/coordinator-address coord@example.jp/' \
	    "$VF_ROOT/config"
	for i in 1 2 3 4 5 6 7; do
		p=$(report software) || return 1
		id=$(basename "$p")
		[ "$i" = 7 ] && continue
		vf-decide accept "$id" >/dev/null &&
		    vf-decide route coordinator "$id" >/dev/null || return 1
	done
}
tree one || skip_all "cannot file the reports"
ids=$(ls "$VF_ROOT"/routed/new | sort)
other=$(ls "$VF_ROOT"/received/new)
tree many || skip_all "cannot file the reports"
is "$(ls "$VF_ROOT"/routed/new | sort)" "$ids" "setup: the same cases in both trees"

# The order asked: not the numbers' order, the received case in the
# middle, one case twice.
set -- $ids
list="$4 $1 $6 $other $2 $1 $5 $3"
printf '%s\n' $list >"$work/list"

# One at a time: a vf-notify per case.
VF_ROOT=$work/one
rc1=0
for c in $list; do
	vf-notify -k coordinator "$c" >>"$work/one.out" 2>>"$work/one.err" ||
	    rc1=$?
done
# The batch: one vf-notify, three gpg runs at once.
VF_ROOT=$work/many
vf-notify -j 3 -k coordinator <"$work/list" >"$work/many.out" 2>"$work/many.err"
rcj=$?
is "$rcj" "$rc1" "-j 3: the exit status of the worst case, as one at a time ($rc1)"
grep -q "$other: a coordinator notice is for cases in routed waiting" "$work/many.err"
ok $? "-j 3: the case in the wrong state is refused, the others go on"

# The paths, in the order asked, each once.
order() { sed 's|.*/vf\.\([0-9]*-[0-9]*\)\..*|\1|' "$1" | tr '\n' ' '; }
want="$4 $1 $6 $2 $5 $3 "
is "$(order "$work/many.out")" "$want" "-j 3: the mails printed in the order the cases were given"
is "$(order "$work/one.out")" "$want" "one at a time: the same order"
is "$(ls "$work/many/outbox/new" | wc -l | tr -d ' ')" 6 "-j 3: six mails in the outbox, one per case"
is "$(ls "$work/many/.sent" | wc -l | tr -d ' ')" 6 "-j 3: six Message-IDs in .sent, none more"
n=0
for c in $ids; do
	[ "$(grep -c '^Vf-Notice: coordinator coordinator ' "$work/many/waiting/new/$c")" = 1 ] &&
	    n=$((n + 1))
done
is "$n" 6 "-j 3: each case in waiting, one notice recorded on it"
grep -q "made already" "$work/many.err"
ok $? "-j 3: the case given twice is made once, the second time says so"

# History and log: what one at a time writes, in the same order (times
# and Message-IDs aside, which differ by nature; so do vf-parse's
# boundaries and digests, so only the history and the notice's headers
# are compared).
norm() {
	grep -E '^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z |Vf-Notice:|Vf-Reporter-Key:|Vf-Key-Needed:|Vf-State)' "$@" |
	    sed -e 's/^[0-9T:Z-]* //' -e 's/<vf\.[0-9-]*\.[0-9a-f]*@/<MID@/g' \
	    -e 's/ [0-9]\{4\}-[0-9-]*T[0-9:]*Z$//'
}
# samehist TREE: how many cases' histories are one at a time's.
samehist() {
	same=0
	for c in $ids; do
		norm "$work/one/waiting/new/$c" >"$work/h1"
		norm "$work/$1/waiting/new/$c" >"$work/hj"
		cmp -s "$work/h1" "$work/hj" && same=$((same + 1))
	done
	echo "$same"
}
is "$(samehist many)" 6 "-j 3: each case's history and notice as one at a time made them"
for c in $ids; do
	f=$work/many/waiting/new/$c
	a=$(grep -n 'vf-notify: coordinator notice to coordinator' "$f" | cut -d: -f1)
	b=$(grep -n 'vf-notify: moved from routed to waiting' "$f" | cut -d: -f1)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] || break
done
ok $? "-j 3: the notice's history line before the move's, in every case"
logorder() { grep 'vf-notify' "$1" | grep -o '[0-9]\{4\}-[0-9]\{5\}' | tr '\n' ' '; }
is "$(logorder "$work/many/log")" "$(logorder "$work/one/log")" "-j 3: the log's lines in the same order as one at a time"

# The mails: what the coordinator reads is the same text.
same=0
for c in $ids; do
	open_as coord "$(ls "$work/one/outbox/new/vf.$c."*)" && cp "$work/text" "$work/t1" &&
	    open_as coord "$(ls "$work/many/outbox/new/vf.$c."*)" && signed_by_office &&
	    cmp -s "$work/t1" "$work/text" && same=$((same + 1))
done
is "$same" 6 "-j 3: each mail decrypts, signed by the office, to the text one at a time made"

# One vf-notify, one gpg run at a time (-j 1): each notice filed while
# the next begins; the same as one at a time.
VF_ROOT=$work/seq
tree seq || skip_all "cannot file the reports"
vf-notify -k coordinator <"$work/list" >"$work/seq.out" 2>"$work/seq.err"
is "$?" "$rc1" "-j 1: the exit status of the worst case, as one at a time ($rc1)"
is "$(order "$work/seq.out")" "$want" "-j 1: the mails printed in the order the cases were given"
is "$(ls "$work/seq/outbox/new" | wc -l | tr -d ' ')" 6 "-j 1: six mails in the outbox, one per case"
grep -q "made already" "$work/seq.err"
ok $? "-j 1: the case given twice is made once, the second time says so"
grep -q "locked" "$work/seq.err"
is $? 1 "-j 1: the case given twice does not wait for its own lock"
is "$(samehist seq)" 6 "-j 1: each case's history and notice as one at a time made them"
is "$(logorder "$work/seq/log")" "$(logorder "$work/one/log")" "-j 1: the log's lines in the same order as one at a time"
VF_ROOT=$work/many

# Twice: nothing more.
cp "$work/many/log" "$work/log.before"
sum() { cat "$work"/many/waiting/new/* | cksum; }
before=$(sum)
vf-notify -j 3 -k coordinator <"$work/list" >"$work/again.out" 2>"$work/again.err"
is "$?" "$rcj" "run twice: the same exit status"
is "$(cat "$work/again.out")" "" "run twice: no mail printed"
is "$(ls "$work/many/outbox/new" | wc -l | tr -d ' ')" 6 "run twice: still six mails"
is "$(sum)" "$before" "run twice: no case changed"
cmp -s "$work/log.before" "$work/many/log"
ok $? "run twice: nothing logged"

# A notice recorded but not in the outbox (killed between the two) is
# made again by the batch under its Message-ID, in place.
c=$1
m=$(ls "$work/many/outbox/new/vf.$c."*)
rm "$m"
echo "$c" | vf-notify -j 2 -k coordinator >"$work/re.out" 2>"$work/re.err"
is "$(cat "$work/re.out")" "$m" "-j 2: a notice lost before the outbox is made again, same Message-ID"
grep -q 'made again: the first was interrupted before the outbox' "$work/many/waiting/new/$c"
ok $? "-j 2: the history says it was made again"

done_testing
