#!/usr/bin/env bash
# ka-rank in pieces against one pass, byte for byte: the pieces of
# --partial / --merge with the input cut by GNU parallel (--pipepart cuts
# at line ends, so invoices and customers fall on both sides of the
# cuts), and the pieces ka-rank itself reads at once on several
# processors (-j), including the files it must not cut.
#
# Usage: bash tests/scripts/rank-parallel.sh BUILD_DIR   (from the root)
# Prints "PASS name", "FAIL name" with indented detail lines, or
# "SKIP name: reason".
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
export PATH="$build/bin:$PATH" LC_ALL=C.UTF-8 TZ=UTC
shared=${KA_SHARED:-$root/../shared}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
as_of="--as-of 2026-11-27"
demo=$root/examples/sales.csv

# ---- -j: one file read in pieces by ka-rank itself ----

# same NAME FILE OPTIONS...: -j 1 against -j 2 and -j 3, output and
# messages and exit status alike.
same() {
	local name=$1 file=$2 j rc1 rc
	shift 2
	ka-rank -j 1 "$@" "$file" >"$tmp/j1" 2>"$tmp/j1.err"
	rc1=$?
	for j in 2 3; do
		ka-rank -j $j "$@" "$file" >"$tmp/j" 2>"$tmp/j.err"
		rc=$?
		if [ $rc -ne $rc1 ] || ! cmp -s "$tmp/j1" "$tmp/j" ||
		    ! cmp -s "$tmp/j1.err" "$tmp/j.err"; then
			echo "FAIL rank-parallel/$name"
			echo "  -j $j: exit status $rc, -j 1: $rc1"
			diff "$tmp/j1" "$tmp/j" | head -4 | sed 's/^/  /'
			diff "$tmp/j1.err" "$tmp/j.err" | head -4 | sed 's/^/  /'
			return
		fi
	done
	echo "PASS rank-parallel/$name ($(wc -c <"$file") bytes, status $rc1)"
}

# Big enough to be cut (4 MB and more): the demo's lines twelve times.
{ head -1 "$demo"; for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do
	tail -n +2 "$demo"; done; } >"$tmp/big.csv"
same jobs-demo "$tmp/big.csv" $as_of --period 2026 --compare yoy
same jobs-score "$tmp/big.csv" $as_of --by region --score frequency,tenure
same jobs-partial "$tmp/big.csv" --partial $as_of --period 2026 --stratify region
# A bad amount on line 50000: the message names that line, not a line
# of a piece; with --lenient the rejects file is written in order.
awk -F, 'BEGIN { OFS = "," } NR == 50000 { $12 = "12.x" } { print }' \
    "$tmp/big.csv" >"$tmp/bad.csv"
same jobs-bad-row "$tmp/bad.csv" $as_of
same jobs-lenient "$tmp/bad.csv" $as_of --lenient
# Invoices with quoted line breaks: most line ends are inside quotes, so a
# cut there would split a record; ka-rank must notice and read in one go.
awk -F, 'BEGIN { OFS = "," } NR > 1 { $2 = "\"" $2 "\n(a)\n(b)\n(c)\"" }
    { print }' "$tmp/big.csv" >"$tmp/quoted.csv"
same jobs-quoted-breaks "$tmp/quoted.csv" $as_of --period ytd
# The checks above prove nothing if ka-rank never cut the file: the
# pieces run on threads, each reading the file from its own cut (a seek
# past the header: the first piece's start, then the second's).
if command -v strace >/dev/null 2>&1; then
	strace -f -e trace=clone,clone3,lseek ka-rank -j 2 $as_of \
	    "$tmp/big.csv" 2>"$tmp/trace" >/dev/null
	threads=$(grep -c 'clone' "$tmp/trace")
	seeks=$(grep -c 'lseek([0-9]*, [1-9][0-9]*, SEEK_SET' "$tmp/trace")
	if [ "$seeks" -ge 2 ] && [ "$threads" -ge 2 ]; then
		echo "PASS rank-parallel/jobs-used ($seeks pieces, $threads threads)"
	else
		echo "FAIL rank-parallel/jobs-used"
		echo "  -j 2 read $seeks pieces on $threads threads, not 2 on 2"
	fi
else
	echo "SKIP rank-parallel/jobs-used: strace is not installed"
fi

# ---- --partial / --merge under GNU parallel ----

if ! command -v parallel >/dev/null 2>&1; then
	for name in demo-default demo-compare demo-by-rep demo-summary \
	    demo-score demo-pilot demo-unordered demo-files gen-compare \
	    gen-margin; do
		echo "SKIP rank-parallel/$name: GNU parallel is not installed"
	done
	exit 0
