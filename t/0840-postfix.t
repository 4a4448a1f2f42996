#!/bin/sh
# A real mail system, end to end: a Postfix of the test's own (its own
# configuration, queue and data directories, loopback only, delivering to
# a maildir per recipient), vf-send handing it the notices through msmtp
# (a sendmail -t that submits by SMTP), each recipient decrypting its mail
# and verifying the office's signature with its own keyring, and each
# reply going back through the same Postfix into vf-parse, onto its case.
. "$(dirname "$0")/lib.sh"
. "$top/t/notice.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
command -v postfix >/dev/null || skip_all "postfix not installed (see README)"
command -v msmtp >/dev/null || skip_all "msmtp not installed (see README)"
[ "$(id -u)" -eq 0 ] || skip_all "a Postfix instance of our own needs root"
id postfix >/dev/null 2>&1 || skip_all "no postfix user (the package makes it)"
make_keys taro coord shop || skip_all "cannot make gpg keys"
make_root
echo "coordinator-key $FPR_coord" >>"$VF_ROOT/config"
# The coordinator's mailbox on our Postfix (vf-decide route coordinator
# takes the address from here).
sed -i 's/^coordinator-address .*/coordinator-address coord@example.jp/' "$VF_ROOT/config"
echo "coordinator-name Coordination Center" >>"$VF_ROOT/config"

# --- the instance: $pf holds everything; $work must let postfix and the
# virtual delivery user (nobody) through, not list it.
pf=$work/postfix
chmod 711 "$work"
mkdir -p "$pf/queue" "$pf/data" "$pf/mail"
chown postfix "$pf/data"
chown 65534:65534 "$pf/mail"
chmod 700 "$pf/mail"
# A port nobody listens on (other tests may run beside this one).
port=
for try in 1 2 3 4 5 6 7 8 9 10; do
	p=$((20000 + ($$ * 7 + try * 131) % 40000))
	if ! (ss -ltn 2>/dev/null || netstat -ltn 2>/dev/null) | grep -q ":$p "; then
		port=$p
		break
	fi
done
[ -n "$port" ] || skip_all "no free port on 127.0.0.1"
cat >"$pf/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $pf/queue
data_directory = $pf/data
maillog_file = /dev/stdout
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = vf-test.invalid
mydestination =
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
smtputf8_enable = no
default_transport = error:test instance delivers nothing outward
virtual_mailbox_domains = static:all
virtual_mailbox_base = $pf/mail
virtual_mailbox_maps = texthash:$pf/vmailbox
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
EOF
cat >"$pf/vmailbox" <<EOF
office@example.jp	office/
taro@example.jp		taro/
coord@example.jp	coord/
security@shop.example.jp	shop/
EOF
cat >"$pf/master.cf" <<EOF
127.0.0.1:$port inet n - n - - smtpd
pickup    unix  n - n 60   1 pickup
cleanup   unix  n - n -    0 cleanup
qmgr      unix  n - n 300  1 qmgr
rewrite   unix  - - n -    - trivial-rewrite
bounce    unix  - - n -    0 bounce
defer     unix  - - n -    0 bounce
trace     unix  - - n -    0 bounce
verify    unix  - - n -    1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -    - proxymap
smtp      unix  - - n -    - smtp
showq     unix  n - n -    - showq
error     unix  - - n -    - error
retry     unix  - - n -    - error
discard   unix  - - n -    - discard
virtual   unix  - n n -    - virtual
anvil     unix  - - n -    1 anvil
scache    unix  - - n -    1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
postfix -c "$pf" check >"$pf/check.log" 2>&1 ||
    skip_all "postfix -c DIR check fails: $(head -1 "$pf/check.log")"

