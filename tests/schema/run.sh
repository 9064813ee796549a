#!/bin/sh
# The JSON Schemas of schema/ hold: every golden file, the annotate output
# of every corpus article (one JSON Lines run), an error record, and the
# diff of every story of corpus/diff/ follow them with no member they do
# not name; and a document that breaks them is rejected.
set -u
. "$(dirname "$0")/../lib.sh"
V="$root/tests/schema/validate.sh"

for f in "$root"/tests/golden/*.json; do
	schema_valid "golden $(basename "$f")" "$f"
done

"$bin" annotate --quiet --rules "$rules" --format jsonl "$root"/corpus/articles/*.txt >"$tmp/corpus.jsonl"
schema_valid "annotate output of every corpus article" "$tmp/corpus.jsonl"

printf '%s\n' '{"id":"r1","outlet":"Harbour Wire","url":"https://example.org/1","date":"2025-03-01","title":"T","text":"The port closed, officials said."}' \
	'{"id":"r2"}' 'not json' >"$tmp/records.jsonl"
"$bin" annotate --quiet --rules "$rules" --input jsonl "$tmp/records.jsonl" >"$tmp/records.out" 2>/dev/null
schema_valid "records and error records" "$tmp/records.out"

for dir in "$root"/corpus/diff/*/; do
	story=$(basename "$dir")
	"$bin" diff --quiet --rules "$rules" --annotate --format json "$dir"*.txt >"$tmp/$story.json"
	schema_valid "diff of $story" "$tmp/$story.json"
done
"$bin" diff --quiet --rules "$rules" --annotate --format jsonl "$root"/corpus/diff/teachers-pay/*.txt >"$tmp/one.jsonl"
schema_valid "diff --format jsonl" "$tmp/one.jsonl"

# the schemas reject what breaks them
python3 - "$root/tests/golden/wire-dateline.json" "$tmp" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
out = sys.argv[2]
def save(name, d):
    with open("%s/%s.json" % (out, name), "w", encoding="utf-8") as f:
        json.dump(d, f)
d = json.loads(json.dumps(doc)); del d["sentences"][0]["kind"]; save("no-kind", d)
d = json.loads(json.dumps(doc)); d["sentences"][0]["label"] = "maybe"; save("bad-label", d)
d = json.loads(json.dumps(doc)); d["sentences"][0]["start"] = -1; save("negative", d)
d = json.loads(json.dumps(doc)); d["ascribe"] = "2.0"; save("version", d)
d = json.loads(json.dumps(doc)); d["sentences"][0]["novel"] = 1; save("extra", d)
d = json.loads(json.dumps(doc))
s = next(s for s in d["sentences"] if s["label"] is None); s["label_score"] = 0.5; save("score-without-label", d)
PY
for bad in no-kind bad-label negative version score-without-label; do
	if "$V" "$tmp/$bad.json" >/dev/null 2>&1; then nok "schema rejects $bad"; else ok "schema rejects $bad"; fi
done
if "$V" "$tmp/extra.json" >/dev/null 2>&1; then ok "the published schema lets a later 1.x add members"; else nok "the published schema lets a later 1.x add members"; fi
if "$V" --strict "$tmp/extra.json" >/dev/null 2>&1; then nok "--strict rejects a member the schema does not name"; else ok "--strict rejects a member the schema does not name"; fi

echo "schema: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
