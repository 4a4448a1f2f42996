#!/bin/sh
# Follow-ups (issue 5, "A follow-up changes a case only when it provably
# comes from the reporter"; issue 8, "Answers come back to the case"): only
# a good signature by the report's own key writes fields, anything else
# proposes; threading only by the office's subject tag or a Message-ID in
# .sent; a reply through .sent says whom it answers and how well From and
# key match; a complete form that threads is a new case; history names
# roles and fingerprints, never a name or an address.
. "$(dirname "$0")/lib.sh"
. "$top/t/notice.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys taro stranger coord || skip_all "cannot make gpg keys"
make_root
echo "coordinator-key $FPR_coord" >>"$VF_ROOT/config"

field() { # CASEFILE NAME: the field's first line
	sed -n "/^Vf-Part: fields/,/^--/p" "$1" | sed -n "s/^$2: //p" | sed -n 1p
}
header() { sed -n "1,/^\$/s/^$2: //p" "$1" | sed -n 1p; }
history() { sed -n '/^Vf-Part: history/,/^--=_vf/p' "$1"; }
parthdrs() { # CASEFILE ROLE: the header blocks of the parts of that role
	awk -v role="$2" '/^--=_vf/ { h = 1; blk = ""; next }
	    h && /^$/ { if (blk ~ ("Vf-Part: " role "\n")) printf "%s", blk; h = 0; next }
	    h { blk = blk $0 "\n" }' "$1"
}
partof() { # CASEFILE TEXT HEADER: HEADER of the part whose body holds TEXT
	awk -v t="$2" -v hd="$3" 'BEGIN { RS = "\n--=_vf_" } index($0, t) {
	    n = split($0, l, "\n"); for (i = 1; i <= n; i++) {
	    if (l[i] == "") break; if (index(l[i], hd ": ") == 1) {
	    print substr(l[i], length(hd) + 3); exit } } }' "$1"
}
path_of() { vf-ls | grep "/$1\$"; }

# A software report without its version: what a follow-up may bring.
cat >"$work/r.txt" <<'EOF'
Name: Taro Yamada
E-mail address: taro@example.jp
Reporter information to the coordinator: yes
Reporter information to the vendor: no
Publish my name in the advisory: no
Product name: ExampleWiki
Summary: Stored XSS in the page title of ExampleWiki.
Steps to reproduce: Put <script>alert(1)</script> in a title, save it.
EOF
subj='Software Vulnerability Report'
# What an attacker (or the reporter) sends: a version and a new address.
printf 'Version: 9.9.9\nE-mail address: evil@example.net\n' >"$work/fu.txt"

# --- an encrypted case; an unsigned follow-up encrypted to the office key
pe=$(pgpmime taro@example.jp "$subj" "$work/r.txt" "$OFFICE_FPR" | vf-parse)
ide=$(basename "$pe")
is "$(header "$pe" Vf-Protection)" encrypted "setup: the report is encrypted"
pgpmime evil@example.net "Re: [VF#$ide]" "$work/fu.txt" "$OFFICE_FPR" |
    vf-parse >"$work/out" 2>"$work/err"
is "$(cat "$work/out")" "$(path_of "$ide")" "unsigned encrypted follow-up: filed on its case"
pe=$(path_of "$ide")
is "$(field "$pe" product.version)" "" "unsigned encrypted follow-up: adds no field"
is "$(field "$pe" reporter.email)" taro@example.jp "unsigned encrypted follow-up: changes no field"
is "$(header "$pe" Vf-Proposes)" "reporter.email, product.version" \
    "unsigned encrypted follow-up: Vf-Proposes names what it proposes"
is "$(parthdrs "$pe" proposal | grep '^Vf-Proposed-By:')" "Vf-Proposed-By: unknown unsigned" \
    "the proposal: by whom (party unknown, unsigned)"
