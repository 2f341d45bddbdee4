#!/usr/bin/env bash
# ka-promo's benchmark, called by tests/bench/run (or alone:
# bash tests/bench/promo.sh [BUILD_DIR]).  Environment: BENCH_FILE, the
# gen-sales CSV (default BUILD/bench/sales-2000000-7.csv); BENCH_DATA, a
# scratch folder (default BUILD/bench); BENCH_RUNS, runs per command, the
# best time kept (default 3); PROMOS, how many promotions (2000).
#
# Generates PROMOS promotions over the file's own customer ids, skus and
# categories (python3, fixed seed, into BENCH_DATA; never committed),
# then prints wall seconds and peak memory of
#   ka-promo evaluate -p promos.csv FILE		(pre baseline)
#   ka-promo evaluate -b yoy ..., -b control ..., and history
# against ka-rank over the same file, in this run:
#   ka-rank --period 2026 --compare yoy --as-of 2026-11-27 FILE
# (ka-clean --check FILE when ka-rank is not built), with the target:
# evaluate takes at most 2 x ka-rank.  Nothing here fails on time.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
data=${BENCH_DATA:-$build/bench}
file=${BENCH_FILE:-$data/sales-2000000-7.csv}
runs=${BENCH_RUNS:-3}
npromos=${PROMOS:-2000}
shared=${KA_SHARED:-$root/../shared}
gen=$shared/bench/gen-sales
promo=$build/bin/ka-promo
export LC_ALL=C.UTF-8 TZ=UTC
mkdir -p "$data"

if [ ! -x "$promo" ]; then
	echo "bench promo: $promo not built" >&2
	exit 0
fi
if [ ! -s "$file" ]; then
	if [ ! -x "$gen" ]; then
		echo "bench promo: no $file and no $gen to make it" >&2
		exit 0
	fi
	"$gen" --rows 2000000 --seed 7 >"$file"
fi

# The file's customer ids (column 3 comes before any quoted field).
promos=$data/promos-$npromos.csv
if [ ! -s "$promos" ] || [ "$file" -nt "$promos" ]; then
	tail -n +2 "$file" | cut -d, -f3 | sort -u >"$data/promo-customers.txt"
	python3 - "$data/promo-customers.txt" "$npromos" >"$promos" <<'EOF'
import random, sys, datetime
customers = [line.strip() for line in open(sys.argv[1]) if line.strip()]
n = int(sys.argv[2])
rnd = random.Random(9)
cats = ["Beverages", "Snacks", "Household", "Personal Care", "Frozen"]
mechanics = ["discount", "bundle", "display", "rebate", "feature"]
first = datetime.date(2024, 4, 1)
span = (datetime.date(2026, 9, 30) - first).days
print("promo_id,customer_id,scope,start,end,mechanic,discount_pct,cost")
for i in range(n):
    r = rnd.random()
    if r < 0.70:
        scope = "sku:SKU%05d" % rnd.randint(1, 500)
    elif r < 0.95:
        scope = "category:" + rnd.choice(cats)
    else:
        scope = "all"
    start = first + datetime.timedelta(days=rnd.randrange(span))
    end = start + datetime.timedelta(days=rnd.choice([6, 13, 20, 27]))
    print("P%d,%s,%s,%s,%s,%s,%d,%d" % (i + 1, rnd.choice(customers), scope,
          start, end, rnd.choice(mechanics), rnd.choice([5, 10, 15, 20, 30]),
          rnd.randint(100, 5000)))
EOF
fi

# measure NAME COMMAND...: best wall time of $runs and its peak RSS (KB).
declare -A seconds peak
measure() {
	local name=$1 best="" best_mem="" t m
	shift
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %M' -o "$data/promo-time.txt" "$@" \
		    >"$data/promo-out-$name.txt" 2>"$data/promo-err-$name.txt" || {
			echo "bench promo: $name failed: $(head -3 "$data/promo-err-$name.txt")" >&2
			return 1
		}
		read -r t m <"$data/promo-time.txt"
		if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then
			best=$t best_mem=$m
		fi
	done
	seconds[$name]=$best
	peak[$name]=$best_mem
}

rows=$(($(wc -l <"$file") - 1))
bytes=$(stat -c %s "$file")
if [ -x "$build/bin/ka-rank" ]; then
	base=ka-rank
	base_label="ka-rank --period 2026 --compare yoy"
	measure base "$build/bin/ka-rank" --no-progress --period 2026 \
	    --compare yoy --as-of 2026-11-27 "$file"
else
	base=ka-clean
	base_label="ka-clean --check (ka-rank is not built)"
	measure base "$build/bin/ka-clean" --no-progress --check "$file"
fi
measure pre "$promo" evaluate --no-progress -p "$promos" "$file"
measure yoy "$promo" evaluate --no-progress -b yoy -p "$promos" "$file"
measure control "$promo" evaluate --no-progress -b control -p "$promos" "$file"
measure history "$promo" history --no-progress -p "$promos" "$file"

printf '\nka-promo, %d promotions (%s)\n' "$npromos" "$promos"
printf 'on %s (%d rows, %d MB), best of %d runs, %d cores\n\n' "$file" \
    "$rows" $((bytes / 1000000)) "$runs" "$(nproc)"
printf '%-44s %8s %9s %12s\n' "command" seconds "peak MB" "x $base"
row() {	# name label
	[ -n "${seconds[$1]:-}" ] || return
	awk -v s="${seconds[$1]}" -v m="${peak[$1]}" -v b="${seconds[base]:-0}" \
	    -v label="$2" 'BEGIN {
		printf "%-44s %8.2f %9.1f %11.2fx\n", label, s, m / 1024,
		    (b > 0 ? s / b : 0) }'
}
row base "$base_label"
row pre "ka-promo evaluate (pre)"
row yoy "ka-promo evaluate -b yoy"
row control "ka-promo evaluate -b control"
row history "ka-promo history"
if [ -n "${seconds[pre]:-}" ] && [ -n "${seconds[base]:-}" ]; then
	awk -v s="${seconds[pre]}" -v b="${seconds[base]}" -v n="$base" 'BEGIN {
		r = s / b
		printf "\ntarget: evaluate at most 2x %s: %.2fx, %s\n", n, r,
		    (r <= 2 ? "met" : "NOT met") }'
fi
echo "evaluate rows: $(($(wc -l <"$data/promo-out-pre.txt") - 1)) (promotions x accounts)"
