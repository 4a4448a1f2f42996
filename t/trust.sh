# t/trust.sh - what the trust tests (t/014*-*.t) share, after lib.sh: the
# reports, an attacker's text, armored blocks made by real gpg, PGP/MIME
# around them, and readers of the case file.

# The reporter's report and what an attacker would have the case hold.
good_text() {
	cat <<'EOF'
1. 届出者情報
氏名: 山田太郎
電子メールアドレス: reporter@example.jp
2. 脆弱性情報
製品名: ExampleWiki
バージョン: 2.3.1
EOF
}
evil_text() {
	cat <<'EOF'
氏名: 攻撃者
電子メールアドレス: evil@attacker.example
製品名: EvilWiki
EOF
}

# A home with a key the office's keyring does not hold. Sets FPR_outsider.
make_outsider() {
	OUTSIDER=$work/outsider
	mkdir -m 700 -p "$OUTSIDER"
	GNUPGHOME=$OUTSIDER gpg --batch --no-tty --quiet --passphrase '' \
	    --quick-gen-key "Outsider <outsider@example.net>" ed25519 \
	    sign,cert never 2>/dev/null || return 1
	FPR_outsider=$(GNUPGHOME=$OUTSIDER gpg --batch --with-colons -K 2>/dev/null |
	    awk -F: '$1 == "fpr" { print $10; exit }')
	GNUPGHOME=$OUTSIDER gpg --batch --no-tty --quiet --passphrase '' \
	    --quick-add-key "$FPR_outsider" cv25519 encr never 2>/dev/null
}

# enc_block FILE RECIPIENT [SIGNER]: FILE encrypted (and signed), armored.
enc_block() {
	gpg --batch --no-tty --quiet --trust-model always --armor \
	    ${3:+--local-user "$3" --sign} --encrypt --recipient "$2" \
	    --output - "$1"
}
# sig_block FILE SIGNER [HOME]: FILE only signed (gpg --sign --armor).
sig_block() {
	GNUPGHOME=${3:-$GNUPGHOME} gpg --batch --no-tty --quiet --armor \
	    --local-user "$2" --sign --output - "$1"
}
# clear_block FILE SIGNER: FILE clearsigned.
clear_block() {
	gpg --batch --no-tty --quiet --local-user "$2" --clearsign \
	    --output - "$1"
}

# hdrs FROM SUBJECT: the top of a mail, up to its MIME-Version.
hdrs() {
	printf 'From: %s\nTo: office@example.jp\nSubject: %s\n' "$1" "$2"
	printf 'Message-ID: <%s.%s@example.jp>\nMIME-Version: 1.0\n' "$$" \
	    "$(date +%s%N)"
}
# textmail FROM FILE...: a plain-text mail of those files.
textmail() {
	from=$1
	shift
	hdrs "$from" 'Software Vulnerability Report'
	printf 'Content-Type: text/plain; charset=utf-8\n'
	printf 'Content-Transfer-Encoding: 8bit\n\n'
	cat "$@"
}
# encpart ARMORFILE BOUNDARY: a multipart/encrypted part around an armor.
encpart() {
	printf 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="%s"\n\n' "$2"
	printf -- '--%s\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n' "$2"
	printf -- '--%s\nContent-Type: application/octet-stream; name="encrypted.asc"\n\n' "$2"
	cat "$1"
	printf -- '--%s--\n' "$2"
}
# inner TEXTFILE: a MIME entity holding the text, as PGP/MIME encrypts one.
inner() {
	printf 'Content-Type: text/plain; charset=utf-8\n'
	printf 'Content-Transfer-Encoding: 8bit\n\n'
	cat "$1"
}

header() { sed -n "1,/^\$/s/^$2: //p" "$1" | sed -n 1p; }
field() { # CASEFILE NAME: the field's first line
	sed -n "/^Vf-Part: fields/,/^--=_vf/p" "$1" | sed -n "s/^$2: //p" |
	    sed -n 1p
}
# part CASEFILE ROLE: the bodies of the parts of that role.
part() {
	awk -v role="$2" '/^--=_vf/ { h = 1; on = 0; blk = ""; next }
	    h && /^$/ { h = 0; on = blk ~ ("Vf-Part: " role "\n"); next }
	    h { blk = blk $0 "\n"; next }
	    on { print }' "$1"
}
parthdrs() { # CASEFILE ROLE: the header blocks of the parts of that role
	awk -v role="$2" '/^--=_vf/ { h = 1; blk = ""; next }
	    h && /^$/ { if (blk ~ ("Vf-Part: " role "\n")) printf "%s", blk; h = 0; next }
	    h { blk = blk $0 "\n" }' "$1"
}
# has CASEFILE HEADER TEXT DESCRIPTION: the header holds the text.
has() {
	case $(header "$1" "$2") in
	*"$3"*) ok 0 "$4" ;;
	*) ok 1 "$4"; printf '#   %s: %s\n#  want: *%s*\n' "$2" \
	    "$(header "$1" "$2")" "$3" ;;
	esac
}
# report_is CASEFILE DESC: the report is the reporter's, the fields too,
# and the attacker's text is only kept apart.
report_is_good() {
	is "$(field "$1" reporter.name)" 山田太郎 "$2: reporter.name is the reporter's"
	is "$(field "$1" reporter.email)" reporter@example.jp "$2: reporter.email is the reporter's"
	is "$(field "$1" product.name)" ExampleWiki "$2: product.name is the reporter's"
	if part "$1" report | grep -q EvilWiki; then
		ok 1 "$2: the attacker's text is not in the report"
	else
		ok 0 "$2: the attacker's text is not in the report"
	fi
	part "$1" report | grep -q ExampleWiki
	ok $? "$2: the reporter's text is the report"
	part "$1" unprotected | grep -q EvilWiki
	ok $? "$2: the attacker's text is kept apart, marked unprotected"
}