pf_pid=
pf_stop() {
	if [ -n "$pf_pid" ]; then
		postfix -c "$pf" stop >/dev/null 2>&1
		# start-fg ends when the master does; wait for it, a while.
		i=0
		while kill -0 "$pf_pid" 2>/dev/null && [ "$i" -lt 50 ]; do
			sleep 0.2
			i=$((i + 1))
		done
		kill -0 "$pf_pid" 2>/dev/null && kill "$pf_pid" 2>/dev/null
		pf_pid=
	fi
}
trap 'pf_stop; cleanup' EXIT
postfix -c "$pf" start-fg >"$pf/log" 2>&1 &
pf_pid=$!
# Up when it answers on the port.
up=1
i=0
while [ "$i" -lt 50 ]; do
	if grep -q 'daemon started' "$pf/log" 2>/dev/null &&
	    (echo QUIT | HOME=$pf msmtp --host=127.0.0.1 --port="$port" \
	    --serverinfo --auth=off --tls=off >/dev/null 2>&1); then
		up=0
		break
	fi
	kill -0 "$pf_pid" 2>/dev/null || break
	sleep 0.2
	i=$((i + 1))
done
[ "$up" -eq 0 ] || { sed 's/^/# /' "$pf/log" | tail -5; skip_all "postfix did not start"; }
ok 0 "postfix -c DIR start-fg: our own instance on 127.0.0.1:$port"

msmtp="msmtp --host=127.0.0.1 --port=$port --auth=off --tls=off"
echo "sendmail $msmtp" >>"$VF_ROOT/config"
export HOME="$pf"	# no ~/.msmtprc of anyone's

