#!/bin/sh
# vf-stats: the quarterly tables, from what the public may see, the same
# before and after the reporter's details are deleted; vf-charts draws
# them with gnuplot, PNG and SVG.
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys coord shop || skip_all "cannot make gpg keys"
make_root
echo "coordinator-key $FPR_coord" >>"$VF_ROOT/config"
echo "coordinator-name Example Coordination Center" >>"$VF_ROOT/config"
VF_STAFF=stats-test
export VF_STAFF

web() {	# WHEN CWE
	printf '氏名: 統計 太郎\n電子メールアドレス: toukei@example.jp\n脆弱性を確認したウェブサイトのURL: https://www.example.jp/\n脆弱性の種類: クロスサイト・スクリプティング（%s）\nウェブサイト運営者への届出者情報の提供: 不可\n' "$2" >"$work/w"
	VF_NOW=$1 vf-parse <<EOM
$(mail toukei@example.jp 'Web Application Vulnerability Report' "$work/w")
EOM
}
sw() {	# WHEN
	printf 'Name: Stat Reporter\nE-mail address: stat@example.com\nProduct name: ExampleDB\nReporter information to the coordinator: no\nReporter information to the vendor: no\nPublish my name in the advisory: no\n' >"$work/s"
	VF_NOW=$1 vf-parse <<EOM
$(mail stat@example.com 'Software Vulnerability Report' "$work/s")
EOM
}
# 2026Q1: 2 web, 1 software; 2026Q2: 1 web, 2 software; 2026Q3: 1 web.
w1=$(web 2026-01-05T01:00:00Z CWE-79)
w2=$(web 2026-02-10T01:00:00Z CWE-89)
s1=$(sw 2026-03-02T01:00:00Z)
w3=$(web 2026-04-06T01:00:00Z CWE-79)
s2=$(sw 2026-05-11T01:00:00Z)
s3=$(sw 2026-06-01T01:00:00Z)
w4=$(web 2026-07-01T01:00:00Z CWE-79)
VF_NOW=2026-09-29T00:00:00Z
export VF_NOW
# Ends: w1 fixed in 30 days from the operator's notice, w2 in 120; s1
# published 40 days after acceptance, s2 60; w3 unreachable; s3 rejected.
# Each by the real tools, on the day it happens (VF_NOW).
at() { # DAY TOOL ARGS...: the tool, run on that day; says why it failed
	d=$1
	shift
	VF_NOW=${d}T01:00:00Z "$@" >/dev/null 2>>"$work/ends.err" && return 0
	echo "# failed: $*: $(tail -1 "$work/ends.err")" >&2
	return 1
}
webfix() { # CASE ACCEPTED NOTICE FIXED
	at "$2" vf-decide accept "$1" &&
	    at "$2" vf-decide route operator security@shop.example.jp "$FPR_shop" Shop "$1" &&
	    at "$3" vf-notify -k first-contact "$1" && at "$4" vf-decide fixed 'Escaped.' "$1"
}
swpub() { # CASE ACCEPTED PUBLISHED ADVISORY
	at "$2" vf-decide accept "$1" && at "$2" vf-route "$1" &&
	    at "$2" vf-notify -k coordinator "$1" && at "$3" vf-decide published "$4" "$1"
}
id() { basename "$1"; }
webfix "$(id "$w1")" 2026-01-06 2026-01-07 2026-02-06 &&
    webfix "$(id "$w2")" 2026-02-11 2026-02-12 2026-06-12 &&
    swpub "$(id "$s1")" 2026-03-03 2026-04-12 'JVN#90000011' &&
    swpub "$(id "$s2")" 2026-05-12 2026-07-11 'JVN#90000012' &&
    at 2026-06-01 vf-decide accept "$(id "$w3")" &&
    at 2026-06-01 vf-route "$(id "$w3")" &&
    at 2026-06-02 vf-decide reject 'Not a vulnerability.' "$(id "$s3")"
