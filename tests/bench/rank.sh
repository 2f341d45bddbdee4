#!/usr/bin/env bash
# ka-rank's benchmark, called by tests/bench/run (or alone:
# bash tests/bench/rank.sh [BUILD_DIR]).  Environment: BENCH_FILE, the
# gen-sales CSV (default BUILD/bench/sales-2000000-7.csv); BENCH_DATA, a
# scratch folder (default BUILD/bench); BENCH_RUNS, runs per command, the
# best time kept (default 3).
#
# Prints wall seconds and peak memory of
#   ka-rank --period 2026 --compare yoy --as-of 2026-11-27 FILE
# (by default in pieces on every processor; -j 1, one thread, is shown
# too) against what a user would otherwise run for the revenue by
# customer:
#   mlr --icsv --ocsv stats1 -a sum,count -f amount -g customer_id \
#       then sort -nr amount_sum FILE
#   sqlite3: .import FILE into a new database, then SELECT customer_id,
#       sum(amount), count(*) ... GROUP BY customer_id ORDER BY 2 DESC
# all measured in this run; then ka-rank's peak memory on 1M, 2M and 4M
# rows (it must not grow with rows), and the --partial | --merge runs
# under GNU parallel on every core (the file handed out by --pipepart,
# and each job reading its own --piece) against the single pass.
# Nothing here fails on time.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
data=${BENCH_DATA:-$build/bench}
file=${BENCH_FILE:-$data/sales-2000000-7.csv}
runs=${BENCH_RUNS:-3}
shared=${KA_SHARED:-$root/../shared}
gen=$shared/bench/gen-sales
rank=$build/bin/ka-rank
export LC_ALL=C.UTF-8 TZ=UTC
mkdir -p "$data"

if [ ! -x "$rank" ]; then
	echo "bench rank: $rank not built" >&2
	exit 0
fi
if [ ! -s "$file" ]; then
	if [ ! -x "$gen" ]; then
		echo "bench rank: no $file and no $gen to make it" >&2
		exit 0
	fi
	"$gen" --rows 2000000 --seed 7 >"$file"
fi

# measure NAME COMMAND...: best wall time of $runs and its peak RSS (KB).
declare -A seconds peak
measure() {
	local name=$1 best="" best_mem="" t m
	shift
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %M' -o "$data/rank-time.txt" "$@" \
		    >"$data/rank-out-$name.txt" 2>"$data/rank-err-$name.txt" || {
			echo "bench rank: $name failed: $(head -3 "$data/rank-err-$name.txt")" >&2
			return 1
		}
		read -r t m <"$data/rank-time.txt"
		if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then
			best=$t best_mem=$m
		fi
	done
	seconds[$name]=$best
	peak[$name]=$best_mem
}

opts="--period 2026 --compare yoy --as-of 2026-11-27"
rows=$(($(wc -l <"$file") - 1))
bytes=$(stat -c %s "$file")
cores=$(nproc)

# shellcheck disable=SC2086
measure ka-rank "$rank" --no-progress $opts "$file"
# shellcheck disable=SC2086
measure ka-rank-j1 "$rank" --no-progress -j 1 $opts "$file"
if command -v mlr >/dev/null; then
	measure mlr mlr --icsv --ocsv stats1 -a sum,count -f amount \
	    -g customer_id then sort -nr amount_sum "$file"
else
	echo "bench rank: mlr not installed; its row is skipped" >&2
fi
if command -v sqlite3 >/dev/null; then
	printf '.mode csv\n.import %s sales\nSELECT customer_id, sum(amount), count(*) FROM sales GROUP BY customer_id ORDER BY 2 DESC;\n' \
	    "$file" >"$data/rank-sum.sql"
	measure sqlite3 sh -c "rm -f '$data/rank.db'; sqlite3 '$data/rank.db' <'$data/rank-sum.sql'; rm -f '$data/rank.db'"
else
	echo "bench rank: sqlite3 not installed; its row is skipped" >&2
