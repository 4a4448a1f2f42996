#!/bin/sh
# The public record: vf-advisory (CSAF 2.0 and text, ja and en) and
# vf-pages (index, advisory pages, statistics, Atom, the CSAF provider
# layout), made from vf-redact -f records alone. Every CSAF document made
# here is validated with @secvisogram/csaf-validator-lib (schema and the
# mandatory tests), in one node process; the pages are opened in headless
# Chromium, once, and what a reader sees is checked.
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys || skip_all "cannot make gpg keys"
make_root
echo "public-url https://vf.example.jp" >>"$VF_ROOT/config"
VF_NOW=2027-02-01T00:00:00Z
export VF_NOW

# Records as vf-redact -f -a public prints them (the contract's format).
cat >"$work/records" <<'REC'
case.id: 2027-00001
case.kind: software
case.state: published
case.received: 2026-11-20
case.lang: en
reporter.name: Xanthippe Vorderlund
consent.publish-name: yes
product.name: ExampleDB Server
product.version: 5.0.0 to 5.0.7
product.vendor: Example Data Systems K.K.
vuln.summary: The replication listener accepts a LOGIN packet whose user name length
	field is larger than the packet, and reads past the end of its buffer.
vuln.threat: Denial of service by anyone who can reach the replication port.
vuln.workaround: Allow the replication port only from known replicas.
status.accepted: 2026-11-22
status.pubdate: 2027-01-05 10:00 +0900
status.pubdate-utc: 2027-01-05T01:00:00Z
status.published: 2027-01-05
status.advisory: JVN#90000001
status.advisory-url: https://jvn.jp/jp/JVN90000001/

case.id: 2027-00002
case.kind: software
case.state: published
case.received: 2026-12-01
case.lang: ja
reporter.name: 名前だけの人
product.name: サンプル会計
product.version: 2.4.1
product.vendor: 株式会社サンプル
vuln.summary: ログイン画面に SQL インジェクションの脆弱性があります。
vuln.workaround: 2.4.2 に更新してください。
status.published: 2027-01-20
status.advisory: JVN#90000002

case.id: 2027-00003
case.kind: vendor
case.state: published
case.received: 2026-12-05
case.lang: en
reporter.name: Said No Person
consent.publish-name: no
product.name: Widget <script>alert(1)</script> Pro
vuln.summary: A crafted "widget" & <b>file</b> crashes it.
status.published: 2027-01-10

case.id: 2027-00004
case.kind: web
case.state: fixed
web.url: https://www.example.jp/
web.type: CWE-79
status.fixed: 2027-01-02
REC

if [ -d "$top/node_modules/@secvisogram/csaf-validator-lib" ] && command -v node >/dev/null; then
	have_node=1
else
	have_node=0
fi

vf-advisory -o "$work/csaf" <"$work/records" >"$work/adv.out" 2>"$work/adv.err"
is $? 0 "vf-advisory: exit 0"
is "$(sed "s|$work/csaf/||" "$work/adv.out" | tr '\n' ' ')" \
    "jvn_90000001.json jvn_90000002.json vf_2027-00003.json " \
    "one CSAF file per published software advisory, named as CSAF 2.0 5.1 says"