sed -n '/^Vf-Part: proposal/,/^--=_vf/p' "$pe" | grep -q '^product.version: 9.9.9$'
ok $? "the proposal holds the proposed value, in the fields' syntax"
of=$(parthdrs "$pe" proposal | sed -n 's/^Vf-Of: //p')
role=$(awk -v n="$of" 'BEGIN { RS = "\n--=_vf_" } NR == n + 2' "$pe" | sed -n 's/^Vf-Part: //p')
is "$role" followup "Vf-Of names the follow-up part it came in"
history "$pe" | grep -q 'follow-up received (party unknown, threaded by subject tag, key unsigned, encryption pgp-mime ok, proposes: reporter.email, product.version)'
ok $? "history: party unknown, unsigned, what it proposes"
vf-show "$pe" >"$work/show"
grep -q '^Proposes *reporter.email, product.version' "$work/show" &&
    grep -q '^Proposed fields' "$work/show" && grep -q '^  Party *unknown' "$work/show"
ok $? "vf-show: Proposes, the proposal, who the follow-up is from"

# --- a clear case; a clear follow-up
pc=$(mail taro@example.jp "$subj" "$work/r.txt" | vf-parse)
idc=$(basename "$pc")
mail taro@example.jp "Re: [VF#$idc] version" "$work/fu.txt" | vf-parse >/dev/null
pc=$(path_of "$idc")
is "$(field "$pc" product.version)" "" "clear follow-up to a clear case: adds no field"
is "$(header "$pc" Vf-Proposes)" "reporter.email, product.version" "clear follow-up: proposes"
grep -q '^Vf-Part: followup' "$pc"
ok $? "clear follow-up: kept as a follow-up"

# --- a case signed by the reporter's key
form software taro@example.jp
grep -v '^Version:' "$work/form" >"$work/form2"
gpg --batch --quiet --local-user "<taro@example.jp>" --clearsign <"$work/form2" >"$work/form2.asc"
ps=$(mail taro@example.jp "$subj" "$work/form2.asc" | vf-parse)
ids=$(basename "$ps")
is "$(header "$ps" Vf-Signer)" "$FPR_taro" "setup: the report's signer is taro's key"
gpg --batch --quiet --local-user "<stranger@example.jp>" --clearsign <"$work/fu.txt" >"$work/fu-stranger.asc"
mail taro@example.jp "Re: [VF#$ids]" "$work/fu-stranger.asc" | vf-parse >/dev/null
ps=$(path_of "$ids")
is "$(field "$ps" product.version)" "" "follow-up signed by another good key: adds no field"
is "$(header "$ps" Vf-Proposes)" "reporter.email, product.version" "another key: proposes"
is "$(parthdrs "$ps" proposal | sed -n 's/^Vf-Proposed-By: //p')" "unknown $FPR_stranger" \
    "another key: the proposal names that key"
history "$ps" | grep -q "party unknown, threaded by subject tag, key $FPR_stranger, "
ok $? "another key: history names its fingerprint"
is "$(partof "$ps" 'Version: 9.9.9' Vf-Signer)" "$FPR_stranger" \
    "another key: the follow-up part keeps its own signer"
printf 'Version: 2.4.1\nName: Taro Y.\n' >"$work/fu-own.txt"
gpg --batch --quiet --local-user "<taro@example.jp>" --clearsign <"$work/fu-own.txt" >"$work/fu-own.asc"
mail taro@example.jp "Re: [VF#$ids]" "$work/fu-own.asc" | vf-parse >/dev/null
ps=$(path_of "$ids")
is "$(field "$ps" product.version)" 2.4.1 "signed by the report's key: adds a missing field"
is "$(field "$ps" reporter.name)" "Taro Y." "signed by the report's key: changes a field"
history "$ps" | grep -q "key $FPR_taro, encryption none, fields added: product.version, fields changed: reporter.name)"
ok $? "the report's key: history names the fields added and changed"
is "$(header "$ps" Vf-Proposes)" "reporter.email, product.version" \
    "the stranger's proposal stays proposed"
