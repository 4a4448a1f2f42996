#!/bin/sh
# vf-redact: each audience's view of real cases, by the policy; fails
# closed; the report's text, follow-ups and attachments are in no view.
. "$(dirname "$0")/lib.sh"
. "$top/t/notice.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys coord || skip_all "cannot make gpg keys"
make_root
echo "coordinator-key $FPR_coord" >>"$VF_ROOT/config"
echo "coordinator-name Example Coordination Center" >>"$VF_ROOT/config"
VF_STAFF=redact-test
export VF_STAFF

p=$(report software)
id=$(basename "$p")
# A follow-up and an attachment: text that must reach no view.
printf 'FOLLOWUP-SECRET my home address is 1-2-3\n' >"$work/fu"
mail taro@example.jp "Re: [VF#$id] more" "$work/fu" | vf-parse >/dev/null

vf-redact -f -a coordinator "$id" >"$work/out" 2>"$work/err"
is $? 0 "coordinator -f: exit 0"
is "$(sed -n 1,5p "$work/out" | cut -d: -f1 | tr '\n' ' ')" \
    "case.id case.kind case.state case.received case.lang " \
    "-f: the case.* fields first"
grep -q "^case.id: $id$" "$work/out" && grep -q '^case.state: received$' "$work/out" &&
    grep -q '^case.lang: en$' "$work/out"
ok $? "-f: case.* derived from the case file"
grep -q '^product.name: ExampleWiki$' "$work/out"
ok $? "coordinator: the vulnerability"
grep -q '^vuln.reproduce: ' "$work/out"
ok $? "coordinator: the attack method (it must reproduce it)"
grep -q '^reporter.email: taro@example.jp$' "$work/out"
ok $? "coordinator: the reporter's details (consent.coordinator: yes)"
grep -q 'FOLLOWUP-SECRET\|Subject\|Vf-' "$work/out"
is $? 1 "no follow-up text, no header in a view"
order=$(sed 's/:.*//' "$work/out" | grep -v '^case\.' | tr '\n' ' ')
want=$(grep -v '^#' "$top/share/fields" | grep -v '^$' | cut -d: -f1 |
    grep -vx 'case\..*' | while read -r f; do
	grep -q "^$f:" "$work/out" && printf '%s ' "$f"; done)
is "$order" "$want" "-f: the other fields in table order"

vf-redact -f -a vendor "$id" >"$work/out"
is $? 0 "vendor: exit 0"
grep -q '^reporter\.' "$work/out"
is $? 1 "vendor: no reporter detail (consent.vendor: no)"
vf-redact -f -a public "$id" >"$work/out"
is "$?:$(wc -c <"$work/out")" "0:0" "public before publication: nothing, exit 0"
vf-redact -f -a reporter "$id" >"$work/out"
grep -q '^vuln.reproduce' "$work/out"
is $? 1 "reporter: not the attack method"

# After publication, the public view; the name only where asked for.
# Published the way the office does it: accepted, routed, the coordinator
# told, the advisory recorded.
vf-decide accept "$id" >/dev/null && vf-route "$id" >/dev/null &&
    vf-notify -k coordinator "$id" >/dev/null &&
    vf-decide published 'JVN#12345678' "$id" >/dev/null
ok $? "setup: accepted, routed, the coordinator told, published"
vf-redact -f -a public "$id" >"$work/out"
grep -q '^product.name: ExampleWiki$' "$work/out" && grep -q '^status.advisory: JVN#12345678$' "$work/out"
ok $? "public after publication: the vulnerability and status"
grep -q '^reporter\.\|^vuln.reproduce\|^consent' "$work/out"
is $? 1 "public after: no reporter detail, no attack method"
"$casefix" "$id" -f 'consent.publish-name: yes' >/dev/null
vf-redact -f -a public "$id" >"$work/out"
is "$(grep '^reporter\.' "$work/out")" "reporter.name: Taro Yamada" \
    "consent.publish-name yes: the name, and only the name"

