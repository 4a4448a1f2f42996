#!/bin/sh
# Decoding that a rule depends on: the kind read from an encoded Subject
# where the body does not give it away (and the Subject kept decoded on
# the case); attachments named with a path; an original kept as received
# is the mail, byte for byte.
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
command -v iconv >/dev/null || skip_all "iconv not installed"
make_keys reporter || skip_all "cannot make gpg keys"
make_root

header() { sed -n "1,/^\$/s/^$2: //p" "$1" | sed -n 1p; }
# partbody CASEFILE ROLE [N]: the body of the Nth part of that role, the
# exact bytes between its headers and the line end before the delimiter.
partbody() {
	bnd=$(sed -n '1,/^$/s/^Content-Type: multipart\/mixed; boundary="\(.*\)"$/\1/p' "$1" | sed -n 1p)
	awk -v b="--$bnd" -v role="Vf-Part: $2" -v want="${3:-1}" '
	    $0 == b || $0 == b "--" { if (on) { printf "%s", prev; exit }
		h = 1; isr = 0; next }
	    h && $0 == "" { h = 0; if (isr && ++n == want) { on = 1; k = 0 }
		next }
	    h { if ($0 == role) isr = 1; next }
	    on { if (k++) print prev; prev = $0 }' "$1"
}
parthdr() { # CASEFILE ROLE N HEADER
	bnd=$(sed -n '1,/^$/s/^Content-Type: multipart\/mixed; boundary="\(.*\)"$/\1/p' "$1" | sed -n 1p)
	awk -v b="--$bnd" -v role="Vf-Part: $2" -v want="$3" -v hn="$4: " '
	    $0 == b || $0 == b "--" { h = 1; blk = ""; next }
	    h && $0 == "" { h = 0; if (blk ~ (role "\n") && ++n == want) {
		printf "%s", blk; exit } next }
	    h { blk = blk $0 "\n" }' "$1" | sed -n "s/^$4: //p"
}
enc() { printf '=?%s?B?%s?=' "$2" "$(printf '%s' "$1" | iconv -f UTF-8 -t "$2" | base64 -w0)"; }

# A body that names no kind: only the reporter, whom every kind has.
printf '氏名: 山田太郎\n電子メールアドレス: taro@example.jp\n' >"$work/plain"
kindcase() { # SUBJECT-AS-WRITTEN: the case file
	{
		printf 'From: taro@example.jp\nTo: office@example.jp\n'
		printf 'Subject: %s\n' "$1"
		printf 'Message-ID: <%s@example.jp>\nMIME-Version: 1.0\n' "$(date +%s%N)"
		printf 'Content-Type: text/plain; charset=utf-8\n\n'
		cat "$work/plain"
	} | vf-parse 2>"$work/err"
}
p=$(kindcase 'Re: report')
is "$(header "$p" Vf-Kind)" unknown "the body alone gives no kind away"

p=$(kindcase "$(enc 'ウェブアプリケーション脆弱性関連情報の届出' ISO-2022-JP)")
is "$(header "$p" Vf-Kind)" web "ISO-2022-JP B-encoded Subject: web"
vf-show "$p" >"$work/show"
is "$(sed -n 's/^Subject *//p' "$work/show")" \
    "[VF#$(basename "$p")] ウェブアプリケーション脆弱性関連情報の届出" \
    "the Subject is kept decoded"

# Q-encoded UTF-8, cut into two encoded words over a folded line: the
# white space between encoded words does not count (RFC 2047 6.2).
s1=$(printf 'ソフトウエア製品' | od -An -tx1 | tr -d ' \n' | sed 's/../=&/g' | tr a-f A-F)
s2=$(printf '脆弱性関連情報の届出' | od -An -tx1 | tr -d ' \n' | sed 's/../=&/g' | tr a-f A-F)
p=$(kindcase "$(printf '=?UTF-8?Q?%s?=\n =?UTF-8?Q?%s?=' "$s1" "$s2")")
is "$(header "$p" Vf-Kind)" software "Q-encoded, folded, two words: software"
vf-show "$p" >"$work/show"
is "$(sed -n 's/^Subject *//p' "$work/show")" \
    "[VF#$(basename "$p")] ソフトウエア製品脆弱性関連情報の届出" \
    "and decoded as one"

