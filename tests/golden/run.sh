#!/bin/sh
# Golden-file tests: annotate every tests/golden/*.txt and compare the JSON
# with tests/golden/NAME.json.  With --update, rewrite the expected files
# instead (make golden); review that diff like code.
set -u
bin=${1:?usage: run.sh BINARY [--update]}
update=${2:-}
dir=$(dirname "$0")
rules=$(cd "$dir/../.." && pwd)/rules
pass=0
fail=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for input in "$dir"/*.txt; do
	name=$(basename "$input" .txt)
	expected="$dir/$name.json"
	if ! "$bin" annotate --quiet --rules "$rules" --format json "$input" >"$tmp" 2>/dev/null; then
		echo "not ok - $name: annotate failed"
		fail=$((fail + 1))
		continue
	fi
	# the source path differs between trees: compare without it
	sed -i '/^    "source": "/d' "$tmp"
	if [ "$update" = "--update" ]; then
		cp "$tmp" "$expected"
		echo "updated $expected"
		continue
	fi
	if diff -u "$expected" "$tmp" >/dev/null 2>&1; then
		pass=$((pass + 1))
	else
		echo "not ok - $name: output differs from $expected:"
		diff -u "$expected" "$tmp" | head -40
		fail=$((fail + 1))
	fi
done
[ "$update" = "--update" ] && exit 0
echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
