#!/bin/sh
# The exports of docs/exports.md, each checked against its format's own
# rules and offset convention by tests/export/check.py: on an article of
# non-ASCII text and emoji written for this test, and on corpus articles
# (quotations in pieces, split cues, anonymous sources).  Then the ways
# several documents are written, and the command-line errors.
set -u
. "$(dirname "$0")/../lib.sh"
A="$bin annotate --quiet --rules $rules"
check="python3 $root/tests/export/check.py"

# count_checks FILE: adds check.py's ok / not ok lines to the totals
count_checks() {
	grep -v '^ok' "$1"
	pass=$((pass + $(grep -c '^ok' "$1")))
	fail=$((fail + $(grep -c '^not ok' "$1")))
}

for article in "$root/tests/export/unicode-article.txt" "$root"/corpus/articles/n01-*.txt "$root"/corpus/articles/n27-*.txt \
	"$root"/corpus/articles/n04-*.txt "$root"/corpus/articles/n28-*.txt "$root"/corpus/articles/n39-*.txt "$root"/corpus/articles/n30-*.txt; do
	[ -f "$article" ] || continue
	name=$(basename "$article" .txt)
	$A "$article" >"$tmp/$name.json"
	for format in webanno labelstudio doccano claimreview; do
		if $A --format "$format" "$article" >"$tmp/$name.$format"; then
			$check "$format" "$tmp/$name.json" "$tmp/$name.$format" "$article" >"$tmp/check" 2>&1 ||
				grep -q '^not ok' "$tmp/check" || echo "not ok - $name $format: check.py failed" >>"$tmp/check"
			sed "s/^\(not \)\{0,1\}ok - /&$name: /" "$tmp/check" >"$tmp/check2"
			count_checks "$tmp/check2"
		else
			nok "$name: --format $format failed"
		fi
	done
	mkdir -p "$tmp/brat"
	if $A --format brat -o "$tmp/brat/" "$article"; then
		$check brat "$tmp/$name.json" "$tmp/brat/$name.ann" "$tmp/brat/$name.txt" >"$tmp/check" 2>&1 ||
			grep -q '^not ok' "$tmp/check" || echo "not ok - $name brat: check.py failed" >>"$tmp/check"
		sed "s/^\(not \)\{0,1\}ok - /&$name: /" "$tmp/check" >"$tmp/check2"
		count_checks "$tmp/check2"
	else
		nok "$name: --format brat failed"
	fi
done
if [ -f "$tmp/brat/annotation.conf" ]; then ok "brat -o DIR writes annotation.conf"; else nok "brat -o DIR writes annotation.conf"; fi

# several documents: JSON Lines in, one line (or one array element) each
u=$root/tests/export/unicode-article.txt
python3 - "$u" "$tmp/in.jsonl" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for i, t in enumerate([text, "The port closed, officials said.", "It rained."]):
        f.write(json.dumps({"id": "r/%d" % i, "url": "https://example.org/%d" % i, "text": t}) + "\n")
    f.write('{"id": "broken"}\n')
PY
$A --format labelstudio --input jsonl "$tmp/in.jsonl" >"$tmp/ls.json" 2>/dev/null
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$tmp/ls.json" 2>/dev/null)
if [ "$n" = 3 ]; then ok "labelstudio: JSON Lines in gives one array of 3 tasks (a bad record left out)"; else nok "labelstudio: one array of 3 tasks (got '$n')"; fi
$A -j 2 --format labelstudio --input jsonl "$tmp/in.jsonl" >"$tmp/ls2.json" 2>/dev/null
if cmp -s "$tmp/ls.json" "$tmp/ls2.json"; then ok "labelstudio: -j 2 gives the same bytes"; else nok "labelstudio: -j 2 gives the same bytes"; fi
printf '' | $A --format labelstudio --input jsonl - >"$tmp/empty.json" 2>/dev/null
if [ "$(cat "$tmp/empty.json")" = "[]" ]; then ok "labelstudio: no documents is an empty list"; else nok "labelstudio: no documents is an empty list"; fi
for format in doccano webanno claimreview; do
	$A --format "$format" --input jsonl "$tmp/in.jsonl" >"$tmp/many.$format" 2>/dev/null
	n=$(python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)))' "$tmp/many.$format" 2>/dev/null)
	if [ "$n" = 3 ]; then ok "$format: one line per good record"; else nok "$format: one line per good record (got '$n')"; fi
