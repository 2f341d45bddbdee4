#!/usr/bin/env python3
"""The pre baseline of ka-promo, worked out independently for the
planted example (one row a week per account and sku, no promotions of
one account sharing sales), to check the report's figures.

Usage: pre.py SALES.csv PROMOS.csv

For each promotion: the 8 seven-day blocks counted back from the day
before its start (each wholly on or after the account's first row),
expected = their sum / 8 x days / 7, rounded half away from zero to 2
places (revenue, and margin = amount - cost alike); lift = actual -
expected; the dip over the blocks counted on from the day after its
end that end by the last date of the data (at most 8): expected over M
blocks (mean x M, rounded) - actual; net = lift - dip; roi = incremental
margin / cost and net_roi = (incremental margin - dip margin) / cost,
rounded to 2 places.  Prints one line per promotion in the report's
table order (by end date).
"""
import csv
import datetime as dt
import sys
from decimal import Decimal as D, ROUND_HALF_UP

C = D("0.01")
WEEKS = 8


def money(v):
    return "{:,.2f}".format(v.quantize(C, ROUND_HALF_UP))


def main():
    rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
    for r in rows:
        r["day"] = dt.date.fromisoformat(r["date"])
    last = max(r["day"] for r in rows)
    first = {}
    for r in rows:
        c = r["customer_id"]
        first[c] = min(first.get(c, r["day"]), r["day"])

    def match(r, cust, scope):
        if r["customer_id"] != cust:
            return False
        if scope.startswith("sku:"):
            return r["sku"] == scope[4:]
        if scope.startswith("category:"):
            return r["category"] == scope[9:]
        return True

    def sums(cust, scope, a, b):
        rev = mar = D(0)
        for r in rows:
            if a <= r["day"] <= b and match(r, cust, scope):
                rev += D(r["amount"])
                mar += D(r["amount"]) - D(r["cost"])
        return rev, mar

    promos = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
    promos.sort(key=lambda p: p["end"])
    for p in promos:
        s = dt.date.fromisoformat(p["start"])
        e = dt.date.fromisoformat(p["end"])
        c, scope = p["customer_id"], p["scope"]
        days = (e - s).days + 1
        pre = [sums(c, scope, s - dt.timedelta(days=7 * (k + 1)),
                    s - dt.timedelta(days=7 * k + 1))
               for k in range(WEEKS)
               if s - dt.timedelta(days=7 * (k + 1)) >= first[c]]
        n = len(pre)
        mean_rev = sum(x[0] for x in pre) / n
        mean_mar = sum(x[1] for x in pre) / n
        expected = (mean_rev * days / 7).quantize(C, ROUND_HALF_UP)
        expected_mar = (mean_mar * days / 7).quantize(C, ROUND_HALF_UP)
        actual, actual_mar = sums(c, scope, s, e)
        lift = actual - expected
        margin = actual_mar - expected_mar
        post = [sums(c, scope, e + dt.timedelta(days=7 * k + 1),
                     e + dt.timedelta(days=7 * k + 7))
                for k in range(WEEKS)
                if e + dt.timedelta(days=7 * k + 7) <= last]
        m = len(post)
        dip = ((mean_rev * m).quantize(C, ROUND_HALF_UP) -
               sum(x[0] for x in post))
        dip_mar = ((mean_mar * m).quantize(C, ROUND_HALF_UP) -
                   sum(x[1] for x in post))
        cost = D(p["cost"])
        print("%s %s: baseline %d weeks, dip %d weeks; lift %s (%s%%) dip %s "
              "net %s roi %s net_roi %s" % (
                  p["promo_id"], c, n, m, money(lift),
                  (lift / expected * 100).quantize(C, ROUND_HALF_UP),
                  money(dip), money(lift - dip), money(margin / cost),
                  money((margin - dip_mar) / cost)))


main()
