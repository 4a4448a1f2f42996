#!/bin/sh
# The same mail twice is one case, whatever handed it over: procmail,
# exim, Postfix, a mailbox a person saved it from, on any attempt. A mail
# is identified by what its sender wrote, not by the trace fields each
# delivery adds (vf-case(5)); and a mail that differs in what the sender
# wrote is another case.
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys || skip_all "cannot make gpg keys"
make_root


# A body with a line that mbox quoting changes, and a Message-ID of its own.
printf '氏名: 山田太郎\n製品名: ExampleWiki\nFrom the log:\n\tGET /x\n' >"$work/body"
{
	printf 'From: Yamada Taro <taro@example.jp>\nTo: office@example.jp\n'
	printf 'Subject: Software Vulnerability Report\n'
	printf 'Date: Thu, 26 Nov 2026 10:00:00 +0900\n'
	printf 'Message-ID: <identity.1@example.jp>\nMIME-Version: 1.0\n'
	printf 'Content-Type: text/plain; charset=utf-8\n'
	printf 'Content-Transfer-Encoding: 8bit\n\n'
	cat "$work/body"
} >"$work/m"

# again DESCRIPTION FILE: FILE is filed as the case the first one made.
first=
again() {
	p=$(vf-parse <"$2" 2>"$work/err")
	rc=$?
	if [ -z "$first" ]; then
		first=$p
		is "$rc $(ncases)" "0 1" "$1: filed, one case"
		return
	fi
	if [ "$rc" -eq 0 ] && [ "$p" = "$first" ] && [ "$(ncases)" -eq 1 ] &&
	    grep -q 'delivered before, nothing changed' "$work/err"; then
		ok 0 "$1: the same case, nothing changed"
	else
		ok 1 "$1: the same case (exit $rc, '$p', $(ncases) cases)"
		sed 's/^/#   /' "$work/err"
	fi
}

# --- procmail, the shipped recipe: the first attempt fails (vf-parse
# cannot read its configuration, procmail says 75), the MTA tries again a
# second later; procmail -f adds a From_ line with the time of each.
HOME=$work/home
export HOME
mkdir -m 700 "$HOME"
pm() {
	procmail -f sender@example.jp -m VF_ROOT="$VF_ROOT" GNUPGHOME="$GNUPGHOME" \
	    PATH="$PATH" VF_SHARE="$VF_SHARE" DEFAULT="$HOME/Mailbox" \
	    "$top/share/procmailrc" <"$work/m" >"$work/out" 2>&1
}
if command -v procmail >/dev/null; then
	mv "$VF_ROOT/config" "$work/config"
	pm
	is $? 75 "procmail, first attempt: vf-parse fails, procmail exits 75"
	is "$(ncases)" 0 "procmail, first attempt: no case"
	mv "$work/config" "$VF_ROOT/config"
	sleep 1
	pm
	is $? 0 "procmail, second attempt: delivered"
	first=$(find "$VF_ROOT/received/new" -type f)
	is "$(ncases)" 1 "procmail, second attempt: one case"
else
	skip "procmail not installed"
	skip "procmail not installed"
	skip "procmail not installed"
	skip "procmail not installed"
fi

# --- by hand, the mail as the reporter sent it
again "by hand" "$work/m"

# --- exim, a real one where installed: its pipe transport as a .forward
# or router has it (From_ line, Return-path, Envelope-to, Delivery-date,
# Received), the first attempt deferred with 75, the second a second
# later. Run unprivileged, with its own spool, capturing what it hands
# over.
exim=$(command -v exim4 || command -v exim)
if [ -n "$exim" ] && command -v setpriv >/dev/null && [ "$(id -u)" -eq 0 ]; then
	ex=$(mktemp -d /tmp/vf-exim.XXXXXX)
	trap 'rm -rf "$ex"; cleanup' EXIT
	mkdir "$ex/spool" "$ex/log" "$ex/cap"
	cat >"$ex/deliver" <<EOF
#!/bin/sh
cat >"$ex/cap/\$(date +%s%N)"
[ -e "$ex/fail" ] && exit 75
exit 0
EOF
	chmod 755 "$ex/deliver"
	cat >"$ex/conf" <<EOF
primary_hostname = vf.test
spool_directory = $ex/spool
log_file_path = $ex/log/%slog
exim_user = nobody
exim_group = nogroup
domainlist local_domains = @ : vf.test
begin routers
office:
  driver = accept
  local_parts = office
  transport = vf
begin transports
vf:
  driver = pipe
  command = $ex/deliver
  return_path_add
  envelope_to_add
  delivery_date_add
  temp_errors = 75
