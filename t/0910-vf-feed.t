#!/bin/sh
# vf-feed-nvd, vf-feed-osv and vf-feed-jvn: the exact lines each makes of
# small fixtures (t/data/feeds/, VULDEF in the shape MyJVN documents, names
# made up), one assertion per rule of vf-feed(1); the exit statuses; and
# the real NVD and OSV samples in ../shared/corpora (skipped when absent):
# every file converts (or is refused with 65 where it is no vulnerability
# record, as vf-feed(1) says), every line has six TAB-separated columns,
# none empty, and the IDs are exactly those of the input's records that
# name a product.
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq not installed"
data=$top/t/data/feeds
T=$(printf '\t')

# has OUT LINE DESC: OUT holds LINE exactly (columns given with |).
has() {
	want=$(printf '%s' "$2" | sed "s/|/$T/g")
	grep -qxF -- "$want" "$1"
	r=$?
	ok $r "$3"
	[ $r -eq 0 ] || { echo "#  want: $want"; sed 's/^/#   got: /' "$1"; }
}
# hasnt OUT PATTERN DESC
hasnt() {
	! grep -q -- "$2" "$1"
	ok $? "$3"
}
# wellformed OUT: six TAB columns, none empty, no comment line, on every line.
wellformed() {
	awk -F '\t' 'NF != 6 || /^#/ { bad = 1 }
	    { for (i = 1; i <= NF; i++) if ($i == "") bad = 1 }
	    END { exit bad }' "$1"
}

# ---- NVD
vf-feed-nvd "$data/nvd-page.json" "$data/nvd-record.json" >"$work/nvd" 2>"$work/err"
is $? 0 "nvd: the fixtures convert"
is "$(wc -l <"$work/nvd" | tr -d ' ')" 5 "nvd: five lines"
has "$work/nvd" 'CVE-2026-0001|web_shop|acme|>=1.0 <1.4.2;2.0;2.1p1|CWE-79|-' \
    "nvd: a range, exact versions (update appended), duplicates once, Primary CWE first"
has "$work/nvd" 'CVE-2026-0001|tool(x)\2|acme:labs|>3.0 <=3.5|CWE-79|-' \
    "nvd: CPE escapes undone, exclusive start and inclusive end"
has "$work/nvd" 'CVE-2026-0001|router_firmware|acme|*|CWE-79|-' \
    "nvd: CPE version '-' is all versions"
hasnt "$work/nvd" 'rt-100' "nvd: a platform that is not vulnerable is no product"
hasnt "$work/nvd" 'not_this' "nvd: a negated node is no product"
hasnt "$work/nvd" 'CVE-2026-0002' "nvd: a rejected record gives nothing"
hasnt "$work/nvd" 'CVE-2026-0003' \
    "nvd: a record not analysed yet (no CPE) gives no line: nothing to compare"
has "$work/nvd" 'CVE-2026-0004|viewer|example|*|-|-' \
    "nvd: '*' among versions is all versions; NVD-CWE-noinfo is '-'"
hasnt "$work/nvd" 'CVE-2026-0004.-' "nvd: a CPE of any product gives no line"
has "$work/nvd" 'CVE-2026-0005|forum|example|4.2|CWE-89|-' \
    "nvd: a bare CVE record file"
wellformed "$work/nvd"
ok $? "nvd: six non-empty columns a line"

# ---- OSV
vf-feed-osv "$data/osv-record.json" "$data/osv-records.ndjson" >"$work/osv" 2>"$work/err"
is $? 0 "osv: the fixtures convert"
is "$(wc -l <"$work/osv" | tr -d ' ')" 6 "osv: six lines"
has "$work/osv" 'GHSA-vfvf-0000-0001|left-pad plus|npm|<1.2.0;>=2.0.0 <=2.3.1;>=3.0.0|CWE-1321|-' \
    "osv: fixed, last_affected and an open range; a TAB in a name is a space"