ok $? "the cases ended by vf-decide, vf-route and vf-notify" || sed 's/^/# /' "$work/ends.err"
is "$(vf-ls fixed published unreachable rejected | wc -l | tr -d ' ')" 6 \
    "two fixed, two published, one unreachable (no contact), one rejected"

vf-stats -t received >"$work/received"
ok $? "vf-stats -t received: exit 0"
is "$(sed -n 2p "$work/received" | cut -f1-7)" "2026Q1	1	2	0	0	3	3" "2026Q1: 1 software, 2 web, running total 3"
is "$(sed -n 3p "$work/received" | cut -f1-7)" "2026Q2	2	1	0	0	3	6" "2026Q2: running total 6"
is "$(sed -n 4p "$work/received" | cut -f1,6,7)" "2026Q3	1	7" "2026Q3: 1, total 7"
# 2026Q1 has 64 weekdays (Jan 1 2026 is a Thursday).
is "$(sed -n 2p "$work/received" | cut -f8,9)" "64	0.05" "working days and reports per working day"
printf '2026-01-01\n2026-01-12\n' >"$work/holidays"
is "$(vf-stats -H "$work/holidays" -t received | sed -n 2p | cut -f8)" 62 "holidays are not working days"
vf-stats -t outcomes >"$work/outcomes"
is "$(grep '^software' "$work/outcomes")" "software	2	0	0	1	0	0	0	0	3" "software outcomes: 2 published, 1 rejected"
is "$(grep '^web' "$work/outcomes")" "web	0	2	0	0	0	1	0	1	4" "web outcomes: 2 fixed, 1 unreachable, 1 open"
vf-stats -t timely >"$work/timely"
is "$(grep '^software' "$work/timely" | cut -f2-4)" "2	1	0.500" "half the software cases published within 45 days"
is "$(grep '^web' "$work/timely" | cut -f2-4)" "2	1	0.500" "half the web cases fixed within 90 days of the notice"
is "$(vf-stats -t open | tail -1 | cut -f2)" 0 "no open web case older than 90 days yet"
is "$(VF_NOW=2026-09-30T02:00:00Z vf-stats -t open | tail -1 | cut -f2)" 1 "one a day later"
is "$(vf-stats -t cwe | grep CWE-79 | cut -f2)" 3 "3 web cases of CWE-79"
vf-stats -t delay >"$work/delay"
is "$(grep '^software' "$work/delay" | cut -f3,4)" "2	51.0" "software: median days from receipt to publication (41 and 61)"
grep -q '[@]\|太郎\|Stat Reporter\|ExampleDB' "$work/received" "$work/outcomes" "$work/cwe" "$work/delay" 2>/dev/null
ok $((! $?)) "no reporter detail or product in the tables"

# The statistics survive the deletion of the reporter's details.
vf-stats >"$work/before"
vf-expire >/dev/null 2>&1
vf-ls fixed published unreachable rejected | xargs grep -l '統計 太郎' >/dev/null 2>&1
ok $((! $?)) "(the reporter's details are gone from the ended cases)"
vf-stats >"$work/after"
cmp -s "$work/before" "$work/after"
ok $? "vf-stats is the same after vf-expire deleted the reporter's details"

# Charts.
if command -v gnuplot >/dev/null; then
	vf-charts "$work/charts" >"$work/charts.out"
	ok $? "vf-charts: exit 0"
	for f in trend.png cwe.png; do
		head -c 8 "$work/charts/$f" | od -An -c | grep -q 'P   N   G'
		ok $? "$f is a PNG"
	done
	for f in trend.svg cwe.svg; do
		grep -q '<svg' "$work/charts/$f"
		ok $? "$f is SVG"
	done
	grep -q '2026Q2' "$work/charts/trend.svg"
	ok $? "the trend names the quarters"
else
	skip "gnuplot not installed"
fi
done_testing