# Fails closed, and says which rule.
"$casefix" "$id" -F consent.publish-name >/dev/null
vf-redact -f -a public "$id" >"$work/out" 2>"$work/err"
is "$?:$(wc -c <"$work/out")" "65:0" "consent not stated: 65, nothing shown"
grep -q "consent.publish-name is not stated, and .*policy:[0-9]* needs it" "$work/err"
ok $? "consent not stated: the message names the consent and the rule"
"$casefix" "$id" -f 'consent.publish-name: only my initials' >/dev/null
vf-redact -f -a public "$id" >/dev/null 2>"$work/err"
is $? 65 "consent unclear: 65"
grep -q 'unclear' "$work/err"
ok $? "consent unclear: says so"
"$casefix" "$id" -f 'consent.publish-name: no' -f 'reporter.twitter: @taro' >/dev/null
vf-redact -f -a office "$id" >"$work/out" 2>"$work/err"
is "$?:$(wc -c <"$work/out")" "65:0" "a field not in the table: 65, nothing shown, even to the office"
grep -q 'reporter.twitter is not in the field table' "$work/err"
ok $? "a field not in the table: named"
"$casefix" "$id" -F reporter.twitter >/dev/null
vf-redact -a nobody "$id" >/dev/null 2>&1
is $? 64 "an unknown audience: 64"
vf-redact "$id" >/dev/null 2>&1
is $? 64 "no audience: 64"
mkdir "$work/share"
cp "$top/share/fields" "$work/share/"
VF_SHARE=$work/share vf-redact -a office "$id" >"$work/out" 2>"$work/err"
is "$?:$(wc -c <"$work/out")" "78:0" "no policy: 78, nothing shown"
grep -q 'nothing is shown without the policy' "$work/err"
ok $? "no policy: says so"
grep -v '^phase	published' "$top/share/policy" >"$work/share/policy"
VF_SHARE=$work/share vf-redact -a office "$id" >"$work/out" 2>"$work/err"
is "$?:$(wc -c <"$work/out")" "78:0" "a state the policy does not know: 78, nothing shown"
grep -v '^rule	vendor		before	attack' "$top/share/policy" >"$work/share/policy"
# (casefix: no tool takes a published case back to waiting.)
"$casefix" "$id" -s waiting >/dev/null
VF_SHARE=$work/share vf-redact -a vendor "$id" >"$work/out" 2>"$work/err"
is "$?:$(wc -c <"$work/out")" "78:0" "no rule for what the case holds: 78, nothing shown"
grep -q 'no rule for the vendor before publication, field vuln.reproduce or class attack' "$work/err"
ok $? "no rule: the message names audience, phase, field and class"

# For a person: labels in the report's language, or -l; controls as ?.
p2=$(report web hanako@example.jp)
"$casefix" "$p2" -f "$(printf 'web.reason: echo\033]0;x\007 and\nsecond line')" >/dev/null
vf-redact -a operator "$(basename "$p2")" >"$work/out"
grep -q '^URL of the web site: https://shop.example.jp/search$' "$work/out"
ok $? "human form: English labels for an English report"
grep -q '^Why it is a vulnerability:$' "$work/out" && grep -q '^    echo?]0;x? and$' "$work/out" &&
    grep -q '^    second line$' "$work/out"
ok $? "human form: lines indented, control characters as ?"
vf-redact -l ja -a operator "$(basename "$p2")" | grep -q '^脆弱性を確認したウェブサイトのURL: '
ok $? "-l ja: Japanese labels"
printf '%s\n%s\n' "$id" "$(basename "$p2")" | vf-redact -f -a office >"$work/out"
is "$(grep -c '^case.id: ' "$work/out")" 2 "cases on stdin: one record each"
is "$(grep -c '^$' "$work/out")" 1 "-f: records separated by one empty line"
vf-redact -f -a office 2026-99999 "$id" >"$work/out" 2>/dev/null
is "$?:$(grep -c '^case.id' "$work/out")" "66:1" "a bad case among good ones: the worst status, the rest shown"

done_testing
