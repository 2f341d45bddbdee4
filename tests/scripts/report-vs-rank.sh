#!/usr/bin/env bash
# Every number in ka-report's headline, key-accounts table, concentration
# line, movement counts, sparklines and at-risk / lost lists, reproduced
# with ka-rank on the same input (issue 4: "every number in the report
# can be reproduced with ka-rank").  For each period P of the demo data:
#
#   ka-report -O json --as-of D --period P sales.csv
#   ka-rank --period P --compare prev --as-of D -O jsonl sales.csv
#   ka-rank --period PREV --as-of D -O jsonl sales.csv       (previous)
#   ka-rank --period YEARAGO --as-of D -O jsonl sales.csv    (year ago)
#   ka-rank --period P --compare prev --as-of D --summary sales.csv
#   ka-rank --period FIRST..LAST --compare prev --as-of D -O jsonl
#       sales.csv                                (the risk window)
#   ka-rank --period Pk --as-of D --summary sales.csv  (k = 1..12, the
#       sparkline periods)
#
# and compares them with Python's json module:
#   headline   revenue, margin, orders, customers of each of the three
#              periods = sums over ka-rank's ranked rows (rank not null)
#   accounts   for every ranked row: rank, customer_id, customer, tier,
#              revenue, share, cum_share, growth, prev_rank, prev_tier,
#              movement, and rank change (ka-rank's rank_change); the
#              previous period's revenue and rank from the PREV run too
#   concentration  hhi, top1/5/10 share; movement counts
#   sparklines period totals = ka-rank --summary's total per period;
#              each account's last point = its revenue, the one before
#              = its prev_revenue
#   at risk    tier A or B of the risk window with "lapsed" or
#              "declining" in ka-rank's risk column, in rank order, with
#              recency_days, median_gap_days, growth
#   lost       ka-rank's movement "lost" rows of the risk window
#
# Usage, from the project root: bash tests/scripts/report-vs-rank.sh BUILD
# Prints "PASS name", "FAIL name" with detail lines indented by two
# spaces, or "SKIP name: reason".
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
report=$build/bin/ka-report
rank=$build/bin/ka-rank
sales=$root/examples/sales.csv
export LC_ALL=C.UTF-8 TZ=UTC

for program in "$report" "$rank"; do
	if [ ! -x "$program" ]; then
		echo "SKIP report-vs-rank: $program is not built"
		exit 0
	fi
done
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP report-vs-rank: no python3"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# run NAME COMMAND...: runs a command into $tmp/NAME, or says FAIL.
run() {
	local name=$1
	shift
	if ! "$@" >"$tmp/$name" 2>"$tmp/$name.err"; then
		echo "FAIL report-vs-rank: $* exited $?"
		sed 's/^/  /' "$tmp/$name.err"
		failures=$((failures + 1))
		return 1
	fi
}

