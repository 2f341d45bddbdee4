#!/usr/bin/env bash
# ka-rebate's benchmark, called by tests/bench/run (or alone:
# bash tests/bench/rebate.sh [BUILD_DIR]).  Environment: BENCH_FILE, the
# gen-sales CSV (default BUILD/bench/sales-2000000-7.csv); BENCH_DATA, a
# scratch folder (default BUILD/bench); BENCH_RUNS, runs per command, the
# best time kept (default 3).
#
# Generates 5,000 agreements over gen-sales customer ids (C000001 ..
# C002000): every method, a fifth scoped to a category, a tenth capped,
# validity in 2025-07..2026-12, some customers with two or three
# agreements.  Then prints wall seconds and peak memory of
#   ka-rebate accrue -a AGREEMENTS --as-of 2026-11-27 FILE
# against ka-rank over the same file (its default, all cores, and
# -j 1), where the issue asks for at most 2x ka-rank; when ka-rank is
# not built it compares against ka-clean --check and says so.  Then
# ka-rebate settle --period 2026-Q3 and its peak memory on 1M and 4M
# rows (it must not grow with rows).  Nothing here fails on time.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
data=${BENCH_DATA:-$build/bench}
file=${BENCH_FILE:-$data/sales-2000000-7.csv}
runs=${BENCH_RUNS:-3}
shared=${KA_SHARED:-$root/../shared}
gen=$shared/bench/gen-sales
rebate=$build/bin/ka-rebate
rank=$build/bin/ka-rank
clean=$build/bin/ka-clean
export LC_ALL=C.UTF-8 TZ=UTC
mkdir -p "$data"

if [ ! -x "$rebate" ]; then
	echo "bench rebate: $rebate not built" >&2
	exit 0
fi
if [ ! -s "$file" ]; then
	if [ ! -x "$gen" ]; then
		echo "bench rebate: no $file and no $gen to make it" >&2
		exit 0
	fi
	"$gen" --rows 2000000 --seed 7 >"$file"
fi

agreements=$data/rebate-agreements-5000.csv
python3 - "$agreements" <<'PY'
import random, sys
rng = random.Random(8)
methods = ["retro", "marginal", "per-unit", "growth", "fixed"]
categories = ["Beverages", "Snacks", "Household", "Personal Care", "Dairy"]
with open(sys.argv[1], "w", newline="") as out:
    out.write("agreement_id,customer_id,valid_from,valid_to,basis,scope,"
              "method,tiers,settlement,cap\n")
    for n in range(1, 5001):
        customer = "C%06d" % rng.randint(1, 2000)
        method = methods[n % 5]
        start = rng.choice(["2025-07-01", "2026-01-01", "2026-01-01",
                            "2026-04-01"])
        end = {"2025-07-01": "2026-06-30", "2026-01-01": "2026-12-31",
               "2026-04-01": "2027-03-31"}[start]
        scope = ""
        if n % 5 == 1:
            scope = "category=" + rng.choice(categories)
        basis = "amount"
        if method == "per-unit":
            basis = "qty"
            tiers = "%d:0.%02d/unit,%d:0.%02d/unit" % (
                rng.randint(50, 200), rng.randint(10, 50),
                rng.randint(300, 900), rng.randint(51, 99))
        elif method == "fixed":
            tiers = "%d:%d,%d:%d" % (rng.randint(5, 20) * 1000,
                                     rng.randint(1, 5) * 100,
                                     rng.randint(30, 60) * 1000,
                                     rng.randint(6, 12) * 100)
        elif method == "marginal":
            tiers = "0:1%%,%d:2.5%%,%d:4%%" % (rng.randint(5, 20) * 1000,
                                            rng.randint(30, 80) * 1000)
        else:
            if n % 7 == 0:
                basis = "margin"
            tiers = "%d:2%%,%d:3.5%%" % (rng.randint(1, 10) * 1000,
                                       rng.randint(20, 60) * 1000)
        cap = str(rng.randint(5, 50) * 100) if n % 10 == 3 else ""
        settlement = rng.choice(["monthly", "quarterly", "annual"])
        out.write("A%05d,%s,%s,%s,%s,%s,%s,\"%s\",%s,%s\n" % (
            n, customer, start, end, basis, scope, method, tiers,
            settlement, cap))
