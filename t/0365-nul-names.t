#!/bin/sh
# Hostile input across tools (issue 10), two holes t/0360 leaves:
# - a NUL byte in a report field value, raw in the form text, in an
#   encoded word, in a base64 or quoted-printable part: vf-parse keeps the
#   value whole (the NUL becomes U+FFFD, vf-case(5): no NUL in a case),
#   never cut at the NUL, and vf-notify's headers and vf-redact's text
#   carry the whole value or refuse it, never the part before the NUL;
# - RFC 2231 attachment names (filename*=, charset and language,
#   continuations filename*0*=, percent-encoding, %2F, %5C, %00, "..")
#   through vf-parse: the stored name (Content-Disposition and
#   Vf-Filename) is the decoded name with '/', '\' and control characters
#   as '_', "." and ".." dropped, never cut; and the case is whole: one
#   case per mail, the attachment's bytes as sent, vf-show reads it.
. "$(dirname "$0")/lib.sh"
. "$top/t/notice.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys taro coord || skip_all "cannot make gpg keys"
make_root
cat >>"$VF_ROOT/config" <<CFG
coordinator-name Coordinator
coordinator-key $FPR_coord
CFG
CR=$(printf '\r')

# hdrblock MAIL: the header block of a mail, folded lines joined.
hdrblock() {
	sed '/^$/q' "$1" | sed '$d' |
	    awk '/^[ \t]/ { l = l $0; next } { if (l != "") print l; l = $0 } END { print l }'
}
# nul_free FILE: FILE holds no NUL byte.
nul_free() { [ "$(tr -d '\000' <"$1" | wc -c)" -eq "$(wc -c <"$1")" ]; }
# field CASE NAME: the value of a field in the case's fields part.
field() { sed -n "/^Vf-Part: fields\$/,/^--/s/^$2: //p" "$1"; }
# --- NUL in a field value: raw, encoded word, base64 part, QP part
# The name and the product each hold a NUL between two words; the address
# is sound, so the acknowledgment goes out and its To can be read.
form software
sed -i 's/^Encryption: yes/Encryption: no/' "$work/form"
cp "$work/form" "$work/form0"
# nulform NAMEVALUE PRODUCTVALUE [ADDRESS]: the form with those values.
nulform() {
	sed "s|^Name: .*|Name: $1|; s|^Product name: .*|Product name: $2|; s|^E-mail address: .*|E-mail address: ${3:-taro@example.jp}|" \
	    "$work/form0" >"$work/form"
}
# one MAIL KIND: the mail in $work/m is filed as one new case; $p its path.
filed() {
	n0=$(ncases)
	p=$(vf-parse <"$work/m" 2>"$work/err")
	rc=$?
	is "$rc.$(ncases)" "0.$((n0 + 1))" "$1: one new case"
	[ -f "$p" ] || p=/dev/null
	id=$(sed -n '1,/^$/s/^Vf-Id: //p' "$p")
}
# now: the path of case $id wherever it is now.
now() { vf-ls | grep "/$id\$"; }
# nul_checks KIND NAME PRODUCT: the case $p and what the tools make of it;
# NAME and PRODUCT are the patterns reporter.name and product.name match.
nul_checks() {
	nul_free "$p"
	ok $? "$1: no NUL byte in the case file"
	v=$(field "$p" reporter.name)
	case $v in $2) ok 0 "$1: reporter.name whole ($v)" ;;
	*) ok 1 "$1: reporter.name whole, not cut at the NUL ($v)" ;; esac
	v=$(field "$p" product.name)
	case $v in $3) ok 0 "$1: product.name whole ($v)" ;;
	*) ok 1 "$1: product.name whole, not cut at the NUL ($v)" ;; esac
	vf-validate "$p" >/dev/null 2>&1
	m=$(vf-notify -k ack "$id" 2>"$work/err")
	rc=$?
	if [ $rc -eq 0 ] && [ -f "$m" ]; then
		hdrblock "$m" >"$work/hb"
		LC_ALL=C grep -q "$CR\|[^ -~]" "$work/hb"
		is $? 1 "$1: ack: no control or 8-bit byte in its headers"
		names=$(sed 's/:.*//' "$work/hb" | tr '\n' ' ')
		is "$names" "From To Subject Date Message-ID MIME-Version Content-Type Vf-Id Vf-Notice " \
		    "$1: ack: the headers vf-notify writes, each once"
		is "$(sed -n 's/^To: //p' "$work/hb")" "taro@example.jp" "$1: ack: To is the address"
	else
		ok 1 "$1: ack to a sound address made (exit $rc: $(head -c 200 "$work/err"))"
		skip "no ack"
		skip "no ack"
	fi
	vf-redact -a coordinator "$id" >"$work/red" 2>"$work/err"
	is $? 0 "$1: vf-redact for the coordinator"
	nul_free "$work/red"
	ok $? "$1: vf-redact's text holds no NUL byte"
	v=$(sed -n 's/^Name: //p' "$work/red")
	case $v in $2) ok 0 "$1: vf-redact shows the whole name" ;;
	*) ok 1 "$1: vf-redact shows the whole name ($v)" ;; esac
	v=$(sed -n 's/^Product name: //p' "$work/red")
	case $v in $3) ok 0 "$1: vf-redact shows the whole product name" ;;
	*) ok 1 "$1: vf-redact shows the whole product name ($v)" ;; esac
}
# Each variant a report of its own: the same product twice is a duplicate
# (vf-validate's duplicate check), whatever its summary: a version each.
nv=0
summ() {
	nv=$((nv + 1))
	sed -i "s|^Summary: .*|Summary: Stored XSS, sent as $1.|; s|^Version: .*|Version: 3.$nv|" "$work/form"
}

