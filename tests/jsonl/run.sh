#!/bin/sh
# JSON Lines records of every awkward kind (tests/jsonl/hostile.jsonl,
# written by hostile.py): `ascribe annotate --input jsonl` must give the
# messages of tests/jsonl/hostile.err and, line by line, the "document"
# and "error" members of tests/jsonl/hostile.out.  Both were made by the
# build that read every record with jansson alone (before the one-pass
# reader of annotator/jsonl.c), so they pin that the reader changes no
# value and no message.  The annotations themselves depend on the rules
# and are left to the other tests.  With --update, rewrite the expected
# files instead; review that diff like code.
set -u
. "$(dirname "$0")/../lib.sh"
update=${2:-}
cd "$root" || exit 1
input=tests/jsonl/hostile.jsonl

# the members that come from the record, one line per output line
members() {
	python3 -c 'import json, sys
for line in sys.stdin:
    rec = json.loads(line)
    print(json.dumps({k: rec[k] for k in ("document", "error") if k in rec}, sort_keys=True))'
}

for jobs in 1 2; do
	"$bin" annotate --rules "$rules" --quiet -j $jobs --input jsonl "$input" >"$tmp/out" 2>"$tmp/err"
	status=$?
	members <"$tmp/out" >"$tmp/members"
	if [ "$update" = "--update" ]; then
		cp "$tmp/err" tests/jsonl/hostile.err
		cp "$tmp/members" tests/jsonl/hostile.out
		echo "updated tests/jsonl/hostile.err and hostile.out"
		exit 0
	fi
	if [ $status -eq 0 ]; then ok "-j $jobs: hostile records exit 0"; else nok "-j $jobs: hostile records exit 0 (exit $status)"; fi
	if cmp -s "$tmp/err" tests/jsonl/hostile.err; then
		ok "-j $jobs: the messages are those of tests/jsonl/hostile.err"
	else
		nok "-j $jobs: the messages differ from tests/jsonl/hostile.err"
		diff -a tests/jsonl/hostile.err "$tmp/err" | head -20 | sed 's/^/#   /'
	fi
	if cmp -s "$tmp/members" tests/jsonl/hostile.out; then
		ok "-j $jobs: documents and errors are those of tests/jsonl/hostile.out"
	else
		nok "-j $jobs: documents and errors differ from tests/jsonl/hostile.out"
		diff tests/jsonl/hostile.out "$tmp/members" | head -20 | sed 's/^/#   /'
	fi
done

echo "jsonl: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
