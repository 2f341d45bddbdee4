#!/usr/bin/env python3
"""Checks the promotions section of a ka-report JSON against ka-promo.

Usage: check.py REPORT.json EVALUATE.csv FIRST LAST

EVALUATE.csv is `ka-promo evaluate -p PROMOS -a ACCOUNTS --period P
SALES` over the same promotions, key accounts and sales; FIRST and LAST
are the bounds of the report's period (ISO dates).  Independently of
ka-report's code, with decimal.Decimal, it works out what the section
must say and compares:
  rows     every row of EVALUATE.csv that ended in the period, except the
           members of a combined row ("P1+P2" stands for them), by end
           date, then in ka-promo's order: customer name (else id),
           promo_id, lift, dip and net revenue, roi and net_roi ("n/a"
           where ka-promo has no figure);
  totals   the number of promotions (distinct ids), the cost of all rows,
           the lift over rows with a baseline, the net revenue and net
           margin over rows with a dip, the pooled ROI (incremental
           margin / cost over rows with a margin and a cost above 0) and
           net ROI (the same over those with a dip), rounded half away
           from zero to 2 places, and how many have roi < 0 and the flag
           dip-exceeds-lift;
  words    one sentence per row, built from its columns: mechanic,
           discount, scope, window, days, lift percent and every flag.
Money is shown grouped with two decimals ("1,234.50").  Prints "ok: ..."
lines, or each difference and exits 1.
"""
import csv
import json
import sys
from decimal import Decimal, ROUND_HALF_UP

CENT = Decimal("0.01")
WEEKS = 8


def money(v):
    return "{:,.2f}".format(Decimal(v).quantize(CENT, ROUND_HALF_UP))


def cell(v):
    return money(v) if v != "" else "n/a"


def scope_words(scope):
    if scope.startswith("sku:"):
        return "sku " + scope[4:]
    if scope.startswith("category:"):
        return "category " + scope[9:]
    return "everything" if scope == "all" else scope


def sentence(r, any_cost):
    flags = r["flags"].split(";") if r["flags"] else []
    name = r["customer"] or r["customer_id"]
    head = "%s, %s: %s" % (r["promo_id"], name, r["mechanic"] or
                           "a promotion")
    if r["discount_pct"]:
        d = Decimal(r["discount_pct"].rstrip("%"))
        text = format(d.normalize(), "f")
        head += " %s%%" % text
    head += " on %s, %s..%s (%s days)" % (scope_words(r["scope"]),
                                          r["start"], r["end"], r["days"])
    parts = [head]
    if "overlap" in flags:
        parts.append(r["overlaps"].replace(";", ", ") +
                     " overlap on the same scope: measured together")
    if r["lift_revenue_pct"]:
        p = Decimal(r["lift_revenue_pct"])
        parts.append("revenue %s%s%% on the baseline" %
                     ("+" if p >= 0 else "", p.quantize(CENT)))
    if "no-baseline" in flags:
        parts.append("no baseline, so no figures")
    if "too-short-baseline" in flags:
        parts.append("a baseline of only %s of %d weeks" %
                     (r["baseline_weeks"], WEEKS))
    if "negative-roi" in flags:
        parts.append("lost margin (ROI below 0)")
    if "dip-exceeds-lift" in flags:
        parts.append("the dip after exceeded the lift")
    elif r["dip_revenue"] and Decimal(r["dip_revenue"]) > 0:
        parts.append("sales after it fell %s below the baseline (the dip)"
                     % money(r["dip_revenue"]))
    elif r["dip_revenue"] and Decimal(r["dip_revenue"]) < 0:
        parts.append("sales after it ran %s above the baseline (no dip)" %
                     money(-Decimal(r["dip_revenue"])))
    if "short-post" in flags:
        if r["post_weeks"] in ("", "0"):
            parts.append("no week after it to measure a dip in")
        else:
            parts.append("the dip measured over only %s of %d weeks" %
                         (r["post_weeks"], WEEKS))
    if "nested-overlap" in flags:
        parts.append("overlaps %s on a nested scope (each measured on its "
                     "own)" % r["overlaps"].replace(";", ", "))
    if "yoy-promoted" in flags:
        parts.append("a promotion ran in the year-ago weeks")
    if r["baseline_weeks"] and not r["cost"] and any_cost:
        parts.append("no cost given, so no ROI")
    return "; ".join(parts) + "."


def pooled(margin, cost):
    return money((margin / cost).quantize(CENT, ROUND_HALF_UP))


