# t/notice.sh - what the disclosure tests share (after t/lib.sh): reports
# to build cases from, the recipients' own keyrings, and reading a notice
# as its recipient would.

casefix=$top/t/helper/casefix
[ -x "$casefix" ] || skip_all "t/helper/casefix not built (make check builds it)"

# form KIND [ADDRESS]: an English form in $work/form, its subject in
# $subj; fields not given here are set afterwards with casefix. (casefix
# stays where a test needs a field, header or state no tool writes on its
# own: a withdrawn consent, a malformed key, a case in every state for the
# move table; states the tools reach are reached with vf-decide.)
form() {
	case $1 in
	software)
		subj='Software Vulnerability Report'
		cat >"$work/form" <<EOF
Name: Taro Yamada
E-mail address: ${2:-taro@example.jp}
Reporter information to the coordinator: yes
Reporter information to the vendor: no
Publish my name in the advisory: no
Product name: ExampleWiki
Version: 2.4.1
Summary: Stored XSS in the page title of ExampleWiki.
Environment: Debian 12, PHP 8.2
Steps to reproduce: Put <script>alert(1)</script> in a title, save it.
Threat: Theft of the session of anyone who views the page.
Reported to other organisations: no
Final report: yes
Encryption: yes
EOF
		;;
	web)
		subj='Web Application Vulnerability Report'
		cat >"$work/form" <<EOF
Name: Hanako Sato
E-mail address: ${2:-hanako@example.jp}
Reporter information to the site operator: no
URL of the web site: https://shop.example.jp/search
Site operator: Example Shop
Vulnerability type: CWE-79
How it was found: Searching for a product with a < in its name.
Why it is a vulnerability: The search term is echoed as HTML.
Steps to reproduce: Open https://shop.example.jp/search?q=%3Cb%3Ex
Reported to other organisations: no
Final report: yes
Encryption: no
EOF
		;;
	esac
}

# report KIND [ADDRESS]: that form in clear, filed by vf-parse: its path.
report() {
	form "$@"
	mail "${2:-taro@example.jp}" "$subj" "$work/form" | vf-parse
}

# signed_report KIND WHO: the form from WHO@example.jp, clearsigned by
# WHO's key.
signed_report() {
	form "$1" "$2@example.jp"
	gpg --batch --no-tty --quiet --local-user "<$2@example.jp>" \
	    --clearsign <"$work/form" >"$work/form.asc" 2>/dev/null || return 1
	mail "$2@example.jp" "$subj" "$work/form.asc" | vf-parse
}

# home_for WHO: a keyring of WHO's own, WHO's secret key and the office's
# public key, as the recipient has it. Prints its path.
home_for() {
	h=$work/home-$1
	if [ ! -d "$h" ]; then
		mkdir -m 700 "$h"
		gpg --batch --quiet --export-secret-keys "<$1@example.jp>" |
		    GNUPGHOME=$h gpg --batch --quiet --import 2>/dev/null
		gpg --batch --quiet --export "$OFFICE_FPR" |
		    GNUPGHOME=$h gpg --batch --quiet --import 2>/dev/null
	fi
	echo "$h"
}

# open_as WHO MAIL: decrypt the notice with WHO's keyring only: the status
# lines in $work/status, the MIME entity in $work/entity, its text in
# $work/text. Fails when WHO cannot decrypt it.
open_as() {
	h=$(home_for "$1")
	sed -n '/^-----BEGIN PGP MESSAGE-----$/,/^-----END PGP MESSAGE-----$/p' \
	    "$2" >"$work/ct"
	GNUPGHOME=$h gpg --batch --no-tty --status-fd 3 --decrypt \
	    <"$work/ct" >"$work/entity" 3>"$work/status" 2>/dev/null
	rc=$?
	GNUPGHOME=$h gpgconf --kill gpg-agent >/dev/null 2>&1
	[ "$rc" -eq 0 ] || return 1
	grep -q '^\[GNUPG:\] DECRYPTION_OKAY' "$work/status" || return 1
	tr -d '\r' <"$work/entity" | sed '1,/^$/d' | base64 -d >"$work/text"
}

# signed_by_office: the last open_as verified the office's signature.
signed_by_office() {
	grep -q "^\[GNUPG:\] VALIDSIG .* $OFFICE_FPR\$" "$work/status" &&
	    grep -q '^\[GNUPG:\] GOODSIG ' "$work/status"
}

# The newest mail in the outbox.
newest() { ls -t "$VF_ROOT"/outbox/new/* 2>/dev/null | sed -n 1p; }
# count FILE PATTERN: lines matching.
count() { grep -c -- "$2" "$1" 2>/dev/null || :; }

# fault_tree [send]: the small tree t/0330 (kills) and t/0340 (faults)
# work on, in $VF_ROOT (after make_keys coord taro and make_root): three
# software reports signed by the reporter (distinct products, one lacking
# a required field), one web report (no contact for its site: vf-route
# makes it unreachable); and in $work/t-TOOL the tree each tool starts
# from, each made by the tools before it: validate, route, decide, notify
# and expire (after vf-decide closes them all). With "send", vf-notify
# sends the coordinator notices first and $work/t-send is the tree with
# them in the outbox. Sets ids, accepted and routed (ids, space-separated).
fault_tree() {
	for prod in Alpha Beta Gamma; do
		form software taro@example.jp
		sed -i "s/^Product name: .*/Product name: Example$prod/; s/page title/$prod title/" "$work/form"
		[ "$prod" = Gamma ] && sed -i '/^Threat: /d' "$work/form"
		gpg --batch --no-tty --quiet --local-user "<taro@example.jp>" \
		    --clearsign <"$work/form" >"$work/form.asc" 2>/dev/null
		mail taro@example.jp "$subj" "$work/form.asc" | vf-parse >/dev/null ||
		    skip_all "cannot file a report"
	done
	report web >/dev/null || skip_all "cannot file a report"
	ids=$(vf-ls | xargs -n1 basename | sort | tr '\n' ' ')
	snap validate
	vf-validate $ids >/dev/null 2>&1
	accepted=$(vf-ls accepted | xargs -n1 basename | sort | tr '\n' ' ')
	snap route
	vf-route $accepted >/dev/null 2>&1
	routed=$(vf-ls routed | xargs -n1 basename | sort | tr '\n' ' ')
	[ -n "$routed" ] || skip_all "setup: nothing routed"
	snap decide
	snap notify
	snap notifyj
	if [ "${1:-}" = send ]; then
		vf-notify -k coordinator $routed >/dev/null 2>&1
		snap send
	fi
	vf-decide close handled-elsewhere $ids >/dev/null 2>&1
	snap expire
}
# snap TOOL: a copy of the tree as it is now, for TOOL to start from.
snap() { rm -rf "$work/t-$1"; cp -a "$VF_ROOT" "$work/t-$1"; }
