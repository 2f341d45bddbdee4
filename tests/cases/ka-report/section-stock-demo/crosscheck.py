#!/usr/bin/env python3
"""Cross-checks ka-report's --stock section against ka-stock's own output.

    crosscheck.py REPORT.json CHECK.csv [ALLOCATE.csv]

REPORT.json is `ka-report -O json --lang en ... --stock ...`; CHECK.csv
is `ka-stock check` on the same sales, accounts, stock, --as-of, --peak
and --lead; ALLOCATE.csv is `ka-stock allocate --orders ... --horizon
Nd` to the peak's last day.  Every figure of the section is worked out
again from the CSV (rows, the shortfall total, the key accounts short,
the skus to order now and later, the open orders of tier A) and
compared; prints one line saying what agrees, or what does not.
"""
import csv
import json
import re
import sys
from decimal import Decimal


def grouped(d):
    """1997 -> "1,997", as ka_display_money writes a whole quantity."""
    return f"{Decimal(d):,}"


def main():
    section = json.load(open(sys.argv[1], encoding="utf-8"))["sections"]["stock"]
    rows, lines = section["rows"], section["lines"]
    check = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
    problems = []

    def want(line):
        if line not in lines:
            problems.append(f"no line {line!r}")

    def want_list(head, items, tail):
        """head + items joined by ", " + tail, the list maybe cut short
        with " and N more" to fit the line."""
        for line in lines:
            if line.startswith(head) and line.endswith(tail):
                text = line[len(head):len(line) - len(tail)]
                m = re.fullmatch(r"(.*?)(?: and (\d+) more)?", text)
                shown = m.group(1).split(", ")
                more = int(m.group(2) or 0)
                if shown == items[:len(shown)] and \
                        len(shown) + more == len(items):
                    return
        problems.append(f"no line {head}{', '.join(items)}{tail}")

    if len(rows) != min(len(check), 20):
        problems.append(f"{len(rows)} rows, ka-stock has {len(check)}")
    for r, c in zip(rows, check):
        got = (r["sku"], r["product"], r["short from"],
               r["shortfall"].replace(",", ""))
        exp = (c["sku"], c["product"], c["short_from"], c["shortfall"])
        if got != exp:
            problems.append(f"row {got} against {exp}")
        ids = [a.split(":")[0] for a in c["short_accounts"].split(";")]
        m = re.fullmatch(r"(.*?)(?: \+(\d+))?", r["key accounts short"])
        shown = m.group(1).split(", ")
        if shown != ids[:len(shown)] or \
                len(shown) + int(m.group(2) or 0) != len(ids):
            problems.append(f"{c['sku']}: accounts {r['key accounts short']!r}"
                            f" against {c['short_accounts']!r}")
    n = len(check)
    total = sum(Decimal(c["shortfall"]) for c in check)
    accounts = {a.split(":")[0] for c in check
                for a in c["short_accounts"].split(";")}
    now = [c["sku"] for c in check if c["action"].startswith("order now")]
    late = sum(c["action"] == "order now, arrives late" for c in check)
    later = [c for c in check if c["action"].startswith("order by")]
    if n > 0:
        want(f"Shortfall {grouped(total)} units; {len(accounts)} key "
             f"account{'s' if len(accounts) != 1 else ''} short.")
        if len(now) == n and n > 1:
            want(f"To order now: all {n} skus short.")
        elif now:
            want_list(f"To order now: {len(now)} "
                      f"sku{'s' if len(now) > 1 else ''} (", now, ").")
        else:
            want("To order now: none.")
        if late:
            want(f"Even ordered today, {late} "
                 f"{'arrives after it runs' if late == 1 else 'arrive after they run'}"
                 " short.")
        if len(later) == 1:
            want(f"To order later: {later[0]['sku']} by "
                 f"{later[0]['order_by']}.")
        elif later:
            first = min(c["order_by"] for c in later)
            want_list(f"To order later: {len(later)} skus, the first by "
                      f"{first} (", [c["sku"] for c in later], ").")
    else:
        want("To order now: none.")
    if not any(re.match(rf"{n} of \d+ skus key accounts|None of the", l)
               for l in lines):
        problems.append(f"no line saying {n} skus run short")
    said = f"{n} stock-outs, shortfall {total}, {len(accounts)} key accounts, "\
           f"{len(now)} to order now"
    if len(sys.argv) > 3:
        alloc = list(csv.DictReader(open(sys.argv[3], encoding="utf-8")))
        key = [a for a in alloc if a["tier"] == "A"]
        short = [a for a in key if Decimal(a["shortfall"]) > 0]
        skus = list(dict.fromkeys(a["sku"] for a in short))
        until = re.search(r"due by (\S+):", " ".join(lines))
        qty = sum(Decimal(a["demand"]) for a in key)
        want(f"Key-account open orders due by {until.group(1) if until else '?'}"
             f": {len(key)} account-sku line{'s' if len(key) != 1 else ''}, "
             f"{grouped(qty)} units.")
        if short:
            want_list(f"Short: {len(short)} line"
                      f"{'s' if len(short) != 1 else ''}, "
                      f"{grouped(sum(Decimal(a['shortfall']) for a in short))}"
                      " units (", skus, ").")
        else:
            want("All of them can be filled in full.")
        said += f"; {len(key)} key-account order lines, {len(short)} short"
    if problems:
        print("cross-check FAILED:")
        for p in problems:
            print("  " + p)
    else:
        print("cross-check: " + said + ": agree")


if __name__ == "__main__":
    main()
