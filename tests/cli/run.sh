#!/bin/sh
# Command-line tests: exit statuses, messages and outputs of the ascribe
# binary given as $1.  Prints "ok - name" / "not ok - name" and a closing
# "N passed, M failed" line.
set -u
. "$(dirname "$0")/../lib.sh"
corpus=$root/corpus/articles

# expect NAME STATUS COMMAND...: runs COMMAND, stdout to $tmp/out, stderr
# to $tmp/err, and checks its exit status
expect() {
	name=$1 want=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok "$name"; else nok "$name (exit $got, want $want)"; sed 's/^/#   /' "$tmp/err" | head -5; fi
}
# grep_in NAME FILE PATTERN
grep_in() {
	if grep -q -- "$3" "$2"; then ok "$1"; else nok "$1: no '$3' in $(basename "$2")"; fi
}
valid_json() {
	if python3 -c 'import json,sys
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if line: json.loads(line)' "$2" 2>/dev/null || python3 -m json.tool "$2" >/dev/null 2>&1; then
		ok "$1"
		schema_valid "$1" "$2"
	else
		nok "$1: output is not valid JSON"
	fi
}

A="$bin annotate --rules $rules"

expect "--help exits 0" 0 "$bin" --help
grep_in "--help lists annotate" "$tmp/out" "annotate FILE"
expect "annotate --help exits 0" 0 "$bin" annotate --help
grep_in "annotate --help documents --max-doc-bytes" "$tmp/out" "--max-doc-bytes"
expect "rules check --help exits 0" 0 "$bin" rules check --help
expect "eval --help exits 0" 0 "$bin" eval --help
expect "--version exits 0" 0 "$bin" --version
expect "no arguments exits 2" 2 "$bin"
expect "unknown command exits 2" 2 "$bin" frobnicate
grep_in "unknown command is named" "$tmp/err" "unknown command 'frobnicate'"
expect "unknown option exits 2" 2 $A --frobnicate x
expect "bad --format exits 2" 2 $A --format yaml x
grep_in "bad --format is named" "$tmp/err" "not 'yaml'"
expect "no input file exits 2" 2 $A

expect "missing file exits 1" 1 $A "$tmp/nonexistent.txt"
grep_in "missing file is named" "$tmp/err" "nonexistent.txt"

: >"$tmp/empty.txt"
expect "empty file exits 0" 0 $A "$tmp/empty.txt"
valid_json "empty file gives JSON" "$tmp/out"
grep_in "empty file has no sentences" "$tmp/out" '"sentences": \[\]'

printf 'The port closed.\377 Officials said so.\n' >"$tmp/bad.txt"
expect "invalid UTF-8 exits 0" 0 $A "$tmp/bad.txt"
grep_in "invalid UTF-8 warning names the byte" "$tmp/err" "byte 16: warning: invalid UTF-8"
valid_json "invalid UTF-8 gives valid JSON" "$tmp/out"

head -c 20000 /dev/urandom >"$tmp/binary.bin" 2>/dev/null || dd if=/dev/urandom of="$tmp/binary.bin" bs=1000 count=20 2>/dev/null
printf 'a\000b said.\000\n' >>"$tmp/binary.bin"
expect "binary input exits 0" 0 $A --quiet "$tmp/binary.bin"
valid_json "binary input gives valid JSON" "$tmp/out"

python3 -c 'import sys; sys.stdout.write("word " * 10485760 + "\n")' >"$tmp/long.txt"
expect "a 50 MB line is annotated" 0 $A --format jsonl "$tmp/long.txt"
valid_json "a 50 MB line gives valid JSON" "$tmp/out"

expect "--max-doc-bytes refuses a larger file" 1 $A --max-doc-bytes 10 "$tmp/bad.txt"
grep_in "--max-doc-bytes is named" "$tmp/err" "max-doc-bytes"

