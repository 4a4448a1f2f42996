# t/lib.sh - what every shell test shares: TAP output, the built tools on
# PATH, a throwaway root and GNUPGHOME (passphrase-less keys), and clean-up
# of both and of the gpg-agent, whatever way the test ends.

top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$PATH
VF_SHARE=${VF_SHARE:-$top/share}
export PATH VF_SHARE
LC_ALL=C.UTF-8
export LC_ALL

ntest=0
nfail=0
work=$(mktemp -d "${TMPDIR:-/tmp}/vf-test.XXXXXX") || exit 1
chmod 700 "$work"

# VF_VALGRIND=1 (make valgrind): the built tools run under memcheck; an
# error or a definite leak makes the run exit 99, and valgrind's report is
# kept in obj/valgrind/TEST/ (the Makefile's valgrind target fails on any
# report that is not empty, so that a test ignoring a tool's exit status,
# as the kill and soak tests do, still fails the stage). Within one test
# file a run goes under memcheck when it is the first run of its tool in
# its way (the option letters and the words among its arguments, in order:
# "-k ack", not the paths, ids and dates; another way is another path
# through the tool), and every VF_VALGRIND_EVERY=N
# th run of each tool besides (the 1st, N+1st, 2N+1st ...; default 1, so
# every run); the others run as they are. So every test file checks every
# tool it runs, in every way it runs it, at least once, in the same runs
# each time for a test that runs its tools in a fixed order. Each run is
# listed in obj/valgrind/TEST/runs ("TOOL checked OPTIONS" or "TOOL plain
# OPTIONS") for the coverage summary. VF_VALGRIND=count checks none and
# writes "would" for the runs it would have checked (to choose N). A test
# that traces a tool (strace) runs "$vfbin/TOOL", the tool itself: the
# wrapper's own files are no part of what it traces.
vfbin=$top/bin
if [ "${VF_VALGRIND:-0}" != 0 ]; then
	vgdir=$top/obj/valgrind/$(basename "$0" .t)
	rm -rf "$vgdir"
	mkdir -p "$work/vg" "$vgdir"
	: >"$vgdir/runs"
	every=${VF_VALGRIND_EVERY:-1}
	yes=checked
	[ "$VF_VALGRIND" = count ] && yes=would
	for t in "$top"/bin/*; do
		# Only the tools built from C; scripts run as they are.
		head -c 4 "$t" 2>/dev/null | grep -q 'ELF' || continue
		cat >"$work/vg/${t##*/}" <<VG
#!/bin/sh
# The way this tool is run: each argument that starts with '-', cut to its
# letter (a long one at its '='), and each that is a lower-case word (a
# kind, an audience, a decision: not a path, an id or a date), joined by
# ','; "-" when there are none.
o=
for a; do
	case \$a in
	--) break ;;
	--*=*) a=\${a%%=*} ;;
	--?*) ;;
	-?*) a=\${a%"\${a#??}"} ;;
	*[!a-z]*) continue ;;
	esac
	o=\$o\${o:+,}\$a