grep -q '2027-00004: not a published software case' "$work/adv.err"
ok $? "a web case makes no advisory"
jq -e '.document.acknowledgments[0].names == ["Xanthippe Vorderlund"]' "$work/csaf/jvn_90000001.json" >/dev/null
ok $? "the consented credit is in the CSAF document"
jq -e '.document | has("acknowledgments") | not' "$work/csaf/jvn_90000002.json" >/dev/null
ok $? "a record with a name but no consent.publish-name: no credit"
jq -e '.document | has("acknowledgments") | not' "$work/csaf/vf_2027-00003.json" >/dev/null
ok $? "a record with consent.publish-name no: no credit"
jq -e '.document.distribution.tlp.label == "WHITE" and .document.tracking.status == "final" and .document.tracking.initial_release_date == "2027-01-05T01:00:00.000Z"' "$work/csaf/jvn_90000001.json" >/dev/null
ok $? "TLP WHITE, final, released at the agreed time"
jq -e '.vulnerabilities[0].remediations[0].category == "workaround" and .vulnerabilities[0].product_status.known_affected == ["CSAFPID-0001"]' "$work/csaf/jvn_90000001.json" >/dev/null
ok $? "remediation and product status"
jq -e '.product_tree.branches[0].branches[0].branches[0].category == "product_version_range"' "$work/csaf/jvn_90000001.json" >/dev/null
ok $? "a version range is a product_version_range"
jq -e '.product_tree.full_product_names[0].product_id == "CSAFPID-0001" and .vulnerabilities[0].remediations[0].category == "none_available"' "$work/csaf/vf_2027-00003.json" >/dev/null
ok $? "no vendor: a full product name; no workaround: none_available"
jq -S . "$work/csaf/jvn_90000001.json" | cmp -s - "$work/csaf/jvn_90000001.json"
ok $? "keys are sorted (CSAF 2.0 5.3)"
vf-advisory <"$work/records" >"$work/one.json" 2>/dev/null
is $? 64 "more than one record without -o: 64"