cat >"$tmp/in.jsonl" <<'JSONL'
{"id":"good","outlet":"Harbour Wire","url":"https://example.org/1","date":"2025-03-01","title":"T","text":"The port closed, officials said."}
{"id":"broken", "text": 
{"id":"notext","outlet":"X"}
JSONL
expect "JSON Lines with some bad records exits 0" 0 $A --input jsonl "$tmp/in.jsonl"
lines=$(wc -l <"$tmp/out")
if [ "$lines" -eq 3 ]; then ok "one output line per record"; else nok "one output line per record (got $lines)"; fi
valid_json "JSON Lines output is valid" "$tmp/out"
grep_in "record fields carry into document" "$tmp/out" '"outlet":"Harbour Wire"'
grep_in "broken JSON becomes an error record" "$tmp/out" '"error":{"message":"invalid JSON'
grep_in "missing text becomes an error record with the id" "$tmp/out" '"id":"notext"},"error"'
grep_in "bad record message names file and line" "$tmp/err" "in.jsonl:2:"

sed -n '2,3p' "$tmp/in.jsonl" >"$tmp/allbad.jsonl"
expect "JSON Lines where no record is good exits 1" 1 $A --input jsonl "$tmp/allbad.jsonl"
lines=$(wc -l <"$tmp/out")
if [ "$lines" -eq 2 ]; then ok "every bad record still has its output line"; else nok "every bad record still has its output line (got $lines)"; fi

# -j: the same bytes, in input order, whatever the number of threads
python3 - "$corpus" "$tmp/many.jsonl" <<'PY2'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
names = sorted(n for n in os.listdir(src) if n.endswith(".txt"))
with open(out, "w", encoding="utf-8") as f:
    for i in range(300):
        n = names[i % len(names)]
        if i % 97 == 13:
            f.write('{"id": "bad-%d", "text": 42}\n' % i)
            continue
        text = open(os.path.join(src, n), encoding="utf-8").read()
        f.write(json.dumps({"id": "%s-%d" % (n[:-4], i), "text": text}) + "\n")
        if i % 50 == 7:
            f.write("\n")
PY2
expect "-j 1 on 300 records" 0 $A --quiet -j 1 --input jsonl "$tmp/many.jsonl"
mv "$tmp/out" "$tmp/j1.jsonl"
expect "-j 3 on 300 records" 0 $A --quiet -j 3 --input jsonl "$tmp/many.jsonl"
if cmp -s "$tmp/j1.jsonl" "$tmp/out"; then ok "-j 3 output is byte-identical to -j 1"; else nok "-j 3 output is byte-identical to -j 1"; fi
ids=$(python3 -c 'import json,sys; print(",".join(json.loads(l)["document"]["id"] for l in open(sys.argv[1])))' "$tmp/out" | md5sum)
want=$(python3 -c 'import json,sys; print(",".join(json.loads(l)["id"] for l in open(sys.argv[1]) if l.strip()))' "$tmp/many.jsonl" | md5sum)
if [ "$ids" = "$want" ]; then ok "-j keeps input order"; else nok "-j keeps input order"; fi
expect "-j 2 on text files" 0 $A --quiet -j 2 --format jsonl "$corpus"/n0*.txt
cmp_to=$("$bin" annotate --rules "$rules" --quiet --format jsonl "$corpus"/n0*.txt | md5sum)
if [ "$(md5sum <"$tmp/out")" = "$cmp_to" ]; then ok "-j 2 on text files is byte-identical"; else nok "-j 2 on text files is byte-identical"; fi
# -o goes through a temporary file, but the result has the permissions
# a plain open would give it under the umask
(umask 022 && "$bin" annotate --rules "$rules" --quiet -o "$tmp/perm.json" "$corpus"/n01*.txt)
mode=$(stat -c %a "$tmp/perm.json" 2>/dev/null)
if [ "$mode" = 644 ]; then ok "-o output has the umask's permissions"; else nok "-o output has the umask's permissions (mode $mode, want 644)"; fi
(umask 077 && "$bin" annotate --rules "$rules" --quiet -o "$tmp/perm2.json" "$corpus"/n01*.txt)
mode=$(stat -c %a "$tmp/perm2.json" 2>/dev/null)
if [ "$mode" = 600 ]; then ok "-o output keeps a strict umask"; else nok "-o output keeps a strict umask (mode $mode, want 600)"; fi
# -o to something that is not a regular file (a FIFO here, /dev/null for
# a user) is written straight into, never replaced by a renamed file
mkfifo "$tmp/fifo"
timeout 60 cat "$tmp/fifo" >"$tmp/from-fifo" &
reader=$!
expect "-o into a FIFO exits 0" 0 $A --quiet -o "$tmp/fifo" "$corpus"/n01*.txt
wait "$reader"
if [ -p "$tmp/fifo" ]; then ok "-o leaves a FIFO a FIFO"; else nok "-o leaves a FIFO a FIFO"; fi
if [ "$($A --quiet "$corpus"/n01*.txt | md5sum)" = "$(md5sum <"$tmp/from-fifo")" ]; then
	ok "-o into a FIFO writes what standard output gets"
else
	nok "-o into a FIFO writes what standard output gets"
fi
if ls "$tmp"/fifo.tmp* >/dev/null 2>&1; then nok "-o into a FIFO leaves no temporary file"; else ok "-o into a FIFO leaves no temporary file"; fi
timeout 60 cat "$tmp/fifo" >"$tmp/prof-fifo" &
reader=$!
expect "--profile into a FIFO exits 0" 0 $A --quiet --profile "$tmp/fifo" -o "$tmp/prof-out.json" "$corpus"/n01*.txt
wait "$reader"
grep_in "--profile into a FIFO writes the profile" "$tmp/prof-fifo" "^# time in rule matching"

# --profile: the time per rule; its runs and matches are the same for every -j
expect "--profile -j 1" 0 $A --quiet -j 1 --input jsonl --profile "$tmp/p1.txt" -o "$tmp/pj1.jsonl" "$tmp/many.jsonl"
if cmp -s "$tmp/j1.jsonl" "$tmp/pj1.jsonl"; then ok "--profile leaves the output as it was"; else nok "--profile leaves the output as it was"; fi
grep_in "--profile has its header" "$tmp/p1.txt" "^# time in rule matching: .* ms in [0-9]* runs"
grep_in "--profile lists the shared head" "$tmp/p1.txt" "head {SPEAKER}, shared by [0-9]* rules"
grep_in "--profile names a rule and its stage" "$tmp/p1.txt" " indirect (attribute)$"
expect "--profile -j 3" 0 $A --quiet -j 3 --input jsonl --profile "$tmp/p3.txt" -o "$tmp/pj3.jsonl" "$tmp/many.jsonl"
counts() { awk '!/^#/ && !/^ *ms / { $1 = ""; $2 = ""; print }' "$1" | sort; }
if [ -s "$tmp/p1.txt" ] && [ "$(counts "$tmp/p1.txt")" = "$(counts "$tmp/p3.txt")" ]; then
	ok "--profile counts the same runs and matches with -j 3"
else
	nok "--profile counts the same runs and matches with -j 3"
fi
if awk '/^#/ || /^ *ms / { next } { if (seen && $1 + 0 > prev) bad = 1; prev = $1 + 0; seen = 1 } END { exit bad }' "$tmp/p1.txt"; then
	ok "--profile puts the costliest first"
else
	nok "--profile puts the costliest first"
fi
grep_in "--profile says how much JIT code there is" "$tmp/p1.txt" "^# JIT code: [0-9.]* MB for [0-9]* patterns; 0 patterns interpreted, past the JIT budget of 2 MB$"

# ASCRIBE_JIT_BUDGET_MB: patterns past the budget are interpreted, with
# the same output; a value that is not a whole number is a usage error
ASCRIBE_JIT_BUDGET_MB=0 $A --quiet --input jsonl --profile "$tmp/p0.txt" -o "$tmp/pj0.jsonl" "$tmp/many.jsonl" 2>/dev/null
if cmp -s "$tmp/j1.jsonl" "$tmp/pj0.jsonl"; then ok "a JIT budget of 0 gives the same output"; else nok "a JIT budget of 0 gives the same output"; fi
grep_in "a JIT budget of 0 interprets every pattern" "$tmp/p0.txt" "^# JIT code: 0.0 MB for 0 patterns; [1-9][0-9]* patterns interpreted, past the JIT budget of 0 MB$"
grep_in "--profile marks an interpreted rule" "$tmp/p0.txt" " indirect (attribute, interpreted)$"
grep_in "--profile marks an interpreted head" "$tmp/p0.txt" "head {SPEAKER}, shared by [0-9]* rules, interpreted$"
if [ "$(counts "$tmp/p1.txt")" = "$(counts "$tmp/p0.txt" | sed 's/, interpreted)/)/; s/, interpreted$//')" ]; then
	ok "a JIT budget of 0 runs and matches the same"
else
	nok "a JIT budget of 0 runs and matches the same"
fi
# every whole pattern compiled with the rules, as before split rules'
# were compiled where they first run: the same output
ASCRIBE_NO_LAZY=1 $A --quiet --input jsonl -o "$tmp/nolazy.jsonl" "$tmp/many.jsonl" 2>/dev/null
if cmp -s "$tmp/j1.jsonl" "$tmp/nolazy.jsonl"; then ok "ASCRIBE_NO_LAZY gives the same output"; else nok "ASCRIBE_NO_LAZY gives the same output"; fi
# tails cut after a shared neck, or run whole from the head: the same output
ASCRIBE_NO_NECK=1 $A --quiet --input jsonl -o "$tmp/noneck.jsonl" "$tmp/many.jsonl" 2>/dev/null
if cmp -s "$tmp/j1.jsonl" "$tmp/noneck.jsonl"; then ok "ASCRIBE_NO_NECK gives the same output"; else nok "ASCRIBE_NO_NECK gives the same output"; fi
grep_in "--profile lists a shared neck" "$tmp/p1.txt" "neck of [a-z-]*, shared by [0-9]* rules$"
for bad in x -1 "" 1.5 " 2" 99999999999999999999999; do
	expect "ASCRIBE_JIT_BUDGET_MB='$bad' exits 2" 2 env "ASCRIBE_JIT_BUDGET_MB=$bad" $A "$corpus"/n01*.txt
	grep_in "ASCRIBE_JIT_BUDGET_MB='$bad' is named" "$tmp/err" "ASCRIBE_JIT_BUDGET_MB must be a whole number of megabytes, not '$bad'"
done
expect "--profile to a directory that does not exist exits 4" 4 $A --quiet --profile "$tmp/none/p.txt" -o "$tmp/kept.json" "$corpus"/n01*.txt
grep_in "--profile error names the file" "$tmp/err" "$tmp/none/p.txt"
if [ -s "$tmp/kept.json" ]; then ok "the annotations are kept when the profile fails"; else nok "the annotations are kept when the profile fails"; fi
expect "-j with a bad count exits 2" 2 $A -j many "$tmp/a.txt"
grep_in "-j error says what it takes" "$tmp/err" "0 (one per"
for bad in -1 +2 " 2" 257 2x; do
	expect "-j '$bad' exits 2" 2 $A -j "$bad" "$tmp/a.txt"
done
for bad in 0 -5 " 10" 4294967041 10k; do
	expect "--max-doc-bytes '$bad' exits 2" 2 $A --max-doc-bytes "$bad" "$tmp/a.txt"
done
expect "--max-doc-bytes at its largest is taken" 0 $A --quiet --max-doc-bytes 4294967040 "$corpus"/n01*.txt

# a JSON Lines record far over --max-doc-bytes is refused, not read whole
python3 -c 'import sys; sys.stdout.write("{\"id\":\"big\",\"text\":\"" + "word " * 400000 + "\"}\n{\"id\":\"small\",\"text\":\"It rained.\"}\n")' >"$tmp/big.jsonl"
expect "an oversized record is refused and the run goes on" 0 $A --max-doc-bytes 1000 --input jsonl "$tmp/big.jsonl"
grep_in "the oversized record's message names the line" "$tmp/err" "big.jsonl:1: record of more than"
grep_in "the record after it is annotated" "$tmp/out" '"id":"small"'

# progress: never in a pipe unless asked
expect "no progress line in a pipe" 0 $A --input jsonl "$tmp/many.jsonl"
if grep -q "MB/s" "$tmp/err"; then nok "no progress line in a pipe"; else ok "no progress line in a pipe (stderr)"; fi
expect "--progress draws it anyway" 0 $A --quiet --progress --input jsonl "$tmp/many.jsonl"
grep_in "--progress reports documents and rate" "$tmp/err" "documents, .* MB/s"

printf 'The port closed, officials said.\n' >"$tmp/a.txt"
expect "-o writes the file" 0 $A -o "$tmp/result.json" "$tmp/a.txt"
valid_json "-o output is valid JSON" "$tmp/result.json"
if ls "$tmp" | grep -q tmp; then nok "-o leaves no temporary file"; else ok "-o leaves no temporary file"; fi
expect "-o into a missing directory exits 4" 4 $A -o "$tmp/no/such/dir.json" "$tmp/a.txt"
if [ -e "$tmp/no/such/dir.json" ]; then nok "-o failure leaves no file"; else ok "-o failure leaves no file"; fi

expect "two files give JSON Lines" 0 $A "$tmp/a.txt" "$tmp/a.txt"
lines=$(wc -l <"$tmp/out")
if [ "$lines" -eq 2 ]; then ok "two files give two lines"; else nok "two files give two lines (got $lines)"; fi

expect "stdin is read with -" 0 sh -c "printf 'Officials said so.\n' | $A -"
grep_in "stdin is annotated" "$tmp/out" '"Officials"'

expect "--format text" 0 $A --format text "$tmp/a.txt"
grep_in "text view names the speaker and cue" "$tmp/out" 'officials \[anonymous\] "said"'
if grep -q "$(printf '\033')" "$tmp/out"; then nok "no colour in a pipe"; else ok "no colour in a pipe"; fi

mkdir -p "$tmp/broken"
printf 'rules:\n  - id: [x\n' >"$tmp/broken/r.yaml"
expect "annotate with broken rules exits 3" 3 "$bin" annotate --rules "$tmp/broken" "$tmp/a.txt"
expect "rules check on a YAML error exits 3" 3 "$bin" rules check "$tmp/broken"
grep_in "YAML error has file:line:col" "$tmp/err" "r.yaml:3:1: YAML syntax"
printf 'rules:\n  - id: m\n    description: x\n    stage: label\n    label: fact\n    pattern: "{NOPE}"\n    examples: [{text: a}]\n' >"$tmp/broken/r.yaml"
expect "rules check on an unknown macro exits 6" 6 "$bin" rules check "$tmp/broken"
printf 'rules:\n  - id: m\n    description: x\n    stage: label\n    label: fact\n    pattern: "b"\n    examples: [{text: a}]\n' >"$tmp/broken/r.yaml"
expect "rules check on a failing example exits 1" 1 "$bin" rules check "$tmp/broken"
grep_in "failing example has file:line:col" "$tmp/err" "r.yaml:7:16: rule 'm': example does not match: a"
expect "eval with a held-back floor it meets exits 0" 0 "$bin" eval --quiet --rules "$rules" --floor heldout:segment=0.5 "$corpus"
expect "eval with a held-back floor it misses exits 1" 1 "$bin" eval --quiet --rules "$rules" --floor heldout:cue-partial=1 "$corpus"
grep_in "the missed floor names its split and field" "$tmp/err" "heldout:cue-partial F1"
expect "eval with a floor on an unknown split exits 2" 2 "$bin" eval --quiet --rules "$rules" --floor later:cue=0.5 "$corpus"
expect "rules check on the default rules exits 0" 0 "$bin" rules check "$rules"
expect "rules check on a missing directory exits 7" 7 "$bin" rules check "$tmp/none"

# expect_within SECONDS NAME STATUS COMMAND...: expect, but a run that
# takes longer than SECONDS is killed and fails as a hang
expect_within() {
	secs=$1 name=$2 want=$3
	shift 3
	timeout "$secs" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -eq 124 ]; then
		nok "$name (still running after ${secs}s)"
	elif [ "$got" -eq "$want" ]; then
		ok "$name"
	else
		nok "$name (exit $got, want $want)"
		sed 's/^/#   /' "$tmp/err" | head -5
	fi
}

