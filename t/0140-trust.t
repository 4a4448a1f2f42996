#!/bin/sh
# What gpg proves is what vf trusts. An OpenPGP message that is only
# signed (gpg --sign --armor) is a signature, not encryption, whatever its
# armor or MIME wrapper: put before or after a genuine encrypted report,
# inline or as PGP/MIME, by an unknown key, a known one or the reporter's
# own, it never becomes the report nor gives the case its fields. The
# headers, the problem line and the parts say the same thing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trust.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys reporter attacker || skip_all "cannot make gpg keys"
make_outsider || skip_all "cannot make the outsider's key"
make_root

good_text >"$work/good.txt"
evil_text >"$work/evil.txt"
inner "$work/good.txt" >"$work/good.mime"
inner "$work/evil.txt" >"$work/evil.mime"
enc_block "$work/good.txt" "$OFFICE_FPR" >"$work/enc.asc"
enc_block "$work/good.mime" "$OFFICE_FPR" >"$work/enc-mime.asc"
KEYID_outsider=$(printf %s "$FPR_outsider" | cut -c25-)

# The signed-only blocks: by a key the office does not know, by a known
# key (an attacker who once reported), by the reporter's own key.
for who in outsider attacker reporter; do
	case $who in
	outsider) home=$OUTSIDER fpr=$FPR_outsider ;;
	attacker) home=$GNUPGHOME fpr=$FPR_attacker ;;
	reporter) home=$GNUPGHOME fpr=$FPR_reporter ;;
	esac
	sig_block "$work/evil.txt" "$fpr" "$home" >"$work/sig-$who.asc"
	sig_block "$work/evil.mime" "$fpr" "$home" >"$work/sig-mime-$who.asc"
done

# inline WHO WHERE: the mail, the signed block alone, before or after.
inline() {
	case $2 in
	alone) set -- "$work/sig-$1.asc" ;;
	before) set -- "$work/sig-$1.asc" "$work/enc.asc" ;;
	after) set -- "$work/enc.asc" "$work/sig-$1.asc" ;;
	esac
	textmail 'Yamada Taro <reporter@example.jp>' "$@"
}
# pgpmime WHO WHERE: the same as PGP/MIME: the signed message inside a
# multipart/encrypted of its own, beside the genuine one.
pgpmime() {
	hdrs 'Yamada Taro <reporter@example.jp>' 'Software Vulnerability Report'
	if [ "$2" = alone ]; then
		encpart "$work/sig-mime-$1.asc" e1
		return
	fi
	printf 'Content-Type: multipart/mixed; boundary="top"\n\n--top\n'
	if [ "$2" = before ]; then
		encpart "$work/sig-mime-$1.asc" e1
		printf -- '--top\n'
		encpart "$work/enc-mime.asc" e2
	else
		encpart "$work/enc-mime.asc" e2
		printf -- '--top\n'
		encpart "$work/sig-mime-$1.asc" e1
	fi
	printf -- '--top--\n'
}