nulform "Taro$(printf '\001')Yamada" "Example$(printf '\001')Wiki"
summ raw
# sed cannot take a NUL in its script: put the NULs in afterwards.
tr '\001' '\000' <"$work/form" >"$work/form.nul"
mail taro@example.jp "$subj" "$work/form.nul" >"$work/m"
filed "raw NUL"
nul_checks "raw NUL" 'Taro?*Yamada' 'Example?*Wiki'

# An encoded word is header syntax: in the form's text it is kept as
# written (so it holds no NUL), and nothing downstream decodes it.
# (A value that starts with '=' loses it: form.c takes "Label: =" for a
# separator like "Label :=".)
nulform 'Mr =?utf-8?b?VGFybwBZYW1hZGE=?=' 'Ex =?utf-8?q?Example=00Wiki?='
summ 'encoded words'
mail taro@example.jp "$subj" "$work/form" >"$work/m"
filed "encoded word in the form"
nul_checks "encoded word in the form" 'Mr =[?]utf-8[?]b[?]VGFybwBZYW1hZGE=[?]=' \
    'Ex =[?]utf-8[?]q[?]Example=00Wiki[?]='

nulform "Taro$(printf '\001')Yamada" "Example$(printf '\001')Wiki"
summ base64
tr '\001' '\000' <"$work/form" >"$work/form.b"
{
	printf 'From: taro@example.jp\nTo: office@example.jp\nSubject: %s\n' "$subj"
	printf 'Message-ID: <b64.%s@example.jp>\nMIME-Version: 1.0\n' "$$"
	printf 'Content-Type: text/plain; charset=utf-8\n'
	printf 'Content-Transfer-Encoding: base64\n\n'
	base64 <"$work/form.b"
} >"$work/m"
filed "base64 part"
nul_checks "base64 part" 'Taro?*Yamada' 'Example?*Wiki'

nulform 'Taro=00Yamada' 'Example=00Wiki'
summ quoted-printable
{
	printf 'From: taro@example.jp\nTo: office@example.jp\nSubject: %s\n' "$subj"
	printf 'Message-ID: <qp.%s@example.jp>\nMIME-Version: 1.0\n' "$$"
	printf 'Content-Type: multipart/mixed; boundary="B"\n\n--B\n'
	printf 'Content-Type: text/plain; charset=utf-8\n'
	printf 'Content-Transfer-Encoding: quoted-printable\n\n'
	cat "$work/form"
	printf '\n--B--\n'
} >"$work/m"
filed "quoted-printable part"
nul_checks "quoted-printable part" 'Taro?*Yamada' 'Example?*Wiki'