# text of every kind (docs/limits.md): invalid UTF-8 at the start, inside
# words, names and quotes and at the end, overlong forms, surrogates, a
# code point over U+10FFFF, BOMs, CRLF, a lone CR, NUL, right-to-left and
# combining marks, zero-width joiners and 4-byte emoji
python3 - "$tmp/hostile.txt" <<'PY3'
import sys
parts = [
    b"\xef\xbb\xbf\xffHarbour talks stall\xc0\xaf\r\n",
    b"\xe2\x80\x9cWe will not sign this,\xe2\x80\x9d said Mara Qu\xedst, the union\xed\xa0\x80 leader.\r\n",
    b"Ana\xf0\x9f\x98\x80s Berg said \xe2\x80\x9cthe \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd\xe2\x80\x8d\xf0\x9f\x94\xa5 plan\xe2\x80\x9d was late.\rA lone CR ended that line.\n",
    b"\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xe2\x80\x8fLevi\xe2\x80\x8e told reporters that Cafe\xcc\x81 owners were angry.\x00 Officials said the ferry\xe0\x80\xaf left.\n",
    b"According to the ministry\xf4\x90\x80\x80, 40 ships were delayed. The minister, Zo\xc3\xab\xef\xbb\xbf Hart, said it was \xe2\x80\x9cunacceptable\xe2\x80\x9d.\n",
    b"\"Open quote, \xe2\x80\x9cinner \xe2\x80\x98deeper\xe2\x80\x99 quote,\xe2\x80\x9d\" he said. Critics said so\xe2\x80\xa6\xe2\x80",
]
open(sys.argv[1], "wb").write(b"".join(parts))
PY3
expect "hostile text exits 0" 0 $A "$tmp/hostile.txt"
valid_json "hostile text gives valid JSON" "$tmp/out"
cp "$tmp/out" "$tmp/hostile.json"
if python3 "$root/tests/cli/offsets.py" "$tmp/hostile.txt" "$tmp/hostile.json" >"$tmp/offsets" 2>&1; then
	ok "hostile text: every span's offsets give its text"
