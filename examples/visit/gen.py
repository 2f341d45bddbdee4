#!/usr/bin/env python3
"""Demo inputs for ka-visit(1), for the demo company of examples/README.md.

Writes into the folder given (default: this script's folder):

  accounts.csv  the key accounts: the 2026 ranking of examples/sales.csv
                (revenue, ABC tiers at 80% and 95% of cumulative share,
                as ka-rank --period 2026 tiers them) joined with
                accounts-master.csv: customer_id, customer, tier, rank,
                region, city, owner, since
  visitors.csv  3 executives, 5 regional managers and the 8 reps who own
                the accounts, with shares of working days and days off
  visits.csv    the visits log from 2025-12-01 to 2026-11-27
  events.csv    anniversaries, honours, launches, moves and meetings
  holidays.csv  public holidays, some only in some regions
  policy.csv    the built-in cadence written out, as a template

Standard library only, a fixed seed, and no clock: running it again
writes byte-identical files.  usage: python3 examples/visit/gen.py [DIR]
"""

import csv
import datetime
import os
import random
import sys
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.dirname(HERE)
AS_OF = datetime.date(2026, 11, 27)
LOG_START = datetime.date(2025, 12, 1)
POLICY = {
    "A": {"executive": 90, "management": 30, "frontline": 14},
    "B": {"executive": 180, "management": 60, "frontline": 30},
    "C": {"management": 180, "frontline": 60},
}
LEVELS = ["executive", "management", "frontline"]

EXECUTIVES = [
    # name, home region, share, days off
    ("Helen Ward", "West", "1/3", "2026-12-21..2027-01-01"),
    ("Marco Ricci", "South", "1/3", "2026-12-14..2026-12-18"),
    ("Li Wei", "华东", "1/4", ""),
]
MANAGERS = [
    ("Julia Frank", "North", "", "2026-12-23..2026-12-31"),
    ("Oliver Grant", "West", "", ""),
    ("Pierre Dubois", "South", "", "2026-12-28..2027-01-08"),
    ("Katarina Horváth", "East", "", ""),
    ("Wang Fang", "华东", "", ""),
]
REP_OFF = {
    "Anna Berg": "2026-12-07..2026-12-18",
    "Sara Novak": "Fri",
    "Peter Hall": "2026-12-24..2027-01-04",
}
EXECUTIVE_OF = {"West": "Helen Ward", "North": "Helen Ward",
                "South": "Marco Ricci", "East": "Marco Ricci",
                "华东": "Li Wei"}
MANAGER_OF = {"North": "Julia Frank", "West": "Oliver Grant",
              "South": "Pierre Dubois", "East": "Katarina Horváth",
              "华东": "Wang Fang"}

CONTACTS = ["Dr. Klaus Weber", "Ingrid Solberg", "Giulia Bianchi",
            "Tomáš Dvořák", "Sophie Martin", "James O'Neill",
            "Marta Kowalska", "Henrik Nyström", "Elena García",
            "Pieter de Vries", "Zsófia Nagy", "Lars Madsen"]
CONTACTS_ZH = ["王建国", "李娜", "张伟", "刘洋"]
NOTES = ["", "", "", "", "", "Reviewed the Q1 plan; agreed on a promotion",
         "Asked for faster deliveries, esp. Gifts",
         "New buyer, introduced the range", "Complaint about a late order, "
         "resolved on site", "Store walk; shelf space up 10%"]


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def ranking(sales_rows):
    """Revenue per customer in 2026, ranked and tiered like ka-rank."""
    revenue = {}
    for row in sales_rows:
        if row["date"][:4] != "2026":
            continue
        cid = row["customer_id"]
        revenue[cid] = revenue.get(cid, Decimal(0)) + Decimal(row["amount"])
    order = sorted(revenue, key=lambda c: (-revenue[c], c))
    total = sum(revenue.values())
    cumulative = Decimal(0)
    tiers = {}
    for rank, cid in enumerate(order, 1):
        cumulative += revenue[cid]
        # A while the cumulative share is at most 80%, B at most 95%.
        if cumulative * 100 <= 80 * total:
            tier = "A"
        elif cumulative * 100 <= 95 * total:
            tier = "B"
        else:
            tier = "C"
        tiers[cid] = (tier, rank)
    return order, tiers


