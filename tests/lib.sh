# tests/lib.sh - sourced by the shell test scripts, each run as
# tests/NAME/run.sh BINARY: $bin is that binary with an absolute path,
# $root the source tree and $rules its rule set; a scratch directory that
# is removed on exit, and "ok - …" / "not ok - …" lines with their counts
# in $pass and $fail.
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

# schema_valid NAME FILE: FILE (annotate or diff output, JSON or JSON
# Lines) follows schema/*.schema.json, with no member the schema does not
# name (tests/schema/validate.py --strict).  Needs $root: the source tree.
schema_valid() {
	if "$root/tests/schema/validate.sh" --strict "$2" >"$tmp/schema.out" 2>&1; then
		ok "$1 (schema)"
	else
		nok "$1: output does not follow the schema"
		sed 's/^/#   /' "$tmp/schema.out" | head -8
	fi
}