else
	nok "hostile text: every span's offsets give its text"
	sed 's/^/#   /' "$tmp/offsets" | head -5
fi
grep_in "a bad byte inside a word is named" "$tmp/err" "byte 68: warning: invalid UTF-8 byte 0xED"
grep_in "NUL is named" "$tmp/err" "byte 247: warning: NUL byte replaced"
grep_in "the speaker with an emoji in the next word is found" "$tmp/hostile.json" '"name": "Berg"'
# the checker itself must see a wrong offset
python3 -c 'import json,sys
d = json.load(open(sys.argv[1])); d["sentences"][1]["start"] += 1
json.dump(d, open(sys.argv[2], "w"))' "$tmp/hostile.json" "$tmp/tampered.json"
if python3 "$root/tests/cli/offsets.py" "$tmp/hostile.txt" "$tmp/tampered.json" >/dev/null 2>&1; then
	nok "the offset check fails on a wrong offset"
else
	ok "the offset check fails on a wrong offset"
fi

# limits (docs/limits.md): a 1 MB run of letters with no full stop, over
# the segment limit, finishes and says that no rule ran on it
python3 -c "import sys; sys.stdout.write('A' * 1000000 + ' said.\n')" >"$tmp/run.txt"
expect_within 60 "a 1 MB sentence finishes" 0 $A --format jsonl "$tmp/run.txt"
grep_in "the over-long segment is named" "$tmp/err" "is 1000006 bytes long, over the limit of 65536: no rule ran on it"
grep_in "the over-long segment is in the output's warnings" "$tmp/out" "over the limit of 65536"
python3 -c "import sys; sys.stdout.write('Anna ' + 'B' * 60000 + ' said the plan failed.\n')" >"$tmp/run.txt"
expect_within 60 "a 60 KB sentence under the limit finishes" 0 $A --format jsonl "$tmp/run.txt"
if grep -q "over the limit" "$tmp/err"; then nok "a segment under the limit is matched"; else ok "a segment under the limit is matched"; fi
python3 -c "import sys; sys.stdout.write('\u201c' * 50000 + 'Deep,' + '\u201d' * 50000 + ' she said.\n')" >"$tmp/nested.txt"
expect_within 60 "50,000 nested quotation marks finish" 0 $A --format jsonl "$tmp/nested.txt"
valid_json "nested quotation marks give valid JSON" "$tmp/out"
python3 -c "import sys; sys.stdout.write('It rained. ' * 200000 + '\n')" >"$tmp/many.txt"
expect_within 120 "200,000 sentences finish" 0 $A --format jsonl "$tmp/many.txt"

