#!/usr/bin/env bash
# ka-report reads a large file in pieces on every processor (ka_pieces.h)
# and must say byte for byte what one pass says.  Standard input is
# never cut, so the same bytes through a pipe are the one pass: output,
# messages (the file's name aside) and exit status must agree, for a
# file cut in pieces, two files, a bad row (the pieces give up and the
# one pass names its line), --lenient, and quoted line breaks.
#
# Usage: bash tests/scripts/report-pieces.sh BUILD_DIR   (from the root)
# Prints "PASS name", "FAIL name" with indented detail lines, or
# "SKIP name: reason".
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
export PATH="$build/bin:$PATH" LC_ALL=C.UTF-8 TZ=UTC

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
as_of="--as-of 2026-11-27"
demo=$root/examples/sales.csv

if [ "$(getconf _NPROCESSORS_ONLN)" -lt 2 ]; then
	echo "SKIP report-pieces: one processor, nothing is read in pieces"
	exit 0
fi

# same NAME OPTIONS... -- FILE...: the files as given against the same
# rows through standard input (headers of later files dropped).
same() {
	local name=$1 rc1 rc2 f first=1
	shift
	local opts=()
	while [ "$1" != "--" ]; do opts+=("$1"); shift; done
	shift
	ka-report "${opts[@]}" "$@" >"$tmp/cut" 2>"$tmp/cut.err"
	rc1=$?
	for f in "$@"; do
		if [ $first = 1 ]; then cat "$f"; first=0
		else tail -n +2 "$f"; fi
	done | ka-report "${opts[@]}" - >"$tmp/one" 2>"$tmp/one.err"
	rc2=$?
	# The one pass names the input "stdin".
	for f in "$@"; do
		sed -i "s|^ka-report: stdin:|ka-report: $f:|" "$tmp/one.err"
		break
	done
	if [ $rc1 -ne $rc2 ] || ! cmp -s "$tmp/cut" "$tmp/one" ||
	    ! cmp -s "$tmp/cut.err" "$tmp/one.err"; then
		echo "FAIL report-pieces/$name"
		echo "  exit status $rc1 (file), $rc2 (one pass)"
		diff "$tmp/one" "$tmp/cut" | head -4 | sed 's/^/  /'
		diff "$tmp/one.err" "$tmp/cut.err" | head -4 | sed 's/^/  /'
		return
	fi
	echo "PASS report-pieces/$name (status $rc1)"
}

# Big enough to be cut (4 MB and more): the demo's lines twelve times.
{ head -1 "$demo"; for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do
	tail -n +2 "$demo"; done; } >"$tmp/big.csv"
same text $as_of -- "$tmp/big.csv"
same json $as_of -O json --period 2026-10 -- "$tmp/big.csv"
same two-files $as_of -O json -- "$tmp/big.csv" "$tmp/big.csv"
# A bad amount inside the risk window: the message names line 50000.
awk -F, 'BEGIN { OFS = "," } NR == 50000 { $1 = "2026-11-02"; $12 = "12.x" }
    { print }' "$tmp/big.csv" >"$tmp/bad.csv"
same bad-row $as_of -- "$tmp/bad.csv"
same lenient $as_of --lenient -- "$tmp/bad.csv"
# A bad date, and a bad amount no period reads (both ways unread).
awk -F, 'BEGIN { OFS = "," } NR == 40000 { $1 = "2026-02-30" }
    { print }' "$tmp/big.csv" >"$tmp/date.csv"
same bad-date $as_of -- "$tmp/date.csv"
awk -F, 'BEGIN { OFS = "," } NR == 45000 { $1 = "2024-01-03"; $12 = "x" }
    { print }' "$tmp/big.csv" >"$tmp/old.csv"
same unread-row $as_of -- "$tmp/old.csv"
# Invoices with quoted line breaks: most line ends are inside quotes.
awk -F, 'BEGIN { OFS = "," } NR > 1 { $2 = "\"" $2 "\n(a)\n(b)\"" }
    { print }' "$tmp/big.csv" >"$tmp/quoted.csv"
same quoted-breaks $as_of -- "$tmp/quoted.csv"

# The checks above prove nothing if ka-report never cut the file: each
# piece's reader seeks to its cut past the header.
if command -v strace >/dev/null 2>&1; then
	strace -f -e trace=lseek ka-report $as_of "$tmp/big.csv" \
	    2>"$tmp/trace" >/dev/null
	seeks=$(grep -c 'lseek([0-9]*, [1-9][0-9]*, SEEK_SET' "$tmp/trace")
	if [ "$seeks" -ge 2 ]; then
		echo "PASS report-pieces/used ($seeks pieces)"
	else
		echo "FAIL report-pieces/used"
		echo "  $seeks pieces read, not 2 or more"
	fi
else
	echo "SKIP report-pieces/used: strace is not installed"
fi
