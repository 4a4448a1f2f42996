#!/bin/sh
# Real mail written by other projects (../shared/corpora, see its README):
# every file goes through vf-parse, and each must be filed as a whole case
# or refused cleanly (65 or 75, with a message, nothing half-written: the
# MTA keeps the mail), never a crash, a hang or a sanitizer report; an
# original kept as received is the file byte for byte. A hang is a mail
# still parsed after 120 s (timeout(1), named in the failure), never a
# bound on speed. The
# Autocrypt samples are encrypted to keys that expired in 2021: decryption
# does not care (gpg says KEYEXPIRED, then DECRYPTION_OKAY), so they must
# decrypt; the signature inside one of them is by an expired key.
. "$(dirname "$0")/lib.sh"

corpora=$top/../shared/corpora
[ -d "$corpora" ] || skip_all "no ../shared/corpora"
command -v gpg >/dev/null || skip_all "gpg not installed"
command -v timeout >/dev/null || skip_all "timeout(1) not installed"
make_keys || skip_all "cannot make gpg keys"
make_root
ac=$corpora/autocrypt-spec-examples/doc/appendix
for k in bob alice; do
	gpg --batch --no-tty --quiet --import "$ac/$k@autocrypt.example.sec.asc" \
	    2>/dev/null
done

header() { sed -n "1,/^\$/s/^$2: //p" "$1" | sed -n 1p; }
ncases() {
	find "$VF_ROOT" -path "$VF_ROOT/*/new/*" -type f -o \
	    -path "$VF_ROOT/*/cur/*" -type f | grep -c .
}
ntmp() { find "$VF_ROOT" -path "$VF_ROOT/*/tmp/*" -type f | grep -c .; }
sanitizer() {
	grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' \
	    -e 'runtime error:' "$@"
}
# whole CASEFILE: the file ends with its closing delimiter and vf-show
# reads it.
whole() {
	bnd=$(sed -n '1,/^$/s/^Content-Type: multipart\/mixed; boundary="\(.*\)"$/\1/p' \
	    "$1" | sed -n 1p)
	[ -n "$bnd" ] || { echo "#   no boundary in $1"; return 1; }
	[ "$(tail -n 1 "$1")" = "--$bnd--" ] ||
	    { echo "#   last line of $1 is not --$bnd--"; return 1; }
	vf-show "$1" >"$work/show" 2>&1 ||
	    { echo "#   vf-show $1 failed:"; sed 's/^/#   /' "$work/show";
	    return 1; }
	! sanitizer "$work/show"
}

# kept CASEFILE MAIL: the original in the case is the mail, byte for byte
# (encrypted to the office key on arrival; a mail that was nothing but
# ciphertext is kept as it came). The original is the last part.
kept() {
	case $(sed -n 's/^Vf-Original: //p' "$1" | tail -n 1) in
	encrypted-on-arrival)
		awk '/^-----BEGIN PGP MESSAGE-----$/ { b = ""; on = 1 }
		    on { b = b $0 "\n" }
		    /^-----END PGP MESSAGE-----$/ { on = 0; last = b }
		    END { printf "%s", last }' "$1" |
		    gpg --batch --no-tty --quiet --decrypt 2>/dev/null |
		    cmp -s - "$2" ||
		    { echo "#   original in $1 is not the mail"; return 1; }
		;;
	as-received)
		# The part's body is the mail's bytes; the line end before
		# the delimiter belongs to the delimiter (RFC 2046).
		bnd=$(sed -n '1,/^$/s/^Content-Type: multipart\/mixed; boundary="\(.*\)"$/\1/p' \
		    "$1" | sed -n 1p)
		awk -v b="--$bnd" '
		    $0 == b || $0 == b "--" { if (on) { printf "%s", prev; exit }
			h = 1; isr = 0; next }
		    h && $0 == "" { h = 0; if (isr) { on = 1; n = 0 } next }
		    h { if ($0 == "Vf-Original: as-received") isr = 1; next }
		    on { if (n++) print prev; prev = $0 }' "$1" |
		    cmp -s - "$2" ||
		    { echo "#   original in $1 is not the mail byte for byte"; return 1; }
		;;
	*)
		echo "#   no original kept in $1"
		return 1
		;;
	esac
}

