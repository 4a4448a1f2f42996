#!/bin/sh
# Reports as real reporters send them: inline PGP in an HTML-only mail (a
# webmail plugin's), found in the HTML's text and decrypted under the same
# rules, the HTML kept as it came; armor damaged by mail transport
# (non-breaking spaces, trailing spaces, quoted-printable soft breaks)
# mended before gpg sees it, and only white space: a changed character
# stays a failure.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trust.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys reporter || skip_all "cannot make gpg keys"
make_root
good_text >"$work/good.txt"
enc_block "$work/good.txt" "$OFFICE_FPR" >"$work/enc.asc"
nbsp=$(printf '\302\240')

# deliver DESC MAIL: file it, check that the report was decrypted.
deliver() {
	p=$(vf-parse <"$2" 2>"$work/err")
	ok $? "$1: filed"
	is "$(header "$p" Vf-Encryption)" "inline ok" "$1: decrypted"
	is "$(header "$p" Vf-Protection)" encrypted "$1: the report is encrypted"
	is "$(field "$p" reporter.email)" reporter@example.jp "$1: fields read"
	part "$p" report | grep -q ExampleWiki
	ok $? "$1: the decrypted text is the report"
}
# htmlmail BODYFILE [CTE]: an HTML-only mail.
htmlmail() {
	hdrs 'reporter@example.jp' 'Software Vulnerability Report'
	printf 'Content-Type: text/html; charset=utf-8\n'
	printf 'Content-Transfer-Encoding: %s\n\n' "${2:-8bit}"
	cat "$1"
}
# The HTML part of a case, its transfer encoding undone if base64 (the
# case's own, for a part that came without one): the bytes as they came.
htmlpart() {
	awk '/^--=_vf/ { h = 1; on = 0; blk = ""; next }
	    h && /^$/ { h = 0; on = blk ~ "Content-Type: text/html"; next }
	    h { blk = blk $0 "\n"; next }
	    on { print }' "$1" >"$work/html.body"
	if parthdrs "$1" attachment | grep -q '^Content-Type: text/html' &&
	    parthdrs "$1" attachment | grep -q '^Content-Transfer-Encoding: base64'; then
		base64 -d <"$work/html.body"
	else
		# The line end before the delimiter is the delimiter's.
		sed '$d' "$work/html.body"
	fi
}

# --- HTML: in <pre>, as Mailvelope writes it.
{ printf '<html><body><p>My report:</p><pre>'; cat "$work/enc.asc"
  printf '</pre></body></html>\n'; } >"$work/h1"
htmlmail "$work/h1" >"$work/m"
deliver "HTML, armor in <pre>" "$work/m"
htmlpart "$p" | cmp -s - "$work/h1"
ok $? "HTML, armor in <pre>: the HTML kept byte for byte"
if part "$p" report | grep -q 'My report'; then
	ok 1 "HTML, armor in <pre>: the HTML's own text is not the report"
else
	ok 0 "HTML, armor in <pre>: the HTML's own text is not the report"
fi

# --- HTML: a <div> a line, &nbsp; for blank lines, one long source line.
awk '{ printf "<div>%s</div>", ($0 == "" ? "&nbsp;" : $0) } END { print "" }' \
    "$work/enc.asc" >"$work/h2"
htmlmail "$work/h2" >"$work/m"
deliver "HTML, a <div> per line, one source line" "$work/m"
# --- HTML: <br> and a source line end, quoted-printable.
awk '{ printf "%s<br>\n", $0 }' "$work/enc.asc" |
    sed 's/=/=3D/g' >"$work/h3"