done
# Whether to check it, decided and written under a lock (the soak and
# kill tests run tools at once); the lock's descriptor is closed before
# the tool runs.
k=\$( { flock 9; awk -v t="${t##*/}" -v o="\${o:--}" -v every=$every \
	-v yes=$yes -v f="$vgdir/runs" '\$1 == t { n++; if (\$3 == o) m++ }
	    END { k = (m == 0 || (every > 0 && n % every == 0)) ? yes : "plain"
		print t, k, o >>f; print k }' "$vgdir/runs"; } 9>>"$vgdir/runs")
[ "\$k" = checked ] || exec "$t" "\$@"
exec valgrind --quiet --error-exitcode=99 --leak-check=full \\
    --suppressions="$top/t/valgrind.supp" \\
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \\
    --log-file="$vgdir/${t##*/}.%p" "$t" "\$@"
VG
		chmod 755 "$work/vg/${t##*/}"
	done
	PATH=$work/vg:$PATH
	export PATH
fi

cleanup() {
	if [ -n "${GNUPGHOME:-}" ] && [ -d "$GNUPGHOME" ]; then
		gpgconf --kill gpg-agent >/dev/null 2>&1
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

plan() { echo "1..$1"; }
# Keep a log of a failure where .ci/run shows it after the summary (the
# part of a CI run's output that is read).
keep_log() { # name file
	mkdir -p "$top/obj/failed" && cp "$2" "$top/obj/failed/$1" 2>/dev/null
}
# ld_loaded PREFIX TOOL LIB: did the process of the built TOOL load LIB,
# by LD_DEBUG=files LD_DEBUG_OUTPUT=PREFIX (one file a process)? The
# process is told by its program's own needs ("needed by .../bin/TOOL"),
# not by who loaded LIB: under AddressSanitizer dlopen is libasan's.
ld_loaded() {
	for f in "$1".*; do
		[ -f "$f" ] || continue
		grep -q "needed by [^ ]*/bin/$2 " "$f" || continue
		grep -q "file=$3" "$f" && return 0
	done
	return 1
}
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
ok() {
	ntest=$((ntest + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $ntest - $2"
	else
		nfail=$((nfail + 1))
		echo "not ok $ntest - $2"
	fi
}
# check DESCRIPTION COMMAND...: one test from a command's exit status.
check() {
	desc=$1
	shift
	"$@" >"$work/out" 2>"$work/err"
	ok $? "$desc"
}
# is GOT WANT DESCRIPTION
is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '#   got: %s\n#  want: %s\n' "$1" "$2"
	fi
}
skip() { ntest=$((ntest + 1)); echo "ok $ntest # SKIP $*"; }
# The number of case files (anything in a state's new/ or cur/).
ncases() {
	find "$VF_ROOT" -path "$VF_ROOT/*/new/*" -type f -o \
	    -path "$VF_ROOT/*/cur/*" -type f | grep -c .
}
done_testing() { echo "1..$ntest"; [ "$nfail" -eq 0 ]; exit $?; }

# A throwaway GNUPGHOME with the office key and keys named on the command
# line (reporter, stranger, ...), each passphrase-less, ed25519/cv25519.
# Sets OFFICE_FPR and FPR_<name>.
make_keys() {
	GNUPGHOME=$work/gnupg
	export GNUPGHOME
	mkdir -m 700 -p "$GNUPGHOME"
	for who in office "$@"; do
		gpg --batch --no-tty --quiet --passphrase '' \
		    --quick-gen-key "$who <$who@example.jp>" ed25519 sign,cert never \
		    2>/dev/null || return 1
		fpr=$(gpg --batch --with-colons --list-keys "<$who@example.jp>" 2>/dev/null |
		    awk -F: '$1 == "fpr" { print $10; exit }')
		gpg --batch --no-tty --quiet --passphrase '' \
		    --quick-add-key "$fpr" cv25519 encr never 2>/dev/null || return 1
		eval "FPR_$who=$fpr"
	done
	OFFICE_FPR=$FPR_office
	export OFFICE_FPR
}

# A case tree with a configuration naming the office key.
make_root() {
	VF_ROOT=$work/${1:-root}
	export VF_ROOT
	mkdir -m 700 -p "$VF_ROOT"
	cat >"$VF_ROOT/config" <<CFG
office-key $OFFICE_FPR
office-address office@example.jp
office-name Example Vulnerability Office
coordinator-address coordinator@example.jp
CFG
	chmod 600 "$VF_ROOT/config"
}

# mail FROM SUBJECT BODYFILE [CHARSET]: a plain RFC 5322 mail on stdout.
mail() {
	printf 'From: %s\nTo: office@example.jp\nSubject: %s\n' "$1" "$2"
	printf 'Date: Thu, 26 Nov 2026 10:00:00 +0900\n'
	printf 'Message-ID: <%s.%s@example.jp>\nMIME-Version: 1.0\n' "$$" "$(date +%s%N)"
	printf 'Content-Type: text/plain; charset=%s\n' "${4:-utf-8}"
	printf 'Content-Transfer-Encoding: 8bit\n\n'
	cat "$3"
}

# pgpmime FROM SUBJECT BODYFILE RECIPIENT [SIGNER]: PGP/MIME encrypted mail.
pgpmime() {
	{
		printf 'Content-Type: text/plain; charset=utf-8\n'
		printf 'Content-Transfer-Encoding: 8bit\n\n'
		cat "$3"
	} >"$work/inner"
	if [ -n "${5:-}" ]; then
		gpg --batch --no-tty --quiet --trust-model always --armor \
		    --local-user "$5" --sign --encrypt --recipient "$4" \
		    --output "$work/inner.asc" "$work/inner" || return 1
	else
		gpg --batch --no-tty --quiet --trust-model always --armor \
		    --encrypt --recipient "$4" \
		    --output - "$work/inner" >"$work/inner.asc" || return 1
	fi
	rm -f "$work/inner"
	printf 'From: %s\nTo: office@example.jp\nSubject: %s\n' "$1" "$2"
	printf 'Message-ID: <%s.%s@example.jp>\nMIME-Version: 1.0\n' "$$" "$(date +%s%N)"
	printf 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b1"\n\n'
	printf -- '--b1\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n'
	printf -- '--b1\nContent-Type: application/octet-stream; name="encrypted.asc"\n\n'
	cat "$work/inner.asc"
	printf -- '--b1--\n'
	rm -f "$work/inner.asc"
}
