#!/bin/sh
# Scale tests: the JSON Lines filter contract of docs/scale.md, checked on a
# corpus built from corpus/articles (each article many times with distinct
# ids, bad records and blank lines among them).  The file is annotated by one
# serial run of the ascribe binary given as $1, then split into chunks by GNU
# parallel --pipepart and into partitions on a Dask LocalCluster; both
# results must be byte-identical to the serial one.  A file of nothing but
# bad records checks exit status 1 and the recipe that lets it through.
# Prints "ok - name" / "not ok - name" and a closing "N passed, M failed"
# line.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
# show FILE: the last lines of a log, indented, after a failure
show() { tail -n 8 "$1" | sed 's/^/#   /'; }
finish() {
	echo "scale: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

# ---- tools: CI installs them, so a missing one is a failure -------------

if ! parallel --version 2>/dev/null | grep -q "GNU parallel"; then
	nok "GNU parallel is not installed: run scripts/install-deps.sh"
fi
# Debian's python3-distributed is for /usr/bin/python3, which another
# python3 earlier on PATH (pyenv, a virtualenv) does not see
dask_python=""
for py in python3 /usr/bin/python3; do
	if "$py" -c 'import dask.bag, distributed' 2>/dev/null; then
		dask_python=$py
		break
	fi
done
if [ -z "$dask_python" ]; then
	nok "Dask distributed is not importable: run scripts/install-deps.sh"
fi
[ "$fail" -eq 0 ] || finish

# ---- the corpus -----------------------------------------------------------

corpus=$tmp/corpus.jsonl
if ! python3 "$here/make_corpus.py" "$root/corpus/articles" 120 "$corpus"; then
	nok "the corpus could not be built"
	finish
fi

# ---- one serial run: the reference ----------------------------------------

# the corpus holds good records, so its bad ones must not change the status
"$bin" annotate --rules "$rules" --input jsonl "$corpus" >"$tmp/serial.jsonl" 2>"$tmp/serial.err"
status=$?
if [ "$status" -eq 0 ]; then ok "serial run exits 0, bad records and all"; else nok "serial run exits $status, want 0"; show "$tmp/serial.err"; fi
python3 "$here/check.py" "$corpus" "$tmp/serial.jsonl" serial >"$tmp/check.out" 2>&1
cat "$tmp/check.out"
pass=$((pass + $(grep -c '^ok - ' "$tmp/check.out")))
fail=$((fail + $(grep -c '^not ok - ' "$tmp/check.out")))
if ! grep -q '^ok - ' "$tmp/check.out"; then nok "check.py ran"; show "$tmp/check.out"; fi

"$bin" annotate --rules "$rules" --input jsonl - <"$corpus" >"$tmp/stdin.jsonl" 2>/dev/null
if cmp -s "$tmp/serial.jsonl" "$tmp/stdin.jsonl"; then ok "standard input gives the same bytes as the file"; else nok "standard input and file outputs differ"; fi

# the end-of-run check of docs/scale.md: one output line per non-blank line
records=$(LC_ALL=C awk '!/^[ \t]*\r?$/' "$corpus" | wc -l)
lines=$(wc -l <"$tmp/serial.jsonl")
if [ "$records" -eq "$lines" ]; then ok "the record count of docs/scale.md matches the output ($records)"; else nok "docs/scale.md counts $records records, the output has $lines lines"; fi

# ---- a file of nothing but bad records --------------------------------------

# the bad lines of make_corpus.py, with a blank line among them
bad=$tmp/bad.jsonl
python3 -B -c 'import sys; sys.path.insert(0, sys.argv[1]); from make_corpus import BAD
lines = [line for line, _ in BAD]
sys.stdout.buffer.write(b"".join(lines[:3] + [b"\n"] + lines[3:]))' "$here" >"$bad"
nbad=$(grep -c . "$bad")
"$bin" annotate --quiet --rules "$rules" --input jsonl "$bad" >"$tmp/bad.out" 2>"$tmp/bad.err"
status=$?
errors=$(grep -c '^{"ascribe":"1.0","document":{"id":[^{}]*},"error":{"message":' "$tmp/bad.out")
if [ "$status" -eq 1 ] && [ "$errors" -eq "$nbad" ] && [ "$(wc -l <"$tmp/bad.out")" -eq "$nbad" ]; then
	ok "only bad records: exit 1, and one error record for each of the $nbad"
else
	nok "only bad records: exit $status, $errors error records in $(wc -l <"$tmp/bad.out") lines, want exit 1 and $nbad"
	show "$tmp/bad.err"
fi

# ---- GNU parallel: byte ranges of the file, one ascribe per chunk ---------

# PARALLEL_HOME and TMPDIR keep parallel's state and its --keep-order
# buffers in the test's directory
PARALLEL_HOME=$tmp/parallel TMPDIR=$tmp parallel --pipepart -a "$corpus" --keep-order -j 2 \
	--block 100k --recend '\n' --joblog "$tmp/joblog" \
	-q "$bin" annotate --quiet --rules "$rules" --input jsonl - \
	>"$tmp/parallel.jsonl" 2>"$tmp/parallel.err"
# the joblog has a header line, then one line per chunk: Seq Host Starttime
# JobRuntime Send Receive Exitval Signal Command
chunks=$(awk 'NR > 1' "$tmp/joblog" 2>/dev/null | wc -l)
if [ "$chunks" -ge 8 ]; then ok "parallel split the file into $chunks chunks"; else nok "parallel ran $chunks chunks, want at least 8"; show "$tmp/parallel.err"; fi
# 1 would be right for a chunk of nothing but bad records, but this corpus
# cannot give one: make_corpus.py puts a bad record at most every 250 or so
# good ones, and a 100k chunk holds about 100 records.  So every chunk must
# exit 0.  Exitval -1 means killed (timeout, memory).
broken=$(awk 'NR > 1 && ($7 != 0 || $8 != 0)' "$tmp/joblog" 2>/dev/null | wc -l)
if [ "$broken" -eq 0 ]; then
	ok "every chunk's ascribe exits 0"
else
	nok "$broken chunks exit non-zero or by a signal"
	awk 'NR > 1 && ($7 != 0 || $8 != 0)' "$tmp/joblog" >"$tmp/broken"
	show "$tmp/broken"
fi
if cmp "$tmp/serial.jsonl" "$tmp/parallel.jsonl" >"$tmp/cmp.out" 2>&1; then
	ok "parallel --pipepart -k output is byte-identical to the serial run"
else
	nok "parallel --pipepart -k output differs: $(cat "$tmp/cmp.out")"
fi

# the recipe of docs/scale.md lets a chunk of nothing but bad records through
# (exit 1 made 0) and still halts on a real failure; several small chunks
PARALLEL_HOME=$tmp/parallel TMPDIR=$tmp parallel --pipepart -a "$bad" --keep-order -j 2 \
	--block 200 --recend '\n' --halt now,fail=1 \
	"'$bin' annotate --quiet --rules '$rules' --input jsonl -; [ \$? -le 1 ]" \
	>"$tmp/parallel-bad.jsonl" 2>"$tmp/parallel-bad.err"
status=$?
if [ "$status" -eq 0 ] && cmp -s "$tmp/bad.out" "$tmp/parallel-bad.jsonl"; then
	ok "parallel with '; [ \$? -le 1 ]' and --halt now,fail=1 finishes on chunks of only bad records"
else
	nok "parallel on chunks of only bad records exits $status, or its output differs"
	show "$tmp/parallel-bad.err"
fi

# ---- Dask distributed: partitions on two worker processes -----------------

# Every process of the Dask run inherits ASCRIBE_SCALE_RUN, so any left
# behind can be found by it.  timeout stops a hung run.
mark=$tmp
ASCRIBE_SCALE_RUN=$mark TMPDIR=$tmp timeout -k 5 120 "$dask_python" "$here/dask_annotate.py" \
	--ascribe "$bin" --rules "$rules" --blocksize 256KiB --workers 2 \
	"$corpus" "$tmp/dask.jsonl" >"$tmp/dask.out" 2>"$tmp/dask.err"
# the script fails a partition whose ascribe exits 1 unless all its records
# are bad, and none is all bad here (as for parallel)
status=$?
if [ "$status" -eq 0 ]; then ok "dask run finishes (every partition exits 0, or 1 on only bad records)"; else nok "dask run exits $status"; show "$tmp/dask.err"; fi
partitions=$(sed -n 's/^partitions //p' "$tmp/dask.out")
if [ "${partitions:-0}" -ge 8 ]; then ok "dask cut the file into $partitions partitions"; else nok "dask made ${partitions:-no} partitions, want at least 8"; fi
if cmp "$tmp/serial.jsonl" "$tmp/dask.jsonl" >"$tmp/cmp.out" 2>&1; then
	ok "dask output, partitions written in order, is byte-identical to the serial run"
else
	nok "dask output differs: $(cat "$tmp/cmp.out")"
fi

# the partition function itself accepts 1 for a partition of only bad
# records and returns their error records
"$dask_python" -B -c 'import sys; sys.path.insert(0, sys.argv[1]); from dask_annotate import annotate_partition
with open(sys.argv[2], "rb") as f:
    lines = [line.decode("utf-8", "surrogateescape") for line in f]
out = annotate_partition(lines, sys.argv[3], sys.argv[4])
with open(sys.argv[5], "wb") as f:
    f.writelines(out)' "$here" "$bad" "$bin" "$rules" "$tmp/dask-bad.jsonl" >"$tmp/dask-bad.err" 2>&1
status=$?
if [ "$status" -eq 0 ] && cmp -s "$tmp/bad.out" "$tmp/dask-bad.jsonl"; then
	ok "dask annotate_partition accepts a partition of only bad records"
else
	nok "dask annotate_partition on only bad records: exit $status, or its output differs"
	show "$tmp/dask-bad.err"
fi

# leftovers: processes whose environment holds this run's mark (workers
# shut down asynchronously: give them a few seconds)
left=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
	left=$(grep -lzxF "ASCRIBE_SCALE_RUN=$mark" /proc/[0-9]*/environ 2>/dev/null |
		sed 's|/proc/\([0-9]*\)/environ|\1|' | tr '\n' ' ')
	[ -z "$left" ] && break
	sleep 0.5
done
if [ -z "$left" ]; then
	ok "the dask run left no process behind"
else
	nok "the dask run left processes behind: $left"
	# they are this test's own: stop them by id
	# shellcheck disable=SC2086
	kill $left 2>/dev/null
fi

finish