done
grep_webanno=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["first"]["items"][0]["target"]["source"])' "$tmp/many.webanno" 2>/dev/null)
if [ "$grep_webanno" = "https://example.org/0" ]; then ok "webanno: the target source is the record's url"; else nok "webanno: the target source is the record's url (got '$grep_webanno')"; fi
mkdir -p "$tmp/bratmany"
$A --format brat -o "$tmp/bratmany" --input jsonl "$tmp/in.jsonl" 2>/dev/null
ls "$tmp/bratmany" | sort | tr '\n' ' ' >"$tmp/names"
if [ "$(cat "$tmp/names")" = "annotation.conf r_0.ann r_0.txt r_1.ann r_1.txt r_2.ann r_2.txt " ]; then
	ok "brat -o DIR: a .txt and .ann per record, named by id"
else
	nok "brat -o DIR: a .txt and .ann per record (got $(cat "$tmp/names"))"
fi
$A --format brat -o "$tmp/one.ann" "$u"
if [ -f "$tmp/one.ann" ] && cmp -s "$tmp/one.txt" "$u"; then ok "brat -o NAME.ann writes NAME.txt beside it"; else nok "brat -o NAME.ann writes NAME.txt beside it"; fi
# a document's two files are written both or neither: a directory where
# r_1.ann should go fails that record alone, leaves no r_1.txt and no
# temporary file, and the run goes on (exit 0: not every record failed)
mkdir -p "$tmp/bratpart/r_1.ann"
$A --format brat -o "$tmp/bratpart" --input jsonl "$tmp/in.jsonl" >/dev/null 2>"$tmp/err"; rc=$?
ls "$tmp/bratpart" | sort | tr '\n' ' ' >"$tmp/names"
if [ $rc -eq 0 ] && grep -q "bratpart/r_1.ann: Is a directory" "$tmp/err" &&
	[ "$(cat "$tmp/names")" = "annotation.conf r_0.ann r_0.txt r_1.ann r_2.ann r_2.txt " ]; then
	ok "brat: a document whose .ann cannot be written leaves no .txt, and the others are written"
else
	nok "brat: a .ann that cannot be written (rc $rc, files $(cat "$tmp/names"), $(cat "$tmp/err"))"
fi
mkdir -p "$tmp/bratone/doc.ann"
cp "$u" "$tmp/doc.txt"
$A --format brat -o "$tmp/bratone/" "$tmp/doc.txt" >/dev/null 2>"$tmp/err"; rc=$?
if [ $rc -eq 1 ] && grep -q "bratone/doc.ann: Is a directory" "$tmp/err" && [ ! -e "$tmp/bratone/doc.txt" ] &&
	[ -z "$(ls "$tmp/bratone" | grep tmp)" ]; then
	ok "brat: the only document's .ann cannot be written: exit 1, the path named, no .txt"
else
	nok "brat: the only document's .ann cannot be written (rc $rc, $(ls "$tmp/bratone"))"
fi

# command-line errors
$A --format brat "$u" >/dev/null 2>"$tmp/err"; rc=$?
if [ $rc -eq 2 ] && grep -q -- "-o DIR" "$tmp/err"; then ok "brat without -o exits 2 and says why"; else nok "brat without -o exits 2 (got $rc)"; fi
$A --format brat -o "$tmp/x.json" "$u" >/dev/null 2>&1; rc=$?
if [ $rc -eq 2 ]; then ok "brat -o with neither a directory nor .ann exits 2"; else nok "brat -o x.json exits 2 (got $rc)"; fi
$A --format brat -o "$tmp/two.ann" "$u" "$u" >/dev/null 2>&1; rc=$?
if [ $rc -eq 2 ]; then ok "brat -o NAME.ann with two documents exits 2"; else nok "brat -o NAME.ann with two documents exits 2 (got $rc)"; fi
$A --format html "$u" "$u" >/dev/null 2>&1; rc=$?
if [ $rc -eq 2 ]; then ok "html of two documents exits 2"; else nok "html of two documents exits 2 (got $rc)"; fi

echo "export: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
