"""Independent checks of ka-visit on the demo data (examples/visit).

status: every row recomputed from the files, the table compared whole.
plan: the planner's rules checked on every planned visit, and every visit
that is due found in the plan.  Standard library only."""
import csv, datetime, math, sys
from fractions import Fraction

D = datetime.date.fromisoformat
demo, status_file, plan_file, load_file = sys.argv[1:5]
as_of = D("2026-11-27")
first, last = as_of + datetime.timedelta(days=1), as_of + datetime.timedelta(days=56)
policy = {"A": {"executive": 90, "management": 30, "frontline": 14},
          "B": {"executive": 180, "management": 60, "frontline": 30},
          "C": {"management": 180, "frontline": 60}}
levels = ["executive", "management", "frontline"]
tiers = ["A", "B", "C"]


def rows(name):
    return list(csv.DictReader(open(name, encoding="utf-8")))


accounts = {r["customer_id"]: r for r in rows(demo + "/accounts.csv")}
latest = {}
for v in rows(demo + "/visits.csv"):
    d = D(v["date"])
    if d > as_of:
        continue
    key = (v["customer_id"], v["contact_level"])
    old = latest.get(key)
    if old is None or d > old[0] or (d == old[0] and v["visitor"] < old[1]):
        latest[key] = (d, v["visitor"])

# ---- status ----
want = []
for cid, a in accounts.items():
    for level in levels:
        days = policy[a["tier"]].get(level)
        if days is None:
            continue
        lv = latest.get((cid, level))
        if lv is None:
            row = [cid, a["customer"], a["tier"], a["owner"], level, str(days),
                   "", "", as_of.isoformat(), "", "never"]
            key = (tiers.index(a["tier"]), 0, 0, cid, levels.index(level))
        else:
            due = lv[0] + datetime.timedelta(days=days)
            over = (as_of - due).days
            window = min(7, days // 4)
            state = ("overdue" if over > 0 else
                     "due-soon" if -over <= window else "ok")
            row = [cid, a["customer"], a["tier"], a["owner"], level, str(days),
                   lv[0].isoformat(), lv[1], due.isoformat(), str(over), state]
            key = (tiers.index(a["tier"]), 1, -over, cid, levels.index(level))
        want.append((key, row))
want = [r for _, r in sorted(want)]
got = [list(r.values()) for r in rows(status_file)]
if got == want:
    print("status: identical to python's (%d rows)" % len(got))
else:
    print("status: differs")
    for g, w in zip(got, want):
        if g != w:
            print("  ka-visit %s\n  python   %s" % (g, w))
            break

# ---- plan ----
visitors = {r["visitor"]: r for r in rows(demo + "/visitors.csv")}
holidays = [(D(h["date"]), h["region"]) for h in rows(demo + "/holidays.csv")]


def holiday(day, region):
    return any(d == day and (r == "" or r == region) for d, r in holidays)


def share(p):
    s = p["share"] or {"executive": "1/3", "manager": "1/2", "rep": "4/5"}[p["role"]]
    return Fraction(s)


def off(p, day):
    for item in p["days_off"].replace(",", ";").split(";"):
        item = item.strip()
        if not item:
            continue
        if item[:3].lower() in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
            if day.strftime("%a").lower() == item[:3].lower():
                return True
        elif ".." in item:
            a, b = item.split("..")
            if D(a) <= day <= D(b):
                return True
        elif D(item) == day:
            return True
    return False


def working(p, day):
    return day.weekday() < 5 and not holiday(day, p["region"]) and not off(p, day)


problems = []
plan = rows(plan_file)
per_day, per_week, days_used = {}, {}, {}
right = {"executive": "executive", "management": "manager", "frontline": "rep"}
stand_in = {"management": "executive", "frontline": "manager"}
for r in plan:
    day, p, a = D(r["date"]), visitors[r["visitor"]], accounts[r["customer_id"]]
    where = "%s %s %s %s" % (r["date"], r["visitor"], r["customer_id"], r["contact_level"])
    if not first <= day <= last:
        problems.append(where + ": outside the horizon")
    if not working(p, day):
        problems.append(where + ": not a working day of the visitor")
    if holiday(day, a["region"]):
        problems.append(where + ": a holiday for the account")
    role = p["role"]
    if role != right[r["contact_level"]]:
        if role != stand_in.get(r["contact_level"]):
            problems.append(where + ": wrong role " + role)
        elif day < D(r["due_date"]) or "stands in" not in r["reason"]:
            problems.append(where + ": a stand-in before the visit is due")
    if role != "executive" and p["region"] != a["region"]:
        problems.append(where + ": outside the visitor's region")
    if not r["reason"].startswith("%s %s " % (a["tier"], r["contact_level"])):
        problems.append(where + ": reason " + r["reason"])
    per_day.setdefault((r["visitor"], day), []).append(a["city"])
for (name, day), cities in per_day.items():
    if len(cities) > 3 or len(set(cities)) != 1:
        problems.append("%s %s: %s" % (name, day, cities))
    iso = day.isocalendar()[:2]
    per_week[(name, iso)] = per_week.get((name, iso), 0) + 1
    days_used[name] = days_used.get(name, 0) + 1
for name, p in visitors.items():
    days = [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]
    work = [d for d in days if working(p, d)]
    capacity = math.floor(share(p) * len(work) + Fraction(1, 2))
    if days_used.get(name, 0) > capacity:
        problems.append("%s: %d visiting days, capacity %d" % (name, days_used[name], capacity))
    for (n, iso), used in per_week.items():
        if n == name:
            week = [d for d in work if d.isocalendar()[:2] == iso]
            if used > math.ceil(share(p) * len(week)):
                problems.append("%s week %s: %d days" % (name, iso, used))
load = {r["visitor"]: r for r in rows(load_file)}
for name in visitors:
    if int(load[name]["visiting_days"]) != days_used.get(name, 0):
        problems.append("%s: load says %s visiting days" % (name, load[name]["visiting_days"]))
# Every level overdue or never at as-of is visited in the horizon.
planned = {(r["customer_id"], r["contact_level"]) for r in plan}
for r in rows(status_file):
    if r["status"] in ("overdue", "never") and \
            (r["customer_id"], r["contact_level"]) not in planned:
        problems.append("%s %s is %s and not planned" % (r["customer_id"], r["contact_level"], r["status"]))
# Every anniversary in the horizon gets a visit in the 14 days up to it.
for e in rows(demo + "/events.csv"):
    if e["kind"] != "anniversary" or e["customer_id"] not in accounts:
        continue
    a = accounts[e["customer_id"]]
    level = next(l for l in levels if l in policy[a["tier"]])
    o = D(e["date"])
    for year in (first.year, last.year):
        day = o.replace(year=year)
        if first <= day <= last and year > o.year:
            if not any(r["customer_id"] == e["customer_id"] and
                       r["contact_level"] == level and
                       day - datetime.timedelta(days=13) <= D(r["date"]) <= day
                       for r in plan):
                problems.append("%s: no visit before the anniversary %s" % (e["customer_id"], day))
if problems:
    print("plan: %d problems" % len(problems))
    for p in problems[:20]:
        print("  " + p)
else:
    print("plan: %d visits; every rule holds" % len(plan))
