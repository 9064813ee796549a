#!/bin/sh
# Compares two builds of ascribe on the same JSON Lines records: whether
# their output is byte-identical, and their time in runs alternated one
# after the other (a single run moves with the machine; a pair sees about
# the same machine).  Optionally, the instructions and the simulated cache
# misses inside annotate_record, which callgrind repeats exactly.  The
# method is in docs/performance.md, "Comparing two builds".
#
# usage: scripts/compare-builds.sh [options] OLD NEW
#   OLD, NEW  two ascribe binaries, e.g. a git worktree's ./ascribe and ./ascribe
#   -i FILE   the JSON Lines records (default: the first -m MB of the corpus
#             `make bench` made in build/bench)
#   -m MB     the size of that sample (default 2)
#   -r DIR    a rule set, repeatable (default: rules/, then the 25x set of
#             `make bench` when it is there)
#   -n N      pairs of runs (default 6; 0: no timing)
#   -w        count the instructions inside annotate_record (valgrind)
#   -c        simulate the caches, the last level 512 KB (valgrind)
# Exit status: 0 when every output is identical, 1 when one differs, 2 on
# a usage error.
set -u

usage() {
	sed -n '/^# usage:/,/^# a usage error/s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

here=$(cd "$(dirname "$0")/.." && pwd)
input='' mb=2 pairs=6 work=0 cache=0 sets=''
while getopts i:m:r:n:wch opt; do
	case $opt in
	i) input=$OPTARG ;;
	m) mb=$OPTARG ;;
	r) sets="$sets
$OPTARG" ;;
	n) pairs=$OPTARG ;;
	w) work=1 ;;
	c) cache=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || usage
old=$1 new=$2
for b in "$old" "$new"; do
	if [ ! -x "$b" ]; then
		echo "compare-builds: $b: not an executable" >&2
		exit 2
	fi
done
case $pairs in '' | *[!0-9]*) echo "compare-builds: -n $pairs: not a number" >&2; exit 2 ;; esac
case $mb in '' | *[!0-9.]*) echo "compare-builds: -m $mb: not a number" >&2; exit 2 ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/compare-builds.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ -z "$input" ]; then
	corpus=$(ls -t "$here"/build/bench/corpus-seed*-200MB-*.jsonl 2>/dev/null | head -n 1)
	if [ -z "$corpus" ]; then
		echo "compare-builds: no bench corpus in build/bench: run make bench, or give -i FILE" >&2
		exit 2
	fi
	# whole records only: the lines that start within the first MB
	head -c "$(awk -v m="$mb" 'BEGIN { printf "%d", m * 1000000 }')" "$corpus" |
		awk 'BEGIN { RS = "\n" } { if (prev != "") print prev; prev = $0 }' >"$tmp/input.jsonl"
	input=$tmp/input.jsonl
elif [ ! -r "$input" ]; then
	echo "compare-builds: $input: cannot read" >&2
	exit 2
fi
if [ -z "$sets" ]; then
	sets=$here/rules
	x25=$(ls -td "$here"/build/bench/rules-x25-seed*-* 2>/dev/null | head -n 1)
	[ -n "$x25" ] && sets="$sets
$x25"
fi

records=$(wc -l <"$input" | tr -d ' ')
bytes=$(wc -c <"$input" | tr -d ' ')
echo "input: $input ($records records, $bytes bytes)"
echo "old:   $old"
echo "new:   $new"

# median of the numbers on standard input
median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# wall seconds of one run: run BINARY RULES
run() {
	/usr/bin/time -f %e -o "$tmp/time" "$1" annotate -j 1 --quiet --rules "$2" \
		--input jsonl "$input" >/dev/null 2>"$tmp/err" || {
		echo "compare-builds: $1 failed:" >&2
		cat "$tmp/err" >&2
		exit 2
	}
	cat "$tmp/time"
}

# callgrind inside annotate_record: grind BINARY RULES OUT [ARGS...]
grind() {
	gb=$1 gr=$2 gout=$3
	shift 3
	valgrind --tool=callgrind "$@" --callgrind-out-file=/dev/null --collect-atstart=no \
		--toggle-collect=annotate_record "$gb" annotate -j 1 --quiet --rules "$gr" \
		--input jsonl "$input" >/dev/null 2>"$gout"
}

echo "$sets" | while IFS= read -r rs; do
	[ -n "$rs" ] || continue
	echo
	echo "rules: $rs"
	"$old" annotate -j 1 --quiet --rules "$rs" --input jsonl "$input" >"$tmp/old.out" 2>"$tmp/old.err"
	orc=$?
	"$new" annotate -j 1 --quiet --rules "$rs" --input jsonl "$input" >"$tmp/new.out" 2>"$tmp/new.err"
	nrc=$?
	if [ $orc -ne $nrc ]; then
		echo "  exit status: old $orc, new $nrc"
		echo differ >"$tmp/status"
	fi
	if cmp -s "$tmp/old.out" "$tmp/new.out"; then
		echo "  output: identical ($(wc -c <"$tmp/new.out" | tr -d ' ') bytes)"
	else
		at=$(cmp "$tmp/old.out" "$tmp/new.out" 2>&1 | head -n 1)
		echo "  output: DIFFERENT: $at"
		echo differ >"$tmp/status"
	fi
	if [ "$pairs" -gt 0 ]; then
		: >"$tmp/t.old"
		: >"$tmp/t.new"
		i=0
		while [ $i -lt "$pairs" ]; do
			run "$old" "$rs" >>"$tmp/t.old" || exit 2
			run "$new" "$rs" >>"$tmp/t.new" || exit 2
			i=$((i + 1))
		done
		mo=$(median <"$tmp/t.old")
		mn=$(median <"$tmp/t.new")
		echo "  wall time, -j 1, $pairs pairs alternated: median old $mo s, new $mn s," \
			"new/old $(awk -v a="$mo" -v b="$mn" 'BEGIN { printf "%.3f", (a > 0 ? b / a : 0) }')"
		echo "    old: $(sort -n "$tmp/t.old" | tr '\n' ' ')"
		echo "    new: $(sort -n "$tmp/t.new" | tr '\n' ' ')"
	fi
	if [ $work -eq 1 ] || [ $cache -eq 1 ]; then
		if ! command -v valgrind >/dev/null; then
			echo "  valgrind: not installed"
			continue
		fi
	fi
	if [ $work -eq 1 ]; then
		grind "$old" "$rs" "$tmp/w.old"
		grind "$new" "$rs" "$tmp/w.new"
		echo "  instructions in annotate_record: old $(sed -n 's/.*Collected : //p' "$tmp/w.old")," \
			"new $(sed -n 's/.*Collected : //p' "$tmp/w.new")"
	fi
	if [ $cache -eq 1 ]; then
		for v in old new; do
			eval b=\$$v
			grind "$b" "$rs" "$tmp/c.$v" --cache-sim=yes --LL=524288,8,64
			echo "  simulated misses, $v (last level 512 KB): $(awk '
				/I1  misses/ { printf "I1 %s, ", $4 }
				/LLi misses/ { printf "LLi %s, ", $4 }
				/D1  misses/ { printf "D1 %s, ", $4 }
				/LLd misses/ { printf "LLd %s", $4 }' "$tmp/c.$v")"
		done
	fi
done || exit 2
[ -f "$tmp/status" ] && exit 1
exit 0