# In the mail's own header an encoded word is decoded: a NUL in the
# sender's display name (B) and in the subject (Q).
nulform 'Taro Yamada' 'ExampleWiki'
summ 'header words'
{
	printf 'From: =?utf-8?b?VGFybwBZYW1hZGE=?= <taro@example.jp>\nTo: office@example.jp\n'
	printf 'Subject: =?utf-8?q?%s=00Bcc=3A_evil=40example=2Enet?=\n' "$(echo "$subj" | tr ' ' _)"
	printf 'Message-ID: <hw.%s@example.jp>\nMIME-Version: 1.0\n' "$$"
	printf 'Content-Type: text/plain; charset=utf-8\n\n'
	cat "$work/form"
} >"$work/m"
filed "encoded words in From and Subject"
nul_free "$p" && ! sed -n '1,/^$/p' "$p" | grep -qi '^bcc:'
ok $? "encoded words in From and Subject: no NUL in the case, no Bcc header"
vf-show "$id" >"$work/show" 2>&1
is $? 0 "encoded words in From and Subject: vf-show reads the case"
nul_free "$work/show" && grep -q '^From  *Taro.*Yamada' "$work/show" &&
    grep -q '^Subject  *.*Report.*Bcc: evil@example.net' "$work/show"
r=$?
ok $r "encoded words in From and Subject: shown whole, without NUL"
[ $r -eq 0 ] || grep '^From\|^Subject' "$work/show" | sed 's/^/#   /'