def main():
    report, evaluate, first, last = sys.argv[1:5]
    section = json.load(open(report, encoding="utf-8"))["sections"]["promos"]
    rows = list(csv.DictReader(open(evaluate, encoding="utf-8")))
    # Members of a combined row have no figures of their own.
    rows = [r for r in rows
            if not r["baseline_method"].startswith("measured together")]
    rows = [r for r in rows if first <= r["end"] <= last]
    rows.sort(key=lambda r: r["end"])          # stable: ka-promo's order
    problems = []

    want_rows = [{"customer": r["customer"] or r["customer_id"],
                  "promo": r["promo_id"],
                  "lift": cell(r["lift_revenue"]),
                  "dip": cell(r["dip_revenue"]),
                  "net": cell(r["net_revenue"]),
                  "ROI": cell(r["roi"]),
                  "net ROI": cell(r["net_roi"])} for r in rows]
    got_rows = section.get("rows", [])
    if got_rows != want_rows:
        problems.append("rows differ:\n  want %s\n  got  %s" %
                        (want_rows, got_rows))

    lines = section["lines"]
    if not rows:
        if len(lines) != 2 or not lines[0].startswith("No promotion ended"):
            problems.append("want the no-promotion line, got %s" % lines)
    else:
        ids = []
        for r in rows:
            if r["promo_id"] not in ids:
                ids.append(r["promo_id"])
        cost = sum(Decimal(r["cost"]) for r in rows if r["cost"])
        lifted = [r for r in rows if r["baseline_weeks"]]
        dipped = [r for r in lifted if r["dip_revenue"]]
        lift = sum(Decimal(r["lift_revenue"]) for r in lifted)
        net = sum(Decimal(r["net_revenue"]) for r in dipped)
        net_margin = sum(Decimal(r["net_margin"]) for r in dipped
                         if r["net_margin"])
        with_roi = [r for r in lifted if r["incremental_margin"] and
                    r["cost"] and Decimal(r["cost"]) > 0]
        roi_rows = [r for r in rows if r["roi"]]
        negative = sum(1 for r in rows if r["roi"] and Decimal(r["roi"]) < 0)
        dips = sum(1 for r in rows if "dip-exceeds-lift" in r["flags"])
        plural = "promotion" if len(ids) == 1 else "promotions"
        want = [None, None, None]
        want[0] = "%d %s ended in %s" % (len(ids), plural, "PERIOD")
        # The period's words are the report's; only what follows them is
        # checked here.
        tail0 = (", costing %s%s." % (money(cost), "" if len(rows) == 1
                                       else " in all"))
        if not any(r["cost"] for r in rows):
            tail0 = ", with no cost given."
        if len(ids) < len(rows):
            tail0 = ", measured for %d accounts%s" % (len(rows), tail0)
        second = "Revenue lift %s" % money(lift)
        if len(lifted) < len(rows):
            second += " (the %d measured)" % len(lifted)
        if dipped:
            second += "; net of the dip after, %s" % money(net)
            if len(dipped) < len(lifted):
                second += " (the %d with a dip measured)" % len(dipped)
            if all(r["net_margin"] for r in dipped):
                second += ", net margin %s" % money(net_margin)
        if with_roi:
            m = sum(Decimal(r["incremental_margin"]) for r in with_roi)
            c = sum(Decimal(r["cost"]) for r in with_roi)
            second += "; %s %s" % ("ROI" if len(lifted) == 1 else
                                   "pooled ROI", pooled(m, c))
            nd = [r for r in with_roi if r["dip_revenue"]]
            if nd:
                nm = sum(Decimal(r["net_margin"]) for r in nd)
                nc = sum(Decimal(r["cost"]) for r in nd)
                second += ", net ROI %s" % pooled(nm, nc)
        else:
            second += "; no ROI: no cost or no margin"
        second += "."
        if not roi_rows:
            third = ("In none did the dip after exceed the lift." if dips == 0
                     else "In %d the dip after exceeded the lift." % dips)
        elif negative + dips == 0:
            third = ("None lost margin, and in none did the dip after "
                     "exceed the lift.")
        else:
            third = ("%d lost margin (ROI below 0); in %d the dip after "
                     "exceeded the lift." % (negative, dips))
        head = "%d %s ended in " % (len(ids), plural)
        if not lines[0].startswith(head) or not lines[0].endswith(tail0):
            problems.append("line 1: want %r...%r, got %r" %
                            (head, tail0, lines[0]))
        if lines[1] != second:
            problems.append("line 2: want %r, got %r" % (second, lines[1]))
        if lines[2] != third:
            problems.append("line 3: want %r, got %r" % (third, lines[2]))
        any_cost = any(r["cost"] for r in rows)
        for i, r in enumerate(rows):
            want_line = sentence(r, any_cost)
            got = lines[4 + i] if 4 + i < len(lines) else None
            if got != want_line:
                problems.append("promotion %s: want %r, got %r" %
                                (r["promo_id"], want_line, got))
        if len(lines) != 4 + len(rows) + 1:
            problems.append("want %d lines, got %d" %
                            (4 + len(rows) + 1, len(lines)))
    if not lines[-1].startswith("Same figures: ka-promo evaluate -p "):
        problems.append("last line: %r" % lines[-1])
    if problems:
        for p in problems:
            print(p)
        sys.exit(1)
    if rows:
        print("ok: %d rows, %d sentences; lift %s, net %s, cost %s" %
              (len(rows), len(rows), money(lift), money(net), money(cost)))
    else:
        print("ok: no promotion ended in %s..%s" % (first, last))


main()
