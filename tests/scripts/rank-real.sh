#!/usr/bin/env bash
# ka-rank on real sales exports, read in place from $KA_SHARED/data/real
# (../shared beside the project; every check is skipped where it is
# absent, as in a user's fresh clone).
#
# Usage: bash tests/scripts/rank-real.sh BUILD_DIR   (from the root)
# Prints "PASS name", "FAIL name" with indented detail lines, or
# "SKIP name: reason".
#
# For each export python3 computes, from the raw files with its csv and
# decimal modules and without ka-rank, the input's total (amount, or
# quantity x unit price where there is no amount column), the rows with
# no customer, and each customer's distinct invoices.  ka-rank must then
# give: the sum of revenue over every ranked customer plus the amount of
# the rows it could not assign (its stderr line) equal to that total
# exactly (so certainly to the cent); as many unassigned rows; and
# orders equal to the distinct invoices of each customer's sales.
set -u
build=${1:-build}
case $build in /*) ;; *) build=$PWD/$build ;; esac
rank=$build/bin/ka-rank
shared=${KA_SHARED:-../shared}
real=$shared/data/real
export LC_ALL=C.UTF-8 TZ=UTC

uci=$real/uci-online-retail-by-day/by-day
bikes=$real/sap-datasphere-sales/Sample_Bikes_Sales_content/CSV
sales=$real/sap-datasphere-sales/SAP_Sample_Content/CSV/Sales
dsp1=$real/sap-datasphere-sales/Sample_Data_openSAP_Introduction_to_SAP_Datasphere
northwind=$real/northwind

names="uci-by-day uci-by-country sap-bikes-orders sap-sales-orders
sap-dsp1-orders northwind-net northwind-gross"

if [ ! -d "$real" ]; then
	for name in $names; do
		echo "SKIP rank-real/$name: $real is absent"
	done
	exit 0
fi
if ! command -v python3 >/dev/null; then
	for name in $names; do
		echo "SKIP rank-real/$name: python3 is needed for the check"
	done
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# check NAME SPEC -- KA-RANK ARGUMENTS...: SPEC tells python how to read
# the input: "delimiter|customer|amount|qty|price|invoice|files..." with
# empty fields for columns that play no part.
check() {
	local name=$1 spec=$2
	shift 3
	"$rank" -O tsv --no-progress "$@" >"$tmp/out.tsv" 2>"$tmp/err"
	local rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL rank-real/$name"
		echo "  ka-rank exited $rc"
		sed 's/^/  /' "$tmp/err" | head -5
		return
	fi
	python3 - "$spec" "$tmp/out.tsv" "$tmp/err" "$name" <<'PY'
import csv, re, sys
from decimal import Decimal

spec, out, err, name = sys.argv[1:5]
fields = spec.split("|")
delim, cust, amount, qty, price, invoice = fields[:6]
files = fields[6:]
decimal_comma = delim == ";"

def number(text):
    text = text.strip()
    if decimal_comma:
        text = text.replace(".", "").replace(",", ".")
    return Decimal(text)

total = Decimal(0)
unassigned_rows = 0
unassigned = Decimal(0)
invoices = {}
for path in files:
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f, delimiter=delim):
            if amount:
                value = number(row[amount])
            else:
                value = number(row[qty]) * number(row[price])
            total += value
            key = row[cust].strip() if cust in row else ""
            if key == "":
                unassigned_rows += 1
                unassigned += value
                continue
            sale = value >= 0 and (not qty or number(row[qty]) >= 0)
            seen = invoices.setdefault(key, set())
            if sale:
                seen.add(row[invoice] if invoice else object())

problems = []
ranked = Decimal(0)
orders = {}
with open(out, newline="", encoding="utf-8") as f:
    reader = csv.DictReader(f, delimiter="\t")
    key_column = reader.fieldnames[0]
    for row in reader:
        ranked += Decimal(row["revenue"])
        orders[row[key_column]] = int(row["orders"])
stderr = open(err, encoding="utf-8").read()
m = re.search(r"(\d+) rows? with no \S+ (?:was|were) not ranked \(amount (-?[\d.]+)\)", stderr)
said_rows = int(m.group(1)) if m else 0
said = Decimal(m.group(2)) if m else Decimal(0)
if ranked + said != total:
    problems.append("ranked %s + unassigned %s = %s, the input's total is %s"
                    % (ranked, said, ranked + said, total))
if said_rows != unassigned_rows or said != unassigned:
    problems.append("unassigned: ka-rank says %d rows, %s; python finds %d, %s"
                    % (said_rows, said, unassigned_rows, unassigned))
if cust and key_column in ("customer_id", "customer"):
    if set(orders) != set(invoices):
        problems.append("%d customers ranked, %d in the input"
                        % (len(orders), len(invoices)))
    wrong = [k for k in invoices if orders.get(k) != len(invoices[k])]
    for k in wrong[:3]:
        problems.append("customer %s: orders %s, distinct invoices %d"
                        % (k, orders.get(k), len(invoices[k])))
    if len(wrong) > 3:
        problems.append("... and %d more customers" % (len(wrong) - 3))
if problems:
    print("FAIL rank-real/%s" % name)
    for p in problems:
        print("  " + p)
else:
    print("PASS rank-real/%s (%d groups, total %s, %d unassigned rows)"
          % (name, len(orders), total, unassigned_rows))
PY
}

if [ -d "$uci" ]; then
	# All 68 days as one stream: no amount column, so Quantity x
	# UnitPrice; 36,210 lines have no CustomerID.
	files=$(ls "$uci"/*.csv | tr '\n' '|' | sed 's/|$//')
	check uci-by-day ",|CustomerID||Quantity|UnitPrice|InvoiceNo|$files" \
	    -- "$uci"/*.csv
	check uci-by-country ",|Country||Quantity|UnitPrice||$files" \
	    -- --by country "$uci"/*.csv
else
	echo "SKIP rank-real/uci-by-day: $uci is absent"
	echo "SKIP rank-real/uci-by-country: $uci is absent"
fi

if [ -d "$bikes" ]; then
	# PARTNERID, NETAMOUNT (preferred over GROSSAMOUNT), SALESORDERID,
	# CREATEDAT as 20180111.
	check sap-bikes-orders ",|PARTNERID|NETAMOUNT|||SALESORDERID|$bikes/SalesOrders.csv" \
	    -- "$bikes/SalesOrders.csv"
else
	echo "SKIP rank-real/sap-bikes-orders: $bikes is absent"
fi
if [ -d "$sales" ]; then
	# ';', a byte-order mark and decimal commas ("3142,13").
	check sap-sales-orders ";|PARTNERID|NETAMOUNT|||SALESORDERID|$sales/SalesOrders.csv" \
	    -- --decimal-comma "$sales/SalesOrders.csv"
else
	echo "SKIP rank-real/sap-sales-orders: $sales is absent"
fi
if [ -d "$dsp1" ]; then
	check sap-dsp1-orders ",|PARTNERID|NETAMOUNT|||SALESORDERID|$dsp1/SalesOrders_dsp1.csv" \
	    -- "$dsp1/SalesOrders_dsp1.csv"
else
	echo "SKIP rank-real/sap-dsp1-orders: $dsp1 is absent"
fi

if [ -d "$northwind" ]; then
	# Northwind keeps orders and their lines apart: python joins them
	# (customerID, employeeID and orderDate onto each line) and writes
	# the net amount unitPrice x quantity x (1 - discount), exact.
	python3 - "$northwind" "$tmp/northwind.csv" <<'PY'
import csv, sys
from decimal import Decimal
src, out = sys.argv[1:3]
orders = {}
with open(src + "/orders.csv", newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        orders[row["orderID"]] = row
with open(src + "/order_details.csv", newline="", encoding="utf-8") as f, \
        open(out, "w", newline="", encoding="utf-8") as o:
    w = csv.writer(o, lineterminator="\n")
    w.writerow(["order_id", "customer_id", "employee_id", "order_date",
                "product_id", "unit_price", "quantity", "discount", "amount"])
    for row in csv.DictReader(f):
        order = orders[row["orderID"]]
        amount = (Decimal(row["unitPrice"]) * Decimal(row["quantity"]) *
                  (1 - Decimal(row["discount"])))
        w.writerow([row["orderID"], order["customerID"], order["employeeID"],
                    order["orderDate"], row["productID"], row["unitPrice"],
                    row["quantity"], row["discount"], amount])
PY
	check northwind-net ",|customer_id|amount|||order_id|$tmp/northwind.csv" \
	    -- "$tmp/northwind.csv"
	# Without the amount column: quantity x unit price, before discount.
	cut -d, -f1-8 "$tmp/northwind.csv" >"$tmp/northwind-gross.csv"
	check northwind-gross ",|employee_id||quantity|unit_price|order_id|$tmp/northwind-gross.csv" \
	    -- --by rep "$tmp/northwind-gross.csv"
else
	echo "SKIP rank-real/northwind-net: $northwind is absent"
	echo "SKIP rank-real/northwind-gross: $northwind is absent"
fi