def weekday_before(day):
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def visits_for(rng, account, tier):
    """The log of one account: each level at about its cadence, the
    latest visit somewhere between recent and well overdue."""
    cid = account["customer_id"]
    region = account["region"]
    since = datetime.date.fromisoformat(account["since"])
    start = max(LOG_START, since)
    names = CONTACTS_ZH if region == "华东" else CONTACTS
    contact = names[int(cid[1:]) % len(names)]
    rows = []
    for level in LEVELS:
        interval = POLICY[tier].get(level)
        if interval is None:
            continue
        # The story: C060 is new and has met no executive yet; C031
        # lapsed in June; C011's executives have not been seen since
        # July; C002's executive visit is a little overdue.
        if cid == "C060" and level == "executive":
            continue
        if cid == "C031":
            last = {"executive": datetime.date(2026, 2, 16),
                    "management": datetime.date(2026, 5, 11),
                    "frontline": datetime.date(2026, 6, 5)}[level]
        elif cid == "C011" and level == "executive":
            last = datetime.date(2026, 7, 1)
        elif cid == "C002" and level == "executive":
            last = datetime.date(2026, 8, 20)
        else:
            back = int(interval * rng.uniform(0.0, 1.25))
            last = AS_OF - datetime.timedelta(days=back)
        day = weekday_before(last)
        while day >= start:
            if level == "executive":
                visitor, role = EXECUTIVE_OF[region], "executive"
            elif level == "management":
                visitor, role = MANAGER_OF[region], "manager"
            else:
                visitor, role = account["owner"], "rep"
            who = contact if level == "executive" else ""
            if level == "executive" and rng.random() < 0.25:
                who = names[(int(cid[1:]) + 5) % len(names)]
            rows.append((day.isoformat(), cid, visitor, role, level, who,
                         rng.choice(NOTES)))
            step = int(interval * rng.uniform(0.7, 1.0))
            day = weekday_before(day - datetime.timedelta(days=step))
    return rows


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    os.makedirs(out, exist_ok=True)
    rng = random.Random(5)
    sales = read_csv(os.path.join(EXAMPLES, "sales.csv"))
    master = {r["customer_id"]: r for r in
              read_csv(os.path.join(EXAMPLES, "accounts-master.csv"))}
    order, tiers = ranking(sales)

    write(os.path.join(out, "accounts.csv"),
          ["customer_id", "customer", "tier", "rank", "region", "city",
           "owner", "since"],
          [[cid, master[cid]["customer"], tiers[cid][0], tiers[cid][1],
            master[cid]["region"], master[cid]["city"],
            master[cid]["owner"], master[cid]["since"]] for cid in order])

    owners = sorted({master[c]["owner"]: master[c]["region"]
                     for c in master}.items())
    visitors = [(n, "executive", r, s, o) for n, r, s, o in EXECUTIVES]
    visitors += [(n, "manager", r, s, o) for n, r, s, o in MANAGERS]
    visitors += [(n, "rep", r, "", REP_OFF.get(n, "")) for n, r in owners]
    write(os.path.join(out, "visitors.csv"),
          ["visitor", "role", "region", "share", "days_off"], visitors)

    log = []
    for cid in order:
        log += visits_for(rng, master[cid], tiers[cid][0])
    log.sort(key=lambda r: (r[0], r[1], LEVELS.index(r[4])))
    write(os.path.join(out, "visits.csv"),
          ["date", "customer_id", "visitor", "visitor_role",
           "contact_level", "contact", "notes"], log)

    events = []
    for cid in order:
        if tiers[cid][0] == "C":
            continue
        since = master[cid]["since"]
        events.append((cid, since, "anniversary", "Customer since %s"
                       % since[:4]))
    events += [
        ("C007", "1951-12-08", "anniversary",
         "Danube Retail Group founded, 1951"),
        ("C017", "1997-12-21", "anniversary", "Wisła Hurt founded"),
        ("C008", "2026-12-03", "honour",
         "Smith, Jones & Co. named Retailer of the Year; send a card"),
        ("C003", "2026-12-02", "meeting", "Annual supplier review, Milan"),
        ("C024", "2027-01-15", "launch",
         "New flagship store opens, Mariahilfer Straße"),
        ("C009", "2027-02-01", "move", "Head office moves to Pudong"),
        ("C005", "2027-03-10", "meeting", "Category review for 2027"),
        ("C060", "2027-01-20", "launch", "Second store opens in Girona"),
    ]
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    write(os.path.join(out, "events.csv"),
          ["customer_id", "date", "kind", "description"], events)

    europe = ["North", "South", "East", "West"]
    holidays = []
    for day, name in [("2026-12-24", "Christmas Eve"),
                      ("2026-12-25", "Christmas Day"),
                      ("2026-12-31", "New Year's Eve")]:
        holidays += [(day, name, region) for region in europe]
    holidays.append(("2027-01-01", "New Year's Day", ""))
    holidays += [("2027-01-06", "Epiphany", r) for r in ("South", "East")]
    holidays += [("2027-02-%02d" % d, "春节", "华东") for d in range(6, 13)]
    write(os.path.join(out, "holidays.csv"), ["date", "name", "region"],
          holidays)

    write(os.path.join(out, "policy.csv"),
          ["tier", "contact_level", "max_days"],
          [(t, level, POLICY[t][level]) for t in POLICY for level in LEVELS
           if level in POLICY[t]])


if __name__ == "__main__":
    main()