for shape in inline pgpmime; do
	how=$shape
	[ "$shape" = pgpmime ] && how=pgp-mime
	for who in outsider attacker reporter; do
		eval "fpr=\$FPR_$who"
		for where in before after; do
			t="$shape, signed by the $who's key, $where the report"
			$shape "$who" "$where" >"$work/m"
			p=$(vf-parse <"$work/m" 2>"$work/err")
			ok $? "$t: filed"
			report_is_good "$p" "$t"
			is "$(header "$p" Vf-Protection)" encrypted \
			    "$t: Vf-Protection encrypted"
			is "$(header "$p" Vf-Encryption)" "$how ok" \
			    "$t: Vf-Encryption $how ok"
			# The report (encrypted, unsigned) has no signature.
			is "$(header "$p" Vf-Signature)" none \
			    "$t: Vf-Signature none: the report is not signed"
			is "$(header "$p" Vf-Signer)" "" "$t: no Vf-Signer"
			is "$(parthdrs "$p" report | sed -n 's/^Vf-Protection: //p')" \
			    encrypted "$t: the report part says encrypted"
			is "$(parthdrs "$p" original | sed -n 's/^Vf-Original: //p')" \
			    encrypted-on-arrival "$t: the original is encrypted on arrival"
			case $who in
			outsider)
				has "$p" Vf-Problem \
				    "signature no-key: the text counts as clear" \
				    "$t: the problem says the signed text is clear"
				is "$(header "$p" Vf-Signers)" "" \
				    "$t: no good signer at all"
				;;
			*)
				is "$(header "$p" Vf-Signers)" "$fpr" \
				    "$t: Vf-Signers names the other key"
				has "$p" Vf-Problem \
				    "pieces signed by a key that did not sign the report: $fpr" \
				    "$t: the problem says so"
				;;
			esac
			if [ "$shape" = pgpmime ]; then
				has "$p" Vf-Problem \
				    "multipart/encrypted holding a message that is only signed" \
				    "$t: the wrapper's lie is said"
			fi
			# Nothing says "encrypted" of the signed text.
			if parthdrs "$p" unprotected | grep -q '^Vf-Protection: encrypted'; then
				ok 1 "$t: the kept-apart text is not called encrypted"
			else
				ok 0 "$t: the kept-apart text is not called encrypted"
			fi
		done

		# The signed block alone: a signed (or clear) mail, not encrypted.
		t="$shape, signed by the $who's key, alone"
		$shape "$who" alone >"$work/m"
		p=$(vf-parse <"$work/m" 2>"$work/err")
		ok $? "$t: filed"
		is "$(header "$p" Vf-Encryption)" none "$t: Vf-Encryption none"
		part "$p" report | grep -q EvilWiki
		ok $? "$t: its text is the report"
		is "$(part "$p" unprotected | grep -c .)" 0 "$t: nothing kept apart"
		is "$(parthdrs "$p" original | sed -n 's/^Vf-Original: //p')" \
		    encrypted-on-arrival "$t: the original is encrypted on arrival"
		case $who in
		outsider)
			is "$(header "$p" Vf-Protection)" clear \
			    "$t: Vf-Protection clear (no good signature)"
			is "$(header "$p" Vf-Signature)" "no-key $KEYID_outsider" \
			    "$t: Vf-Signature no-key and its key ID"
			has "$p" Vf-Problem "signature no-key: the text counts as clear" \
			    "$t: the problem says so"
			;;
		attacker)
			is "$(header "$p" Vf-Protection)" signed \
			    "$t: Vf-Protection signed"
			is "$(header "$p" Vf-Signature)" \
			    "good $fpr ultimate not-sender" \
			    "$t: good, by the attacker's key, not the sender's"
			is "$(header "$p" Vf-Signer)" "$fpr" "$t: Vf-Signer"
			has "$p" Vf-Problem \
			    "signature good, by $fpr, whose user IDs do not hold the From address" \
			    "$t: the problem says it is not the sender's"
			vf-show "$p" >"$work/show"
			grep -q "^Signature *good, by key $fpr (ultimate), NOT the sender's" \
			    "$work/show"
			ok $? "$t: vf-show says it is not the sender's"
			;;
		reporter)
			is "$(header "$p" Vf-Protection)" signed \
			    "$t: Vf-Protection signed"
			# The From is reporter@example.jp, a user ID of the key.
			is "$(header "$p" Vf-Signature)" \
			    "good $fpr ultimate sender" \
			    "$t: good, by the reporter's key, the sender's"
			is "$(header "$p" Vf-Signer)" "$fpr" "$t: Vf-Signer"
			vf-show "$p" >"$work/show"
			grep -q "^Signature *good, by key $fpr (ultimate), whose user IDs hold the From address" \
			    "$work/show"
			ok $? "$t: vf-show says whose it is"
			;;
		esac
		if [ "$shape" = pgpmime ]; then
			has "$p" Vf-Problem \
			    "multipart/encrypted holding a message that is only signed" \
			    "$t: the wrapper's lie is said"
		else
			case $(header "$p" Vf-Problem) in
			*"multipart/encrypted"*|*"not opened"*)
				ok 1 "$t: no problem of encryption" ;;
			*) ok 0 "$t: no problem of encryption" ;;
			esac
		fi
	done
done

# --- A multipart/encrypted whose "ciphertext" is clear text: not
# decrypted, and its original is no ciphertext to keep as it came.
{
	hdrs 'reporter@example.jp' 'Software Vulnerability Report'
	printf 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="e"\n\n'
	printf -- '--e\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n'
	printf -- '--e\nContent-Type: application/octet-stream\n\n'
	cat "$work/good.txt"
	printf -- '--e--\n'
} >"$work/m"
p=$(vf-parse <"$work/m")
is "$(header "$p" Vf-Encryption)" "pgp-mime failed" "clear text as ciphertext: not decrypted"
has "$p" Vf-Problem "pgp-mime part not opened: no OpenPGP data" \
    "clear text as ciphertext: the problem says why"
