#!/bin/sh
# Values keep what the reporter wrote; beside them the case file holds the
# NFKC form of each value NFKC changes (the normalized part), so that grep
# FooCMS finds ＦｏｏＣＭＳ. The part is the fields', not a view's: redact
# shows neither form to an audience without the field's class, and expire
# deletes both.
. "$(dirname "$0")/lib.sh"
. "$top/t/notice.sh"
# casefix (t/notice.sh) sets product.version below: no tool writes a
# field of a staff's choosing, and a follow-up would test follow-ups.

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys || skip_all "cannot make gpg keys"
make_root
VF_NOW=2027-01-10T09:00:00Z
export VF_NOW

form software
sed -e 's/^Name: Taro Yamada/Name: Ｑｕｉｌｌｏｎ Ｖａｒｇａｓ/' \
    -e 's/^Product name: ExampleWiki/Product name: ＦｏｏＣＭＳ/' \
    "$work/form" >"$work/fw"
p=$(mail taro@example.jp "$subj" "$work/fw" | vf-parse)
ok $? "a full-width report is filed"
id=$(basename "$p")

grep -q '^product.name: ＦｏｏＣＭＳ$' "$p"
ok $? "the field keeps what the reporter wrote"
is "$(grep -rl FooCMS "$VF_ROOT" | grep -v '/\.' )" "$p" \
    "grep -l FooCMS over the tree finds the full-width case"
norm() { awk '/^Vf-Part: normalized/ { on = 1; next } on && /^--=_vf_/ { exit } on' "$1" | sed '1{/^$/d;}'; }
is "$(norm "$p" | grep -c .)" 2 "the normalized part: only the values NFKC changes"
norm "$p" | grep -qx 'product.name: FooCMS' && norm "$p" | grep -qx 'reporter.name: Quillon Vargas'
ok $? "the normalized part holds their NFKC forms, under the fields' names"
grep -q '^Content-Description: the fields in NFKC' "$p"
ok $? "and says what it is to a mail reader"
last=$(grep '^Vf-Part:' "$p" | tail -1)
is "$last" "Vf-Part: normalized" "it is the last part (no other part's index moves)"

vf-show "$id" >"$work/show" 2>"$work/err"
is $? 0 "vf-show reads the case"
grep -q 'ＦｏｏＣＭＳ' "$work/show"
ok $? "and shows what the reporter wrote"

# A field changed by a tool: the part follows it.
"$casefix" "$id" -f 'product.version: ２．４．１' >/dev/null
norm "$p" | grep -qx 'product.version: 2.4.1'
ok $? "a field set by a tool gets its NFKC form on the next write"
"$casefix" "$id" -f 'product.version: 2.4.1' >/dev/null
norm "$p" | grep -q '^product.version'
is $? 1 "a value NFKC leaves alone has no line"

# The reader refuses a part that disagrees with the fields.
cp "$p" "$work/saved"
sed -i 's/^product.name: FooCMS$/product.name: BarCMS/' "$p"
vf-show "$id" >/dev/null 2>"$work/err"
rc=$?
[ $rc -ne 0 ] && grep -q 'normalized part is not the NFKC form' "$work/err"
ok $? "a normalized part that is not the fields' NFKC form is refused (exit $rc)"
cp "$work/saved" "$p"

# Redact: the vendor may not see the reporter's name, in either form.
vf-redact -f -a vendor "$id" >"$work/vendor" 2>"$work/err"
is $? 0 "vf-redact -a vendor: exit 0"
grep -q 'Quillon\|Ｑｕｉｌｌｏｎ' "$work/vendor"
is $? 1 "vendor: neither form of the reporter's name"
grep -q '^product.name: ＦｏｏＣＭＳ$' "$work/vendor"
ok $? "vendor: the product as written"
grep -c '^product.name:' "$work/vendor" >"$work/n"
is "$(cat "$work/n")" 1 "vendor: one product.name line, no second form as a field"
vf-redact -f -a coordinator "$id" >"$work/coord"
grep -q 'Ｑｕｉｌｌｏｎ Ｖａｒｇａｓ' "$work/coord"
ok $? "coordinator (consented): the name as written"

# Expire: neither form of a reporter value remains anywhere.
# Ended by the staff's real decision (closed: no credit can keep a name).
p=$(VF_STAFF=nfkc-test vf-decide close 'Handled.' "$p")
vf-expire >"$work/exp" 2>"$work/err"
is $? 0 "vf-expire: exit 0"
p=$(vf-ls closed | grep "$id")
grep -rq 'Quillon\|Ｑｕｉｌｌｏｎ\|Vargas\|Ｖａｒｇａｓ' "$VF_ROOT"
is $? 1 "after expire: neither form of the reporter's name in the tree"
grep -q '^product.name: ＦｏｏＣＭＳ$' "$p" && norm "$p" | grep -qx 'product.name: FooCMS'
ok $? "after expire: the product stays, in both forms"
vf-show "$id" >/dev/null
is $? 0 "after expire: the case is still readable"

done_testing
