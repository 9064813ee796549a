#!/bin/sh
# Command-line tests: exit statuses, messages and outputs of the ascribe
# binary given as $1.  Prints "ok - name" / "not ok - name" and a closing
# "N passed, M failed" line.
set -u
bin=${1:?usage: run.sh BINARY}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd)
rules=$root/rules
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; }

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
expect "JSON Lines with bad records exits 1" 1 $A --input jsonl "$tmp/in.jsonl"
lines=$(wc -l <"$tmp/out")
if [ "$lines" -eq 3 ]; then ok "one output line per record"; else nok "one output line per record (got $lines)"; fi
valid_json "JSON Lines output is valid" "$tmp/out"
grep_in "record fields carry into document" "$tmp/out" '"outlet":"Harbour Wire"'
grep_in "broken JSON becomes an error record" "$tmp/out" '"error":{"message":"invalid JSON'
grep_in "missing text becomes an error record with the id" "$tmp/out" '"id":"notext"},"error"'
grep_in "bad record message names file and line" "$tmp/err" "in.jsonl:2:"

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
expect "rules check on the default rules exits 0" 0 "$bin" rules check "$rules"
expect "rules check on a missing directory exits 7" 7 "$bin" rules check "$tmp/none"

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
expect "a catastrophic pattern does not hang" 0 "$bin" annotate --rules "$tmp/catastrophic" "$tmp/aaa.txt"
grep_in "the rule stopped by the match limit is named" "$tmp/err" "rule 'catastrophic' skipped for one segment: match limit exceeded"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
