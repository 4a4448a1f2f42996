#!/bin/sh
# Permissions (issue 10): the root and every file a tool writes stay
# 0700/0600 through every tool, even under umask 000; a tool refuses a root,
# configuration, policy or contact list that others can write, says why, and
# exits 77 (the tree) or 78 (a file that steers it); no temporary file is
# made outside the root (TMPDIR is an empty directory, checked afterwards),
# and no path outside ROOT and the gpg home is opened for writing (strace).
. "$(dirname "$0")/lib.sh"
. "$top/t/notice.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
umask 000
make_keys taro coord || skip_all "cannot make gpg keys"
make_root
cat >>"$VF_ROOT/config" <<CFG
coordinator-name Coordinator
coordinator-key $FPR_coord
CFG
mkdir "$work/tmp" "$work/cwd"
chmod 777 "$work/tmp"
TMPDIR=$work/tmp
export TMPDIR
cat >"$work/sendmail" <<EOF
#!/bin/sh
cat >/dev/null
EOF
chmod 755 "$work/sendmail"
VF_SENDMAIL=$work/sendmail
VF_STAFF=perm
export VF_SENDMAIL VF_STAFF
cd "$work/cwd" || exit 1

# strace where it is: every open for writing, creat and rename of a tool,
# with the paths of the directory descriptors (-y).
if command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null; then
	st() { # NAME COMMAND...
		n=$1
		shift
		# LeakSanitizer cannot run under ptrace: no leak check here
		# (make SANITIZE=1 check has it everywhere else).
		# The tool itself, not make valgrind's wrapper (t/lib.sh).
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		PATH=$vfbin:$PATH strace -f -y -qq -o "$work/strace.$n" \
		    -e trace=openat,open,creat,rename,renameat,renameat2,mkdir,mkdirat,link,linkat "$@"
	}
else
	st() { shift; "$@"; }
fi

rcs=
run() { # NAME COMMAND... (exit status recorded)
	st "$@" >"$work/out.$1" 2>"$work/err.$1"
	rcs="$rcs $1=$?"
}

# --- every tool once over a small tree, umask 000
form software
gpg --batch --no-tty --quiet --local-user "<taro@example.jp>" --clearsign \
    <"$work/form" >"$work/form.asc" 2>/dev/null
mail taro@example.jp "$subj" "$work/form.asc" >"$work/m1"
run parse vf-parse <"$work/m1"
p=$(cat "$work/out.parse")
id=$(basename "$p")
form web
mail hanako@example.jp "$subj" "$work/form" >"$work/m2"
run parse2 vf-parse <"$work/m2"
printf 'Threat: more.\n' >"$work/fu"
mail taro@example.jp "Re: [VF#$id] x" "$work/fu" >"$work/m3"
run parse3 vf-parse <"$work/m3"
run validate sh -c 'vf-ls received | vf-validate'
run route sh -c 'vf-ls accepted | vf-route'
run notify vf-notify -k coordinator "$id"
run ack vf-notify -k ack "$id"
run show vf-show "$id"
run ls vf-ls -l
run redact vf-redact -a coordinator "$id"
run decide vf-decide close 'permissions test' "$id"
run send vf-send
run expire vf-expire
run stats vf-stats
echo "# exit codes:$rcs"
bad=$(echo "$rcs" | tr ' ' '\n' | grep -v '=0$' | grep .)
is "$bad" "" "every tool ran (exit 0)"
[ -z "$bad" ] || for n in $(echo "$bad" | sed 's/=.*//'); do sed "s/^/#   $n: /" "$work/err.$n" | head -3; done

is "$(stat -c %a "$VF_ROOT")" 700 "the root stays 0700"
find "$VF_ROOT" -type d ! -perm 700 >"$work/baddirs"
is "$(wc -l <"$work/baddirs")" 0 "every directory a tool made is 0700"
sed 's/^/#   /' "$work/baddirs" | head -5
find "$VF_ROOT" -type f ! -perm 600 >"$work/badfiles"
is "$(wc -l <"$work/badfiles")" 0 "every file a tool wrote is 0600"
sed 's/^/#   /' "$work/badfiles" | head -5
is "$(find "$VF_ROOT" ! -type f ! -type d | wc -l)" 0 "nothing but files and directories in the tree"
is "$(find "$work/tmp" -mindepth 1 | wc -l)" 0 "no temporary file in TMPDIR"
is "$(find "$work/cwd" -mindepth 1 | wc -l)" 0 "nothing in the working directory"
is "$(find "$GNUPGHOME" -type f -perm /077 -newer "$work/m1" ! -name 'S.*' | wc -l)" 0 \
    "the gpg home's files the tools wrote stay private"