fi

# check NAME FILE BLOCK "WHAT" ["HOW"]: one pass against parallel pieces
# merged (kept in order with -k).  WHAT (what is accumulated: periods,
# --by, --stratify) goes to both halves, HOW (tiers, outputs) to the
# one pass and to --merge.
check() {
	local name=$1 file=$2 block=$3 what=$4 how=${5:-}
	# shellcheck disable=SC2086
	ka-rank $what $how "$file" >"$tmp/single" 2>"$tmp/single.err"
	local rc=$?
	# shellcheck disable=SC2086
	parallel --pipepart --block "$block" -k --header : -a "$file" \
	    ka-rank --partial $what >"$tmp/parts" 2>"$tmp/parts.err" &&
	    ka-rank --merge $how "$tmp/parts" >"$tmp/merged" \
	    2>"$tmp/merged.err"
	local rc2=$? pieces
	pieces=$(grep -c '^meta,[^,]*,format,' "$tmp/parts")
	if [ $rc -ne 0 ] || [ $rc2 -ne 0 ]; then
		echo "FAIL rank-parallel/$name"
		echo "  exit status $rc (one pass), $rc2 (parallel)"
		sed 's/^/  /' "$tmp/single.err" "$tmp/parts.err" \
		    "$tmp/merged.err" | head -5
	elif [ "$pieces" -lt 4 ]; then
		echo "FAIL rank-parallel/$name"
		echo "  only $pieces pieces: the test cuts nothing"
	elif ! cmp -s "$tmp/single" "$tmp/merged" ||
	    ! cmp -s "$tmp/single.err" "$tmp/merged.err"; then
		echo "FAIL rank-parallel/$name"
		diff "$tmp/single" "$tmp/merged" | head -6 | sed 's/^/  /'
		diff "$tmp/single.err" "$tmp/merged.err" | head -4 |
		    sed 's/^/  /'
	else
		echo "PASS rank-parallel/$name ($pieces pieces)"
	fi
}

# The demo is sorted by date and invoice: cuts fall inside invoices.
check demo-default "$demo" 20k "$as_of"
check demo-compare "$demo" 16k "$as_of --period 2026 --compare yoy"
check demo-by-rep "$demo" 30k "$as_of --by rep --period ytd --compare yoy" \
    "--top 3 --explain"
check demo-summary "$demo" 25k "$as_of --period last-12m" --summary
check demo-score "$demo" 25k "$as_of --period 2026 --compare prev" \
    "--score revenue:2,growth:1,frequency:1,recency:1,tenure:1,margin:1"
check demo-pilot "$demo" 40k "$as_of --stratify region" "--pilot 6"

# Without -k the pieces come back in any order; --shard {#} (the job's
# number, in input order) lets --merge put them back.
ka-rank $as_of --period 2026 --compare yoy "$demo" >"$tmp/single"
parallel --pipepart --block 12k --header : -a "$demo" \
    ka-rank --partial --shard '{#}' $as_of --period 2026 --compare yoy \
    >"$tmp/parts" 2>/dev/null
if ka-rank --merge "$tmp/parts" 2>/dev/null | cmp -s - "$tmp/single"; then
	echo "PASS rank-parallel/demo-unordered"
else
	echo "FAIL rank-parallel/demo-unordered"
	echo "  pieces in completion order with --shard {#} differ from one pass"
fi

# One partial file per piece, merged by name in any order.
mkdir -p "$tmp/pieces"
parallel --pipepart --block 20k --header : -a "$demo" \
    "ka-rank --partial --shard {#} $as_of >$tmp/pieces/part-{#}.csv"
# shellcheck disable=SC2046
if ka-rank --merge $(ls "$tmp"/pieces/part-*.csv | sort -r) 2>/dev/null |
    cmp -s - <(ka-rank $as_of "$demo"); then
	echo "PASS rank-parallel/demo-files ($(ls "$tmp/pieces" | wc -l) files)"
else
	echo "FAIL rank-parallel/demo-files"
	echo "  one file per piece, merged in reverse order, differs"
fi

# Synthetic data: quoted names, Chinese and accented text, returns.
gen=$shared/bench/gen-sales
if [ -x "$gen" ]; then
	"$gen" --rows 60000 --seed 11 >"$tmp/gen.csv"
	check gen-compare "$tmp/gen.csv" 500k \
	    "$as_of --period 2026 --compare yoy"
	check gen-margin "$tmp/gen.csv" 700k "$as_of --by sku" \
	    "--basis margin --top 50"
else
	echo "SKIP rank-parallel/gen-compare: $gen not found"
	echo "SKIP rank-parallel/gen-margin: $gen not found"
fi