is "$(parthdrs "$p" original | sed -n 's/^Vf-Original: //p')" \
    encrypted-on-arrival "clear text as ciphertext: the original is encrypted on arrival"
if grep -q ExampleWiki "$p"; then
	ok 1 "clear text as ciphertext: its text is nowhere in clear in the case"
else
	ok 0 "clear text as ciphertext: its text is nowhere in clear in the case"
fi

# --- A signature is the signer's, not the sender's: the reporter's key,
# another From.
clear_block "$work/good.txt" "$FPR_reporter" >"$work/cs.txt"
textmail 'Someone <someone@example.org>' "$work/cs.txt" >"$work/m"
p=$(vf-parse <"$work/m")
is "$(header "$p" Vf-Signature)" "good $FPR_reporter ultimate not-sender" \
    "clearsigned by the reporter, From another: good, not the sender's"
is "$(header "$p" Vf-Protection)" signed "clearsigned: Vf-Protection signed"
# The From with other case and a display name: still the sender.
textmail '"Reporter, R." <Reporter@EXAMPLE.jp>' "$work/cs.txt" >"$work/m"
p=$(vf-parse <"$work/m")
is "$(header "$p" Vf-Signature)" "good $FPR_reporter ultimate sender" \
    "From in other case, with a display name: the sender's"

# A case filed before whose key it is was said ("good FPR TRUST"): vf-show
# does not call it the sender's.
sed "s/^Vf-Signature: good \([0-9A-F]*\) ultimate sender\$/Vf-Signature: good \1 ultimate/" \
    "$p" >"$work/old.case"
cp "$work/old.case" "$p"
vf-show "$p" | grep -q "^Signature *good, by key $FPR_reporter (ultimate), not compared with the From address"
ok $? "an older case's good signature: not called the sender's"

# --- The office's own key signs nothing a reporter sends.
clear_block "$work/evil.txt" "$OFFICE_FPR" >"$work/cs-office.txt"
textmail 'office@example.jp' "$work/cs-office.txt" >"$work/m"
p=$(vf-parse <"$work/m")
is "$(header "$p" Vf-Signature)" "good $OFFICE_FPR ultimate office" \
    "signed with the office key: flagged as the office's"
has "$p" Vf-Problem "signed with the office's own key" \
    "signed with the office key: the problem says so"
vf-show "$p" | grep -q "^Signature *good, by the office's own key $OFFICE_FPR: not a reporter's"
ok $? "signed with the office key: vf-show says so"

# --- A mail opened by another secret key of the keyring says so.
enc_block "$work/good.txt" "$FPR_attacker" >"$work/enc-other.asc"
textmail 'reporter@example.jp' "$work/enc-other.asc" >"$work/m"
p=$(vf-parse <"$work/m")
is "$(header "$p" Vf-Encryption)" "inline ok" "to another secret key: decrypted"
has "$p" Vf-Problem "inline part opened by the secret key $FPR_attacker, not the office-key" \
    "to another secret key: the problem names the key"

# --- Each signed piece keeps its own signer: two encrypted blocks, signed
# by two keys, make a report with no one signer.
enc_block "$work/good.txt" "$OFFICE_FPR" "$FPR_reporter" >"$work/enc-rep.asc"
enc_block "$work/evil.txt" "$OFFICE_FPR" "$FPR_attacker" >"$work/enc-att.asc"
textmail 'reporter@example.jp' "$work/enc-rep.asc" "$work/enc-att.asc" >"$work/m"
p=$(vf-parse <"$work/m")
is "$(header "$p" Vf-Signature)" mixed "two signers in the report: Vf-Signature mixed"
is "$(header "$p" Vf-Signer)" "" "two signers in the report: no Vf-Signer"
is "$(header "$p" Vf-Signers)" "$FPR_reporter $FPR_attacker" \
    "two signers in the report: Vf-Signers names both, in order"
has "$p" Vf-Problem "the report's text is not all signed by one key" \
    "two signers in the report: the problem says so"
