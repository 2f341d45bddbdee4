#!/usr/bin/env python3
"""Demo inputs for ka-promo(1).

Writes, into the folder given as the only argument (examples/promo/):

    promos.csv            promotions of 2026 for the demo company's key
                          accounts, on its skus and categories; measured
                          against examples/sales.csv
    planted-sales.csv     a small constructed sales file with effects
    planted-promos.csv    planted on purpose, and its promotions
    planted-accounts.csv  tier and region of its accounts

examples/sales.csv was generated without any promotion effect, so what
ka-promo measures for promos.csv is what those data show: ordinary
week-to-week noise, seasons and trends, not a planted lift.  The planted
files exist to show a clear answer; see README.md for what was planted.

Run from the top of the repository:

    python3 examples/promo/gen.py examples/promo/

Standard library only, a fixed seed, no clock; only random.random() is
drawn from, so two runs write byte-identical files.
"""

import os
import random
import sys
from datetime import date, timedelta

HEADER = "promo_id,customer_id,scope,start,end,mechanic,discount_pct,cost\n"

# The demo company's promotions of 2026: its biggest accounts (C002,
# C007, C003, C009, C005), a grower (C024), a decliner (C011) and the new
# account C060.  PR12 overlaps PR01 (same account and scope), PR13 is a
# sku inside PR02's category.
DEMO = [
    ("PR01", "C002", "category:Beverages", "2026-05-04", "2026-05-17", "discount", "10", "4000"),
    ("PR02", "C002", "category:Snacks", "2026-09-07", "2026-09-20", "bundle", "", "2500"),
    ("PR03", "C002", "category:Gifts", "2026-10-19", "2026-11-01", "display", "", "1500"),
    ("PR04", "C007", "all", "2026-06-01", "2026-06-14", "rebate", "5", "3000"),
    ("PR05", "C003", "category:Dairy", "2026-04-06", "2026-04-19", "discount", "15", "2000"),
    ("PR06", "C009", "category:Household", "2026-03-02", "2026-03-15", "display", "", "800"),
    ("PR07", "C005", "sku:BEV02", "2026-07-06", "2026-07-19", "discount", "20", "600"),
    ("PR08", "C024", "category:Beverages", "2026-08-03", "2026-08-16", "feature", "", "1200"),
    ("PR09", "C060", "category:Snacks", "2026-04-13", "2026-04-26", "discount", "10", "500"),
    ("PR10", "C011", "all", "2026-07-13", "2026-07-26", "rebate", "5", "2500"),
    ("PR11", "C009", "category:Beverages", "2026-09-21", "2026-10-04", "discount", "10", "900"),
    ("PR12", "C002", "category:Beverages", "2026-05-11", "2026-05-24", "display", "", "1000"),
    ("PR13", "C002", "sku:SNK03", "2026-09-14", "2026-09-27", "discount", "15", "300"),
]

# The planted world: six accounts, two skus, a row every Monday.
ACCOUNTS = [
    # id, name, tier, region, weekly units of BEV02 and DRY03
    ("C001", "Harbor Fresh Market", "A", "West", 120, 80),
    ("C002", "Müller Großhandel", "A", "North", 200, 150),
    ("C003", "Mercato Centrale Srl", "A", "South", 160, 90),
    ("C004", "Vltava Potraviny", "A", "East", 140, 110),
    ("C005", "Nordic Provisions AB", "A", "North", 180, 120),
    ("C006", "Hanse Kontor", "A", "North", 150, 100),
    ("C007", "Baltic Wholesale", "A", "North", 170, 130),
]
SKUS = [("BEV02", "Beverages", "2.40", "1.80"), ("DRY03", "Dairy", "3.10", "2.40")]

# What was planted, per (account, sku): first day, last day, factor.
PLANTED = {
    # PR1: +40% for two weeks, then -20% for two weeks (pull-forward).
    ("C001", "BEV02"): [("2026-06-01", "2026-06-14", 1.40),
                        ("2026-06-15", "2026-06-28", 0.80)],
    # PR2: +25% in a market that rose 10% from September on (below).
    ("C002", "BEV02"): [("2026-09-07", "2026-09-20", 1.25)],
    ("C002", "DRY03"): [("2026-09-07", "2026-09-20", 1.25)],
    # PR3: +30% in the Q4 season (below).
    ("C003", "BEV02"): [("2026-10-19", "2026-11-01", 1.30)],
    # PR4: nothing happened.
}

PLANTED_PROMOS = [
    ("PR1", "C001", "sku:BEV02", "2026-06-01", "2026-06-14", "discount", "10", "150"),
    ("PR2", "C002", "category:Beverages", "2026-09-07", "2026-09-20", "display", "", "120"),
    ("PR2B", "C002", "category:Dairy", "2026-09-07", "2026-09-20", "display", "", "80"),
    ("PR3", "C003", "sku:BEV02", "2026-10-19", "2026-11-01", "feature", "", "200"),
    ("PR4", "C004", "sku:DRY03", "2026-03-02", "2026-03-15", "bundle", "", "300"),
]


def day(text):
    return date.fromisoformat(text)


def factor(customer, sku, d):
    f = 1.0
    # The season: Q4 sells 30% more, every year, everywhere.
    if d.month >= 10:
        f *= 1.30
    # The market: from 2026-09-01 everyone sells 10% more.
    if d >= date(2026, 9, 1):
        f *= 1.10
    for first, last, x in PLANTED.get((customer, sku), []):
        if day(first) <= d <= day(last):
            f *= x
    return f


def planted_sales(rnd):
    lines = ["date,customer_id,customer,region,sku,category,qty,unit_price,amount,cost\n"]
    d = date(2025, 1, 6)
    while d <= date(2026, 11, 23):
        for cid, name, tier, region, bev, dry in ACCOUNTS:
            for (sku, category, price, cost), base in zip(SKUS, (bev, dry)):
                noise = 0.95 + 0.10 * rnd.random()
                qty = int(round(base * factor(cid, sku, d) * noise))
                cents_price = int(price.replace(".", ""))
                cents_cost = int(cost.replace(".", ""))
                lines.append("%s,%s,%s,%s,%s,%s,%d,%s,%d.%02d,%d.%02d\n" % (
                    d.isoformat(), cid, name, region, sku, category, qty, price,
                    qty * cents_price // 100, qty * cents_price % 100,
                    qty * cents_cost // 100, qty * cents_cost % 100))
        d += timedelta(days=7)
    return "".join(lines)


def write(folder, name, text):
    with open(os.path.join(folder, name), "w", encoding="utf-8", newline="") as f:
        f.write(text)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen.py FOLDER")
    folder = sys.argv[1]
    rnd = random.Random(20261127)
    write(folder, "promos.csv", HEADER + "".join(",".join(p) + "\n" for p in DEMO))
    write(folder, "planted-sales.csv", planted_sales(rnd))
    write(folder, "planted-promos.csv",
          HEADER + "".join(",".join(p) + "\n" for p in PLANTED_PROMOS))
    write(folder, "planted-accounts.csv", "customer_id,customer,tier,region\n" +
          "".join("%s,%s,%s,%s\n" % a[:4] for a in ACCOUNTS))


if __name__ == "__main__":
    main()
