#!/usr/bin/env python3
"""Writes the demo company's stock data for ka-stock(1), next to itself.

Reads ../sales.csv (the demo sales, 2024-01-02..2026-11-27) and writes:

  accounts.csv  the key-account ranking, in ka-rank's customer_id,
                customer, tier, rank columns: revenue over the last 12
                months to 2026-11-27 (2025-11-28..2026-11-27), tiers A
                while the cumulative share is at most 80%, B to 95%, C
                after, ties by customer_id -- what
                `ka-rank --as-of 2026-11-27 --period last-12m` writes.
  stock.csv     one row per sku: sku, product, on_hand, safety_stock, as
                counted on Friday 2026-11-27.  Everyday goods have about
                twelve weeks of their usual sales on hand.  The Gifts
                category, whose peak is November-December, is short:
                about a third of last December's sales, and GFT01 and
                GFT05 hold less than their safety stock.
  incoming.csv  shipments on their way: sku, incoming, arrival.  Gifts
                restocks arrive 2026-12-09 (in time for part of the
                peak), 2026-12-21 and 2027-01-11 (too late); two
                everyday skus get their regular restock.
  orders.csv    open orders: customer_id, sku, qty, date (ordered),
                requested.  Key accounts and smaller customers order
                Gifts for December; two lines are for January.

Only the standard library, a fixed seed and no clock: running it again
writes byte-identical files.

    python3 examples/stock/gen.py
"""
import csv
import datetime
import os
import random
from collections import defaultdict
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
AS_OF = datetime.date(2026, 11, 27)
YEAR_AGO = datetime.date(2025, 11, 28)


def read_sales():
    with open(os.path.join(HERE, "..", "sales.csv"), newline="",
              encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write(name, header, rows):
    with open(os.path.join(HERE, name), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def accounts(sales):
    revenue = defaultdict(Decimal)
    names = {}
    for r in sales:
        day = datetime.date.fromisoformat(r["date"])
        if YEAR_AGO <= day <= AS_OF:
            revenue[r["customer_id"]] += Decimal(r["amount"])
            names.setdefault(r["customer_id"], r["customer"])
    total = sum(revenue.values())
    ranked = sorted(revenue, key=lambda c: (-revenue[c], c))
    rows, cum = [], Decimal(0)
    for rank, c in enumerate(ranked, 1):
        cum += revenue[c]
        share = cum * 100 / total
        tier = "A" if share <= 80 else "B" if share <= 95 else "C"
        rows.append([c, names[c], tier, rank])
    return rows


def main():
    rng = random.Random(20261127)
    sales = read_sales()
    products = {}
    weekly = defaultdict(int)      # sku -> qty over the last 26 weeks
    december = defaultdict(int)    # sku -> qty in December 2025
    for r in sales:
        products.setdefault(r["sku"], (r["product"], r["category"]))
        day = datetime.date.fromisoformat(r["date"])
        if (AS_OF - day).days < 182:
            weekly[r["sku"]] += int(r["qty"])
        if day.year == 2025 and day.month == 12:
            december[r["sku"]] += int(r["qty"])

    ranking = accounts(sales)
    write("accounts.csv", ["customer_id", "customer", "tier", "rank"],
          ranking)

    stock = []
    for sku in sorted(products):
        product, category = products[sku]
        if category == "Gifts":
            on_hand = december[sku] // 3 // 10 * 10
            safety = 40
            if sku in ("GFT01", "GFT05"):
                on_hand = 30
        else:
            on_hand = (weekly[sku] // 26 * 12) // 10 * 10 + rng.randrange(5)
            safety = (weekly[sku] // 26) // 10 * 10
        stock.append([sku, product, on_hand, safety])
    write("stock.csv", ["sku", "product", "on_hand", "safety_stock"], stock)

    incoming = [
        ["GFT01", 300, "2026-12-21"],
        ["GFT02", 120, "2026-12-09"],
        ["GFT03", 400, "2027-01-11"],
        ["GFT05", 150, "2026-12-09"],
        ["GFT07", 200, "2026-12-21"],
        ["BEV02", 2000, "2026-12-02"],
        ["SNK04", 800, "2026-12-07"],
    ]
    write("incoming.csv", ["sku", "incoming", "arrival"], incoming)

    key = [r[0] for r in ranking if r[2] == "A"]
    others = [r[0] for r in ranking if r[2] != "A"]
    orders = []
    for sku in ("GFT01", "GFT02", "GFT03", "GFT05", "GFT07", "BEV02"):
        buyers = rng.sample(key, 4) + rng.sample(others, 3)
        for c in buyers:
            ordered = AS_OF - datetime.timedelta(days=rng.randrange(1, 18))
            requested = datetime.date(2026, 12, 1) + \
                datetime.timedelta(days=rng.randrange(0, 18))
            qty = rng.choice([20, 30, 40, 50, 60, 80, 100, 120])
            orders.append([c, sku, qty, ordered.isoformat(),
                           requested.isoformat()])
    orders.append([key[0], "GFT03", 60, "2026-11-26", "2027-01-15"])
    orders.append([others[0], "GFT07", 40, "2026-11-20", "2027-01-08"])
    orders.sort(key=lambda o: (o[3], o[0], o[1]))
    write("orders.csv", ["customer_id", "sku", "qty", "date", "requested"],
          orders)


if __name__ == "__main__":
    main()