fi
if command -v parallel >/dev/null; then
	# One block per core; -k keeps the pieces in input order.
	measure parallel sh -c "parallel --pipepart --block -1 -j $cores -k --header : -a '$file' '$rank' --partial --no-progress $opts | '$rank' --merge"
	# Each job reads its own piece of the file (--piece K/N).
	measure pieces sh -c "parallel -j $cores '$rank' --partial --no-progress --piece {}/$cores $opts '$file' ::: $(seq -s ' ' "$cores") | '$rank' --merge"
fi

printf '\nka-rank %s\n' "$opts"
printf 'on %s (%d rows, %d MB), best of %d runs, %d cores\n\n' "$file" \
    "$rows" $((bytes / 1000000)) "$runs" "$cores"
printf '%-44s %8s %9s %14s\n' "command" seconds "peak MB" "ka-rank is"
row() {	# name label
	[ -n "${seconds[$1]:-}" ] || return
	awk -v s="${seconds[$1]}" -v m="${peak[$1]}" -v base="${seconds[ka-rank]}" \
	    -v label="$2" -v self="$1" 'BEGIN {
		ratio = (base > 0 ? s / base : 0)
		if (self == "ka-rank") note = ""
		else if (ratio >= 1) note = sprintf("%.1fx faster", ratio)
		else note = sprintf("%.2fx as fast", ratio)
		printf "%-44s %8.2f %9.1f %14s\n", label, s, m / 1024, note }'
}
row ka-rank "ka-rank (default: -j $cores, pieces on threads)"
row ka-rank-j1 "ka-rank -j 1 (one thread)"
row mlr "mlr stats1 sum,count by customer + sort"
row sqlite3 "sqlite3 .import + GROUP BY customer"
row parallel "--partial | --merge, parallel --pipepart -j $cores"
row pieces "--partial --piece K/$cores | --merge, parallel"

verdict() {	# name target
	[ -n "${seconds[$1]:-}" ] || return
	awk -v s="${seconds[$1]}" -v base="${seconds[ka-rank]}" -v t="$2" \
	    -v n="$1" 'BEGIN { r = s / base;
		printf "target: at least %dx faster than %s: %.1fx, %s\n", t, n,
		    r, (r >= t ? "met" : "NOT met") }'
}
echo
verdict mlr 15
verdict sqlite3 10
for run in parallel pieces; do
	[ -n "${seconds[$run]:-}" ] || continue
	if cmp -s "$data/rank-out-ka-rank.txt" "$data/rank-out-$run.txt"; then
		echo "$run output: byte for byte the single pass's"
	else
		echo "$run output: DIFFERS from the single pass's"
	fi
	awk -v s="${seconds[$run]}" -v one="${seconds[ka-rank-j1]:-0}" \
	    -v n="$run" 'BEGIN { if (one > 0) printf "%s vs the single pass on one core (-j 1): %.2f s vs %.2f s, %s\n", n, s, one, (s < one ? "beats it" : "does NOT beat it") }'
done

# Peak memory must not grow with rows: 1M, 2M and 4M rows.
make_data() {	# rows -> file name
	local f=$data/sales-$1-7.csv
	[ -s "$f" ] || "$gen" --rows "$1" --seed 7 >"$f"
	printf '%s\n' "$f"
}
if [ -x "$gen" ]; then
	f1=$(make_data 1000000)
	f4=$(make_data 4000000)
	# shellcheck disable=SC2086
	measure rank1 "$rank" --no-progress $opts "$f1"
	# shellcheck disable=SC2086
	measure rank4 "$rank" --no-progress $opts "$f4"
	awk -v a="${peak[rank1]}" -v b="${peak[ka-rank]}" -v c="${peak[rank4]}" \
	    -v ta="${seconds[rank1]}" -v tc="${seconds[rank4]}" 'BEGIN {
		printf "\npeak memory, ka-rank: 1M rows %.1f MB (%.2f s), 2M rows %.1f MB, 4M rows %.1f MB (%.2f s)\n",
		    a / 1024, ta, b / 1024, c / 1024, tc
		hi = a; lo = a
		if (b > hi) hi = b; if (c > hi) hi = c
		if (b < lo) lo = b; if (c < lo) lo = c
		printf "target: at most 64 MiB and within 10%% from 1M to 4M rows: %.1f%% apart, %s\n",
		    (hi - lo) * 100 / lo, (hi <= 65536 && hi <= lo * 1.1 ? "met" : "NOT met") }'
fi
