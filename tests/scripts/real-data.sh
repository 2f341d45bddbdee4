#!/usr/bin/env bash
# ka-clean on real sales exports, read in place from $KA_SHARED/data/real
# (../shared beside the project; every check is skipped where it is
# absent, as in a user's fresh clone).
#
# Usage: bash tests/scripts/real-data.sh BUILD_DIR   (from the project root)
# Prints "PASS name", "FAIL name" with indented detail lines, or
# "SKIP name: reason".
#
# For each export, independently of ka-clean, python3 counts the records
# with its csv module and totals the number columns with its decimal
# module.  ka-clean must then:
#   - read every record: --check exits 0 with "N read, N good, 0 bad";
#   - write as many rows, each equal to the input row cleaned: numbers
#     equal as exact decimals, dates the same day in ISO form, text equal
#     with the surrounding spaces trimmed (and NULL empty under --null);
#   - keep the totals: the output column's total equals python's total of
#     the raw column exactly (so certainly to the cent), and --check's
#     "amount total" is that total rounded to the cent.
set -u
build=${1:-build}
case $build in /*) ;; *) build=$PWD/$build ;; esac
clean=$build/bin/ka-clean
shared=${KA_SHARED:-../shared}
real=$shared/data/real
export LC_ALL=C.UTF-8 TZ=UTC

uci=$real/uci-online-retail-by-day/by-day
bikes=$real/sap-datasphere-sales/Sample_Bikes_Sales_content/CSV
sales=$real/sap-datasphere-sales/SAP_Sample_Content/CSV/Sales
dsp1=$real/sap-datasphere-sales/Sample_Data_openSAP_Introduction_to_SAP_Datasphere
northwind=$real/northwind

names="uci-by-day sap-bikes-orders sap-bikes-items sap-bikes-partners
sap-dsp1-orders sap-sales-orders sap-sales-items sap-sales-partners
sap-bikes-employees-1252 sap-bikes-employees-rejected northwind-orders
northwind-order-details"

if [ ! -d "$real" ]; then
	for name in $names; do
		echo "SKIP real-data/$name: $real is absent"
	done
	exit 0
fi
if ! command -v python3 >/dev/null; then
	for name in $names; do
		echo "SKIP real-data/$name: python3 is needed for the check"
	done
	exit 0
fi
if [ ! -x "$clean" ]; then
	echo "FAIL real-data: $clean is not built"
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The independent side.  Arguments: the cleaned output, then options
# saying how to read the raw files and which columns are numbers or
# dates, then the raw files.  Prints "rows N" and "total COLUMN X" lines,
# or problems (each on one line) and exits 1.
cat >"$tmp/expect.py" <<'PY'
import argparse, csv, io, sys
from datetime import datetime
from decimal import Decimal, InvalidOperation

p = argparse.ArgumentParser()
p.add_argument('--out', required=True)
p.add_argument('--delimiter', default=',')
p.add_argument('--encoding', default='utf-8-sig')
p.add_argument('--decimal-comma', action='store_true')
p.add_argument('--null')
p.add_argument('--number', action='append', default=[],
               help='RAW_COLUMN=OUTPUT_COLUMN, an exact decimal')
p.add_argument('--date', action='append', default=[],
               help='RAW_COLUMN=OUTPUT_COLUMN=STRPTIME_FORMAT')
p.add_argument('files', nargs='+')
a = p.parse_args()

problems = []
def problem(text):
    problems.append(text)

def number(text):
    text = text.strip(' \t')
    if text == '' or text == a.null:
        return None
    if a.decimal_comma:
        text = text.replace('.', '').replace(',', '.')
    return Decimal(text)

def records(path, encoding, delimiter):
    with open(path, encoding=encoding, newline='') as f:
        return [r for r in csv.reader(f, delimiter=delimiter) if r]

raw = []
header = None
for path in a.files:
    rows = records(path, a.encoding, a.delimiter)
    if header is None:
        header = rows[0]
    elif rows[0] != header:
        problem('%s: header differs from the first file\'s' % path)
    raw.extend(rows[1:])
out = records(a.out, 'utf-8', ',')
out_header, out = out[0], out[1:]

if len(out) != len(raw):
    problem('output has %d rows, the input %d' % (len(out), len(raw)))
if len(out_header) != len(header):
    problem('output has %d columns, the input %d'
            % (len(out_header), len(header)))

numbers = {}
for spec in a.number:
    raw_name, out_name = spec.split('=')
    numbers[header.index(raw_name)] = out_name
dates = {}
for spec in a.date:
    raw_name, out_name, form = spec.split('=', 2)
    dates[header.index(raw_name)] = (out_name, form)
for i, name in list(numbers.items()) + [(i, d[0]) for i, d in dates.items()]:
    if out_header[i] != name:
        problem('column %d is "%s" in the output, expected "%s"'
                % (i + 1, out_header[i], name))

totals_in = {i: Decimal(0) for i in numbers}
totals_out = {i: Decimal(0) for i in numbers}
shown = 0
for n, (r, o) in enumerate(zip(raw, out), 1):
    for i, field in enumerate(r):
        got = o[i] if i < len(o) else None
        try:
            if i in numbers:
                want = number(field)
                have = None if got in ('', None) else Decimal(got)
                if want is not None:
                    totals_in[i] += want
                if have is not None:
                    totals_out[i] += have
                ok = want == have
            elif i in dates:
                text = field.strip(' \t')
                want = '' if text in ('', a.null) else \
                    datetime.strptime(text, dates[i][1]).strftime('%Y-%m-%d')
                ok = want == got
            else:
                want = field.strip(' \t')
                if want == a.null:
                    want = ''
                ok = want == got
        except (InvalidOperation, ValueError) as e:
            ok, want = False, 'unreadable (%s)' % e
        if not ok:
            if shown < 5:
                problem('data row %d, column %d (%s): output %r, expected %r'
                        % (n, i + 1, header[i], got, want))
            shown += 1
if shown > 5:
    problem('... %d differing fields in all' % shown)
for i in numbers:
    if totals_in[i] != totals_out[i]:
        problem('total of %s: output %s, input %s'
                % (numbers[i], totals_out[i], totals_in[i]))

if problems:
    for text in problems:
        print(text)
    sys.exit(1)
print('rows', len(raw))
for i in numbers:
    print('total', numbers[i], totals_in[i])
PY

# check NAME [KA-CLEAN-OPTION...] -- [EXPECT-OPTION...] -- FILE...
# Runs ka-clean --check and ka-clean -o on FILE..., then compares with
# python's reading of the same files.
check() {
	local name=$1 detail="" want rows total summary line rc file
	local out=$tmp/$1.csv
	local -a options=() expect_options=()
	shift
	while [ "$1" != -- ]; do options+=("$1"); shift; done
	shift
	while [ "$1" != -- ]; do expect_options+=("$1"); shift; done
	shift
	for file in "$@"; do
		if [ ! -f "$file" ]; then
			echo "SKIP real-data/$name: $file is absent"
			return
		fi
	done
	summary=$("$clean" --check "${options[@]}" "$@" 2>"$tmp/check.err")
	rc=$?
	[ $rc -eq 0 ] || detail+="--check exit status $rc, want 0"$'\n'
	"$clean" "${options[@]}" -o "$out" "$@" 2>"$tmp/clean.err"
	rc=$?
	[ $rc -eq 0 ] || detail+="exit status $rc, want 0"$'\n'
	[ -s "$tmp/check.err" ] &&
	    detail+="--check stderr: $(head -3 "$tmp/check.err")"$'\n'
	[ -s "$tmp/clean.err" ] &&
	    detail+="stderr: $(head -3 "$tmp/clean.err")"$'\n'
	if [ ! -f "$out" ]; then
		detail+="no output file"$'\n'
	elif ! want=$(python3 "$tmp/expect.py" --out "$out" \
	    "${expect_options[@]}" "$@" 2>&1); then
		detail+="$want"$'\n'
	else
		rows=$(sed -n 's/^rows //p' <<<"$want")
		line="rows: $rows read, $rows good, 0 bad"
		grep -qxF "$line" <<<"$summary" ||
		    detail+="--check says \"$(head -1 <<<"$summary")\", python counts $rows rows"$'\n'
		total=$(sed -n 's/^total amount //p' <<<"$want")
		if [ -n "$total" ]; then
			# ka-clean rounds half away from zero, as ROUND_HALF_UP does.
			total=$(python3 -c 'import decimal, sys
print(decimal.Decimal(sys.argv[1]).quantize(decimal.Decimal("0.01"),
    rounding=decimal.ROUND_HALF_UP))' "$total")
			grep -qxF "amount total: $total" <<<"$summary" ||
			    detail+="--check's amount total is not python's $total: $(grep '^amount total' <<<"$summary")"$'\n'
		fi
	fi
	if [ -z "$detail" ]; then
		echo "PASS real-data/$name"
	else
		echo "FAIL real-data/$name"
		printf '%s' "$detail" | sed 's/^/  /'
	fi
}

# UCI Online Retail: 68 daily files as one stream.  No amount column, so
# the totals checked are of Quantity and UnitPrice.
if [ -d "$uci" ]; then
	check uci-by-day -- --number Quantity=qty \
	    --number UnitPrice=unit_price \
	    --date "InvoiceDate=date=%Y-%m-%d %H:%M:%S" -- "$uci"/*.csv
else
	echo "SKIP real-data/uci-by-day: $uci is absent"
fi

# SAP Bikes: comma, LF, YYYYMMDD dates, NETAMOUNT with three decimals.
check sap-bikes-orders -- --number NETAMOUNT=amount \
    --date CREATEDAT=date=%Y%m%d -- "$bikes/SalesOrders.csv"
check sap-bikes-items -- --number NETAMOUNT=amount --number QUANTITY=qty \
    -- "$bikes/SalesOrderItems.csv"
check sap-bikes-partners -- --date CREATEDAT=date=%Y%m%d \
    -- "$bikes/BusinessPartners.csv"
check sap-dsp1-orders -- --number NETAMOUNT=amount \
    --date CREATEDAT=date=%Y-%m-%d -- "$dsp1/SalesOrders_dsp1.csv"

# SAP sample content: ';', a UTF-8 BOM, decimal commas ("3142,13").
check sap-sales-orders --decimal-comma -- --delimiter ';' --decimal-comma \
    --number NETAMOUNT=amount --date CREATEDAT=date=%Y%m%d \
    -- "$sales/SalesOrders.csv"
check sap-sales-items --decimal-comma -- --delimiter ';' --decimal-comma \
    --number NETAMOUNT=amount --number QUANTITY=qty \
    -- "$sales/SalesOrderItems.csv"
check sap-sales-partners -- --delimiter ';' \
    --date CREATEDAT=date=%Y-%m-%d -- "$sales/BusinessPartners.csv"

# SAP Bikes Employees.csv is not UTF-8: line 7 has a raw 0xa0 and line 9
# "P\xe9n\xe9lope Duperr\xe9", which are Windows-1252 (no-break space,
# é).  Read with --encoding WINDOWS-1252 it is clean; without, it is
# rejected with a message naming the first bad line and the --encoding
# hint.  Both are checked.
check sap-bikes-employees-1252 --encoding WINDOWS-1252 \
    -- --encoding cp1252 -- "$bikes/Employees.csv"

employees_rejected() {
	local name=sap-bikes-employees-rejected file=$bikes/Employees.csv
	local want got rc
	if [ ! -f "$file" ]; then
		echo "SKIP real-data/$name: $file is absent"
		return
	fi
	# python finds the first line that is not UTF-8, the byte and its column.
	want=$(python3 - "$file" <<'PY'
import sys
name = sys.argv[1]
for number, line in enumerate(open(name, 'rb').read().split(b'\n'), 1):
    try:
        line.decode('utf-8')
    except UnicodeDecodeError as e:
        column = line[:e.start].count(b',') + 1
        print('ka-clean: %s:%d: invalid UTF-8 (byte 0x%02x) in column %d; '
              'if the file is in another encoding, give --encoding (e.g. '
              'GB18030, WINDOWS-1252, UTF-16LE)'
              % (name, number, line[e.start], column))
        break
PY
)
	got=$("$clean" "$file" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -eq 1 ] && [ "$got" = "$want" ]; then
		echo "PASS real-data/$name"
	else
		echo "FAIL real-data/$name"
		echo "  exit status $rc, want 1"
		echo "  stderr:   $got"
		echo "  expected: $want"
	fi
}
employees_rejected

# Northwind: NULL for missing values.  orders has no amount column: its
# money is freight, made the amount with --col.  order_details has unit
# prices and quantities.
check northwind-orders --null NULL --col amount=freight \
    -- --null NULL --number freight=amount \
    --date "orderDate=date=%Y-%m-%d %H:%M:%S.%f" -- "$northwind/orders.csv"
check northwind-order-details --null NULL \
    -- --null NULL --number unitPrice=unit_price --number quantity=qty \
    -- "$northwind/order_details.csv"
