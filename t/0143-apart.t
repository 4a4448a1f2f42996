#!/bin/sh
# Messages encrypted apart in one mail: anyone can encrypt to the office's
# key, so an attacker's block before or after the reporter's cannot be
# told from it. Unless one key's good signature covers them all, no piece
# is trusted over another: the case takes no field from any of them, and
# each one's fields are kept as a proposal (Vf-Proposes) for the staff.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trust.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys reporter attacker || skip_all "cannot make gpg keys"
make_root

good_text >"$work/good.txt"
evil_text >"$work/evil.txt"
inner "$work/good.txt" >"$work/good.mime"
inner "$work/evil.txt" >"$work/evil.mime"
enc_block "$work/good.txt" "$OFFICE_FPR" >"$work/enc-good.asc"
enc_block "$work/evil.txt" "$OFFICE_FPR" >"$work/enc-evil.asc"
enc_block "$work/good.txt" "$OFFICE_FPR" "$FPR_reporter" >"$work/enc-good-r.asc"
enc_block "$work/evil.txt" "$OFFICE_FPR" "$FPR_attacker" >"$work/enc-evil-a.asc"
enc_block "$work/evil.txt" "$OFFICE_FPR" "$FPR_reporter" >"$work/enc-evil-r.asc"
enc_block "$work/good.mime" "$OFFICE_FPR" >"$work/encm-good.asc"
enc_block "$work/evil.mime" "$OFFICE_FPR" >"$work/encm-evil.asc"

# pgpmime A B: two multipart/encrypted parts, A first.
pgpmime2() {
	hdrs 'Yamada Taro <reporter@example.jp>' 'Software Vulnerability Report'
	printf 'Content-Type: multipart/mixed; boundary="top"\n\n--top\n'
	encpart "$1" e1
	printf -- '--top\n'
	encpart "$2" e2
	printf -- '--top--\n'
}
nfields() { part "$1" fields | grep -c '^[a-z][a-z.-]*: '; }
# proposal CASEFILE N: the body of the Nth proposal part.
proposal() {
	awk -v n="$2" '/^--=_vf/ { h = 1; on = 0; blk = ""; next }
	    h && /^$/ { h = 0; if (blk ~ "Vf-Part: proposal\n") on = (++k == n); next }
	    h { blk = blk $0 "\n"; next }
	    on { print }' "$1"
}

# untrusted CASE DESC FIRST-TEXT BY1 BY2: no field, two proposals, in order.
untrusted() {
	p=$1 d=$2
	is "$(nfields "$p")" 0 "$d: no field taken from any piece"
	is "$(field "$p" reporter.email)" "" "$d: no reporter.email (not the attacker's, not the first piece's)"
	is "$(parthdrs "$p" proposal | grep -c '^Vf-Part: proposal')" 2 "$d: a proposal part per piece"
	is "$(parthdrs "$p" proposal | sed -n 's/^Vf-Proposed-By: //p' | tr '\n' '|')" "$4|$5|" \
	    "$d: each proposal names its piece's signer, or unsigned"
	is "$(parthdrs "$p" proposal | sed -n 's/^Vf-Piece: //p' | tr '\n' '|')" "1 of 2|2 of 2|" \
	    "$d: and which piece it is"
	is "$(parthdrs "$p" proposal | sed -n 's/^Vf-Of: //p' | sort -u)" 2 \
	    "$d: Vf-Of names the report part"
	if [ "$3" = evil ]; then a=evil@attacker.example b=reporter@example.jp
	else a=reporter@example.jp b=evil@attacker.example; fi
	is "$(proposal "$p" 1 | sed -n 's/^reporter.email: //p')" "$a" "$d: the first piece's fields in the first proposal"
	is "$(proposal "$p" 2 | sed -n 's/^reporter.email: //p')" "$b" "$d: the second's in the second"
	has "$p" Vf-Proposes "reporter.email" "$d: Vf-Proposes names the fields"
	has "$p" Vf-Problem "the report joins 2 messages encrypted apart" "$d: the problem says two messages"
	has "$p" Vf-Problem "no field taken from messages encrypted apart" "$d: and that no field was taken"
	is "$(header "$p" Vf-Protection)" encrypted "$d: the report is still the encrypted text"
	part "$p" report | grep -q 'evil@attacker.example' && part "$p" report | grep -q 'reporter@example.jp'
	ok $? "$d: the report part holds both texts, for the staff to read"
	grep -q 'no field taken; proposed: .*reporter.email' "$p"
	ok $? "$d: the history says no field was taken"
}

textmail reporter@example.jp "$work/enc-evil.asc" "$work/enc-good.asc" >"$work/m"
p=$(vf-parse <"$work/m")
untrusted "$p" "inline, attacker's unsigned block first" evil "sender unsigned" "sender unsigned"

textmail reporter@example.jp "$work/enc-good.asc" "$work/enc-evil.asc" >"$work/m"
p=$(vf-parse <"$work/m")
untrusted "$p" "inline, attacker's unsigned block last" good "sender unsigned" "sender unsigned"

textmail reporter@example.jp "$work/enc-good-r.asc" "$work/enc-evil-a.asc" >"$work/m"
p=$(vf-parse <"$work/m")
untrusted "$p" "inline, signed by different keys" good "sender $FPR_reporter" "sender $FPR_attacker"
is "$(header "$p" Vf-Signature)" mixed "different keys: Vf-Signature mixed"

textmail reporter@example.jp "$work/enc-evil-a.asc" "$work/enc-good-r.asc" >"$work/m"
p=$(vf-parse <"$work/m")
untrusted "$p" "inline, the attacker's signed block first" evil "sender $FPR_attacker" "sender $FPR_reporter"

textmail reporter@example.jp "$work/enc-evil.asc" "$work/enc-good-r.asc" >"$work/m"
p=$(vf-parse <"$work/m")
untrusted "$p" "inline, the attacker's unsigned block before a signed report" evil \
    "sender unsigned" "sender $FPR_reporter"

pgpmime2 "$work/encm-evil.asc" "$work/encm-good.asc" >"$work/m"
p=$(vf-parse <"$work/m")
untrusted "$p" "PGP/MIME, attacker's part first" evil "sender unsigned" "sender unsigned"
pgpmime2 "$work/encm-good.asc" "$work/encm-evil.asc" >"$work/m"
p=$(vf-parse <"$work/m")
untrusted "$p" "PGP/MIME, attacker's part last" good "sender unsigned" "sender unsigned"

# One key signed them all: that key wrote every piece; the fields are read.
textmail reporter@example.jp "$work/enc-good-r.asc" "$work/enc-evil-r.asc" >"$work/m"
p=$(vf-parse <"$work/m")
is "$(header "$p" Vf-Signer)" "$FPR_reporter" "one signer over both: Vf-Signer"
is "$(field "$p" reporter.email)" reporter@example.jp "one signer over both: the fields are read"
is "$(parthdrs "$p" proposal | grep -c .)" 0 "one signer over both: no proposal"
is "$(header "$p" Vf-Proposes)" "" "one signer over both: no Vf-Proposes"

# One encrypted message alone: its fields, as always.
textmail reporter@example.jp "$work/enc-good.asc" >"$work/m"
p=$(vf-parse <"$work/m")
is "$(field "$p" reporter.email)" reporter@example.jp "one message: its fields are the case's"
is "$(parthdrs "$p" proposal | grep -c .)" 0 "one message: no proposal"

done_testing
