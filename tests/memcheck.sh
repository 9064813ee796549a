#!/bin/sh
# Runs the command-line binary under valgrind over the golden inputs and a
# corpus article; fails on any leak or memory error.
set -eu
# PCRE2's JIT code is invisible to valgrind and shows as false errors
export ASCRIBE_NO_JIT=1
bin=${1:?usage: memcheck.sh BINARY}
dir=$(cd "$(dirname "$0")/.." && pwd)
status=0
for input in "$dir"/tests/golden/*.txt "$dir"/corpus/articles/a02-*.txt; do
	[ -e "$input" ] || continue
	if ! valgrind --quiet --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
		--error-exitcode=99 "$bin" annotate --quiet --rules "$dir/rules" "$input" >/dev/null; then
		echo "memcheck: $input: valgrind reported errors" >&2
		status=1
	fi
done
# ascribe diff, reading annotated JSON and annotating raw articles itself
for story in "$dir"/corpus/diff/*/; do
	[ -d "$story" ] || continue
	if ! valgrind --quiet --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
		--error-exitcode=99 "$bin" diff --annotate --quiet --format text --color always \
		--rules "$dir/rules" "$story"*.txt >/dev/null; then
		echo "memcheck: diff $story: valgrind reported errors" >&2
		status=1
	fi
done
valgrind --quiet --leak-check=full --error-exitcode=99 "$bin" rules check --quiet "$dir/rules" >/dev/null || status=1
valgrind --quiet --leak-check=full --error-exitcode=99 "$bin" eval --quiet --rules "$dir/rules" "$dir/corpus/articles" >/dev/null || status=1
[ "$status" -eq 0 ] && echo "memcheck: no leaks, no errors"
exit "$status"