# The address itself with a NUL: never cut to the part before it (which
# would be a sound address the mail then goes to); refused, nothing queued.
for how in raw word; do
	if [ $how = raw ]; then
		nulform 'Taro Yamada' 'ExampleWiki' "taro@example.jp$(printf '\001')evil@example.net"
		tr '\001' '\000' <"$work/form" >"$work/form.nul"
		mail taro@example.jp "$subj" "$work/form.nul" >"$work/m"
	else
		nulform 'Taro Yamada' 'ExampleWiki' '=?utf-8?q?taro@example.jp=00evil@example.net?='
		mail taro@example.jp "$subj" "$work/form" >"$work/m"
	fi
	filed "$how NUL in the address"
	v=$(field "$p" reporter.email)
	case $v in *taro@example.jp?*evil@example.net*) ok 0 "$how NUL in the address: kept whole ($v)" ;;
	*) ok 1 "$how NUL in the address: kept whole, not cut ($v)" ;; esac
	vf-validate "$p" >/dev/null 2>&1
	n0=$(ls "$VF_ROOT/outbox/new" | wc -l)
	vf-notify -k ack "$id" >/dev/null 2>"$work/err"
	rc=$?
	[ $rc -ne 0 ] && [ -s "$work/err" ]
	ok $? "$how NUL in the address: the ack is refused with a message (exit $rc)"
	is "$(ls "$VF_ROOT/outbox/new" | wc -l)" "$n0" "$how NUL in the address: nothing in the outbox"
	grep -l 'evil@example\|^To: .*taro@example.jp>\?$' "$VF_ROOT"/outbox/new/* 2>/dev/null |
	    xargs -r grep -l "Vf-Id: $id" | grep -q .
	is $? 1 "$how NUL in the address: no mail of this case to either address"
done

# --- RFC 2231 attachment names
# Each line: the Content-Disposition parameters, TAB, the Vf-Filename
# vf-parse must store ('-' for none: the name was "." or ".."), TAB, the
# Content-Disposition filename (ASCII, '"' '\' ';' and 8-bit as '_').
T=$(printf '\t')
cat >"$work/names" <<'EOF'
filename*=utf-8''..%2F..%2Fetc%2Fpasswd	.._.._etc_passwd	.._.._etc_passwd
filename*=UTF-8'ja'%E5%A0%B1%E5%91%8A.txt	報告.txt	______.txt
filename*=iso-8859-1'fr'%E9t%E9.txt	été.txt	__t__.txt
filename*0*=utf-8''..%2F..; filename*1*=%2Fetc%2F; filename*2=passwd	.._.._etc_passwd	.._.._etc_passwd
filename*1*=%2Fb; filename*0*=utf-8''a	a_b	a_b
filename*0*=utf-8''a%00; filename*1=b.pdf	a�b.pdf	a___b.pdf
filename*=utf-8''evil.txt%00.pdf	evil.txt�.pdf	evil.txt___.pdf
filename*=utf-8''%00	�	___
filename*=utf-16be''%00a%00%2F%00b	a_b	a_b
filename*=utf-8''a%0D%0ABcc: x	a__Bcc:_x	a__Bcc:_x
filename*=utf-8''..%5C..%5Cwin.ini	.._.._win.ini	.._.._win.ini
filename*=utf-8''%2E%2E	-	attachment
filename*0*=utf-8''.; filename*1*=%2E	-	attachment
filename*=utf-8''%2e%2e%2f%2e%2e%2fx; filename="plain.txt"	.._.._x	.._.._x
filename*0="..%2F"; filename*1="x"	..%2Fx	..%2Fx
filename*=''%2F	_	_
filename*=utf-8''%25%30%30	%00	%00
filename*=utf-8''%22%3B%5C	";_	___
filename="=?utf-8?q?..=2F..=2Fvictim=00x?="	.._.._victim�x	.._.._victim___x
EOF
i=0
while IFS="$T" read -r params want wantcd; do
	i=$((i + 1))
	short=$(printf '%.42s' "$params")
	{
		printf 'From: taro@example.jp\nTo: office@example.jp\nSubject: %s\n' "$subj"
		printf 'Message-ID: <rfc2231.%s.%s@example.jp>\nMIME-Version: 1.0\n' "$i" "$$"
		printf 'Content-Type: multipart/mixed; boundary="B"\n\n--B\n'
		printf 'Content-Type: text/plain; charset=utf-8\n\n'
		cat "$work/form0"
		printf '\n--B\nContent-Type: application/octet-stream\n'
		printf 'Content-Disposition: attachment;\n %s\n\n' "$params"
		printf 'payload %s\n--B--\n' "$i"
	} >"$work/m"
	filed "$short"
	# The attachment part's headers and body.
	awk '/^--=_vf_/ { if (a) exit; n = 0; next }
	    { l[++n] = $0 } /^Vf-Part: attachment$/ { a = 1 }
	    END { for (i = 1; i <= n; i++) print l[i] }' "$p" >"$work/part"
	got=$(sed -n '1,/^$/s/^Vf-Filename: //p' "$work/part")
	is "${got:--}" "$want" "$short: Vf-Filename"
	gotcd=$(sed -n '1,/^$/s/^Content-Disposition: attachment; filename="\(.*\)"$/\1/p' "$work/part")
	is "$gotcd" "$wantcd" "$short: Content-Disposition filename"
	sed '1,/^$/d' "$work/part" | base64 -d 2>/dev/null >"$work/payload"
	is "$(cat "$work/payload")" "payload $i" "$short: the attachment's bytes as sent"
	nul_free "$p" && ! sed -n '1,/^$/p' "$p" | LC_ALL=C grep -q "$CR"
	ok $? "$short: no NUL or CR in the case file's headers"
	vf-show "$p" >"$work/show" 2>&1 && grep -qF "${want#-}" "$work/show"
	ok $? "$short: vf-show reads the case and names the attachment"
done <"$work/names"
# Nothing outside the root was made by any of these names.
find "$work" -path "$VF_ROOT" -prune -o -path "$GNUPGHOME" -prune -o \
    \( -name 'passwd' -o -name 'win.ini' -o -name 'victim*' -o -name 'x' \) -print >"$work/stray"
is "$(cat "$work/stray")" "" "no file named by an attachment outside the root"

done_testing
