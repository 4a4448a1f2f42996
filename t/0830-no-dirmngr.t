#!/bin/sh
# gpg never goes to the network for vf-notify: keys by fingerprint, no key
# lookup, no retrieval. gpg 2.2 looks an address up by WKD through
# dirmngr; a dirmngr that records being started proves it never was, even
# with a gpg.conf that asks for every lookup there is.
. "$(dirname "$0")/lib.sh"
. "$top/t/notice.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys taro coord || skip_all "cannot make gpg keys"
make_root
echo "coordinator-key $FPR_coord" >>"$VF_ROOT/config"
echo "coordinator-name Example Coordination Center" >>"$VF_ROOT/config"

cat >"$work/dirmngr" <<EOF
#!/bin/sh
echo "\$*" >>"$work/dirmngr-started"
exit 1
EOF
chmod +x "$work/dirmngr"
cat >"$GNUPGHOME/gpg.conf" <<EOF
dirmngr-program $work/dirmngr
auto-key-locate local,wkd,keyserver
auto-key-retrieve
auto-key-import
keyserver hkps://keys.example.invalid
EOF

# The detector works: gpg asked to encrypt to an unknown address starts
# dirmngr for WKD.
echo x | gpg --batch --trust-model always --encrypt -r someone@example.org \
    >/dev/null 2>&1
test -s "$work/dirmngr-started"
ok $? "the detector: gpg on its own starts dirmngr to look an address up"
rm -f "$work/dirmngr-started"

# A notice to a key the office holds, to the coordinator, and to keys it
# does not hold (a fingerprint, an address the keyring does not know).
p=$(signed_report software taro)
vf-notify -k ack "$(basename "$p")" >/dev/null 2>&1
is $? 0 "a notice to the reporter's key"
VF_STAFF=dirmngr-test vf-decide accept "$(basename "$p")" >/dev/null
vf-route "$(basename "$p")" >/dev/null
vf-notify -k coordinator "$(basename "$p")" >/dev/null 2>&1
is $? 0 "a notice to the coordinator's key"
p2=$(report software someone@example.org)
"$casefix" "$p2" -f 'contact.pgp-key: 0123 4567 89AB CDEF 0123  4567 89AB CDEF 0123 4567' >/dev/null
vf-notify -k ack "$(basename "$p2")" >/dev/null 2>&1
is $? 65 "a fingerprint the keyring lacks: not fetched, key needed"
# An address where a fingerprint belongs is never handed to gpg.
"$casefix" "$p2" -h 'Vf-Reporter-Key: someone@example.org' \
    -f 'contact.pgp-key: someone@example.org' >/dev/null
vf-notify -k ack "$(basename "$p2")" >/dev/null 2>&1
is $? 65 "an address as the reporter's key: not looked up, key needed"
"$casefix" "$p2" -F contact.pgp-key -H Vf-Reporter-Key -f 'contact.encrypt: no' >/dev/null
vf-notify -k ack "$(basename "$p2")" >/dev/null 2>&1
is $? 0 "an address with no key: signed in clear, no lookup"
test -e "$work/dirmngr-started"
is $? 1 "no dirmngr was started by any of them"
[ -e "$work/dirmngr-started" ] && sed 's/^/# started: /' "$work/dirmngr-started"

done_testing
