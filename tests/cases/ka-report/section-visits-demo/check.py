#!/usr/bin/env python3
"""Cross-checks the visits section of ka-report (its JSON form, English)
against ka-visit's own output on the same files and against executive
time recomputed here from the visits log.

usage: check.py REPORT.json STATUS.csv EVENTS.csv|- VISITS.csv VISITORS.csv|-
                FIRST LAST AS_OF

STATUS.csv is `ka-visit status --tier A -a ACCOUNTS VISITS`, EVENTS.csv
`ka-visit events -a ACCOUNTS --within 45 EVENTS`; FIRST..LAST is the
stretch the report measures (its period, cut at --as-of).  Prints one
"ok" line per part, or what differs, and exits 1 on a difference.
"""

import csv
import datetime
import json
import re
import sys
from fractions import Fraction

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
failures = 0


def check(what, got, want):
    global failures
    if got == want:
        print("ok: " + what)
        return
    failures += 1
    print("DIFFERS: " + what)
    print("  report:   %r" % (got,))
    print("  expected: %r" % (want,))


def day(text):
    return datetime.date.fromisoformat(text)


def percent(n, d):
    """n/d x 100, half up, 2 places, as the engine rounds it."""
    if d == 0:
        return "0.00"
    hundredths = (Fraction(n * 100, d) * 100 + Fraction(1, 2)).__floor__()
    return "%d.%02d" % (hundredths // 100, hundredths % 100)


def share_of(text):
    text = text.strip()
    if not text:
        return Fraction(1, 3)
    if "/" in text:
        a, b = text.split("/")
        return Fraction(int(a), int(b))
    if text.endswith("%"):
        return Fraction(text[:-1]) / 100
    return Fraction(text)


def off_days(text):
    """Days off: dates, FIRST..LAST ranges and weekday names."""
    dates, weekdays = [], set()
    for part in re.split(r"[;, ]+", text.strip()):
        if not part:
            continue
        if part[:3].lower() in WEEKDAYS and not part[0].isdigit():
            weekdays.add(WEEKDAYS.index(part[:3].lower()))
        elif ".." in part:
            a, b = part.split("..")
            dates.append((day(a), day(b)))
        else:
            dates.append((day(part), day(part)))
    return dates, weekdays


def working_days(first, last, off):
    dates, weekdays = off
    n, d = 0, first
    while d <= last:
        if d.weekday() < 5 and d.weekday() not in weekdays and \
                not any(a <= d <= b for a, b in dates):
            n += 1
        d += datetime.timedelta(days=1)
    return n


def executives(visits_path, visitors_path):
    """Name -> (share, days off): the visitors file's executives, else
    the log's visitors whose latest visit was as an executive."""
    people = {}
    if visitors_path != "-":
        with open(visitors_path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row["role"].strip().lower() == "executive":
                    people[row["visitor"]] = (share_of(row.get("share", "")),
                                              off_days(row.get("days_off", "")))
        return people
    latest = {}
    with open(visits_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name, role = row["visitor"], row["visitor_role"].strip().lower()
            if name and role and (name not in latest or
                                  row["date"] >= latest[name][0]):
                latest[name] = (row["date"], role)
    for name, (_, role) in latest.items():
        if role == "executive":
            people[name] = (Fraction(1, 3), ([], set()))
    return people


def time_figures(visits_path, people, first, last, as_of):
    days = {name: set() for name in people}
    with open(visits_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            d = day(row["date"])
            if row["visitor"] in days and first <= d <= last and d <= as_of:
                days[row["visitor"]].add(d)
    out = {}
    for name, (share, off) in people.items():
        out[name] = (len(days[name]), working_days(first, last, off), share)
    return out


def ordinal(n):
    if 11 <= n % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def main():
    (report_path, status_path, events_path, visits_path, visitors_path,
     first, last, as_of) = sys.argv[1:9]
    first, last, as_of = day(first), day(last), day(as_of)
    with open(report_path, encoding="utf-8") as f:
        section = json.load(f)["sections"]["visits"]
    lines = section["lines"]

    # 1. The table: ka-visit status --tier A, overdue and never rows.
    with open(status_path, newline="", encoding="utf-8") as f:
        status = list(csv.DictReader(f))
    want = []
    for row in status:
        if row["status"] not in ("overdue", "never"):
            continue
        never = row["status"] == "never"
        want.append([row["customer"] or row["customer_id"],
                     row["contact_level"],
                     "never" if never else row["last_visit"],
                     "-" if never else (row["last_visitor"] or "-"),
                     "-" if never else row["days_overdue"]])
    got = [list(r.values()) for r in section["rows"]]
    check("overdue table = ka-visit status --tier A, overdue and never "
          "(%d rows)" % len(want), got, want)

    # 2. The compliance line.
    accounts = {r["customer_id"] for r in status}
    late = [r for r in status if r["status"] in ("overdue", "never")]
    never = sum(1 for r in late if r["status"] == "never")
    late_accounts = len({r["customer_id"] for r in late})
    if not late:
        want_line = "Tier-A accounts overdue: none of %d." % len(accounts)
    elif never:
        want_line = ("Tier-A accounts overdue: %d of %d (%d contact %s, %d "
                     "never visited)." % (late_accounts, len(accounts),
                                          len(late), "level" if len(late) == 1
                                          else "levels", never))
    else:
        want_line = ("Tier-A accounts overdue: %d of %d (%d contact %s)." %
                     (late_accounts, len(accounts), len(late),
                      "level" if len(late) == 1 else "levels"))
    check("compliance line", lines[0], want_line)

    # 3. Executive time, recomputed from the log, and the 13 weeks.
    people = executives(visits_path, visitors_path)
    now = time_figures(visits_path, people, first, last, as_of)
    trend_first = last - datetime.timedelta(days=90)
    trend = time_figures(visits_path, people, trend_first, last, as_of) \
        if (last - first).days + 1 < 91 else None
    want_lines = []
    for name in sorted(people, key=lambda n: n.encode()):
        visiting, working, share = now[name]
        text = "%s: %d of %d days (%s%%)" % (name, visiting, working,
                                            percent(visiting, working))
        if trend and trend[name][1] > 0:
            text += ", last 13 weeks %s%%" % percent(trend[name][0],
                                                     trend[name][1])
        text += ", goal %s%%." % percent(share.numerator * 100,
                                          share.denominator * 100)
        want_lines.append(text)
    if len(people) > 1:
        visiting = sum(v[0] for v in now.values())
        working = sum(v[1] for v in now.values())
        goal = sum(v[2] * v[1] for v in now.values())
        text = "All %d: %d of %d days (%s%%)" % (len(people), visiting,
                                                working,
                                                percent(visiting, working))
        if trend:
            text += ", last 13 weeks %s%%" % percent(
                sum(v[0] for v in trend.values()),
                sum(v[1] for v in trend.values()))
        # The goal weighs each executive's share by working days.
        text += ", goal %s%%." % percent_fraction(goal, working)
        want_lines.append(text)
    start = next(i for i, l in enumerate(lines)
                 if l.startswith("Executive time"))
    check("executive time (%d executives, %s..%s)" % (len(people), first,
                                                      last),
          lines[start + 1:start + 1 + len(want_lines)], want_lines)

    # 4. Events: ka-visit events --within 45.
    if events_path != "-":
        with open(events_path, newline="", encoding="utf-8") as f:
            events = list(csv.DictReader(f))
        urgent = sum(1 for e in events if e["band"] == "urgent")
        if events:
            want_lines = ["Events in the next 45 days: %d (%d within 14 "
                          "days)." % (len(events), urgent)]
        else:
            want_lines = ["Events in the next 45 days: none."]
        for e in events[:10]:
            kind = e["kind"] if e["kind"] != "other" else "event"
            if e["kind"] == "anniversary" and e["years"]:
                kind = "%s%s anniversary" % (e["years"],
                                             ordinal(int(e["years"])))
            text = "%s %s: %s" % (e["date"], e["customer"] or
                                  e["customer_id"], kind)
            if e["description"]:
                text += " \u2014 " + e["description"]
            want_lines.append(text)
        if len(events) > 10:
            want_lines.append("... and %d more: ka-visit events --within "
                              "45." % (len(events) - 10))
        start = next(i for i, l in enumerate(lines)
                     if l.startswith("Events in the next"))
        got = lines[start:start + len(want_lines)]
        # A line longer than 78 columns ends in an ellipsis.
        got = [g if not g.endswith("\u2026") or not w.startswith(g[:-1])
               else w for g, w in zip(got, want_lines)]
        check("events = ka-visit events --within 45 (%d)" % len(events),
              got, want_lines)
    return 1 if failures else 0


def percent_fraction(value, d):
    """value/d x 100 for a fractional value, as percent() rounds."""
    if d == 0:
        return "0.00"
    hundredths = (value * 100 / d * 100 + Fraction(1, 2)).__floor__()
    return "%d.%02d" % (hundredths // 100, hundredths % 100)


if __name__ == "__main__":
    sys.exit(main())