PY

# measure NAME COMMAND...: best wall time of $runs and its peak RSS (KB).
declare -A seconds peak
measure() {
	local name=$1 best="" best_mem="" t m
	shift
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %M' -o "$data/rebate-time.txt" "$@" \
		    >"$data/rebate-out-$name.txt" 2>"$data/rebate-err-$name.txt" || {
			echo "bench rebate: $name failed: $(head -3 "$data/rebate-err-$name.txt")" >&2
			return 1
		}
		read -r t m <"$data/rebate-time.txt"
		if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then
			best=$t best_mem=$m
		fi
	done
	seconds[$name]=$best
	peak[$name]=$best_mem
}

as_of="--as-of 2026-11-27"
rows=$(($(wc -l <"$file") - 1))
# shellcheck disable=SC2086
measure accrue "$rebate" accrue --no-progress -a "$agreements" $as_of "$file"
# shellcheck disable=SC2086
measure settle "$rebate" settle --no-progress -a "$agreements" --period 2026-Q3 $as_of "$file"
baseline=""
if [ -x "$rank" ]; then
	# shellcheck disable=SC2086
	measure ka-rank "$rank" --no-progress $as_of "$file" && baseline=ka-rank
	# shellcheck disable=SC2086
	measure ka-rank-j1 "$rank" --no-progress -j 1 $as_of "$file"
else
	echo "bench rebate: $rank not built; comparing against ka-clean --check" >&2
fi
if [ -x "$clean" ]; then
	measure ka-clean-check "$clean" --check --no-progress "$file"
	[ -z "$baseline" ] && baseline=ka-clean-check
fi

printf '\nka-rebate: 5000 agreements over %s rows (%s)\n' "$rows" "$file"
printf '%-44s %8s %9s %10s\n' "command" seconds "peak MB" "vs $baseline"
for name in accrue settle ka-rank ka-rank-j1 ka-clean-check; do
	[ -n "${seconds[$name]:-}" ] || continue
	label=$name
	case $name in
	accrue) label="ka-rebate accrue" ;;
	settle) label="ka-rebate settle --period 2026-Q3" ;;
	ka-rank) label="ka-rank (default jobs: $(nproc) cores)" ;;
	ka-rank-j1) label="ka-rank -j 1" ;;
	ka-clean-check) label="ka-clean --check" ;;
	esac
	awk -v l="$label" -v s="${seconds[$name]}" -v m="${peak[$name]}" \
	    -v base="${seconds[$baseline]:-0}" \
	    'BEGIN { printf "%-44s %8.2f %9.1f %9.2fx\n", l, s, m / 1024, (base > 0 ? s / base : 0) }'
done
echo "accrual rows: $(($(wc -l <"$data/rebate-out-accrue.txt") - 1)), settlement lines: $(($(wc -l <"$data/rebate-out-settle.txt") - 1))"

# Peak memory must not grow with rows: 1M against 4M rows.
if [ "${MEMORY:-1}" = 1 ] && [ -x "$gen" ]; then
	for n in 1000000 4000000; do
		f=$data/sales-$n-7.csv
		[ -s "$f" ] || "$gen" --rows $n --seed 7 >"$f"
		# shellcheck disable=SC2086
		measure "accrue-$n" "$rebate" accrue --no-progress -a "$agreements" $as_of "$f"
	done
	printf 'peak memory, ka-rebate accrue: 1M rows %.1f MB, 4M rows %.1f MB\n' \
	    "$(awk -v m="${peak[accrue-1000000]:-0}" 'BEGIN { print m / 1024 }')" \
	    "$(awk -v m="${peak[accrue-4000000]:-0}" 'BEGIN { print m / 1024 }')"
fi