p=$(kindcase "$(enc 'ソフトウエア製品開発者による脆弱性関連情報の届出' SHIFT_JIS)")
is "$(header "$p" Vf-Kind)" vendor "Shift_JIS B-encoded Subject: vendor"
p=$(kindcase "Fwd: $(enc 'Web Application Vulnerability Report' UTF-8)")
is "$(header "$p" Vf-Kind)" web "an encoded English Subject after Fwd: web"

# --- attachments named with a path
{
	printf 'From: taro@example.jp\nSubject: Software Vulnerability Report\n'
	printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="k"\n\n'
	printf -- '--k\nContent-Type: text/plain; charset=utf-8\n\n'
	cat "$work/plain"
	for n in '../../x' '/etc/y' '..' '.' 'a/../../b' '..\\..\\w'; do
		printf -- '--k\nContent-Type: application/octet-stream\n'
		printf 'Content-Disposition: attachment; filename="%s"\n' "$n"
		printf 'Content-Transfer-Encoding: base64\n\n%s\n' "$(printf 'data %s' "$n" | base64)"
	done
	printf -- '--k\nContent-Type: application/octet-stream\n'
	printf "Content-Disposition: attachment; filename*=UTF-8''%%2E%%2E%%2F%%2E%%2E%%2Fz\n"
	printf 'Content-Transfer-Encoding: base64\n\n%s\n' "$(printf 'data z' | base64)"
	printf -- '--k--\n'
} >"$work/paths.eml"
p=$(vf-parse <"$work/paths.eml" 2>"$work/err")
ok $? "a mail with attachments named by paths is filed"
is "$(grep -c '^Vf-Part: attachment$' "$p")" 7 "every such attachment is kept"
bad=0
i=1
while [ "$i" -le 7 ]; do
	fn=$(parthdr "$p" attachment "$i" Vf-Filename)
	cd_=$(parthdr "$p" attachment "$i" Content-Disposition)
	case $fn in
	*/*|*\\*|.|..) bad=$((bad + 1)); echo "#   Vf-Filename: '$fn'" ;;
	esac
	case $cd_ in
	*/*|*\\*) bad=$((bad + 1)); echo "#   Content-Disposition: '$cd_'" ;;
	esac
	i=$((i + 1))
done
is "$bad" 0 "no name holds a / or a \\, none is . or .."
test ! -e "$work/x" && test ! -e /etc/y && test ! -e "$VF_ROOT/../x" &&
    test ! -e "$VF_ROOT/y"
ok $? "nothing was written where a name points"
vf-show "$p" >"$work/show" 2>&1
ok $? "vf-show reads the case"

# --- an original kept as received is the mail, byte for byte
printf '製品名: ExampleWiki\n' >"$work/sw"
pgpmime 'taro@example.jp' 'Software Vulnerability Report' "$work/sw" \
    "$OFFICE_FPR" "$FPR_reporter" >"$work/enc.eml"
p=$(vf-parse <"$work/enc.eml" 2>"$work/err")
is "$(parthdr "$p" original 1 Vf-Original)" as-received "PGP/MIME: kept as received"
partbody "$p" original >"$work/orig"
cmp -s "$work/orig" "$work/enc.eml"
ok $? "PGP/MIME: the original is the mail byte for byte"
# The same with CRLF line ends, and without a final line end.
sed 's/$/\r/' "$work/enc.eml" | sed 's/^Subject: .*/Subject: crlf\r/' >"$work/crlf.eml"
p=$(vf-parse <"$work/crlf.eml" 2>"$work/err")
partbody "$p" original >"$work/orig"
cmp -s "$work/orig" "$work/crlf.eml"
ok $? "CRLF: the original is the mail byte for byte, CRs kept"
sed 's/^Subject: .*/Subject: no final LF/' "$work/enc.eml" | head -c -1 >"$work/nolf.eml"
p=$(vf-parse <"$work/nolf.eml" 2>"$work/err")
partbody "$p" original >"$work/orig"
cmp -s "$work/orig" "$work/nolf.eml"
ok $? "no final line end: the original is the mail byte for byte"
# One encrypted on arrival decrypts to the mail, byte for byte.
p=$(vf-parse <"$work/paths.eml" 2>/dev/null)
is "$(parthdr "$p" original 1 Vf-Original)" encrypted-on-arrival "clear: encrypted on arrival"
partbody "$p" original | gpg --batch --quiet --decrypt >"$work/orig" 2>/dev/null
cmp -s "$work/orig" "$work/paths.eml"
ok $? "clear: the original decrypts to the mail byte for byte"

done_testing