# Only what the signature covers counts: clear text beside the signed
# piece writes nothing, though the mail is signed by the report's key.
printf 'Summary: corrected summary\n' >"$work/fu-own2.txt"
gpg --batch --quiet --local-user "<taro@example.jp>" --clearsign <"$work/fu-own2.txt" >"$work/fu-own2.asc"
{
	printf 'From: taro@example.jp\nSubject: Re: [VF#%s]\nMIME-Version: 1.0\n' "$ids"
	printf 'Content-Type: multipart/mixed; boundary="m"\n\n--m\n'
	printf 'Content-Type: text/plain; charset=utf-8\n\n'
	cat "$work/fu-own2.asc"
	printf -- '--m\nContent-Type: text/plain; charset=utf-8\n\n'
	printf 'E-mail address: evil@example.net\n--m--\n'
} | vf-parse >/dev/null
ps=$(path_of "$ids")
is "$(field "$ps" vuln.summary)" "corrected summary" "the signed piece writes its field"
is "$(field "$ps" reporter.email)" taro@example.jp "clear text beside it writes nothing"

# --- threading: only the office's tag or a Message-ID it sent
n0=$(ncases)
{
	printf 'From: evil@example.net\nSubject: about your case\n'
	printf 'In-Reply-To: <vf.%s@vf.invalid>\nReferences: <vf.%s@vf.invalid>\n\n' "$ide" "$ide"
	printf 'Version: 6.6.6\n'
} | vf-parse >"$work/out"
is "$(ncases)" "$((n0 + 1))" "the case file's own Message-ID in In-Reply-To: not threaded, a new case"
is "$(parthdrs "$(path_of "$ide")" followup | grep -c '^Vf-Part:')" 1 "and nothing added to that case"
{
	printf 'From: evil@example.net\nSubject: Re: %s\n\n' "$ide"
	printf 'About %s and VF#%s: Version: 6.6.6\n' "$ide" "$ide"
} | vf-parse >"$work/out"
is "$(ncases)" "$((n0 + 2))" "a bare id in subject and body, VF#ID without brackets: not threaded"
{
	printf 'From: evil@example.net\nSubject: Re: VF\357\274\203%s\n\nmore\n' "$ide"
} | vf-parse >"$work/out"
is "$(ncases)" "$((n0 + 3))" "a full-width number sign (the office never writes it): not threaded"
printf 'From: taro@example.jp\nSubject: Re: \343\200\220VF#%s\343\200\221\n\nmore\n' "$ide" |
    vf-parse >"$work/out"
is "$(cat "$work/out")" "$(path_of "$ide")" "【VF#ID】 threads"
printf 'From: taro@example.jp\nSubject: Re: Re: [VF#%s] version\n\nmore\n' "$idc" |
    vf-parse >"$work/out"
is "$(cat "$work/out")" "$(path_of "$idc")" "[VF#ID] threads"

# --- a reply to a notice: threaded through .sent, party and check
vf-notify -k ack "$ids" >/dev/null 2>"$work/err"
ok $? "setup: an ack notice to the reporter"
ack=$(ls "$VF_ROOT/outbox/new/vf.$ids."*)
mid=$(sed -n 's/^Message-ID: //p' "$ack")
# replyto FROM TEXT [SIGNER]: an answer to the ack, no tag in its subject.
replyto() {
	printf '%s\n' "$2" >"$work/rt.txt"
	if [ -n "${3:-}" ]; then
		gpg --batch --quiet --local-user "<$3@example.jp>" --clearsign \
		    <"$work/rt.txt" >"$work/rt.asc"
		mv "$work/rt.asc" "$work/rt.txt"
	fi
	{
		printf 'From: %s\nSubject: Re: your mail\nIn-Reply-To: %s\n' "$1" "$mid"
		printf 'References: <x.1@example.jp> %s\nMessage-ID: <rt.%s@example.jp>\n\n' "$mid" "$(date +%s%N)"
		cat "$work/rt.txt"
	} | ${vfparse:-vf-parse}
}
out=$(replyto 'Taro <taro@example.jp>' 'REPLY-OK' taro)
is "$out" "$(path_of "$ids")" "a .sent Message-ID threads, with no tag in the subject"
ps=$(path_of "$ids")
is "$(partof "$ps" REPLY-OK Vf-Party)" reporter "Vf-Party from the .sent record"
is "$(partof "$ps" REPLY-OK Vf-Party-Check)" ok "the reporter's address and key: ok"
is "$(partof "$ps" REPLY-OK Vf-Answers)" ack "Vf-Answers: the notice it answers"
history "$ps" | grep -q "follow-up received (party reporter, check ok, key $FPR_taro, encryption none)"
ok $? "history: party reporter, check ok, the key"
replyto 'Taro <taro@example.net>' 'REPLY-ELSEWHERE' taro >/dev/null
is "$(partof "$(path_of "$ids")" REPLY-ELSEWHERE Vf-Party-Check)" address-mismatch \
    "a reply from another address: address-mismatch"