has "$work/osv" 'GHSA-vfvf-0000-0001|example-lib|PyPI|0.9;1.0;1.0.1;>=2.0 <2.1|CWE-1321|-' \
    "osv: one line per package, versions[] where only a GIT range is"
has "$work/osv" 'GHSA-vfvf-0000-0001|firmware|acme|-|CWE-1321|-' \
    "osv: a package named by its GIT repository only"
has "$work/osv" 'GHSA-vfvf-0000-0001|org.example:out-of-order|Maven|<3.0.21;>=4.0.1 <4.0.10|CWE-1321|-' \
    "osv: events out of order are sorted, 4.0.10 after 4.0.1"
hasnt "$work/osv" 'CVE-2026-0101' "osv: aliases give no lines"
has "$work/osv" 'PYSEC-2026-1|requests|PyPI|2.30.0|CWE-79|-' \
    "osv: newline-delimited records; CWE-079 is no CWE identifier"
hasnt "$work/osv" 'PYSEC-2026-1.-' "osv: a package with neither name nor repository gives no line"
hasnt "$work/osv" 'GHSA-vfvf-0000-0002' "osv: a withdrawn record gives nothing"
has "$work/osv" 'RHSA-2026:0001|openssl|Red Hat:enterprise_linux:9|<1:3.0.7-27.el9|CWE-327|-' \
    "osv: CWE from affected[].database_specific.cwes"
wellformed "$work/osv"
ok $? "osv: six non-empty columns a line"
jq -s . "$data/osv-records.ndjson" >"$work/array.json"
vf-feed-osv "$work/array.json" >"$work/osv-array" 2>"$work/err"
is "$(cat "$work/osv-array")" "$(vf-feed-osv "$data/osv-records.ndjson")" \
    "osv: an array of records is the same as the records in a row"

