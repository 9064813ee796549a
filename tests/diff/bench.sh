#!/bin/sh
# make bench (and make bench-diff): how long `ascribe diff` takes on N long
# articles about one story (default 50), every pair of documents compared.
# The articles are annotated once; only the diff is timed.  A benchmark,
# never a test.
#
#   BENCH_DIFF_N=N     number of articles (default 50)
#   BENCH_DIFF_BG=N    background paragraphs mixed into each (default 30)
set -eu
bin=${1:?usage: tests/diff/bench.sh BINARY}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$root/build/bench
mkdir -p "$work"
n=${BENCH_DIFF_N:-50}
bg=${BENCH_DIFF_BG:-30}
in=$work/diff-$n.jsonl
ann=$work/diff-$n.ann.jsonl
python3 "$root/tests/diff/bench_corpus.py" --story "$root/corpus/diff/kessling-plant" \
	--articles "$root/corpus/articles" --n "$n" --background "$bg" --out "$in"
"$bin" annotate --quiet --rules "$root/rules" --input jsonl -o "$ann" "$in"
echo "bench diff: $n articles, $(wc -c <"$ann" | tr -d ' ') bytes of annotated JSON Lines"
best=
for run in 1 2 3; do
	start=$(python3 -c 'import time; print(time.time())')
	"$bin" diff --quiet --stats --rules "$root/rules" --format json -o "$work/diff-$n.json" "$ann" 2>"$work/diff-stats"
	end=$(python3 -c 'import time; print(time.time())')
	t=$(python3 -c "print('%.3f' % ($end - $start))")
	echo "bench diff: run $run: $t s wall (start-up and JSON included); $(sed 's/^ascribe diff: //' "$work/diff-stats")"
done
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("bench diff: %d shared pairs, %d claims in one document only, %d voices" % (len(d["shared"]), len(d["unique"]), len(d["voices"])))' "$work/diff-$n.json"