replyto 'taro@example.jp' 'REPLY-UNSIGNED' >/dev/null
is "$(partof "$(path_of "$ids")" REPLY-UNSIGNED Vf-Party-Check)" unsigned \
    "the right address, no signature: unsigned"
# vf-parse loads libidn2 only for a domain in U-labels (src/idnlazy.c):
# the tool itself, not a wrapper.
vfparse=$vfbin/vf-parse
LD_DEBUG=files LD_DEBUG_OUTPUT=$work/ld.ascii replyto 'taro@example.jp' \
    'REPLY-ASCII' >/dev/null
! ld_loaded "$work/ld.ascii" vf-parse libidn2
ok $? "an ASCII From checked: vf-parse loads no libidn2"
rm -f "$work"/ld.ascii.*
"$casefix" "$ids" -f 'reporter.email: taro@例え.jp' >/dev/null
LD_DEBUG=files LD_DEBUG_OUTPUT=$work/ld.idn replyto 'taro@xn--r8jz45g.jp' \
    'REPLY-IDN' >/dev/null
is "$(partof "$(path_of "$ids")" REPLY-IDN Vf-Party-Check)" unsigned \
    "the reporter's address in U-labels, the reply's From in A-labels: the same"
ld_loaded "$work/ld.idn" vf-parse libidn2
ok $? "and vf-parse loaded libidn2 for it"
"$casefix" "$ids" -f 'reporter.email: taro@example.jp' >/dev/null
vfparse=
replyto 'taro@example.jp' 'REPLY-STRANGER
Version: 0.0.1' stranger >/dev/null
ps=$(path_of "$ids")
is "$(partof "$ps" REPLY-STRANGER Vf-Party-Check)" key-mismatch \
    "the right address, another key: key-mismatch"
is "$(field "$ps" product.version)" 2.4.1 "a reply through .sent by another key writes no field"
parthdrs "$ps" proposal | grep -q "^Vf-Proposed-By: reporter $FPR_stranger$"
ok $? "it proposes, as the party it answered for, with its key"
# Unfolded: the header may be longer than a line.
sed -e :a -e '$!N;s/\n[ \t]\{1,\}/ /;ta' -e 'P;D' "$ps" |
    grep -q '^Content-Description: follow-up from the reporter (key-mismatch), '

ok $? "the part's description says who it is from, and the mismatch"
vf-show "$ps" >"$work/show"
grep -q '^  Party *reporter' "$work/show" && grep -q '^  Check *address-mismatch' "$work/show"
ok $? "vf-show: who each follow-up is from, and the check"
# A Message-ID of ours that .sent does not hold: not threaded.
n0=$(ncases)
{
	printf 'From: taro@example.jp\nSubject: Re: your mail\n'
	printf 'In-Reply-To: <vf.%s.0123456789abcdef0123456789abcdef@example.jp>\n\nguess\n' "$ids"
} | vf-parse >/dev/null
is "$(ncases)" "$((n0 + 1))" "a guessed Message-ID not in .sent: not threaded"