check() {
	local as_of=$1 period=$2 label=$3
	local -a period_option=()

	[ -n "$period" ] && period_option=(--period "$period")
	run report.json "$report" -O json --as-of "$as_of" \
	    "${period_option[@]}" "$sales" || return
	# The report names its periods; ka-rank is asked for the same ones.
	read -r now prev ago first last < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
h = r["headline"]
print(h["current"]["period"], h["previous"]["period"],
      h["year_ago"]["period"], r["risk_window"]["first"],
      r["risk_window"]["last"])' "$tmp/report.json")
	run now.jsonl "$rank" --period "$now" --compare prev --as-of "$as_of" \
	    -O jsonl "$sales" || return
	run prev.jsonl "$rank" --period "$prev" --as-of "$as_of" -O jsonl \
	    "$sales" || return
	run ago.jsonl "$rank" --period "$ago" --as-of "$as_of" -O jsonl \
	    "$sales" || return
	run summary.csv "$rank" --period "$now" --compare prev \
	    --as-of "$as_of" --summary "$sales" || return
	run risk.jsonl "$rank" --period "$first..$last" --compare prev \
	    --as-of "$as_of" -O jsonl "$sales" || return
	# The twelve periods of the sparklines, oldest first.
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
now = r["headline"]["current"]["period"]
year = int(now[:4])
labels = r["periods"]
out = []
for label in reversed(labels):
    if label.startswith("W"):
        if out and int(label[1:]) > int(out[-1].split("-W")[1]):
            year -= 1
        out.append("%d-%s" % (year, label))
    else:
        out.append(label)
print("\n".join(reversed(out)))' "$tmp/report.json" >"$tmp/spark-periods"
	: >"$tmp/spark-totals"
	while read -r p; do
		run spark.csv "$rank" --period "$p" --as-of "$as_of" --summary \
		    "$sales" || return
		printf '%s,%s\n' "$p" "$(awk -F, '$1 == "total" { print $2 }' \
		    "$tmp/spark.csv")" >>"$tmp/spark-totals"
	done <"$tmp/spark-periods"

	python3 - "$tmp" "$label" <<'PY'
import csv, json, sys
from decimal import Decimal

tmp, label = sys.argv[1], sys.argv[2]
report = json.load(open(tmp + '/report.json'), parse_float=Decimal)


def rows(name):
    with open(tmp + '/' + name, encoding='utf-8') as f:
        return [json.loads(line, parse_float=Decimal) for line in f]


now, prev, ago, risk = (rows(n) for n in ('now.jsonl', 'prev.jsonl',
                                          'ago.jsonl', 'risk.jsonl'))
summary = dict(csv.reader(open(tmp + '/summary.csv', encoding='utf-8')))
results = []


def check(name, problems):
    results.append((name, problems))


def same(problems, where, got, want):
    if got != want:
        problems.append('%s: ka-report %r, ka-rank %r' % (where, got, want))


def ranked(rows):
    return [r for r in rows if r['rank'] is not None]


def dsum(values):
    return sum((Decimal(v) for v in values), Decimal(0))


# 1. Headline: sums over ka-rank's ranked rows.
problems = []
h = report['headline']
for key, rows_ in (('current', now), ('previous', prev), ('year_ago', ago)):
    r = ranked(rows_)
    same(problems, key + ' revenue', h[key]['revenue'],
         dsum(x['revenue'] for x in r))
    if 'margin' in h[key]:
        same(problems, key + ' margin', h[key]['margin'],
             dsum(x['margin'] for x in r))
    same(problems, key + ' orders', h[key]['orders'],
         sum(x['orders'] for x in r))
    same(problems, key + ' customers', h[key]['customers'], len(r))
same(problems, 'revenue_change_pct', h['revenue_change_pct'],
     Decimal(summary['growth']) if summary.get('growth') else None)
check('headline (revenue, margin, orders, customers)', problems)

# 2. Key accounts: every ranked row, the table's top N first.
problems = []
mine = report['accounts']
theirs = ranked(now)
same(problems, 'ranked accounts', len(mine), len(theirs))
old = {x['customer_id']: x for x in ranked(prev)}
for a, k in zip(mine, theirs):
    w = 'rank %s ' % k['rank']
    for field in ('rank', 'customer_id', 'customer', 'tier', 'revenue',
                  'share', 'cum_share', 'growth', 'prev_rank', 'prev_tier',
                  'movement', 'prev_revenue'):
        same(problems, w + field, a[field], k[field])
    change = (a['prev_rank'] - a['rank'] if a['prev_rank'] is not None
              else None)
    same(problems, w + 'rank change', change, k['rank_change'])
    p = old.get(k['customer_id'])
    same(problems, w + 'previous revenue (ka-rank --period PREV)',
         a['prev_revenue'], p['revenue'] if p else Decimal('0.00'))
    same(problems, w + 'previous rank (ka-rank --period PREV)',
         a['prev_rank'], p['rank'] if p else None)
    spark = a['spark']
    same(problems, w + 'sparkline last point (its revenue)', spark[-1],
         a['revenue'])
    same(problems, w + 'sparkline point before (prev_revenue)', spark[-2],
         a['prev_revenue'])
check('key accounts (top %d of %d shown; all compared)' % (report['top'],
                                                           len(mine)),
      problems)

# 3. Concentration and movement: ka-rank --summary.
problems = []
c = report['concentration']
for mine_key, their_key in (('hhi', 'hhi'), ('band', 'hhi_band'),
                            ('top1_share', 'top1_share'),
                            ('top5_share', 'top5_share'),
                            ('top10_share', 'top10_share')):
    want = summary.get(their_key)
    same(problems, mine_key, c[mine_key],
         want if mine_key == 'band' else Decimal(want))
for move in ('new', 'up', 'same', 'down', 'lost'):
    same(problems, 'movement ' + move, report['movement'][move],
         int(summary['movement_' + move]))
check('concentration and movement (ka-rank --summary)', problems)

# 4. Sparklines: the period totals.
problems = []
totals = [line.rstrip('\n').split(',') for line in
          open(tmp + '/spark-totals', encoding='utf-8')]
for (period, total), got in zip(totals, report['period_totals']):
    same(problems, 'total of ' + period, got, Decimal(total or '0.00'))
check('sparkline periods (ka-rank --period Pk --summary)', problems)

# 5. At risk and lost: the risk window.
problems = []
want = []
for k in ranked(risk):
    flags = [f for f in k['risk'].split(';') if f in ('lapsed', 'declining')]
    if k['tier'] in ('A', 'B') and flags:
        want.append((k['customer_id'], k['tier'], k['recency_days'],
                     k['median_gap_days'], k['growth'], ';'.join(flags)))
got = [(a['customer_id'], a['tier'], a['recency_days'],
        a['median_gap_days'], a['growth'], a['risk'])
       for a in report['at_risk']]
same(problems, 'at risk', got, want)
lost = [(k['customer_id'], k['prev_revenue']) for k in risk
        if k['movement'] == 'lost']
same(problems, 'lost', [(x['customer_id'], x['prev_revenue'])
                        for x in report['lost']], lost)
check('at risk and lost (ka-rank --period %s..%s --compare prev)'
      % (report['risk_window']['first'], report['risk_window']['last']),
      problems)

for name, problems in results:
    print('%s report-vs-rank %s: %s' % ('FAIL' if problems else 'PASS',
                                         label, name))
    for p in problems[:20]:
        print('  ' + p)
PY
}

check 2026-11-27 "" "last-week (2026-W47)"
check 2026-11-27 2026-11 "2026-11"
check 2026-11-27 2026-Q3 "2026-Q3"
check 2026-01-05 "" "last-week across a year (2026-01-05)"
[ $failures -eq 0 ]
