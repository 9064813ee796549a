#!/bin/sh
# make bench: how fast `ascribe annotate --input jsonl` is, and how that
# compares with larger rule sets and with other NLP packages.  A benchmark,
# never a test: nothing here fails on a slow machine.  docs/performance.md
# describes the method and the numbers.
#
#   BENCH_SEED=N        seed of the generated corpus and rule sets (default 1)
#   BENCH_MB=N          size of the generated corpus in MB (default 200)
#   BENCH_CORPUS=FILE   use this JSON Lines file instead of generating one
#   BENCH_RULES_MB=N    MB of the corpus for the rule-scaling runs (default 2)
#   BENCH_REF_MB=N      MB of the corpus for the reference points (default 10)
#   BENCH_THREADS_MB=N  MB of the corpus for the paired -j 1 / -j 2 runs (default 50)
#
# Generated inputs are cached in build/bench/: the corpus by seed, size and
# a checksum of its sources and generator; the 5x and 25x rule sets by seed
# and a checksum of rules/ and their generator; the node packages of
# tests/bench/package-lock.json in build/bench/node_modules.
set -eu
bin=${1:?usage: tests/bench.sh BINARY}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
here=$root/tests/bench
work=$root/build/bench
seed=${BENCH_SEED:-1}
mb=${BENCH_MB:-200}
mkdir -p "$work"

# a short content key for cache names
key() { cat "$@" | cksum | cut -d' ' -f1; }

if [ -n "${BENCH_CORPUS:-}" ]; then
	corpus=$(cd "$(dirname "$BENCH_CORPUS")" && pwd)/$(basename "$BENCH_CORPUS")
	corpus_note="given by BENCH_CORPUS"
else
	k=$(key "$here/corpus.py" "$root"/corpus/articles/*.txt "$root"/corpus/articles/*.gold.json)
	corpus=$work/corpus-seed$seed-${mb}MB-$k.jsonl
	corpus_note="generated, seed $seed, cached"
	if [ ! -f "$corpus" ]; then
		for old in "$work"/corpus-seed$seed-${mb}MB-*.jsonl; do
			[ -f "$old" ] && rm -f "$old"
		done
		echo "bench: generating a ${mb} MB corpus (seed $seed) ..." >&2
		python3 "$here/corpus.py" --articles "$root/corpus/articles" --seed "$seed" \
			--mb "$mb" --out "$corpus"
		corpus_note="generated, seed $seed"
	fi
fi

k=$( { cat "$here/rulegen.py" "$here/miniyaml.py" "$root"/corpus/articles/*.txt
	find "$root/rules" -name '*.yaml' | sort | while IFS= read -r f; do cat "$f"; done
	} | cksum | cut -d' ' -f1)
for factor in 5 25; do
	dir=$work/rules-x$factor-seed$seed-$k
	if [ ! -d "$dir" ]; then
		for old in "$work"/rules-x$factor-seed$seed-*; do
			[ -d "$old" ] && rm -rf "$old"
		done
		echo "bench: generating the ${factor}x rule set ..." >&2
		python3 "$here/rulegen.py" --ascribe "$bin" --rules "$root/rules" \
			--articles "$root/corpus/articles" --factor "$factor" --seed "$seed" \
			--out "$dir" >&2
	fi
	eval "rules$factor=\$dir"
done

node_modules=
node_note=
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	node_note="node or npm not found (install Node.js 18 or later for wink-nlp and compromise)"
elif [ -d "$work/node_modules" ] && cmp -s "$here/package-lock.json" "$work/package-lock.json"; then
	node_modules=$work/node_modules
else
	echo "bench: installing the reference packages (npm ci) into build/bench ..." >&2
	cp "$here/package.json" "$here/package-lock.json" "$work/"
	if (cd "$work" && npm ci --no-audit --no-fund --loglevel=error >&2); then
		node_modules=$work/node_modules
	else
		rm -f "$work/package-lock.json"
		node_note="npm ci failed (no network?)"
	fi
fi

exec python3 -u "$here/measure.py" --ascribe "$bin" --rules "$root/rules" \
	--rules5 "$rules5" --rules25 "$rules25" --corpus "$corpus" --corpus-note "$corpus_note" \
	--work "$work" --here "$here" --rules-mb "${BENCH_RULES_MB:-2}" --ref-mb "${BENCH_REF_MB:-10}" \
	--threads-mb "${BENCH_THREADS_MB:-50}" \
	${node_modules:+--node-modules "$node_modules"} --node-note "$node_note"