htmlmail "$work/h3" quoted-printable >"$work/m"
deliver "HTML, <br> lines, quoted-printable" "$work/m"
htmlpart "$p" | cmp -s - "$work/h3"
ok $? "HTML, quoted-printable: kept in the encoding it came in"
# --- HTML as the only alternative of multipart/alternative.
{
	hdrs 'reporter@example.jp' 'Software Vulnerability Report'
	printf 'Content-Type: multipart/alternative; boundary="alt"\n\n--alt\n'
	printf 'Content-Type: text/html; charset=utf-8\n\n'
	cat "$work/h1"
	printf -- '--alt--\n'
} >"$work/m"
deliver "multipart/alternative of HTML only" "$work/m"
# --- HTML with a block that does not open: nothing added, HTML kept.
sed 's/^hF4D/hF4E/' "$work/h1" >"$work/h4"
htmlmail "$work/h4" >"$work/m"
p=$(vf-parse <"$work/m")
is "$(header "$p" Vf-Encryption)" "inline failed" "HTML, broken ciphertext: not decrypted"
htmlpart "$p" | cmp -s - "$work/h4"
ok $? "HTML, broken ciphertext: the HTML still kept"

# --- Plain text, damaged on the way.
sed "s/^/$nbsp/" "$work/enc.asc" >"$work/d1"
textmail reporter@example.jp "$work/d1" >"$work/m"
deliver "every armor line indented with a non-breaking space" "$work/m"
sed "s/\$/$nbsp  /" "$work/enc.asc" >"$work/d2"
textmail reporter@example.jp "$work/d2" >"$work/m"
deliver "non-breaking and plain spaces at the end of every line" "$work/m"
sed 's/$/ \t/' "$work/enc.asc" >"$work/d3"
textmail reporter@example.jp "$work/d3" >"$work/m"
deliver "trailing spaces and tabs" "$work/m"
# Quoted-printable soft breaks: the radix-64 joined into one long line and
# broken at 75 characters and a '=', as an encoder breaks a long line.
awk 'NR == 1 { print; next }
     /^$/ && !b { print; b = 1; next }
     /^=/ || /^-----END/ { if (body != "") flush(); print; next }
     b { body = body $0 }
     function flush() {
	while (length(body) > 75) { print substr(body, 1, 75) "="; body = substr(body, 76) }
	print body; body = ""
     }' "$work/enc.asc" >"$work/d4"
grep -q '=$' "$work/d4"
ok $? "the soft-broken armor has soft breaks"
textmail reporter@example.jp "$work/d4" >"$work/m"
deliver "quoted-printable soft breaks in the armor" "$work/m"
# Blank lines in the radix-64 (a reader that double-spaces).
sed '3,$s/$/\n/' "$work/enc.asc" >"$work/d5"
textmail reporter@example.jp "$work/d5" >"$work/m"
deliver "blank lines between the armor's lines" "$work/m"

# Not white space: a changed character stays a failure.
awk 'NR == 5 { c = substr($0, 20, 1); $0 = substr($0, 1, 19) (c == "A" ? "B" : "A") substr($0, 21) } { print }' \
    "$work/enc.asc" >"$work/d6"
cmp -s "$work/d6" "$work/enc.asc"
is $? 1 "one character of the ciphertext changed"
textmail reporter@example.jp "$work/d6" >"$work/m"
p=$(vf-parse <"$work/m")
is "$(header "$p" Vf-Encryption)" "inline failed" "a changed armor character: not decrypted"
is "$(field "$p" reporter.email)" "" "a changed armor character: no fields"

# Clearsigned, its signature armor damaged, its text not: still good.
clear_block "$work/good.txt" "$FPR_reporter" >"$work/cs.txt"
awk -v n="$nbsp" '/^-----BEGIN PGP SIGNATURE-----/ { s = 1 }
    s { print n $0 "  "; next } { print }' "$work/cs.txt" >"$work/d7"
textmail reporter@example.jp "$work/d7" >"$work/m"
p=$(vf-parse <"$work/m")
is "$(header "$p" Vf-Signature)" "good $FPR_reporter ultimate sender" \
    "clearsigned, signature armor damaged: still good"
# A non-breaking space put into the signed text itself is a change.
sed "s/ExampleWiki/Example${nbsp}Wiki/" "$work/cs.txt" >"$work/d8"
textmail reporter@example.jp "$work/d8" >"$work/m"
p=$(vf-parse <"$work/m")
is "$(header "$p" Vf-Signature | cut -d' ' -f1)" bad \
    "clearsigned, its text changed by a non-breaking space: bad"

done_testing
