#!/usr/bin/env python3
"""Demo rebate agreements for the demo company's key accounts.

Writes, into the folder given (default: this script's folder):
  agreements.csv       one agreement per key account: retro, marginal,
                       growth, per-unit, fixed, a capped one, one scoped to
                       a category, one starting mid-quarter, one that ended
  tier-agreements.csv  one agreement covering every tier-A account of a
                       ka-rank ranking (used with --accounts)
  settled.csv          the credit memos finance has booked so far: every
                       settlement period closed by 2026-09-30, worked out
                       here in Python from ../sales.csv (independently of
                       ka-rebate), except that C007's 2026-Q3 memo is not
                       booked yet

Standard library only, no clock, no randomness: reruns are byte-identical.
"""
import csv
import datetime as dt
import os
import sys
from decimal import Decimal, ROUND_HALF_UP

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else HERE
SALES = os.path.join(HERE, "..", "sales.csv")

AGREEMENTS = [
    # id, customer, from, to, basis, scope, method, tiers, settlement, cap
    ("RB-C002-2026", "C002", "2026-01-01", "2026-12-31", "amount", "",
     "retro", "1000000:1%,2000000:2%,2500000:3%", "quarterly", ""),
    ("RB-C007-2026", "C007", "2026-01-01", "2026-12-31", "amount", "",
     "marginal", "0:0.5%,500000:1%,1000000:1.5%", "quarterly", ""),
    ("RB-C003-2026", "C003", "2026-01-01", "2026-12-31", "amount", "",
     "retro", "250000:1.5%,750000:2.5%", "quarterly", "20000"),
    ("GR-C024-2026", "C024", "2026-01-01", "2026-12-31", "amount", "",
     "growth", "0:3%,100000:5%", "annual", ""),
    ("VOL-C009-2026", "C009", "2026-01-01", "2026-12-31", "qty", "",
     "per-unit", "30000:0.20/unit,50000:0.30/unit", "monthly", ""),
    ("DAIRY-C009-2026", "C009", "2026-01-01", "2026-12-31", "amount",
     "category=Dairy", "retro", "100000:2%,250000:3%", "quarterly", ""),
    ("FIX-C005-2026", "C005", "2026-01-01", "2026-12-31", "amount", "",
     "fixed", "400000:5000,500000:8000", "annual", ""),
    ("NEW-C060-2026", "C060", "2026-03-15", "2027-03-14", "amount", "",
     "retro", "50000:1%,150000:2%", "quarterly", ""),
    ("RB-C011-2025", "C011", "2025-07-01", "2026-06-30", "amount", "",
     "retro", "300000:1%,600000:2%", "quarterly", ""),
]

TIER_AGREEMENTS = [
    # id, tier, from, to, basis, scope, method, tiers, settlement, cap
    ("LOYAL-A-2026", "A", "2026-01-01", "2026-12-31", "amount", "",
     "retro", "250000:0.5%,1000000:1%", "annual", "15000"),
]

SETTLED_THROUGH = dt.date(2026, 9, 30)
NOT_BOOKED = {("RB-C007-2026", "2026-Q3")}
CENT = Decimal("0.01")


def date(text):
    return dt.date.fromisoformat(text)


def add_months(d, n):
    month = d.month - 1 + n
    year = d.year + month // 12
    month = month % 12 + 1
    days = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0)
            else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return dt.date(year, month, min(d.day, days))


def parse_tiers(text):
    tiers = []
    for piece in text.split(","):
        threshold, rate = piece.split(":")
        kind = "sum"
        if rate.endswith("%"):
            kind, rate = "percent", rate[:-1]
        elif rate.endswith("/unit"):
            kind, rate = "unit", rate[:-5]
        tiers.append((Decimal(threshold), Decimal(rate), kind))
    return tiers


