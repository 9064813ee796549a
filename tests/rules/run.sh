#!/bin/sh
# Broken rule files: `ascribe rules check tests/rules/broken/NAME` must
# print NAME/expected as its first line on standard error (file:line:col:
# message) and exit with NAME/status.  Run from anywhere; paths are printed
# relative to the repository root.
set -u
bin=${1:?usage: run.sh BINARY}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
cd "$(dirname "$0")/../.." || exit 2
pass=0
fail=0
for dir in tests/rules/broken/*/; do
	name=$(basename "$dir")
	want_status=$(cat "$dir/status")
	want=$(cat "$dir/expected")
	got=$("$bin" rules check "tests/rules/broken/$name" 2>&1 >/dev/null | head -n 1)
	"$bin" rules check "tests/rules/broken/$name" >/dev/null 2>&1
	status=$?
	if [ "$status" = "$want_status" ] && [ "$got" = "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "not ok - $name: exit $status (want $want_status)"
		echo "#   got:  $got"
		echo "#   want: $want"
	fi
done
echo "broken rules: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