# --- a thread and a complete new report: a new case naming the old one
n0=$(ncases)
{
	printf 'From: taro@example.jp\nSubject: Re: [VF#%s] another one\n\n' "$idc"
	form software taro@example.jp
	sed 's/ExampleWiki/OtherWiki/' "$work/form"
} | vf-parse >"$work/out"
pn=$(cat "$work/out")
is "$(ncases)" "$((n0 + 1))" "thread + complete form: a new case"
is "$(header "$pn" Vf-Mentions)" "$idc" "the new case names the case it mentions (Vf-Mentions)"
history "$pn" | grep -q "mentions case $idc (threaded by its subject's tag)"
ok $? "and says so in its history"
is "$(field "$(path_of "$idc")" product.name)" ExampleWiki "the mentioned case is unchanged"
{
	printf 'From: taro@example.jp\nSubject: Re: your mail\nIn-Reply-To: %s\n\n' "$mid"
	sed 's/ExampleWiki/ThirdWiki/' "$work/form"
} | vf-parse >"$work/out"
is "$(header "$(cat "$work/out")" Vf-Mentions)" "$ids" "through .sent too: a new case naming it"


# --- an incomplete report comes back to be checked (issue 7): only the
# report's key, supplying fields, moves it; a proposal leaves it where it is
state_of() { vf-ls | grep "/$1\$" | sed "s|^$VF_ROOT/||; s|/.*||"; }
pi=$(mail taro@example.jp "$subj" "$work/form2.asc" | vf-parse)
idi=$(basename "$pi")
vf-validate "$pi" >/dev/null 2>"$work/err"
is "$(state_of "$idi")" incomplete "setup: vf-validate finds the report without its version incomplete"
is "$(header "$(path_of "$idi")" Vf-Missing)" product.version "setup: Vf-Missing names it"
mail taro@example.jp "Re: [VF#$idi]" "$work/fu-stranger.asc" | vf-parse >/dev/null
is "$(state_of "$idi")" incomplete "a follow-up that only proposes: the case stays incomplete"
printf 'Version: 3.0.1\n' >"$work/fu-ver.txt"
gpg --batch --quiet --local-user "<taro@example.jp>" --clearsign <"$work/fu-ver.txt" >"$work/fu-ver.asc"
mail taro@example.jp "Re: [VF#$idi]" "$work/fu-ver.asc" | vf-parse >"$work/out"
is "$(state_of "$idi")" received "signed by the report's key, supplying the field: back to received"
is "$(cat "$work/out")" "$(path_of "$idi")" "vf-parse prints where the case now is"
history "$(path_of "$idi")" | grep -q "vf-parse: incomplete -> received: the reporter's follow-up supplies fields"
ok $? "history: the move, and why"
grep -q " $idi incomplete -> received" "$VF_ROOT/log"
ok $? "the log records the move"
vf-validate "$(path_of "$idi")" >/dev/null 2>"$work/err"
is "$(state_of "$idi")" accepted "vf-validate checks it again: accepted"
is "$(header "$(path_of "$idi")" Vf-Missing)" "" "and Vf-Missing is gone"
# Signed by the report's key but writing nothing new: it stays.
pj=$(mail taro@example.jp "$subj" "$work/form2.asc" | vf-parse)
idj=$(basename "$pj")
vf-validate "$pj" >/dev/null 2>&1
printf 'Thanks, more later.\n' | gpg --batch --quiet --local-user "<taro@example.jp>" --clearsign >"$work/fu-none.asc"
mail taro@example.jp "Re: [VF#$idj]" "$work/fu-none.asc" | vf-parse >/dev/null
is "$(state_of "$idj")" incomplete "the report's key but no field: the case stays incomplete"

# --- history and log name no party by name or address
for f in $(vf-ls); do history "$f"; done >"$work/hist"
grep -c 'follow-up received' "$work/hist" >/dev/null
ok $? "setup: follow-ups in the histories"
# (Message-IDs of the office's own notices hold its domain, no one's address.)
pat='taro@\|evil@\|stranger@\|example\.net\|Taro\|Yamada'
if grep -q "$pat" "$work/hist" "$VF_ROOT/log"; then
	ok 1 "no name or address in any history or the log"
	grep "$pat" "$work/hist" "$VF_ROOT/log" | sed 's/^/# /'
else ok 0 "no name or address in any history or the log"; fi

done_testing
