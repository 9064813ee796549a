#!/bin/sh
# make bench: throughput of `ascribe annotate --input jsonl` on a JSON Lines
# corpus built deterministically from corpus/articles (each article repeated
# with a numbered id until BENCH_MB megabytes, default 50), or on
# BENCH_CORPUS when given.  Reports MB/s, sentences/s, peak RSS, start-up
# time and the rule count.  A benchmark, never a test: nothing here fails on
# a slow machine.
set -eu
bin=${1:?usage: bench.sh BINARY}
root=$(cd "$(dirname "$0")/.." && pwd)
mb=${BENCH_MB:-50}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

corpus=${BENCH_CORPUS:-}
if [ -z "$corpus" ]; then
	corpus="$work/corpus.jsonl"
	python3 - "$root/corpus/articles" "$mb" "$corpus" <<'PY'
import json, os, sys
src, mb, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
texts = []
for name in sorted(os.listdir(src)):
    if name.endswith(".txt"):
        with open(os.path.join(src, name), encoding="utf-8", errors="replace") as f:
            texts.append((name[:-4], f.read()))
limit, size, n = mb * 1000 * 1000, 0, 0
with open(out, "w", encoding="utf-8") as f:
    while size < limit:
        name, text = texts[n % len(texts)]
        line = json.dumps({"id": f"{name}-{n}", "outlet": "bench", "text": text}, ensure_ascii=False) + "\n"
        f.write(line)
        size += len(line.encode("utf-8"))
        n += 1
PY
fi
bytes=$(wc -c <"$corpus")
rules=$("$bin" rules check --quiet "$root/rules" >/dev/null 2>&1; \
	"$bin" rules check "$root/rules" 2>/dev/null | sed -n 's/.*: \([0-9]*\) rules.*/\1/p')

now() { date +%s.%N; }
t0=$(now)
"$bin" annotate --rules "$root/rules" --input jsonl /dev/null >/dev/null
t1=$(now)
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f "%M" -o "$work/rss" "$bin" annotate --quiet --rules "$root/rules" \
		--input jsonl "$corpus" >"$work/out.jsonl"
else
	"$bin" annotate --quiet --rules "$root/rules" --input jsonl "$corpus" >"$work/out.jsonl"
	echo "?" >"$work/rss"
fi
t2=$(now)
sentences=$(python3 -c "
import json,sys
n=0
for line in open(sys.argv[1], encoding='utf-8'):
    n += len(json.loads(line).get('sentences', []))
print(n)" "$work/out.jsonl")
python3 - "$bytes" "$t0" "$t1" "$t2" "$sentences" "$(cat "$work/rss")" "$rules" <<'PY'
import sys
size, t0, t1, t2, sents, rss, rules = sys.argv[1:]
size, t0, t1, t2, sents = int(size), float(t0), float(t1), float(t2), int(sents)
run = t2 - t1
print(f"input        {size / 1e6:.1f} MB JSON Lines")
print(f"rules        {rules}")
print(f"start-up     {(t1 - t0) * 1000:.1f} ms (load and compile rules, empty input)")
print(f"throughput   {size / 1e6 / run:.2f} MB/s on one core, JSON in, JSON out")
print(f"sentences    {sents / run:,.0f} per second ({sents:,} in {run:.2f} s)")
print(f"peak RSS     {rss} KiB" if rss != "?" else "peak RSS     (install the 'time' package to measure)")
PY
