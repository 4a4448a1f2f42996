#!/bin/sh
# The report corpus (t/forms/): mails written as reporters write them, in
# IPA's layouts and out of them, in every charset the intake reads, each
# run through the real vf-parse. t/forms/expected says what fields each
# must yield; this measures field-level precision and recall (both must
# be 100 %), and that no value holds a label of another field (a value
# run on into the next item) or the whole of another field's value.
. "$(dirname "$0")/lib.sh"

command -v gpg >/dev/null || skip_all "gpg not installed"
make_keys || skip_all "cannot make gpg keys"
make_root

corpus=$top/t/forms
mkdir "$work/got"
n=0
for m in "$corpus"/*.eml; do
	name=$(basename "$m")
	n=$((n + 1))
	if ! p=$(vf-parse <"$m" 2>"$work/err"); then
		ok 1 "$name: vf-parse exit 0"
		sed 's/^/# /' "$work/err"
		continue
	fi
	# Vf-Kind, then the fields part as the case holds it.
	{
		sed -n '1,/^$/s/^Vf-Kind: /kind: /p' "$p"
		awk '/^Vf-Part: fields$/ { h = 1; next }
		    h == 1 && /^$/ { h = 2; next }
		    h == 2 && /^--=_vf_/ { exit }
		    h == 2 { print }' "$p"
	} >"$work/got/$name"
done
[ "$n" -ge 40 ]
ok $? "the corpus holds at least 40 mails ($n)"

# One awk over the table, the field table and what each case got.
LC_ALL=C awk -v got="$work/got" -v fields="$VF_SHARE/fields" '
function load(file, pfx,    line, f, k, rs) {
	f = ""
	rs = RS
	RS = "\n"
	while ((getline line < file) > 0) {
		if (line ~ /^\t/) {
			if (f != "")
				val[pfx, f] = val[pfx, f] "\n" substr(line, 2)
			continue
		}
		k = index(line, ": ")
		if (k == 0)
			continue
		f = substr(line, 1, k - 1)
		val[pfx, f] = substr(line, k + 2)
		if (f != "mail" && f != "kind")
			names[pfx] = names[pfx] " " f
	}
	close(file)
	RS = rs
}
# Does a line of a value begin with a label of another field of the kind?
function labelled(v, self, kind,    nl, ln, i, j, s) {
	nl = split(v, ln, "\n")
	for (i = 1; i <= nl; i++) {
		s = tolower(ln[i])
		sub(/^[ \t>]*/, "", s)
		sub(/^(\(|\357\274\210)?[0-9]+([.-][0-9]+)*(\.|\)|\357\274\211)?[ \t]*/, "", s)
		for (j = 1; j <= nlab; j++) {
			if (lfield[j] == self || index(lkinds[j], kind) == 0)
				continue
			if (index(s, lab[j]) == 1 &&
			    (substr(s, length(lab[j]) + 1, 1) == ":" ||
			    substr(s, length(lab[j]) + 1, 3) == "\357\274\232"))
				return lab[j]
		}
	}
	return ""
}
BEGIN {
	FS = ":"
	while ((getline line < fields) > 0) {
		if (line ~ /^[#@]/ || line !~ /:/)
			continue
		nc = split(line, col, ":")
		if (nc != 7 || col[2] == "status")
			continue
		nl = split(col[6] "|" col[7], ls, "|")
		for (i = 1; i <= nl; i++) {
			lab[++nlab] = tolower(ls[i])
			lfield[nlab] = col[1]
			lkinds[nlab] = col[3]
		}
	}
	close(fields)
	RS = ""
	FS = "\n"
}
$1 ~ /^mail: / {
	mail = substr($1, 7)
	printf "%s\n", $0 > (got "/" mail ".want")
	close(got "/" mail ".want")
	order[++nmail] = mail
}
END {
	for (m = 1; m <= nmail; m++) {
		mail = order[m]
		load(got "/" mail ".want", "w" mail)
		load(got "/" mail, "g" mail)
		bad = 0
		if (val["g" mail, "kind"] != val["w" mail, "kind"]) {
			printf "# %s: kind %s, want %s\n", mail,
			    val["g" mail, "kind"], val["w" mail, "kind"]
			bad = 1
		}
		nw = split(names["w" mail], wn, " ")
		ng = split(names["g" mail], gn, " ")
		want += nw
		have += ng
		for (i = 1; i <= nw; i++) {
			f = wn[i]
			if (("g" mail, f) in val && val["g" mail, f] == \
			    val["w" mail, f]) {
				right++
				continue
			}
			bad = 1
			if (("g" mail, f) in val)
				printf "# %s: %s is \"%s\", want \"%s\"\n",
				    mail, f, val["g" mail, f], val["w" mail, f]
			else
				printf "# %s: %s missing, want \"%s\"\n",
				    mail, f, val["w" mail, f]
		}
		for (i = 1; i <= ng; i++)
			if (!(("w" mail, gn[i]) in val)) {
				bad = 1
				printf "# %s: %s is \"%s\", want none\n", mail,
				    gn[i], val["g" mail, gn[i]]
			}
		# A value holding another field: a label, or its whole value.
		kind = val["w" mail, "kind"]
		for (i = 1; i <= ng; i++) {
			f = gn[i]
			v = val["g" mail, f]
			if ((l = labelled(v, f, kind)) != "") {
				printf "# %s: %s holds the label \"%s\"\n",
				    mail, f, l
				mixed++
			}
			for (j = 1; j <= nw; j++) {
				o = val["w" mail, wn[j]]
				if (wn[j] == f || length(o) < 8 ||
				    index(val["w" mail, f], o) > 0)
					continue
				if (index(v, o) > 0) {
					printf "# %s: %s holds the value of %s\n",
					    mail, f, wn[j]
					mixed++
				}
			}
		}
		printf "%s %s\n", bad ? "not ok" : "ok", mail
		nbad += bad
	}
	printf "fields: %d expected, %d found, %d right; precision %.1f %%, recall %.1f %%\n",
	    want, have, right, have ? 100 * right / have : 0,
	    want ? 100 * right / want : 0
	printf "mixed %d\n", mixed + 0
}' "$corpus/expected" >"$work/report"

while read -r word rest; do
	case $word in
	\#) echo "$word $rest" ;;
	ok) ok 0 "$rest: every field, and nothing else" ;;
	not) ok 1 "${rest#ok }: every field, and nothing else" ;;
	fields:)
		echo "# $word $rest"
		case $rest in
		*"precision 100.0 %, recall 100.0 %") ok 0 "precision and recall 100 %" ;;
		*) ok 1 "precision and recall 100 %" ;;
		esac ;;
	mixed) is "$rest" 0 "no value holds another field's label or value" ;;
	esac
done <"$work/report"

# Every mail of the corpus has its record, and every record its mail.
is "$(sed -n 's/^mail: //p' "$corpus/expected" | sort | tr '\n' ' ')" \
    "$(cd "$corpus" && ls ./*.eml | sed 's|^\./||' | sort | tr '\n' ' ')" \
    "t/forms/expected names each mail once"
# Each charset the intake reads is in the corpus.
for cs in iso-2022-jp shift_jis euc-jp utf-8; do
	grep -qil "^Content-Type: text/plain; charset=\"*$cs" "$corpus"/*.eml
	ok $? "the corpus has mail in $cs"
done
done_testing