# ---- JVN
if command -v xsltproc >/dev/null; then
	vf-feed-jvn "$data/jvn-vuldef.xml" >"$work/jvn" 2>"$work/err"
	is $? 0 "jvn: the fixture converts"
	is "$(wc -l <"$work/jvn" | tr -d ' ')" 6 "jvn: six lines"
	has "$work/jvn" 'JVNDB-2026-000101|さくら予約システム|株式会社さくらソフト|<=3.2.1;<4.0.0|CWE-79|-' \
	    "jvn: およびそれ以前 is <=, より前のバージョン is <; Japanese names kept"
	has "$work/jvn" 'JVNDB-2026-000101|さくら予約 システム Lite|株式会社さくらソフト|>=2.0;Windows 版 1.5 およびそれ以前;1.0,1.1|CWE-79|-' \
	    "jvn: newline and TAB in a name are a space; 以降 is >=; a bound of more than a version kept as written; ';' in a version is ','"
	has "$work/jvn" 'JVNDB-2026-000102|EX-ルーター RT-100|エグザンプル電機|<=1.0.3;ファームウェア 2.x 系;<1.4.2|CWE-306|-' \
	    "jvn: Ver. dropped, 及びそれ以前, 未満; an ideographic space is a space; CWE-079 and CWE-Other skipped"
	has "$work/jvn" 'JVNDB-2026-000102|Example Viewer|Example Corp.|<5.1.2;<=6.0;>=7.0;<8.0;9.1.0|CWE-306|-' \
	    "jvn: prior to, and earlier, and later, before; an exact version"
	has "$work/jvn" 'JVNDB-2026-000102|EX-管理ツール|エグザンプル電機|-|CWE-306|-' \
	    "jvn: an item without versions"
	has "$work/jvn" 'JVNDB-2026-000102|EX-ビューア|エグザンプル電機|*|CWE-306|-' \
	    "jvn: 全てのバージョン is all versions"
	hasnt "$work/jvn" 'JVNDB-2026-000103' \
	    "jvn: a product of punctuation only gives no line: nothing to compare"
	wellformed "$work/jvn"
	ok $? "jvn: six non-empty columns a line"

	vf-feed-jvn "$data/jvn-error.xml" >"$work/out" 2>"$work/err"
	is $? 65 "jvn: a MyJVN error answer is 65"
	grep -q 'vulnId is invalid' "$work/err"
	ok $? "jvn: and its message is shown"
	printf '<rss/>\n' | vf-feed-jvn >"$work/out" 2>"$work/err"
	is $? 65 "jvn: XML that is not VULDEF is 65"
	printf '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n' |
	    vf-feed-jvn >"$work/out" 2>"$work/err"
	grep -q 'getVulnDetailInfo' "$work/err"
	ok $? "jvn: a JVNRSS overview is refused with where to get details"
	printf '<Vulinfo>\n' | vf-feed-jvn >"$work/out" 2>"$work/err"
	is $? 65 "jvn: broken XML is 65"
	echo secret-of-the-office >"$work/secret"
	cat >"$work/xxe.xml" <<-EOF
	<?xml version="1.0"?>
	<!DOCTYPE VULDEF-Document [<!ENTITY e SYSTEM "file://$work/secret">]>
	<VULDEF-Document xmlns="http://jvn.jp/vuldef/"><Vulinfo><VulinfoID>JVNDB-2026-9</VulinfoID><VulinfoData><Affected><AffectedItem><Name>v</Name><ProductName>p&e;</ProductName></AffectedItem></Affected></VulinfoData></Vulinfo></VULDEF-Document>
	EOF
	vf-feed-jvn "$work/xxe.xml" >"$work/out" 2>"$work/err"
	is $? 65 "jvn: a document declaring an entity is refused"
	hasnt "$work/out" secret-of-the-office "jvn: and no local file is copied out"
	iconv -f UTF-8 -t UTF-16 "$data/jvn-vuldef.xml" >"$work/u16.xml"
	vf-feed-jvn "$work/u16.xml" >"$work/out" 2>"$work/err"
	is $? 65 "jvn: UTF-16 is refused (a DOCTYPE could hide in it)"
	env -u VF_SHARE "$top/bin/vf-feed-jvn" "$data/jvn-vuldef.xml" >"$work/out" 2>&1
	ok $? "jvn: finds its stylesheet beside bin/ without VF_SHARE"
	VF_SHARE=$work/none vf-feed-jvn "$data/jvn-vuldef.xml" >"$work/out" 2>"$work/err"
	is $? 72 "jvn: a missing stylesheet is 72"
else
	n=0
	while [ $n -lt 20 ]; do skip "xsltproc not installed"; n=$((n + 1)); done
fi

# ---- what every converter does alike
for c in nvd osv; do
	printf '{"id": "CVE-2026-1",\n' >"$work/bad.json"
	vf-feed-$c "$work/bad.json" >"$work/out" 2>"$work/err"
	is $? 65 "$c: bad JSON is 65"
	grep -q "bad.json" "$work/err"
	ok $? "$c: the message names the file"
	vf-feed-$c </dev/null >"$work/out" 2>"$work/err"
	is $? 65 "$c: empty input is 65, not an empty list"
	vf-feed-$c -x >"$work/out" 2>"$work/err"
	is $? 64 "$c: an option is a usage error"
	vf-feed-$c "$work/no-such-file.json" >"$work/out" 2>"$work/err"
	is $? 66 "$c: a missing file is 66"
done
# A file that fails half way prints nothing; the others still convert.
cp "$data/osv-records.ndjson" "$work/half.json"
echo '{"id": broken' >>"$work/half.json"
vf-feed-osv "$work/half.json" "$data/osv-record.json" >"$work/out" 2>"$work/err"
is $? 65 "a bad file among good ones is 65"
hasnt "$work/out" PYSEC-2026-1 "the bad file prints none of its lines"
grep -q GHSA-vfvf-0000-0001 "$work/out"
ok $? "the good file is converted"
echo '{"resultsPerPage": 1, "format": "NVD_SOURCE", "sources": []}' |
    vf-feed-nvd >"$work/out" 2>"$work/err"