# The same with the attacker's block first: not the first good one seen.
textmail 'reporter@example.jp' "$work/enc-att.asc" "$work/enc-rep.asc" >"$work/m"
p=$(vf-parse <"$work/m")
is "$(header "$p" Vf-Signature)" mixed "attacker's signed block first: still mixed"
is "$(header "$p" Vf-Signer)" "" "attacker's signed block first: no signer"
# One signed, one not: no signer either.
textmail 'reporter@example.jp' "$work/enc-rep.asc" "$work/enc.asc" >"$work/m"
p=$(vf-parse <"$work/m")
is "$(header "$p" Vf-Signature)" mixed "signed and unsigned encrypted blocks: mixed"
is "$(header "$p" Vf-Signer)" "" "signed and unsigned encrypted blocks: no signer"
has "$p" Vf-Problem "the report joins 2 messages encrypted apart" \
    "signed and unsigned encrypted blocks: two sources said"
# Anyone can encrypt to the office: an attacker's encrypted block, unsigned,
# before an unsigned report cannot be told apart; the case says so.
enc_block "$work/evil.txt" "$OFFICE_FPR" >"$work/enc-evil.asc"
textmail 'reporter@example.jp' "$work/enc-evil.asc" "$work/enc.asc" >"$work/m"
p=$(vf-parse <"$work/m")
has "$p" Vf-Problem "the report joins 2 messages encrypted apart: nothing proves that one sender wrote them all" \
    "two unsigned encrypted blocks: the problem says they may be two senders"
# One block signed by the reporter: the reporter is the signer.
echo 'A note in clear.' >"$work/note.txt"
textmail 'reporter@example.jp' "$work/note.txt" "$work/enc-rep.asc" >"$work/m"
p=$(vf-parse <"$work/m")
is "$(header "$p" Vf-Signer)" "$FPR_reporter" "signed and encrypted: Vf-Signer is the reporter"
is "$(header "$p" Vf-Signature)" "good $FPR_reporter ultimate sender" \
    "signed and encrypted: good, the sender's"

# --- RFC 3156 multipart/signed, good and bad, alone and inside encryption.
# signed_mime TEXTFILE SIGNER: a multipart/signed entity (LF line ends;
# the signature is over the first part's CRLF form, RFC 3156 §5).
signed_mime() {
	inner "$1" >"$work/sm.body"
	# The line end before the boundary is the boundary's, not signed.
	sed 's/$/\r/' "$work/sm.body" | head -c -2 | gpg --batch --no-tty \
	    --quiet --armor --local-user "$2" --detach-sign --output - \
	    >"$work/sm.sig"
	printf 'Content-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="s1"\n\n'
	printf -- '--s1\n'
	cat "$work/sm.body"
	printf -- '--s1\nContent-Type: application/pgp-signature; name="signature.asc"\n\n'
	cat "$work/sm.sig"
	printf -- '--s1--\n'
}
signed_mime "$work/good.txt" "$FPR_reporter" >"$work/signed.mime"
sed 's/ExampleWiki/EvilWiki/' "$work/signed.mime" >"$work/signed-bad.mime"
for v in good bad; do
	f=$work/signed.mime
	[ $v = bad ] && f=$work/signed-bad.mime
	{ hdrs 'reporter@example.jp' 'Software Vulnerability Report'; cat "$f"; } >"$work/m"
	p=$(vf-parse <"$work/m")
	if [ $v = good ]; then
		is "$(header "$p" Vf-Signature)" "good $FPR_reporter ultimate sender" \
		    "multipart/signed, good: the reporter's signature"
		is "$(header "$p" Vf-Protection)" signed "multipart/signed, good: signed"
		is "$(field "$p" product.name)" ExampleWiki "multipart/signed, good: fields"
	else
		is "$(header "$p" Vf-Signature)" "bad $(printf %s "$FPR_reporter" | cut -c25-)" \
		    "multipart/signed, bad: bad and the key ID"
		is "$(header "$p" Vf-Protection)" clear "multipart/signed, bad: clear"
		is "$(header "$p" Vf-Signer)" "" "multipart/signed, bad: no signer"
		has "$p" Vf-Problem "signature bad: the text counts as clear" \
		    "multipart/signed, bad: the problem says so"
	fi
	# The same inside an encrypted part.
	gpg --batch --no-tty --quiet --trust-model always --armor --encrypt \
	    --recipient "$OFFICE_FPR" --output - "$f" >"$work/sm.asc"
	{ hdrs 'reporter@example.jp' 'Software Vulnerability Report'
	  encpart "$work/sm.asc" e; } >"$work/m"
	p=$(vf-parse <"$work/m")
	is "$(header "$p" Vf-Protection)" encrypted "multipart/signed in encryption, $v: encrypted"
	is "$(header "$p" Vf-Encryption)" "pgp-mime ok" "multipart/signed in encryption, $v: decrypted"
	if [ $v = good ]; then
		is "$(header "$p" Vf-Signature)" "good $FPR_reporter ultimate sender" \
		    "multipart/signed in encryption, good: the reporter's signature"
		is "$(header "$p" Vf-Signer)" "$FPR_reporter" \
		    "multipart/signed in encryption, good: Vf-Signer"
		is "$(parthdrs "$p" original | sed -n 's/^Vf-Original: //p')" as-received \
		    "multipart/signed in encryption, good: ciphertext kept as it came"
	else
		is "$(header "$p" Vf-Signature | cut -d' ' -f1)" bad \
		    "multipart/signed in encryption, bad: bad"
		is "$(header "$p" Vf-Signer)" "" "multipart/signed in encryption, bad: no signer"
		has "$p" Vf-Problem "signature bad in encrypted text: it counts as unsigned" \
		    "multipart/signed in encryption, bad: the problem says what it counts as"
		is "$(field "$p" product.name)" EvilWiki \
		    "multipart/signed in encryption, bad: the encrypted text is still the report"
	fi
