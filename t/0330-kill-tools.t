#!/bin/sh
# Crash safety of every tool that changes a case: vf-validate, vf-route,
# vf-decide, vf-notify and vf-expire, each killed with SIGKILL after a
# random delay (microseconds, spread over a little more than an unkilled
# run takes) on a copy of a small tree, many times. After each kill:
#   - every case file is whole (vf-show and vf-ls -l exit 0),
#   - each case is in exactly one state (one file per Vf-Id in the tree),
#   - a case that changed has a longer history, and one that moved names
#     its new state there,
#   - no notice is in the outbox that its case does not record (Vf-Notice)
#     and .sent does not hold, and none is there twice;
# and after the tool is run again, unkilled:
#   - every notice the cases record is in the outbox exactly once,
#   - the tree equals the tree of a run never killed (Message-IDs, which
#     are random, and the history line that says a notice interrupted
#     was made again aside; the log, tmp/ and locks left out, and .sent:
#     a kill after .sent has a Message-ID and before the case records it
#     leaves one no mail ever carried, harmless by src/notice.c's order,
#     and the check above holds that every mail's is there).
# 0850 kills vf-expire at eight fixed moments; here it is killed at random
# ones and the end state compared as well.
#
# VF_KILL_N (runs per tool, 50) and VF_KILL_SEED (the delays) replay a
# run; both are printed. VF_KILL_TOOLS (validate route decide notify
# notifyj expire; notifyj is vf-notify -j 2) picks the tools.
. "$(dirname "$0")/lib.sh"
. "$top/t/notice.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
command -v perl >/dev/null || skip_all "perl not installed"
make_keys coord taro || skip_all "cannot make gpg keys"
make_root base
cat >>"$VF_ROOT/config" <<CFG
coordinator-name Example Coordination Center
coordinator-key $FPR_coord
CFG
VF_STAFF=crash-staff
VF_NOW=2026-12-02T03:00:00Z
export VF_STAFF VF_NOW

n=${VF_KILL_N:-50}
seed=${VF_KILL_SEED:-$(date +%s)}
echo "# VF_KILL_N=$n VF_KILL_SEED=$seed"

# The cases and the tree each tool starts from (t/notice.sh).
fault_tree
ncase=$(echo $ids | wc -w)
is "$ncase" 4 "setup: four cases filed by vf-parse"
echo "# setup: $(vf-ls closed | grep -c .) of $ncase cases closed by vf-decide (not the unreachable one)"

# The command each tool is killed in (run with VF_ROOT set): one process,
# so that the kill reaches the tool itself.
cmd_validate="vf-validate $ids"
cmd_route="vf-route $accepted"
cmd_decide="vf-decide close handled-elsewhere $ids"
cmd_notify="vf-notify -k coordinator $routed"
# The batch (-j): both gpg runs under way before the first is filed.
cmd_notifyj="vf-notify -j 2 -k coordinator $routed"
cmd_expire="env VF_NOW=2027-01-10T00:00:00Z vf-expire"