def rebate(tiers, method, level):
    """Exact rebate of the tiers on level (Decimal), before rounding."""
    reached = [t for t in tiers if t[0] <= level]
    if not reached:
        return Decimal(0)

    def term(amount, rate, kind):
        if kind == "percent":
            return amount * rate / 100
        if kind == "unit":
            return amount * rate
        return rate
    if method == "marginal":
        total = Decimal(0)
        for i, (threshold, rate, kind) in enumerate(reached):
            upper = level
            if i + 1 < len(tiers) and tiers[i + 1][0] < upper:
                upper = tiers[i + 1][0]
            total += term(upper - threshold, rate, kind)
        return total
    threshold, rate, kind = reached[-1]
    return term(level, rate, kind)


def settlement_periods(agreement):
    start, end, frequency = date(agreement[2]), date(agreement[3]), agreement[8]
    d = start
    while d <= end:
        if frequency == "monthly":
            first = d.replace(day=1)
            last = add_months(first, 1) - dt.timedelta(days=1)
            label = "%04d-%02d" % (d.year, d.month)
        elif frequency == "quarterly":
            q = (d.month - 1) // 3
            first = dt.date(d.year, 3 * q + 1, 1)
            last = add_months(first, 3) - dt.timedelta(days=1)
            label = "%04d-Q%d" % (d.year, q + 1)
        else:
            first, last = dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)
            label = "%04d" % d.year
        if first < start or last > end:
            first, last = max(first, start), min(last, end)
            label = "%s..%s" % (first.isoformat(), last.isoformat())
        yield label, last, last == end
        d = last + dt.timedelta(days=1)


def main():
    rows = list(csv.DictReader(open(SALES, encoding="utf-8")))
    names = {}
    for r in rows:
        names.setdefault(r["customer_id"], r["customer"])

    def basis_through(agreement, day, year_earlier=False):
        customer, start, end = agreement[1], date(agreement[2]), date(agreement[3])
        basis_column = agreement[4]
        scope = agreement[5]
        last = min(day, end)
        if year_earlier:
            start, last = add_months(start, -12), add_months(last, -12)
        total = Decimal(0)
        for r in rows:
            if r["customer_id"] != customer:
                continue
            d = date(r["date"])
            if d < start or d > last:
                continue
            if scope:
                column, value = scope.split("=")
                if r[column] != value:
                    continue
            total += Decimal(r["qty" if basis_column == "qty" else "amount"])
        return total

    def earned(agreement, day):
        start = date(agreement[2])
        if day < start:
            return Decimal(0)
        basis = basis_through(agreement, day)
        level = basis
        if agreement[6] == "growth":
            level = max(Decimal(0), basis - basis_through(agreement, day, True))
        value = rebate(parse_tiers(agreement[7]), agreement[6], level)
        value = value.quantize(CENT, rounding=ROUND_HALF_UP)
        if agreement[9]:
            value = min(value, Decimal(agreement[9]))
        return value

    os.makedirs(OUT, exist_ok=True)
    header = ["agreement_id", "customer_id", "valid_from", "valid_to",
              "basis", "scope", "method", "tiers", "settlement", "cap"]
    with open(os.path.join(OUT, "agreements.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(AGREEMENTS)
    with open(os.path.join(OUT, "tier-agreements.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["agreement_id", "tier"] + header[2:])
        w.writerows(TIER_AGREEMENTS)

    with open(os.path.join(OUT, "settled.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["agreement_id", "customer_id", "customer", "period",
                    "period_end", "kind", "basis", "earned",
                    "settled_before", "amount"])
        for agreement in AGREEMENTS:
            paid = Decimal(0)
            for label, last, final in settlement_periods(agreement):
                if last > SETTLED_THROUGH:
                    break
                if (agreement[0], label) in NOT_BOOKED:
                    continue
                basis = basis_through(agreement, last)
                now = earned(agreement, last)
                amount = now - paid
                w.writerow([agreement[0], agreement[1], names[agreement[1]],
                            label, last.isoformat(),
                            "final" if final else "interim",
                            basis if agreement[4] == "qty"
                            else basis.quantize(CENT),
                            now, paid.quantize(CENT), amount.quantize(CENT)])
                paid = now


main()
