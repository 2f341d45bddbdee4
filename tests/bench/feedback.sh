#!/usr/bin/env bash
# ka-feedback's benchmark, called by tests/bench/run (or alone:
# bash tests/bench/feedback.sh [BUILD_DIR]).  Environment: BENCH_DATA, a
# scratch folder (default BUILD/bench); BENCH_RUNS, runs per command,
# the best time kept (default 3); FEEDBACK_ROWS, responses to generate
# (default 1000000).  BENCH_FILE (the gen-sales data) is not used: survey
# responses are generated here, by a fixed-seed Python script, into
# BENCH_DATA (never committed).
#
# The responses: 5,000 accounts, 60 reps (each account has its rep, one
# answer in ten goes to another), dates over 2025-12-01..2026-11-27, a
# 0-10 score, two 1-5 dimensions, and a comment on two answers in five,
# English or Chinese.  As of 2026-11-27 the tracked quarters (2026-Q2..Q4)
# hold about two thirds of the rows.
#
# Prints wall seconds, CPU seconds (user + system) and peak memory of
#   ka-feedback --as-of 2026-11-27 --scale nps FILE	(topics on)
# and of --no-topics, --roll-up account, --by rep,period, --by customer,
# --dims and --quotes 3; against what a user would otherwise run for the
# mean score by rep (mlr stats1 -a mean,count; datamash -s -g rep mean),
# all measured in this run; then peak memory for a quarter of the rows
# against all of them (it grows with groups, not rows).  Nothing here
# fails on time.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
data=${BENCH_DATA:-$build/bench}
runs=${BENCH_RUNS:-3}
rows=${FEEDBACK_ROWS:-1000000}
feedback=$build/bin/ka-feedback
export LC_ALL=C.UTF-8 TZ=UTC
mkdir -p "$data"

if [ ! -x "$feedback" ]; then
	echo "bench feedback: $feedback not built" >&2
	exit 0
fi
if ! command -v python3 >/dev/null; then
	echo "bench feedback: python3 is needed to generate the responses" >&2
	exit 0
fi

# make_responses ROWS: the file name, generated once per size.
make_responses() {
	local f=$data/feedback-$1.csv
	[ -s "$f" ] && { printf '%s\n' "$f"; return; }
	python3 - "$1" >"$f.tmp" <<'EOF' || { rm -f "$f.tmp"; return 1; }
import random, sys
from datetime import date, timedelta
n = int(sys.argv[1])
rng = random.Random(20261127)
reps = ["Rep %02d" % i for i in range(60)]
first = date(2025, 12, 1).toordinal()
days = date(2026, 11, 27).toordinal() - first + 1
comments = ["Late delivery again", "\"Great service, thanks\"",
    "Prices are too high", "送货延迟，缺货", "质量很好", "Out of stock on key items",
    "slow to reply to emails", "服务态度好", "Quality issues with the last batch",
    "价格太贵了", "Helpful rep and fair prices", "Never calls back"]
out = sys.stdout
out.write("date,customer_id,rep,score,responsiveness,knowledge,comment\n")
dates = [date.fromordinal(first + i).isoformat() for i in range(days)]
for i in range(n):
    a = int(rng.random() * 5000)
    rep = reps[a % 60] if rng.random() < 0.9 else reps[int(rng.random() * 60)]
    score = min(10, int(rng.random() * 6 + (a % 7)))
    c = comments[int(rng.random() * len(comments))] if rng.random() < 0.4 else ""
    out.write("%s,C%05d,%s,%d,%d,%d,%s\n" % (dates[int(rng.random() * days)], a,
        rep, score, 1 + score // 3, 1 + int(rng.random() * 5), c))
EOF
	mv "$f.tmp" "$f"
	printf '%s\n' "$f"
}

# measure NAME COMMAND...: best wall time of $runs, with its CPU time
# and peak RSS (KB).
declare -A wall cpu peak
measure() {
	local name=$1 best="" t u s m
	shift
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %U %S %M' -o "$data/feedback-time.txt" "$@" \
		    >"$data/feedback-out-$name.txt" 2>"$data/feedback-err-$name.txt" || {
			echo "bench feedback: $name failed: $(head -3 "$data/feedback-err-$name.txt")" >&2
			return 1
		}
		read -r t u s m <"$data/feedback-time.txt"
		if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then
			best=$t
			wall[$name]=$t
			cpu[$name]=$(awk "BEGIN { print $u + $s }")
			peak[$name]=$m
		fi
	done
}

file=$(make_responses "$rows") || exit 0
bytes=$(stat -c %s "$file")
opts="--as-of 2026-11-27 --scale nps --no-progress"

# shellcheck disable=SC2086
{
	measure default "$feedback" $opts "$file"
	measure no-topics "$feedback" $opts --no-topics "$file"
	measure account "$feedback" $opts --roll-up account "$file"
	measure rep-period "$feedback" $opts --by rep,period "$file"
	measure customer "$feedback" $opts --by customer --no-topics "$file"
	measure dims "$feedback" $opts --dims responsiveness,knowledge "$file"
	measure quotes "$feedback" $opts --quotes 3 "$file"
}
if command -v mlr >/dev/null; then
	measure mlr mlr --icsv --ocsv stats1 -a mean,count -f score -g rep "$file"
else
	echo "bench feedback: mlr not installed; its row is skipped" >&2
fi
if command -v datamash >/dev/null; then
	measure datamash sh -c "datamash -H --no-strict -t, -s -g 3 mean 4 count 4 <'$file'"
else
	echo "bench feedback: datamash not installed; its row is skipped" >&2
fi

printf '\nka-feedback: %s responses (%d MB), best of %s runs, %s cores\n' \
    "$rows" $((bytes / 1000000)) "$runs" "$(nproc)"
printf '%-44s %8s %8s %9s\n' "command" "wall s" "cpu s" "peak MB"
for name in default no-topics account rep-period customer dims quotes mlr datamash; do
	[ -n "${wall[$name]:-}" ] || continue
	case $name in
	default) label="ka-feedback (topics on)" ;;
	no-topics) label="ka-feedback --no-topics" ;;
	account) label="ka-feedback --roll-up account" ;;
	rep-period) label="ka-feedback --by rep,period" ;;
	customer) label="ka-feedback --by customer --no-topics" ;;
	dims) label="ka-feedback --dims responsiveness,knowledge" ;;
	quotes) label="ka-feedback --quotes 3" ;;
	mlr) label="mlr stats1 -a mean,count -g rep" ;;
	datamash) label="datamash -s -g rep mean count" ;;
	esac
	awk -v l="$label" -v w="${wall[$name]}" -v c="${cpu[$name]}" -v m="${peak[$name]}" \
	    'BEGIN { printf "%-44s %8.2f %8.2f %9.1f\n", l, w, c, m / 1024 }'
done

# Memory grows with groups (rep x period x account cells), not rows.
quarter=$(make_responses $((rows / 4))) || exit 0
# shellcheck disable=SC2086
measure small "$feedback" $opts "$quarter" || exit 0
[ -n "${peak[default]:-}" ] || exit 0
printf '\npeak memory: %s responses %.1f MB, %s responses %.1f MB\n' \
    $((rows / 4)) "$(awk -v m="${peak[small]}" 'BEGIN { print m / 1024 }')" \
    "$rows" "$(awk -v m="${peak[default]}" 'BEGIN { print m / 1024 }')"