vf-advisory -f text -o "$work/text" <"$work/records" >/dev/null 2>&1
grep -q 'Xanthippe Vorderlund reported this vulnerability.' "$work/text/jvn_90000001.en.txt"
ok $? "the English notice credits the consenting reporter"
grep -q 'この脆弱性は Xanthippe Vorderlund 氏が報告しました。' "$work/text/jvn_90000001.ja.txt"
ok $? "so does the Japanese notice"
grep -q '製品名: ExampleDB Server' "$work/text/jvn_90000001.ja.txt"
ok $? "Japanese labels from the field table"
grep -l '名前だけの人\|Said No Person' "$work"/text/* "$work"/csaf/* >/dev/null
ok $((! $?)) "no name without consent in any advisory"

# Statistics for the statistics page.
printf 'Name: S\nProduct name: P\n' >"$work/s"
mail s@example.com 'Software Vulnerability Report' "$work/s" | VF_NOW=2026-11-20T00:00:00Z vf-parse >/dev/null
printf '脆弱性を確認したウェブサイトのURL: https://www.example.jp/\n脆弱性の種類: CWE-79\n' >"$work/w"
mail w@example.jp 'Web Application Vulnerability Report' "$work/w" | VF_NOW=2026-08-20T00:00:00Z vf-parse >/dev/null
mkdir "$work/stats"
for t in received outcomes timely open cwe delay; do vf-stats -t $t >"$work/stats/$t.tsv"; done
if command -v gnuplot >/dev/null; then
	vf-charts "$work/stats" >/dev/null
fi

vf-pages -S -o "$work/public" -s "$work/stats" <"$work/records" >"$work/pages.out" 2>"$work/pages.err"
is $? 0 "vf-pages: exit 0"
w=$work/public/.well-known/csaf
test -f "$w/provider-metadata.json" -a -f "$w/white/index.txt" -a -f "$w/white/changes.csv"
ok $? "provider-metadata.json, index.txt and changes.csv"
is "$(cat "$w/white/index.txt" | tr '\n' ' ')" "2027/jvn_90000002.json 2027/vf_2027-00003.json 2027/jvn_90000001.json " \
    "index.txt: one folder per year, newest first"
is "$(head -1 "$w/white/changes.csv")" '"2027/jvn_90000002.json","2027-01-20T00:00:00Z"' "changes.csv: path and time, newest first"
jq -e '.role == "csaf_trusted_provider" and .distributions[0].directory_url == "https://vf.example.jp/.well-known/csaf/white/" and .metadata_version == "2.0" and .canonical_url == "https://vf.example.jp/.well-known/csaf/provider-metadata.json"' "$w/provider-metadata.json" >/dev/null
ok $? "provider metadata: a trusted provider's, with its directory"
(cd "$w/white/2027" && sha256sum -c --quiet jvn_90000001.json.sha256 && sha512sum -c --quiet jvn_90000001.json.sha512)
ok $? "SHA-256 and SHA-512 files"
gpg --batch --verify "$w/white/2027/jvn_90000001.json.asc" "$w/white/2027/jvn_90000001.json" 2>/dev/null
ok $? "OpenPGP signature by the office key"
test -s "$w/openpgp/$OFFICE_FPR.asc"
ok $? "the office's public key is published"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$work/public/advisories/vf_2027-00003.en.html"
ok $? "report text is HTML-escaped"
grep -l '名前だけの人\|Said No Person' -r "$work/public" >/dev/null
ok $((! $?)) "no name without consent on any public page"

if [ "$have_node" = 1 ]; then
	cp "$work/csaf/jvn_90000001.json" "$work/broken.json"
	jq '.document.tracking.version = "2"' "$work/csaf/jvn_90000001.json" >"$work/broken.json"
	node "$top/t/csaf-validate.mjs" "$work"/csaf/*.json $(find "$w/white" -name '*.json') \
	    "$work/broken.json" >"$work/valid" 2>&1
	grep -c '^valid ' "$work/valid" | grep -qx 6
	ok $? "every CSAF document made here passes the schema and the mandatory tests" ||
	    sed 's/^/# /' "$work/valid"
	grep -q "^invalid $work/broken.json" "$work/valid" && grep -q 'mandatoryTest_6_1_16\|6_1_21\|6_1_22' "$work/valid"
	ok $? "(the validator rejects a document whose version is not its history's)"
else
	skip "node or node_modules missing (npm ci)"
	skip "node or node_modules missing (npm ci)"
fi

if [ "$have_node" = 1 ] && [ -x /usr/bin/chromium ] && [ -d "$top/node_modules/playwright-core" ]; then
	node "$top/t/pages-check.mjs" "$work/public" index.html advisories/jvn_90000001.en.html \
	    advisories/jvn_90000001.ja.html advisories/jvn_90000002.en.html \
	    advisories/vf_2027-00003.en.html statistics.html feed.xml >"$work/seen" 2>"$work/seen.err"
	ok $? "headless Chromium opens every page"
	awk '/^== index.html/,/^== advisories/' "$work/seen" | grep -o 'JVN#9000000[12]\|VF#2027-00003' | tr '\n' ' ' >"$work/order"
	is "$(cat "$work/order")" "JVN#90000002 VF#2027-00003 JVN#90000001 " "the index lists the advisories newest first"
	awk '/^== advisories\/jvn_90000001.en.html/,/^== advisories\/jvn_90000001.ja/' "$work/seen" >"$work/p1"
	grep -q 'Xanthippe Vorderlund reported this vulnerability.' "$work/p1"
	ok $? "the reader sees the consented credit"
	grep -q 'Allow the replication port only from known replicas.' "$work/p1"
	ok $? "and the workaround"
	awk '/^== advisories\/jvn_90000001.ja.html/,/^== advisories\/jvn_90000002/' "$work/seen" | grep -q '製品名'
	ok $? "the Japanese page is in Japanese"
	awk '/^== advisories\/jvn_90000002.en.html/,/^== advisories\/vf/' "$work/seen" | grep -q 'Credit'
	ok $((! $?)) "no credit on the page of a record without consent"
	awk '/^== advisories\/vf_2027-00003.en.html/,/^== statistics/' "$work/seen" | grep -q 'Widget <script>alert(1)</script> Pro'
	ok $? "markup in a report is shown as text, not run"
	if command -v gnuplot >/dev/null; then
		grep '^image: trend ' "$work/seen" | grep -qv ' 0x0 '
		ok $? "the trend chart is drawn on the statistics page"
	else
		skip "gnuplot not installed"
	fi
	awk '/^== statistics.html/,/^== feed/' "$work/seen" | grep -q 'CWE-79'
	ok $? "the statistics page shows the tables"
	grep '^broken: ' "$work/seen" | sed 's/^/# /'
	grep -q '^broken: ' "$work/seen"
	ok $((! $?)) "no link leads nowhere"
else
	skip "chromium or node_modules missing"
fi
grep -q '<entry>' "$work/public/feed.xml" && grep -c '<entry>' "$work/public/feed.xml" | grep -qx 3
ok $? "the Atom feed has the three advisories"
done_testing
