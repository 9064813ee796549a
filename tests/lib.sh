# tests/lib.sh - sourced by the shell test scripts: a scratch directory
# that is removed on exit, and "ok - …" / "not ok - …" lines with their
# counts in $pass and $fail.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; }