is $? 65 "nvd: an NVD answer that lists no CVEs is 65"
# Names and values never pass through a shell.
weird='$(touch pwned);x.json'
printf '{"id":"GHSA-1","modified":"m","affected":[{"package":{"ecosystem":"npm","name":"$(touch pwned2)"},"versions":["1"]}]}' \
    >"$work/$weird"
(cd "$work" && vf-feed-osv "$weird") >"$work/out" 2>"$work/err"
is $? 0 "a file name with shell syntax converts"
test ! -e "$work/pwned" && test ! -e "$work/pwned2"
ok $? "and neither it nor a value is run"
has "$work/out" 'GHSA-1|$(touch pwned2)|npm|1|-|-' "values are copied as they are"
mkdir "$work/nojq"
for t in sh dirname mktemp sed cat rm; do ln -s "$(command -v $t)" "$work/nojq/$t"; done
PATH=$work/nojq "$top/bin/vf-feed-nvd" "$data/nvd-record.json" >"$work/out" 2>"$work/err"
is $? 69 "nvd: no jq is 69"

# Cut short anywhere, a feed converts whole (0, good lines) or is refused
# (65) with nothing on stdout; never another status, never half a list.
ncut=0 badcut=0
for pair in nvd:nvd-page.json osv:osv-record.json osv:osv-records.ndjson \
    jvn:jvn-vuldef.xml; do
	c=${pair%%:*} f=$data/${pair#*:}
	[ "$c" = jvn ] && ! command -v xsltproc >/dev/null && continue
	size=$(wc -c <"$f")
	for n in 1 2 17 $((size / 7)) $((size / 3)) $((size / 2)) \
	    $((size * 2 / 3)) $((size - 40)) $((size - 2)) $((size - 1)); do
		head -c "$n" "$f" >"$work/cut"
		vf-feed-$c "$work/cut" >"$work/out" 2>"$work/err"
		rc=$?
		ncut=$((ncut + 1))
		if [ $rc -eq 65 ] && [ ! -s "$work/out" ] && [ -s "$work/err" ]; then
			continue
		elif [ $rc -eq 0 ] && wellformed "$work/out"; then
			continue
		fi
		badcut=$((badcut + 1))
		echo "# ${pair#*:} cut at $n bytes: exit $rc"
	done
done
is "$badcut" 0 "$ncut feeds cut short: each converts whole or is refused with 65"

# The same for feeds with one byte replaced by a character of JSON's or
# XML's syntax, at positions drawn with fixed seeds (so a failure repeats).
nmut=0 badmut=0 seed=1
for pair in nvd:nvd-page.json osv:osv-record.json jvn:jvn-vuldef.xml; do
	c=${pair%%:*} f=$data/${pair#*:}
	[ "$c" = jvn ] && ! command -v xsltproc >/dev/null && continue
	size=$(wc -c <"$f")
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		seed=$((seed + 1))
		set -- $(awk -v s=$seed -v n="$size" 'BEGIN { srand(s);
		    print int(rand() * n), int(rand() * 14) + 1 }')
		ch=$(printf '{}[]":,<>/&;\\' | cut -c"$2")
		{ head -c "$1" "$f"; printf '%s' "$ch"; tail -c +$(($1 + 2)) "$f"; } >"$work/mut"
		vf-feed-$c "$work/mut" >"$work/out" 2>"$work/err"
		rc=$?
		nmut=$((nmut + 1))
		if { [ $rc -eq 65 ] && [ ! -s "$work/out" ]; } ||
		    { [ $rc -eq 0 ] && wellformed "$work/out"; }; then
			continue
		fi
		badmut=$((badmut + 1))
		echo "# ${pair#*:} with byte $1 made '$ch': exit $rc"
	done
done
is "$badmut" 0 "$nmut feeds with a byte changed: each converts whole or is refused with 65"

# ---- the real samples
corpora=$top/../shared/corpora
# ids KIND FILE: the IDs a converter must print for FILE.
ids() {
	case $1 in
	nvd) jq -r '(.vulnerabilities[]?.cve // (select(has("cve")) | .cve) //
	    select(has("vulnStatus"))) | select(.vulnStatus != "Rejected")
	    | select([.configurations[]?.nodes[]? | select(.negate != true)
	        | .cpeMatch[]? | select(.vulnerable)] | length > 0) | .id' "$2" ;;
	osv) jq -r 'if type == "array" then .[] else . end | select(.withdrawn == null)
	    | select([.affected[]? | select((.package.name // "") != ""
	        or ([.ranges[]?.repo | strings] | length > 0))] | length > 0)
	    | .id' "$2" ;;
	esac | sort -u
}
# sample KIND FILE WANT: converts with status WANT; good lines and IDs.
sample() {
	vf-feed-$1 "$2" >"$work/out" 2>"$work/err"
	rc=$?
	rel=${3#"$corpora/"}
	[ "$rc" -eq "$4" ] || { echo "# $rel: exit $rc, want $4"; sed 's/^/#   /' "$work/err"; nbad=$((nbad + 1)); return; }
	[ "$4" -eq 0 ] || return
	if ! wellformed "$work/out"; then
		echo "# $rel: a line without six non-empty columns"; nbad=$((nbad + 1)); return
	fi
	cut -f1 "$work/out" | sort -u >"$work/got"
	ids "$1" "$2" >"$work/want"
	if ! cmp -s "$work/got" "$work/want"; then
		echo "# $rel: IDs differ from the input's"; diff "$work/want" "$work/got" | sed 's/^/#   /' | head -10
		nbad=$((nbad + 1)); return
	fi
	nlines=$((nlines + $(wc -l <"$work/out")))
}
nvd=$corpora/nvd-cve-json
if [ -d "$nvd" ]; then
	nbad=0 nlines=0 nfiles=0
	for f in $(find "$nvd" -name '*.json' -o -name '*.json.gz' | sort); do
		case $f in
		*.schema|*/ref/*) continue ;;
		esac
		case $f in
		*.gz)	u=$work/$(basename "$f" .gz); gzip -dc "$f" >"$u" ;;
		*)	u=$f ;;
		esac
		# Answers of the other NVD APIs are no CVE list: 65 (vf-feed(1)).
		case $f in
		*/cpematch-*|*/cvehistory-*|*/sources-*) want=65 ;;
		*)	want=0 ;;
		esac
		sample nvd "$u" "$f" $want
		nfiles=$((nfiles + 1))
	done
	is "$nbad" 0 "nvd corpus: $nfiles files as vf-feed(1) says, $nlines lines, IDs the input's"
	test "$nfiles" -ge 15 && test "$nlines" -ge 500
	ok $? "nvd corpus: the samples were there to read ($nfiles files)"
else
	skip "no ../shared/corpora/nvd-cve-json"
	skip "no ../shared/corpora/nvd-cve-json"
fi
osv=$corpora/osv-schema
if [ -d "$osv" ]; then
	nbad=0 nlines=0 nfiles=0
	for f in $(find "$osv/tools" -name '*.json' | sort) "$osv/validation/schema.json"; do
		# GHSA's GraphQL records, CSAF advisories and the schema are no
		# OSV records: 65.
		case $f in
		*/ghsa/testdata/*.osv.json) want=0 ;;
		*/ghsa/testdata/*|*/CSAF/*|*/schema.json) want=65 ;;
		*)	want=0 ;;
		esac
		sample osv "$f" "$f" $want
		nfiles=$((nfiles + 1))
	done
	is "$nbad" 0 "osv corpus: $nfiles files as vf-feed(1) says, $nlines lines, IDs the input's"
	test "$nfiles" -ge 40 && test "$nlines" -ge 50
	ok $? "osv corpus: the samples were there to read ($nfiles files)"
else
	skip "no ../shared/corpora/osv-schema"
	skip "no ../shared/corpora/osv-schema"
fi

done_testing
