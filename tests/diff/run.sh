#!/bin/sh
# ascribe diff on the stories of corpus/diff/: every story's outlets are
# annotated, diffed, and the report is checked against the hand-written
# corpus/diff/STORY/expected.json (tests/diff/check.py).  Every gold pair
# must be found with its differences as listed (fact/opinion differences,
# which come from the annotator's labels, are counted against a floor);
# precision of the claim pairs over all stories must stay at or above the
# floor.  The same diff is
# made again with --annotate and with the inputs' JSON Lines, and must give
# the same pairs; two runs must give the same bytes.
set -u
. "$(dirname "$0")/../lib.sh"
floor_precision=${DIFF_PRECISION_FLOOR:-0.85}
floor_labels=${DIFF_LABEL_FLOOR:-0.90}

tp=0 fp=0 fn=0 agree=0 pairs=0
for dir in "$root"/corpus/diff/*/; do
	story=$(basename "$dir")
	mkdir -p "$tmp/$story"
	for txt in "$dir"*.txt; do
		"$bin" annotate --quiet --rules "$rules" "$txt" >"$tmp/$story/$(basename "$txt" .txt).json"
	done
	if ! "$bin" diff --rules "$rules" --format json "$tmp/$story"/*.json >"$tmp/$story.diff" 2>"$tmp/err"; then
		nok "$story: diff failed"; sed 's/^/#   /' "$tmp/err"; continue
	fi
	for f in "$tmp/$story"/*.json; do schema_valid "$story: annotate $(basename "$f")" "$f"; done
	schema_valid "$story: the diff" "$tmp/$story.diff"
	python3 "$root/tests/diff/check.py" "$tmp/$story.diff" "$dir/expected.json" "$story" >"$tmp/check" 2>&1
	status=$?
	grep -v -e '^pairs ' -e '^labels ' "$tmp/check"
	pass=$((pass + $(grep -c '^ok' "$tmp/check")))
	fail=$((fail + $(grep -c '^not ok' "$tmp/check")))
	[ $status -eq 0 ] || [ "$(grep -c '^not ok' "$tmp/check")" -gt 0 ] || nok "$story: check.py failed"
	set -- $(grep '^pairs ' "$tmp/check")
	tp=$((tp + ${2:-0})) fp=$((fp + ${3:-0})) fn=$((fn + ${4:-0}))
	set -- $(grep '^labels ' "$tmp/check")
	agree=$((agree + ${2:-0})) pairs=$((pairs + ${3:-0}))

	"$bin" diff --rules "$rules" --format json "$tmp/$story"/*.json >"$tmp/$story.again"
	if cmp -s "$tmp/$story.diff" "$tmp/$story.again"; then ok "$story: two runs give the same bytes"; else nok "$story: two runs differ"; fi
	"$bin" diff --rules "$rules" --annotate --format json "$dir"*.txt >"$tmp/$story.ann"
	cat "$tmp/$story"/*.json | python3 -c 'import json,sys
text = sys.stdin.read()
dec = json.JSONDecoder(); i = 0
while i < len(text):
    while i < len(text) and text[i].isspace(): i += 1
    if i >= len(text): break
    obj, i = dec.raw_decode(text, i)
    print(json.dumps(obj))' >"$tmp/$story.jsonl"
	"$bin" diff --rules "$rules" --format json "$tmp/$story.jsonl" >"$tmp/$story.lines"
	same=$(python3 -c 'import json,sys
def key(f):
    d = json.load(open(f))
    return [(p["a"]["document"], p["a"]["sentence"], p["b"]["document"], p["b"]["sentence"], p["similarity"], p["differences"]) for p in d["shared"]], d["voices"], d["profiles"]
print(key(sys.argv[1]) == key(sys.argv[2]) == key(sys.argv[3]))' "$tmp/$story.diff" "$tmp/$story.ann" "$tmp/$story.lines")
	if [ "$same" = True ]; then ok "$story: --annotate and JSON Lines input give the same diff"; else nok "$story: --annotate or JSON Lines input give another diff"; fi
done

summary=$(python3 -c "tp, fp, fn = $tp, $fp, $fn
p = tp / (tp + fp) if tp + fp else 0.0
r = tp / (tp + fn) if tp + fn else 0.0
print('%.3f %.3f' % (p, r))")
set -- $summary
echo "diff: claim pairs: $tp found, $fp extra, $fn missed: precision $1, recall $2"
if python3 -c "import sys; sys.exit(0 if $1 >= $floor_precision else 1)"; then
	ok "claim-pair precision $1 >= $floor_precision"
else
	nok "claim-pair precision $1 < $floor_precision"
fi
share=$(python3 -c "print('%.3f' % ($agree / $pairs if $pairs else 0.0))")
echo "diff: fact/opinion difference as in the gold on $agree of $pairs gold pairs ($share)"
if python3 -c "import sys; sys.exit(0 if $share >= $floor_labels else 1)"; then
	ok "fact/opinion differences $share >= $floor_labels"
else
	nok "fact/opinion differences $share < $floor_labels"
fi
echo "diff: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