done

# --- An encrypted part holding several text parts, beside a clear one.
{
	printf 'Content-Type: multipart/mixed; boundary="in"\n\n--in\n'
	printf 'Content-Type: text/plain; charset=utf-8\n\n'
	sed -n 1,3p "$work/good.txt"
	printf -- '--in\nContent-Type: text/plain; charset=utf-8\n\n'
	sed -n '4,$p' "$work/good.txt"
	printf -- '--in--\n'
} >"$work/two.mime"
gpg --batch --no-tty --quiet --trust-model always --armor --encrypt \
    --recipient "$OFFICE_FPR" --output - "$work/two.mime" >"$work/two.asc"
{
	hdrs 'reporter@example.jp' 'Software Vulnerability Report'
	printf 'Content-Type: multipart/mixed; boundary="top"\n\n--top\n'
	printf 'Content-Type: text/plain; charset=utf-8\n\n'
	cat "$work/evil.txt"
	printf -- '--top\n'
	encpart "$work/two.asc" e
	printf -- '--top--\n'
} >"$work/m"
p=$(vf-parse <"$work/m")
t="two text parts encrypted beside a clear one"
report_is_good "$p" "$t"
is "$(field "$p" reporter.name)" 山田太郎 "$t: a field of the first part"
is "$(field "$p" product.name)" ExampleWiki "$t: a field of the second part"
case $(header "$p" Vf-Problem) in
*"encrypted apart"*) ok 1 "$t: one message, one source" ;;
*) ok 0 "$t: one message, one source" ;;
esac

# --- Encryption nested past the limit (four levels are followed).
# nest N: the report in N levels of PGP/MIME, each its own gpg run.
nest() {
	inner "$work/good.txt" >"$work/nest.0"
	i=1
	while [ $i -le "$1" ]; do
		gpg --batch --no-tty --quiet --trust-model always --armor \
		    --encrypt --recipient "$OFFICE_FPR" --output - \
		    "$work/nest.$((i - 1))" >"$work/nest.asc"
		encpart "$work/nest.asc" "n$i" >"$work/nest.$i"
		i=$((i + 1))
	done
	hdrs 'reporter@example.jp' 'Software Vulnerability Report'
	cat "$work/nest.$1"
}
nest 4 >"$work/m"
p=$(vf-parse <"$work/m")
is "$(header "$p" Vf-Encryption)" "pgp-mime ok" "nested 4 deep: decrypted"
is "$(field "$p" product.name)" ExampleWiki "nested 4 deep: fields read"
nest 5 >"$work/m"
p=$(vf-parse <"$work/m")
is "$(header "$p" Vf-Encryption)" "pgp-mime failed" "nested 5 deep: not decrypted"
is "$(header "$p" Vf-Protection)" encrypted "nested 5 deep: the report stays encrypted"
has "$p" Vf-Problem "encryption nested too deep" "nested 5 deep: the problem says so"
is "$(field "$p" product.name)" "" "nested 5 deep: no fields"

done_testing
