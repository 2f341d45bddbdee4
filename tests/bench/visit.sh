#!/usr/bin/env bash
# ka-visit's benchmark, called by tests/bench/run (or alone:
# bash tests/bench/visit.sh [BUILD_DIR]).  Environment: BENCH_DATA, a
# scratch folder (default BUILD/bench); BENCH_RUNS, runs per command, the
# best time kept (default 3).  BENCH_FILE (the sales data) is not used:
# the planner's inputs are generated here by python3 (standard library,
# fixed seed) into BENCH_DATA.
#
# Prints wall seconds and peak memory of
#   ka-visit plan --horizon 13w   for 2,000 accounts and 40 visitors
#                                 (the issue's figure: well under a
#                                 second), and for 20,000 and 400
#   ka-visit status               on the same, with a 1-year log
#   ka-visit events --within 90d  on an anniversary per account
# Nothing here fails on time.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
data=${BENCH_DATA:-$build/bench}
runs=${BENCH_RUNS:-3}
visit=$build/bin/ka-visit
export LC_ALL=C.UTF-8 TZ=UTC
mkdir -p "$data"

if [ ! -x "$visit" ]; then
	echo "bench visit: $visit not built" >&2
	exit 0
fi
if ! command -v python3 >/dev/null; then
	echo "bench visit: python3 is needed to make the inputs" >&2
	exit 0
fi

# make ACCOUNTS VISITORS: the inputs in $data/visit-ACCOUNTS/.
make_inputs() {
	local dir=$data/visit-$1
	[ -s "$dir/visits.csv" ] && return 0
	mkdir -p "$dir"
	python3 - "$dir" "$1" "$2" <<'EOF'
import csv, datetime, random, sys
out, n_accounts, n_visitors = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(13)
as_of = datetime.date(2026, 11, 27)
regions = ["North", "South", "East", "West", "Central"]
cities = {r: ["%s-%d" % (r, i) for i in range(1, 11)] for r in regions}
policy = {"A": {"executive": 90, "management": 30, "frontline": 14},
          "B": {"executive": 180, "management": 60, "frontline": 30},
          "C": {"management": 180, "frontline": 60}}
def w(name, header, rows):
    with open("%s/%s" % (out, name), "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
# 10% executives, 20% managers, 70% reps, spread over the regions.
visitors = []
for i in range(n_visitors):
    role = ("executive" if i < n_visitors // 10 else
            "manager" if i < n_visitors * 3 // 10 else "rep")
    region = regions[i % len(regions)]
    off = ""
    if i % 7 == 3:
        start = as_of + datetime.timedelta(days=rng.randrange(10, 60))
        off = "%s..%s" % (start, start + datetime.timedelta(days=9))
    visitors.append(("V%03d" % i, role, region, "", off))
w("visitors.csv", ["visitor", "role", "region", "share", "days_off"],
  visitors)
reps = [v for v in visitors if v[1] == "rep"]
accounts, visits, events = [], [], []
for i in range(n_accounts):
    cid = "C%05d" % (i + 1)
    tier = "A" if i < n_accounts // 10 else "B" if i < n_accounts * 4 // 10 else "C"
    region = regions[rng.randrange(len(regions))]
    owner = rng.choice([r for r in reps if r[2] == region])[0]
    since = datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(8000))
    accounts.append((cid, "Customer %d" % (i + 1), tier, i + 1, region,
                     rng.choice(cities[region]), owner, since))
    events.append((cid, since, "anniversary", "Customer since %d" % since.year))
    for level, days in policy[tier].items():
        last = as_of - datetime.timedelta(days=int(days * rng.uniform(0, 1.3)))
        d = last
        while d > as_of - datetime.timedelta(days=365):
            visits.append((d, cid, owner if level == "frontline" else "",
                           level))
            d -= datetime.timedelta(days=int(days * rng.uniform(0.7, 1.0)) or 1)
visits.sort()
w("accounts.csv", ["customer_id", "customer", "tier", "rank", "region",
                   "city", "owner", "since"], accounts)
w("visits.csv", ["date", "customer_id", "visitor", "contact_level"], visits)
w("events.csv", ["customer_id", "date", "kind", "description"], events)
w("holidays.csv", ["date", "name", "region"],
  [("2026-12-24", "Eve", ""), ("2026-12-25", "Christmas", ""),
   ("2027-01-01", "New Year", ""), ("2027-01-06", "Epiphany", "South")])
EOF
}

# measure NAME COMMAND...: best wall time of $runs and its peak RSS (KB).
declare -A seconds peak
measure() {
	local name=$1 best="" best_mem="" t m
	shift
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %M' -o "$data/visit-time.txt" "$@" \
		    >"$data/visit-out-$name.txt" 2>"$data/visit-err-$name.txt" || {
			echo "bench visit: $name failed: $(head -3 "$data/visit-err-$name.txt")" >&2
			return 1
		}
		read -r t m <"$data/visit-time.txt"
		if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then
			best=$t best_mem=$m
		fi
	done
	seconds[$name]=$best
	peak[$name]=$best_mem
}

echo
echo "ka-visit (best of $runs runs; inputs generated in $data/visit-*)"
printf '%-54s %8s %8s %8s\n' "command" seconds "peak MB" rows
for size in "2000 40" "20000 400"; do
	set -- $size
	make_inputs "$1" "$2"
	dir=$data/visit-$1
	common=(--as-of 2026-11-27 -a "$dir/accounts.csv")
	measure "plan-$1" "$visit" "${common[@]}" plan --horizon 13w \
	    --visitors "$dir/visitors.csv" --events "$dir/events.csv" \
	    --holidays "$dir/holidays.csv" --unplanned "$data/visit-unplanned.csv" \
	    "$dir/visits.csv"
	measure "status-$1" "$visit" "${common[@]}" status "$dir/visits.csv"
	measure "events-$1" "$visit" "${common[@]}" events --within 90d \
	    "$dir/events.csv"
	log_rows=$(($(wc -l <"$dir/visits.csv") - 1))
	for what in plan status events; do
		name=$what-$1
		[ -n "${seconds[$name]:-}" ] || continue
		label="$what: $1 accounts, $2 visitors"
		[ "$what" = plan ] && label="$label, 13 weeks"
		[ "$what" = status ] && label="$label, $log_rows visits"
		printf '%-54s %8.2f %8.1f %8d\n' "$label" "${seconds[$name]}" \
		    "$(awk -v m="${peak[$name]}" 'BEGIN { print m / 1024 }')" \
		    $(($(wc -l <"$data/visit-out-$name.txt") - 1))
	done
done