mkdir -p "$tmp/catastrophic"
cat >"$tmp/catastrophic/r.yaml" <<'YAML'
rules:
  - id: catastrophic
    description: nested quantifiers that backtrack exponentially
    stage: label
    label: opinion
    pattern: '^(a+)+$'
    examples:
      - text: aaa
YAML
python3 -c "print('a' * 40000 + 'b.')" >"$tmp/aaa.txt"
expect_within 60 "a catastrophic pattern does not hang" 0 "$bin" annotate --rules "$tmp/catastrophic" "$tmp/aaa.txt"
grep_in "the rule stopped by the match limit is named" "$tmp/err" "rule 'catastrophic' skipped for one segment: match limit exceeded"

# ascribe diff: bad input gets a clear message and an exit status, never a crash
D="$bin diff --rules $rules"
printf 'The plant will close in 2027, officials said.\n' >"$tmp/d1.txt"
printf 'The plant shuts in 2027, Energy Minister Petra Lindqvist said.\n' >"$tmp/d2.txt"
$A "$tmp/d1.txt" >"$tmp/d1.json"
$A "$tmp/d2.txt" >"$tmp/d2.json"
expect "diff --help exits 0" 0 "$bin" diff --help
grep_in "--help lists diff" "$tmp/out" "threshold"
expect "diff of two documents exits 0" 0 $D "$tmp/d1.json" "$tmp/d2.json"
valid_json "diff writes JSON in a pipe" "$tmp/out"
grep_in "diff JSON carries its version" "$tmp/out" '"ascribe_diff": "1.0"'
grep_in "diff pairs the two claims" "$tmp/out" '"kind": "sourcing"'
expect "diff --format text" 0 $D --format text "$tmp/d1.json" "$tmp/d2.json"
grep_in "text diff has the shared claims" "$tmp/out" "SHARED CLAIMS"
if grep -q "$(printf '\033')" "$tmp/out"; then nok "diff: no colour in a pipe"; else ok "diff: no colour in a pipe"; fi
expect "diff --color always" 0 $D --format text --color always "$tmp/d1.json" "$tmp/d2.json"
if grep -q "$(printf '\033')" "$tmp/out"; then ok "diff: --color always colours"; else nok "diff: --color always colours"; fi
expect "diff --annotate on raw articles" 0 $D --annotate "$tmp/d1.txt" "$tmp/d2.txt"
grep_in "diff --annotate pairs the claims" "$tmp/out" '"kind": "sourcing"'
expect "diff with no input exits 2" 2 $D
expect "diff with a bad --threshold exits 2" 2 $D --threshold 2 "$tmp/d1.json" "$tmp/d2.json"
expect "diff of a raw article without --annotate exits 1" 1 $D "$tmp/d1.txt" "$tmp/d2.json"
grep_in "not ascribe JSON names the file and place" "$tmp/err" "d1.txt:1:3: not ascribe JSON"
printf '{"name": "x"}\n' >"$tmp/other.json"
expect "diff of JSON that is not ascribe's exits 1" 1 $D "$tmp/other.json" "$tmp/d2.json"
grep_in "other JSON: the message says so" "$tmp/err" "other.json: not ascribe JSON: no \"ascribe\" schema version"
sed 's/"ascribe": "1.0"/"ascribe": "2.1"/' "$tmp/d1.json" >"$tmp/v2.json"
expect "diff of an unknown major schema version exits 1" 1 $D "$tmp/v2.json" "$tmp/d2.json"
grep_in "unknown version names file and version" "$tmp/err" 'v2.json: schema version "2.1" is not supported'
sed 's/"ascribe": "1.0"/"ascribe": "1.7"/' "$tmp/d1.json" >"$tmp/v17.json"
expect "diff of 1.0 and 1.7 documents exits 0" 0 $D "$tmp/v17.json" "$tmp/d2.json"
grep_in "mixed minor versions give a warning" "$tmp/err" "schema versions 1.7"
expect "diff of one document exits 0" 0 $D "$tmp/d1.json"
grep_in "one document: the warning says so" "$tmp/err" "only one document"
expect "diff of two identical documents exits 0" 0 $D "$tmp/d1.json" "$tmp/d1.json"
grep_in "identical documents are named" "$tmp/err" "have the same sentences"
grep_in "identical documents: labels are kept apart" "$tmp/out" '"label": "d1 #2"'
: >"$tmp/empty.json"
expect "diff of an empty file exits 1" 1 $D "$tmp/empty.json" "$tmp/d2.json"
expect "diff of a missing file exits 1" 1 $D "$tmp/none.json" "$tmp/d2.json"
head -c 3000 /dev/urandom >"$tmp/noise.json" 2>/dev/null
expect "diff of binary noise exits 1" 1 $D "$tmp/noise.json" "$tmp/d2.json"
cat "$tmp/d1.json" "$tmp/d2.json" | python3 -c 'import json,sys
t = sys.stdin.read(); d = json.JSONDecoder(); i = 0
while i < len(t):
    while i < len(t) and t[i].isspace(): i += 1
    if i >= len(t): break
    o, i = d.raw_decode(t, i); print(json.dumps(o))' >"$tmp/both.jsonl"
