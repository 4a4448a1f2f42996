#!/bin/sh
# The shipped procmail recipe, run by the real procmail: a mail becomes a
# case; when vf-parse fails, procmail exits 75 so the MTA keeps the mail,
# and nothing falls through to a default mailbox.
. "$(dirname "$0")/lib.sh"

command -v procmail >/dev/null || skip_all "procmail not installed"
command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys || skip_all "cannot make gpg keys"
make_root
HOME=$work/home
export HOME
mkdir -m 700 "$HOME"
rc=$top/share/procmailrc

printf '氏名: 山田太郎\n製品名: ExampleWiki\n' >"$work/body"
mail 'taro@example.jp' 'Software Vulnerability Report' "$work/body" >"$work/m1"

deliver() {
	procmail -m VF_ROOT="$VF_ROOT" GNUPGHOME="$GNUPGHOME" PATH="$PATH" \
	    VF_SHARE="$VF_SHARE" DEFAULT="$HOME/Mailbox" "$rc" <"$1" \
	    >"$work/out" 2>"$work/err"
}

deliver "$work/m1"
is $? 0 "procmail delivers through vf-parse: exit 0"
is "$(find "$VF_ROOT/received/new" -type f | grep -c .)" 1 "one case filed"
grep -q 'ExampleWiki' "$(find "$VF_ROOT/received/new" -type f)"
ok $? "the case holds the report"

# Break the configuration: vf-parse exits 78, procmail must say 75.
mv "$VF_ROOT/config" "$work/config"
printf 'Subject: second\n\nsecond mail\n' >"$work/m2"
deliver "$work/m2"
is $? 75 "vf-parse fails: procmail exits 75 (the MTA retries)"
test ! -e "$HOME/Mailbox"
ok $? "nothing fell through to the default mailbox"
is "$(find "$VF_ROOT/received/new" -type f | grep -c .)" 1 "no case for the failed delivery"

# Mended, the retry files it.
mv "$work/config" "$VF_ROOT/config"
deliver "$work/m2"
is $? 0 "the retry is delivered"
is "$(find "$VF_ROOT/received/new" -type f | grep -c .)" 2 "and filed"

done_testing