# One perl over the tree for each check, rather than a process a file:
# the runs are many. check.pl MODE ROOT [START]: MODE "after" prints each
# rule broken after a kill, the tree compared with START, the tree the
# tool started from; "done" each recorded notice not in the outbox once;
# "norm" the listing to compare with the unkilled run's.
cat >"$work/check.pl" <<'PERL'
use strict;
use warnings;
use Digest::SHA qw(sha256_hex);
my ($mode, $root, $start) = @ARGV;
sub slurp { open(my $fh, '<:raw', $_[0]) or return undef; local $/; my $s = <$fh>; $s }
# Every case file of a tree: Vf-Id => [rel path, state, text, head, history lines]
sub cases {
	my ($r) = @_;
	my (%c, @dup, $n);
	for my $f (glob("$r/*/new/* $r/*/cur/*")) {
		next unless -f $f;
		my $rel = substr($f, length($r) + 1);
		next if $rel =~ m{^outbox/};
		$n++;
		my $s = slurp($f) // next;
		my ($head) = split(/\n\n/, $s, 2);
		my ($id) = $head =~ /^Vf-Id: (\S+)$/m;
		$id //= "?$rel";
		my @h;
		if ($s =~ /\nVf-Part: history\n\n(.*?)\n--/s) { @h = grep { /^20/ } split(/\n/, $1) }
		push @dup, $id if $c{$id};
		$c{$id} = { rel => $rel, state => (split m{/}, $rel)[0], text => $s, head => $head, hist => \@h };
	}
	return (\%c, \@dup, $n // 0);
}
sub outbox {
	my ($r) = @_;
	my @m;
	for my $f (glob("$r/outbox/new/* $r/outbox/cur/*")) {
		my $s = slurp($f) // next;
		my ($head) = split(/\n\n/, $s, 2);
		my ($mid) = $head =~ /^Message-ID: (\S+)$/m;
		my ($id) = $head =~ /^Vf-Id: (\S+)$/m;
		push @m, { rel => substr($f, length($r) + 1), mid => $mid // '', id => $id // '', head => $head };
	}
	return @m;
}
my ($c, $dup, $n) = cases($root);
if ($mode eq 'after') {
	my ($s0) = cases($start);
	my $want = scalar(keys %$s0);
	print "$n case files, not $want\n" if $n != $want;
	print "Vf-Id in two files: $_\n" for @$dup;
	for my $id (sort keys %$c) {
		my ($now, $was) = ($c->{$id}, $s0->{$id});
		unless ($was) { print "$id: not in the tree the tool started from\n"; next }
		my @m = $now->{head} =~ /^Vf-Notice: \S+ \S+ (\S+) /mg;
		my %seen;
		$seen{$_}++ && print "$id: Vf-Notice twice: $_\n" for @m;
		next if $now->{text} eq $was->{text};
		my @new = @{$now->{hist}}[scalar(@{$was->{hist}}) .. $#{$now->{hist}}];
		print "$id changed, no history line\n" unless @new;
		print "$id moved $was->{state} -> $now->{state}, history does not say so\n"
		    if $now->{state} ne $was->{state} && !grep { /\b\Q$now->{state}\E\b/ } @new;
	}
	for my $m (outbox($root)) {
		my $k = $c->{$m->{id}};
		print "$m->{id}: $m->{mid} in the outbox, not recorded on the case\n"
		    unless $k && $k->{head} =~ /^Vf-Notice: \S+ \S+ \Q$m->{mid}\E /m;
		(my $h = $m->{mid}) =~ tr/<>//d;
		print "$m->{id}: $m->{mid} in the outbox, not in .sent\n"
		    unless -f "$root/.sent/" . sha256_hex($h);
	}
} elsif ($mode eq 'done') {
	my @o = outbox($root);
	for my $id (sort keys %$c) {
		for my $mid ($c->{$id}{head} =~ /^Vf-Notice: \S+ \S+ (\S+) /mg) {
			my $k = grep { $_->{mid} eq $mid } @o;
			print "$id: $mid recorded, $k in the outbox\n" if $k != 1;
		}
	}
} else {
	# Random Message-IDs replaced; the line saying an interrupted
	# notice was made again dropped.
	my @l;
	for my $id (sort keys %$c) {
		my $t = $c->{$id}{text};
		$t =~ s/(vf\.[0-9-]+\.)[0-9a-f]{32}@/$1X@/g;
		$t =~ s/^20\S+ \S+ vf-notify: .*; made again: the first was interrupted before the outbox\n//mg;
		push @l, "== $c->{$id}{rel}\n$t";
	}
	push @l, "== " . join("\n", grep { /^(To|Subject|Vf-Id|Vf-Notice):/ } split /\n/, $_->{head}) =~ s/(vf\.[0-9-]+\.)[0-9a-f]{32}@/$1X@/gr
	    for sort { $a->{id} cmp $b->{id} || $a->{head} cmp $b->{head} } outbox($root);
	print sort @l;
}
PERL

# check_after TOOL: the rules that hold right after a kill, what broke,
# one line each.
check_after() {
	w=$2
	find "$VF_ROOT" -path "$VF_ROOT/*/new/*" -type f -o \
	    -path "$VF_ROOT/*/cur/*" -type f | grep -v "^$VF_ROOT/outbox/" \
	    >"$w/files"
	vf-ls -l >/dev/null 2>"$w/lserr" || echo "vf-ls -l: $(sed -n 1p "$w/lserr")"
	# shellcheck disable=SC2046
	vf-show $(cat "$w/files") >/dev/null 2>"$w/showerr" ||
	    echo "vf-show: $(sed -n 1p "$w/showerr")"
	perl "$work/check.pl" after "$VF_ROOT" "$work/t-$1"
}
check_done() { perl "$work/check.pl" done "$VF_ROOT"; }
norm() {
	perl "$work/check.pl" norm "$VF_ROOT" >"$1/listing"
	sha256sum <"$1/listing" | cut -c1-16
}

# kill_runs TOOL: the unkilled run, then $n killed ones, in a directory
# of the tool's own ($work/TOOL); prints "# ..." notes and, last, the
# line "ref REFRC DONE CHANGED BAD RERUN DIFFER KILLED SPAN".
kill_runs() {
	tool=$1
	w=$work/$tool
	mkdir "$w"
	eval "cmd=\$cmd_$tool"
	cp -a "$work/t-$tool" "$w/ref"
	VF_ROOT=$w/ref
	t0=$(date +%s%N)
	# The tool itself, not make valgrind's wrapper (t/lib.sh): the delays
	# are spread over how long the tool takes, not memcheck.
	env PATH="$vfbin:$PATH" $cmd >/dev/null 2>"$w/referr"
	refrc=$?
	us=$(( ($(date +%s%N) - t0) / 1000 ))
	ref=$(norm "$w")
	cp "$w/listing" "$w/ref-listing"
	[ -z "$(check_done)" ]
	done0=$?
	cmp -s "$work/t-$tool/log" "$w/ref/log"
	changed=$?
	span=$((us + 1000))
	awk -v n="$n" -v s="$seed" -v span="$span" -v t="$tool" 'BEGIN {
	    srand(s + length(t) * 7919); for (i = 1; i <= n; i++)
	    print int(rand() * span) }' >"$w/delays"
	bad=0 killed=0 rerun=0 differ=0 i=0
	while read -r d; do
		i=$((i + 1))
		rm -rf "$w/run"
		cp -a "$work/t-$tool" "$w/run"
		VF_ROOT=$w/run
		( exec $cmd >/dev/null 2>&1 ) &
		p=$!
		sleep "$(printf '%d.%06d' $((d / 1000000)) $((d % 1000000)))"
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
		[ $? -eq 137 ] && killed=$((killed + 1))
		check_after "$tool" "$w" >"$w/broke"
		if [ -s "$w/broke" ]; then
			bad=$((bad + 1))
			[ "$bad" -le 3 ] && sed "s/^/#   $tool run $i (delay $d us): /" "$w/broke"
		fi
		$cmd >/dev/null 2>"$w/rerr"
		rc=$?
		if [ "$rc" -ne "$refrc" ]; then
			rerun=$((rerun + 1))
			[ "$rerun" -le 3 ] && echo "#   $tool run $i (delay $d us): rerun exit $rc, unkilled $refrc: $(sed -n 1p "$w/rerr")"
		fi
		check_done >"$w/broke"
		if [ -s "$w/broke" ] || [ "$(norm "$w")" != "$ref" ]; then
			differ=$((differ + 1))
			if [ "$differ" -le 3 ]; then
				sed "s/^/#   $tool run $i (delay $d us): /" "$w/broke"
				echo "#   $tool run $i (delay $d us): end state differs from the unkilled run's:"
				diff "$w/ref-listing" "$w/listing" | sed -n '1,12s/^/#     /p' | cut -c1-250
				[ -n "${VF_KILL_KEEP:-}" ] && cp -a "$w/run" "$VF_KILL_KEEP.$tool.$i"
			fi
		fi
	done <"$w/delays"
	echo "ref $refrc $done0 $changed $bad $rerun $differ $killed $span $us"
}

# The tools' runs side by side: most of a run is waiting (fsync, the
# delay, gpg), not the processor.
t_all=$(date +%s)
tools=${VF_KILL_TOOLS:-validate route decide notify notifyj expire}
for tool in $tools; do
	kill_runs "$tool" >"$work/result-$tool" 2>&1 &
done
wait
for tool in $tools; do
	grep '^#' "$work/result-$tool"
	set -- $(sed -n 's/^ref //p' "$work/result-$tool")
	[ $# -eq 9 ] || { ok 1 "$tool: the runs did not finish"; continue; }
	is "$2" 0 "$tool: unkilled run: every recorded notice in the outbox once (exit $1, $9 us)"
	is "$3" 1 "$tool: the unkilled run changes the tree (it logs)"
	echo "# $tool: $n runs, $7 killed (delays 0-$8 us)"
	is "$4" 0 "$tool: after each kill every case whole, in one state, its history says so, no notice unrecorded"
	is "$5" 0 "$tool: the rerun exits as the unkilled run did"
	is "$6" 0 "$tool: the rerun ends where the unkilled run ends"
	ok $(($7 == 0)) "$tool: some runs were killed ($7)"
done
echo "# all tools in $(( $(date +%s) - t_all )) s"

done_testing