expect "diff of one JSON Lines file of two documents exits 0" 0 $D "$tmp/both.jsonl"
grep_in "JSON Lines documents keep their line" "$tmp/out" '"line": 2'
expect "diff -o writes the file" 0 $D -o "$tmp/diff.json" "$tmp/d1.json" "$tmp/d2.json"
valid_json "diff -o output is valid JSON" "$tmp/diff.json"
(umask 022 && $D -o "$tmp/diffperm.json" "$tmp/d1.json" "$tmp/d2.json" 2>/dev/null)
mode=$(stat -c %a "$tmp/diffperm.json" 2>/dev/null)
if [ "$mode" = 644 ]; then ok "diff -o output has the umask's permissions"; else nok "diff -o output has the umask's permissions (mode $mode, want 644)"; fi
timeout 60 cat "$tmp/fifo" >"$tmp/diff-fifo" &
reader=$!
expect "diff -o into a FIFO exits 0" 0 $D -o "$tmp/fifo" "$tmp/d1.json" "$tmp/d2.json"
wait "$reader"
if [ -p "$tmp/fifo" ] && cmp -s "$tmp/diff.json" "$tmp/diff-fifo"; then
	ok "diff -o into a FIFO writes the diff and leaves the FIFO"
else
	nok "diff -o into a FIFO writes the diff and leaves the FIFO"
