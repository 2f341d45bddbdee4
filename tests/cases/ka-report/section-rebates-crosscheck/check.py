#!/usr/bin/env python3
"""Checks the rebates section of a ka-report JSON against ka-rebate.

Usage: check.py REPORT.json ACCRUE.csv NEAR.csv ACCOUNTS.csv NEAR_PCT [schedule]

ACCRUE.csv is `ka-rebate accrue` over the same agreements, settled
amounts, key accounts (ACCOUNTS.csv, ka-rank output) and sales; NEAR.csv
the same with --near NEAR_PCT.  Independently of ka-report's code, with
decimal.Decimal, it works out what the section must say and compares:
  rows     the accruals of key accounts (customer_id in ACCOUNTS.csv), in
           ka-rebate's order: name, agreement, earned, accrual, the gap to
           the next tier (volume_needed / next_threshold x 100, half up to
           2 places) and the extra rebate, or "top tier" / "ended" /
           "not yet" (note column) where there is no next tier to reach;
  totals   earned, settled and accrual of those rows (settled is also
           earned - accrual; "schedule": no --settled was given, so the
           report says the settled amounts come from the schedule);
  near     the rows of NEAR.csv, smallest gap first, then the larger
           extra rebate: one sentence each, and the sum of their extras.
Money is shown grouped with two decimals ("1,234.50"), quantities
without decimals when whole.  Prints "ok: ..." lines, or each
difference and exits 1.
"""
import csv
import json
import sys
from decimal import Decimal, ROUND_HALF_UP

CENT = Decimal("0.01")


def money(v):
    return "{:,.2f}".format(Decimal(v).quantize(CENT, ROUND_HALF_UP))


def level(basis_type, v):
    d = Decimal(v)
    if basis_type == "qty" and d == d.to_integral_value():
        return "{:,}".format(int(d))
    return money(d)


def gap_pct(row):
    g = Decimal(row["volume_needed"]) / Decimal(row["next_threshold"]) * 100
    return g.quantize(CENT, ROUND_HALF_UP)


def main():
    report, accrue, near_file, accounts, near_pct = sys.argv[1:6]
    schedule = sys.argv[6:] == ["schedule"]
    section = json.load(open(report, encoding="utf-8"))["sections"]["rebates"]
    keys = {r["customer_id"] for r in csv.DictReader(open(accounts, encoding="utf-8"))}
    rows = [r for r in csv.DictReader(open(accrue, encoding="utf-8"))
            if r["customer_id"] in keys]
    problems = []

    want_rows = []
    earned = accrual = settled = Decimal(0)
    for r in rows:
        earned += Decimal(r["earned"])
        settled += Decimal(r["settled"])
        accrual += Decimal(r["accrual"])
        gap, extra = "", ""
        if r["note"] == "not started":
            gap = "not yet"
        elif r["note"] == "ended":
            gap = "ended"
        elif r["next_threshold"] == "":
            gap = "top tier"
        else:
            gap = "{}%".format(gap_pct(r))
            extra = money(r["extra_rebate"])
        want_rows.append({
            "customer": r["customer"] or r["customer_id"],
            "agreement": r["agreement_id"],
            "earned": money(r["earned"]),
            "accrual": money(r["accrual"]),
            "next tier": gap,
            "worth": extra,
        })
    if section["rows"] != want_rows:
        for i, (got, want) in enumerate(zip(section["rows"], want_rows)):
            if got != want:
                problems.append("row {}: got {} want {}".format(i + 1, got, want))
        if len(section["rows"]) != len(want_rows):
            problems.append("rows: got {} want {}".format(
                len(section["rows"]), len(want_rows)))
    if settled != earned - accrual:
        problems.append("ka-rebate: settled {} is not earned - accrual".format(settled))
    n = len(rows)
    head = ("As of 2026-11-27, {} rebate agreement{} of key accounts: earned {}, "
            "settled {}{}, accrual to book {}.").format(
                n, "" if n == 1 else "s", money(earned), money(settled),
                " (by the settlement schedule)" if schedule else "",
                money(accrual))
    if section["lines"][0] != head:
        problems.append("line 1: got {!r} want {!r}".format(section["lines"][0], head))

    near = list(csv.DictReader(open(near_file, encoding="utf-8")))
    near = [r for r in near if r["customer_id"] in keys]
    order = {(r["agreement_id"], r["customer_id"]): i for i, r in enumerate(rows)}
    near.sort(key=lambda r: (gap_pct(r), -Decimal(r["extra_rebate"]),
                             order[(r["agreement_id"], r["customer_id"])]))
    total = sum((Decimal(r["extra_rebate"]) for r in near), Decimal(0))
    words = {"amount": "sales", "qty": "units", "margin": "margin"}
    want = ["{} agreement{} within {}% of {} next tier, worth {} more rebate "
            "in all (a sales opportunity):".format(
                len(near), "" if len(near) == 1 else "s", near_pct,
                "its" if len(near) == 1 else "their", money(total))]
    for r in near:
        want.append("{} ({}) needs {} more {} to reach {}{} ({}% short), "
                    "worth {} more rebate.".format(
                        r["customer"] or r["customer_id"], r["agreement_id"],
                        level(r["basis_type"], r["volume_needed"]),
                        words[r["basis_type"]],
                        "growth of " if r["method"] == "growth" else "",
                        level(r["basis_type"], r["next_threshold"]),
                        gap_pct(r), money(r["extra_rebate"])))
    got = section["lines"][1:1 + len(want)]
    if got != want:
        for g, w in zip(got, want):
            if g != w:
                problems.append("near: got {!r} want {!r}".format(g, w))
        if len(got) != len(want):
            problems.append("near lines: got {} want {}".format(len(got), len(want)))

    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print("ok: {} rows, totals earned {} settled {} accrual {}".format(
        len(want_rows), money(earned), money(settled), money(accrual)))
    print("ok: {} near within {}%, worth {}".format(len(near), near_pct, money(total)))


main()