find "$GNUPGHOME" -type f -perm /077 -newer "$work/m1" | sed 's/^/#   /' 

# --- strace: no path outside ROOT and the gpg home opened for writing
if [ -f "$work/strace.parse" ]; then
	# The path of each write-open, creat, rename target and mkdir: from
	# the -y decorations (DIRFD<path>) and the name.
	cat "$work"/strace.* | awk -v root="$VF_ROOT" -v gh="$GNUPGHOME" '
	function abs(dir, name) { return substr(name, 1, 1) == "/" ? name : dir "/" name }
	/(openat|open)\(/ && !/O_WRONLY|O_RDWR|O_CREAT/ { next }
	/= -1 / { next }
	{
		line = $0
		dir = "CWD"
		if (match(line, /\([0-9]+<[^>]*>, "/)) {
			d = substr(line, RSTART + 1, RLENGTH - 5)
			sub(/^[0-9]+</, "", d)
			dir = d
		}
		n = 0
		while (match(line, /"[^"]*"/)) {
			p = substr(line, RSTART + 1, RLENGTH - 2)
			line = substr(line, RSTART + RLENGTH)
			if (line ~ /^,/ && n == 0 && /rename|link/) { n++; continue }
			f = abs(dir, p)
			if (index(f, root "/") == 1 || f == root || index(f, gh "/") == 1 ||
			    f ~ /^\/dev\/(null|tty)$/ || f ~ /^\/run\/user\/[0-9]+\/gnupg/)
				break
			print f
			break
		}
	}' | sort -u >"$work/outside"
	is "$(wc -l <"$work/outside")" 0 "no tool opened a path outside ROOT and the gpg home for writing"
	sed 's/^/#   /' "$work/outside" | head -10
	grep -q 'O_CREAT' "$work/strace.parse"
	ok $? "strace saw vf-parse create files (the check looks at something)"
else
	skip "strace not installed"
	skip "strace not installed"
fi

# --- refusals: a tree others may write (77), files that steer it (78)
chmod 777 "$VF_ROOT"
for t in "vf-ls" "vf-show $id" "vf-validate $id" "vf-route $id" \
    "vf-decide close x $id" "vf-notify -k ack $id" "vf-redact -a reporter $id" \
    "vf-expire" "vf-stats" "vf-send"; do
	$t >"$work/out" 2>"$work/err"
	rc=$?
	is "$rc" 77 "a root others may write: ${t%% *} exits 77"
	grep -qi 'group or others\|others may\|not safe\|writ' "$work/err"
	ok $? "${t%% *} says why: $(head -c 100 "$work/err" | tr '\n' ' ')"
done
vf-parse <"$work/m1" >/dev/null 2>&1
is $? 77 "a root others may write: vf-parse exits 77"
chmod 700 "$VF_ROOT"

chmod 660 "$VF_ROOT/config"
for t in "vf-validate $id" "vf-route $id" "vf-notify -k ack $id" \
    "vf-decide close x $id" "vf-expire"; do
	$t >"$work/out" 2>"$work/err"
	rc=$?
	is "$rc" 78 "a configuration the group may write: ${t%% *} exits 78"
	grep -q 'config' "$work/err"
	ok $? "${t%% *} names the configuration: $(head -c 100 "$work/err" | tr '\n' ' ')"
done
vf-parse <"$work/m1" >/dev/null 2>&1
is $? 78 "a configuration the group may write: vf-parse exits 78"
chmod 600 "$VF_ROOT/config"

printf 'example.jp\tops@example.jp\t-\t-\n' >"$VF_ROOT/contacts"
chmod 606 "$VF_ROOT/contacts"
wid=$(vf-ls | grep -v "/$id\$" | sed -n 1p)
vf-route "$wid" >"$work/out" 2>"$work/err"
is $? 78 "a contact list others may write: vf-route exits 78"
grep -q 'contacts' "$work/err"
ok $? "vf-route names the contact list"
chmod 600 "$VF_ROOT/contacts"

cp -R "$top/share" "$work/share"
chmod -R go-w "$work/share"
chmod o+w "$work/share/policy"
VF_SHARE=$work/share vf-redact -a reporter "$id" >"$work/out2" 2>"$work/err"
is "$?" 78 "a policy others may write: vf-redact exits 78"
[ ! -s "$work/out2" ]
ok $? "nothing shown"
done_testing