fi

# scripts/compare-builds.sh: the same build twice is identical (exit 0);
# a build whose output differs by one line is found (exit 1); usage errors
# exit 2 and say why
cmp_script=$root/scripts/compare-builds.sh
printf '%s\n' '{"id":"c1","text":"The mayor said the bridge would reopen on Monday."}' \
	'{"id":"c2","text":"\"We will not give up,\" the union leader said."}' >"$tmp/cmp.jsonl"
expect "compare-builds: one build against itself exits 0" 0 \
	"$cmp_script" -n 1 -i "$tmp/cmp.jsonl" -r "$rules" "$bin" "$bin"
grep_in "compare-builds: the output is identical" "$tmp/out" "output: identical"
grep_in "compare-builds: the pair is timed" "$tmp/out" "1 pairs alternated"
cat >"$tmp/other-build" <<EOF2
#!/bin/sh
"$bin" "\$@" && echo '{}'
EOF2
chmod +x "$tmp/other-build"
expect "compare-builds: a build whose output differs exits 1" 1 \
	"$cmp_script" -n 0 -i "$tmp/cmp.jsonl" -r "$rules" "$bin" "$tmp/other-build"
grep_in "compare-builds: the difference is said" "$tmp/out" "output: DIFFERENT"
expect "compare-builds: one binary is a usage error" 2 "$cmp_script" "$bin"
grep_in "compare-builds: the usage is shown" "$tmp/err" "usage: scripts/compare-builds.sh"
expect "compare-builds: an input that cannot be read exits 2" 2 \
	"$cmp_script" -n 0 -i "$tmp/no-such.jsonl" "$bin" "$bin"
