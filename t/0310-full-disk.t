#!/bin/sh
# A full disk is a temporary failure: vf-parse exits 75, the MTA keeps the
# mail, and nothing is left in any tmp/ or new/. First with a file size
# limit (vf-parse ignores SIGXFSZ, so a write past it fails with EFBIG),
# then, where we may mount one, with a really full tmpfs. Once there is
# room, the same mail is filed, once.
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys || skip_all "cannot make gpg keys"

count() { find "$VF_ROOT" -path "$VF_ROOT/*/$1/*" -type f | grep -c .; }
whole() {
	bnd=$(sed -n '1,/^$/s/^Content-Type: multipart\/mixed; boundary="\(.*\)"$/\1/p' \
	    "$1" | sed -n 1p)
	[ -n "$bnd" ] && [ "$(tail -n 1 "$1")" = "--$bnd--" ] &&
	    vf-show "$1" >/dev/null 2>&1
}

# Random text does not compress: the case (report text, and the original
# encrypted) is well over 100 KB.
{
	echo '氏名: 山田太郎'
	echo '製品名: ExampleWiki'
	head -c 49152 /dev/urandom | base64
} >"$work/body"
mail 'taro@example.jp' 'big report' "$work/body" >"$work/m"

# try DESCRIPTION COMMAND...: run vf-parse (in COMMAND's setting); 0 and a
# whole case, or 75 with a message and nothing in tmp/ or new/. Sets rc.
try() {
	desc=$1
	shift
	"$@" <"$work/m" >"$work/out" 2>"$work/err"
	rc=$?
	if [ "$rc" -eq 0 ]; then
		p=$(cat "$work/out")
		[ -f "$p" ] && whole "$p"
		ok $? "$desc: exit 0, whole case"
	elif [ "$rc" -eq 75 ]; then
		[ -s "$work/err" ] && [ "$(count tmp)" -eq 0 ] &&
		    [ "$(count new)" -eq 0 ]
		ok $? "$desc: exit 75, nothing in tmp/ or new/ ($(sed -n 1p "$work/err"))"
	else
		ok 1 "$desc: exit $rc"
		sed -n '1,10s/^/#   /p' "$work/err"
	fi
}

# vf-parse under the limit, its stdout and stderr through pipes (the
# limit is on regular files: a path printed to a file could fail too).
limited() {
	{ { ( ulimit -f "$limit" && exec vf-parse ) 2>&1 1>&3 3>&-
	    echo $? >"$work/lrc"; } | cat >&2; } 3>&1 | cat
	return "$(cat "$work/lrc")"
}

# --- a file size limit, in 512-byte blocks, raised until the case fits
make_root fsize
for limit in 0 1 2 4 8 16 32 64 128 256 512 1024; do
	try "ulimit -f $limit" limited
	[ "$rc" -eq 0 ] && break
done
is "$rc" 0 "filed once the limit allows it"
is "$(count new)" 1 "one case"
try "delivered again, no limit" vf-parse
is "$(count new)" 1 "still one case"

# --- a full tmpfs
mnt=$work/mnt
mkdir "$mnt"
if ! mount -t tmpfs -o size=256k,mode=700 tmpfs "$mnt" 2>/dev/null; then
	skip "cannot mount a tmpfs (not root, or not permitted here)"
	done_testing
fi
trap 'umount "$mnt" 2>/dev/null; cleanup' EXIT
VF_ROOT=$mnt/root
mkdir -m 700 "$VF_ROOT"
cp "$work/fsize/config" "$VF_ROOT/config"
dd if=/dev/zero of="$mnt/fill" bs=4096 2>/dev/null
try "full tmpfs" vf-parse
for kb in 4 8 16 32 64 128 192 256; do
	[ "$rc" -eq 0 ] && break
	rm -f "$mnt/fill"
	dd if=/dev/zero of="$mnt/fill" bs=4096 2>/dev/null
	truncate -s "-${kb}K" "$mnt/fill"
	try "tmpfs with ${kb} KB free" vf-parse
done
is "$rc" 0 "filed once there is room"
is "$(count new)" 1 "one case on the tmpfs"
umount "$mnt"
ok $? "tmpfs unmounted"

# --- no inode left: each file and directory vf-parse makes (the counter,
# the digest link, the state folders, the tmp file) fails in turn
for inodes in 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 24 32; do
	mount -t tmpfs -o "size=1m,nr_inodes=$inodes,mode=700" tmpfs "$mnt" ||
	    break
	VF_ROOT=$mnt/root
	mkdir -m 700 "$VF_ROOT" && cp "$work/fsize/config" "$VF_ROOT/config"
	try "tmpfs with $inodes inodes" vf-parse
	umount "$mnt"
	[ "$rc" -eq 0 ] && break
done
is "$rc" 0 "filed once there are inodes enough"

done_testing