# wait_mail BOX N: until BOX has N mails (Postfix delivers in the background).
wait_mail() {
	i=0
	while [ "$(ls "$pf/mail/$1/new" 2>/dev/null | wc -l)" -lt "$2" ] &&
	    [ "$i" -lt 100 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	[ "$(ls "$pf/mail/$1/new" 2>/dev/null | wc -l)" -ge "$2" ]
}

# --- the notices: the reporter, the coordinator, the operator
sw=$(signed_report software taro)
swid=$(basename "$sw")
vf-notify -k ack "$swid" >/dev/null
VF_STAFF=postfix-test vf-decide accept "$swid" >/dev/null
VF_STAFF=postfix-test vf-decide route coordinator "$swid" >/dev/null
vf-notify -k coordinator "$swid" >/dev/null
web=$(report web hanako@example.jp)
webid=$(basename "$web")
VF_STAFF=postfix-test vf-decide accept "$webid" >/dev/null
VF_STAFF=postfix-test vf-decide route operator security@shop.example.jp "$FPR_shop" 'Example Shop' "$webid" >/dev/null
vf-notify -k first-contact "$webid" >/dev/null
is "$(ls "$VF_ROOT/outbox/new" | wc -l)" 3 "three notices in the outbox"

vf-send >"$work/sent" 2>"$work/err"
is $? 0 "vf-send through msmtp to our Postfix: exit 0"
is "$(wc -l <"$work/sent")" 3 "vf-send: three sent"
is "$(ls "$VF_ROOT/outbox/new" | wc -l):$(ls "$VF_ROOT/outbox/cur" | wc -l)" "0:3" \
    "vf-send: all moved to outbox/cur"

for who in taro coord shop; do
	wait_mail "$who" 1
	ok $? "$who: delivered to its maildir"
done

# --- each recipient reads its own mail, with its own key
for who in taro coord shop; do
	m=$(ls "$pf/mail/$who/new"/* | sed -n 1p)
	grep -q '^Received: from ' "$m"
	ok $? "$who: came through Postfix (Received:)"
	open_as "$who" "$m"
	ok $? "$who: decrypts it with its own key only"
	signed_by_office
	ok $? "$who: the office's signature verifies with its keyring"
	for other in taro coord shop; do
		[ "$other" = "$who" ] && continue
		open_as "$other" "$m"
		is $? 1 "$who's mail: $other cannot decrypt it"
	done
done
open_as coord "$(ls "$pf/mail/coord/new"/*)"
grep -q ExampleWiki "$work/text"
ok $? "coord: the report's product in it"
open_as shop "$(ls "$pf/mail/shop/new"/*)"
grep -q 'https://shop.example.jp/search' "$work/text" && ! grep -q 'echoed' "$work/text"
ok $? "shop: the URL, not the details"

# --- replies, through the same Postfix, into vf-parse, onto their cases
# reply WHO MAIL TEXT: WHO answers MAIL, encrypted to the office.
reply() {
	h=$(home_for "$1")
	mid=$(sed -n 's/^Message-ID: //p' "$2" | sed -n 1p)
	subj=$(sed -n 's/^Subject: //p' "$2" | sed -n 1p)
	printf 'Content-Type: text/plain; charset=utf-8\n\n%s\n' "$3" |
	    GNUPGHOME=$h gpg --batch --no-tty --quiet --trust-model always \
	    --armor --local-user "<$1@example.jp>" --sign --encrypt \
	    --recipient "$OFFICE_FPR" >"$work/reply.asc" || return 1
	GNUPGHOME=$h gpgconf --kill gpg-agent >/dev/null 2>&1
	{
		printf 'From: %s\nTo: office@example.jp\n' "$4"
		printf 'Subject: Re: %s\nIn-Reply-To: %s\nReferences: %s\n' \
		    "$subj" "$mid" "$mid"
		printf 'Message-ID: <reply.%s.%s@example.jp>\nMIME-Version: 1.0\n' "$1" "$$"
		printf 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="r"\n\n'
		printf -- '--r\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n'
		printf -- '--r\nContent-Type: application/octet-stream\n\n'
		cat "$work/reply.asc"
		printf -- '--r--\n'
	} | $msmtp --from="$4" -t -oi
}
reply taro "$(ls "$pf/mail/taro/new"/*)" "REPORTER-ANSWER: version 2.4.1 too." taro@example.jp
ok $? "the reporter replies through Postfix"
reply coord "$(ls "$pf/mail/coord/new"/*)" "COORD-ANSWER: the vendor is told." coord@example.jp
ok $? "the coordinator replies through Postfix"
reply shop "$(ls "$pf/mail/shop/new"/*)" "SHOP-ANSWER: write to security@shop.example.jp" security@shop.example.jp
ok $? "the operator replies through Postfix"
wait_mail office 3
ok $? "the three replies are delivered to the office's maildir"

for f in "$pf/mail/office/new"/*; do
	vf-parse <"$f" >>"$work/filed" 2>>"$work/parse.err"
	ok $? "vf-parse takes a reply as Postfix delivered it"
done
c=$(vf-ls | grep "/$swid$")
w=$(vf-ls | grep "/$webid$")
is "$(grep -c '^Vf-Part: followup' "$c"):$(grep -c '^Vf-Part: followup' "$w")" "2:1" \
    "each reply is a follow-up on its own case"
grep -q REPORTER-ANSWER "$c" && grep -q COORD-ANSWER "$c" && grep -q SHOP-ANSWER "$w"
ok $? "the replies' text, decrypted, on the right cases"
grep -q 'SHOP-ANSWER' "$c"
is $? 1 "and not on the other case"
is "$(grep -c '^Vf-Encryption: pgp-mime ok' "$c")" 2 "the replies were decrypted"

# --- WHO ANSWERED: each reply is attributed to the party whose notice it
# answers (its In-Reply-To names a Message-ID in .sent), checked against
# that party's address and key (issue 8, "Answers come back to the case").
partof() { # CASE TEXT HEADER: that header of the follow-up holding TEXT
	awk -v t="$2" -v hd="$3" 'BEGIN { RS = "\n--=_vf_" } index($0, t) {
	    n = split($0, l, "\n"); for (i = 1; i <= n; i++) {
	    if (l[i] == "") break; if (index(l[i], hd ": ") == 1) {
	    print substr(l[i], length(hd) + 3); exit } } }' "$1"
}
for x in "$c:REPORTER-ANSWER:reporter" "$c:COORD-ANSWER:coordinator" "$w:SHOP-ANSWER:operator"; do
	f=${x%%:*}
	rest=${x#*:}
	text=${rest%%:*}
	want=${rest#*:}
	is "$(partof "$f" "$text" Vf-Party)" "$want" "the reply $text is attributed to the $want"
	is "$(partof "$f" "$text" Vf-Party-Check)" ok "the reply $text: address and key are the $want's"
done
vf-show "$w" | grep -q '^  Party *operator'
ok $? "vf-show says the operator answered"

fg=$pf_pid
master=$(tr -d ' ' <"$pf/queue/pid/master.pid" 2>/dev/null)
pf_stop
kill -0 "$fg" 2>/dev/null || { [ -n "$master" ] && kill -0 "$master" 2>/dev/null; }
is $? 1 "postfix stopped, its master gone"

done_testing