grep_in "compare-builds: the input is named" "$tmp/err" "no-such.jsonl: cannot read"
expect "compare-builds: a pair count that is not a number exits 2" 2 \
	"$cmp_script" -n x -i "$tmp/cmp.jsonl" "$bin" "$bin"

# tests/bench/rulegen.py leaves out of the bench copies a rule that
# matches without its trigger words: of two test rules keyed by "zebra",
# the one with a branch for any digit is found, the other is not
mkdir -p "$tmp/probe-rules"
cp -R "$rules"/. "$tmp/probe-rules/"
cat >"$tmp/probe-rules/zz-probe-test.yaml" <<'EOF2'
rules:
  - id: test.zebra-or-digit
    description: A test rule that matches any digit without its word.
    stage: label
    label: fact
    weight: 0.1
    requires: ["#digit", zebra]
    pattern: '\d|\bzebras?\b'
    examples:
      - text: Turnout was 61 percent.
  - id: test.zebra
    description: A test rule that needs its word.
    stage: label
    label: fact
    weight: 0.1
    requires: [zebra]
    pattern: '\bzebras?\b'
    examples:
      - text: A zebra crossed 3 roads.
EOF2
if python3 - "$bin" "$tmp/probe-rules" "$corpus" "$tmp" >"$tmp/probe.out" 2>&1 <<'EOF2'
import os, sys
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(sys.argv[3]), "..", "tests", "bench"))
import rulegen
lexicons, rules = rulegen.load_rules(sys.argv[2])
keyed = [r for r in rules if r["id"].startswith("test.")]
free = rulegen.word_free(sys.argv[1], sys.argv[2], keyed, lexicons, sys.argv[3], sys.argv[4])
print(sorted(free))
sys.exit(0 if free == {"test.zebra-or-digit"} else 1)
EOF2
then
	ok "rulegen: a rule that matches without its words is not copied"
else
	nok "rulegen: a rule that matches without its words is not copied"
	sed 's/^/#   /' "$tmp/probe.out" | head -5
fi

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