find "$corpora" -type f | LC_ALL=C sort >"$work/list"
: >"$work/paths"
while read -r f; do
	rel=${f#"$corpora"/}
	before=$(ncases)
	# A hang guard, not a speed test: a mail still being parsed after
	# two minutes (sanitizers, a loaded machine) is reported by name.
	timeout 120 vf-parse <"$f" >"$work/out" 2>"$work/err"
	rc=$?
	why=
	if sanitizer "$work/err"; then
		why="sanitizer report"
	elif [ ! -s "$f" ]; then
		[ "$rc" -eq 66 ] || why="empty file: exit $rc, not 66"
	elif [ "$rc" -eq 0 ]; then
		p=$(cat "$work/out")
		if [ ! -f "$p" ]; then
			why="exit 0 but no case at '$p'"
		elif ! whole "$p"; then
			why="case $p is not whole"
		elif grep -q 'delivered before, nothing changed' "$work/err"; then
			# The same mail as a file before it (the corpora hold
			# mails with LF and CRLF line ends, or from two
			# mailboxes): filed once, kept as that one came.
			if [ "$(ncases)" -ne "$before" ]; then
				why="delivered before, but a case was filed"
			else
				echo "# $rel: the same mail as one filed before: $p"
			fi
		elif ! kept "$p" "$f"; then
			why="mail not kept in $p"
		else
			printf '%s\t%s\n' "$rel" "$p" >>"$work/paths"
		fi
	elif [ "$rc" -eq 65 ] || [ "$rc" -eq 75 ]; then
		# Refused: the MTA keeps the mail. Nothing may be half-done.
		if [ ! -s "$work/err" ]; then
			why="exit $rc without a message"
		elif [ "$(ncases)" -ne "$before" ]; then
			why="exit $rc but a case was filed"
		elif [ "$(ntmp)" -ne 0 ]; then
			why="exit $rc and a file left in tmp/"
		else
			echo "# $rel: refused ($rc): $(sed -n 1p "$work/err")"
		fi
	elif [ "$rc" -eq 124 ]; then
		why="hung: still running after 120 s, killed"
	elif [ "$rc" -gt 128 ]; then
		why="killed by signal $((rc - 128))"
	else
		why="exit $rc"
	fi
	if [ -z "$why" ]; then
		ok 0 "$rel"
	else
		ok 1 "$rel: $why"
		sed -n '1,20s/^/#   /p' "$work/err"
	fi
done <"$work/list"

# The Autocrypt samples: PGP/MIME to keys expired in 2021.
for m in example-gossip example-draft; do
	p=$(awk -F'\t' -v m="autocrypt-spec-examples/doc/appendix/$m.eml" \
	    '$1 == m { print $2 }' "$work/paths")
	if [ -z "$p" ]; then
		ok 1 "$m: filed"
		continue
	fi
	is "$(header "$p" Vf-Encryption)" "pgp-mime ok" \
	    "$m: decrypted with an expired key"
	is "$(header "$p" Vf-Protection)" encrypted "$m: report is encrypted"
done
p=$(awk -F'\t' '$1 == "autocrypt-spec-examples/doc/appendix/example-gossip.eml" { print $2 }' \
    "$work/paths")
if [ -n "$p" ]; then
	sig=$(header "$p" Vf-Signature)
	case $sig in
	good*|none|"") ok 1 "example-gossip: signature by an expired key: '$sig'" ;;
	*) ok 0 "example-gossip: signature by an expired key: '$sig'" ;;
	esac
	# The plaintext oracle's text is in the report.
	grep -q 'Hi Bob and Carol' "$p"
	ok $? "example-gossip: decrypted text in the case"
fi
is "$(ntmp)" 0 "nothing left in any tmp/"

done_testing