begin retry
* * F,1d,1s
EOF
	chmod 644 "$ex/conf"
	touch "$ex/fail"
	chown -R nobody "$ex"
	chmod 755 "$ex"
	exim_as() {
		setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
		    "$exim" -C "$ex/conf" "$@" >>"$work/exim.log" 2>&1
	}
	exim_as -odi -f sender@example.jp office@vf.test <"$work/m"
	sleep 1
	rm -f "$ex/fail"
	exim_as -qff
	set -- "$ex"/cap/*
	if [ $# -eq 2 ] && [ -f "$1" ]; then
		ok 0 "exim handed the mail over twice"
		for f in "$@"; do
			grep -q '^Delivery-date:' "$f" && grep -q '^From sender' "$f"
			ok $? "exim added its trace lines ($(basename "$f"))"
		done
		cmp -s "$1" "$2"
		is $? 1 "the two attempts differ (From_ line, Delivery-date)"
		again "real exim, first attempt" "$1"
		again "real exim, second attempt" "$2"
	else
		ok 1 "exim handed the mail over twice ($# files)"
		sed 's/^/#   /' "$work/exim.log" "$ex"/log/* 2>/dev/null
	fi
	rm -rf "$ex"
else
	skip "no exim (or not root): a real MTA is not tried"
fi
p_hand=$first
base=$(ncases)

# What each mail system hands over, as its documentation says.
stamp() { LC_ALL=C date -u -d "@$1" '+%a %b %e %H:%M:%S %Y'; }
# exim's pipe transport, two attempts (the same Received: it was put in
# the queue once).
for t in 1796000000 1796000900; do
	{
		printf 'From sender@example.jp %s\n' "$(stamp $t)"
		printf 'Return-path: <sender@example.jp>\nEnvelope-to: office@example.jp\n'
		printf 'Delivery-date: %s\n' "$(LC_ALL=C date -u -R -d "@$t")"
		printf 'Received: from mx.example.jp ([192.0.2.1])\n\tby office.example.jp with esmtps (Exim 4.96)\n\tid 1xYY-0001\n\tfor office@example.jp; Thu, 26 Nov 2026 10:00:05 +0900\n'
		cat "$work/m"
	} >"$work/exim.$t"
done
# Postfix local(8) to a command (mailbox_command or a .forward):
# From_ line, X-Original-To, Delivered-To, Return-Path.
for t in 1796000000 1796003600; do
	{
		printf 'From sender@example.jp  %s\n' "$(stamp $t)"
		printf 'X-Original-To: vuln@example.jp\nDelivered-To: office@example.jp\n'
		printf 'Return-Path: <sender@example.jp>\n'
		printf 'Received: by mx.example.jp (Postfix, from userid 1000)\n\tid 4F2A1; Thu, 26 Nov 2026 10:00:05 +0900 (JST)\n'
		cat "$work/m"
	} >"$work/postfix.$t"
done
# Saved from an mbox by a person: From_ line, Status and friends a
# reader keeps there, ">From " quoting, the empty line that ends it.
{
	printf 'From sender@example.jp Thu Nov 26 10:00:09 2026\n'
	printf 'Return-Path: <sender@example.jp>\nDelivered-To: office@example.jp\n'
	sed -n '1,/^$/p' "$work/m" | sed '$d'
	printf 'Status: RO\nX-Status: A\nContent-Length: 99\nLines: 4\nX-UID: 17\n\n'
	sed '1,/^$/d' "$work/m" | sed 's/^From />From /'
	printf '\n'
} >"$work/mbox"
# Procmail without -f: an empty line at the end only.
{ cat "$work/m"; printf '\n'; } >"$work/pm-plain"
# Windows line ends, as a mail saved on another machine.
sed 's/$/\r/' "$work/m" >"$work/crlf"
# Bounced on by a colleague (mutt's bounce): a Resent- block on top.
{
	printf 'Resent-From: colleague@example.jp\nResent-To: office@example.jp\n'
	printf 'Resent-Date: Fri, 27 Nov 2026 09:00:00 +0900\nResent-Message-ID: <r.1@example.jp>\n'
	cat "$work/m"
} >"$work/resent"
# What the receiving system and the filters say about it.
{
	printf 'Authentication-Results: mx.example.jp; spf=pass smtp.mailfrom=example.jp\n'
	printf 'Received-SPF: pass (mx.example.jp: domain of example.jp)\n'
	printf 'X-Spam-Status: No, score=-1.0\nX-Spam-Checker-Version: SpamAssassin 4.0.0\n'
	printf 'ARC-Seal: i=1; a=rsa-sha256; cv=none; d=example.jp; s=a; b=xx\n'
	cat "$work/m"
} >"$work/filtered"

for v in exim.1796000000 exim.1796000900 postfix.1796000000 \
    postfix.1796003600 mbox pm-plain crlf resent filtered; do
	again "$v" "$work/$v"
done

# What the sender wrote, changed: another mail, another case.
n=$base
other() {
	p=$(vf-parse <"$2" 2>"$work/err")
	rc=$?
	n=$((n + 1))
	if [ "$rc" -eq 0 ] && [ "$p" != "$p_hand" ] && [ "$(ncases)" -eq "$n" ]; then
		ok 0 "$1: another case"
	else
		ok 1 "$1: another case ('$p', $(ncases) cases)"
	fi
}
sed 's/^Subject: .*/Subject: Software Vulnerability Report (2)/' "$work/m" >"$work/o1"
other "another Subject" "$work/o1"
sed 's/ExampleWiki/ExampleWiki 2/' "$work/m" >"$work/o2"
other "another body" "$work/o2"
sed 's/identity\.1@/identity.2@/' "$work/m" >"$work/o3"
other "another Message-ID" "$work/o3"
{ cat "$work/m"; printf 'one more line\n'; } >"$work/o4"
other "a line more" "$work/o4"
# A header the sender wrote is not a trace field because it looks like one.
sed 's/^To: .*/To: office@example.jp\nX-Original-Message: kept/' "$work/m" >"$work/o5"
other "a header the sender added" "$work/o5"

# The digest on the case is the rule's, and names the .seen entry.
d=$(sed -n '1,/^$/s/^Vf-Digest: //p' "$p_hand")
test -f "$VF_ROOT/.seen/$d"
ok $? "Vf-Digest names the mail's .seen entry"
is "$(cat "$VF_ROOT/.seen/$d")" "$(basename "$p_hand")" "which holds its case"

done_testing
