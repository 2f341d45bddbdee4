#!/usr/bin/env python3
"""An independent model of ka-promo evaluate, written from the definitions
in common/ka_promo.h and ka-promo(1) with exact fractions, to check the
program's figures on random data.

usage: ref.py gen DIR SEED [--no-tiers]
                write sales.csv, promos.csv, accounts.csv (no tier: targets)
       ref.py check DIR BASELINE OUT.csv [--accounts] [--weeks N] [--post-weeks M]
                compare ka-promo's output with the model
"""
import csv, datetime as dt, random, sys
from fractions import Fraction as F

YEAR = 364

def day(s):
    return dt.date.fromisoformat(s).toordinal()

def natural(text):
    """Digits compare as numbers: C2 before C10."""
    import re
    return [(0, int(x), "") if x.isdigit() else (1, 0, x) for x in re.findall(r"\d+|\D+", text)]

def iso(n):
    return dt.date.fromordinal(n).isoformat()

def r2(x):
    """Half away from zero to 2 decimals."""
    sign = -1 if x < 0 else 1
    a = abs(x) * 100
    q = a.numerator // a.denominator
    if (a - q) * 2 >= 1:
        q += 1
    return F(sign * q, 100)

def gen(folder, seed, tiers_too=True):
    # Only random() is drawn from: its sequence for a seed is stable
    # across Python versions; randint, choice and randrange have changed.
    rnd = random.Random(seed)
    randint = lambda a, b: a + int(rnd.random() * (b - a + 1))
    choice = lambda seq: seq[int(rnd.random() * len(seq))]
    skus = {"A1": "Food", "A2": "Food", "B1": "Drink", "B2": "Drink"}
    customers = ["C%d" % i for i in range(1, 25)]
    tiers = {c: ("A" if i < 12 else "B") for i, c in enumerate(customers)}
    regions = {c: ("North" if i % 2 == 0 else "South") for i, c in enumerate(customers)}
    first = day("2024-07-01")
    last = day("2026-06-28")
    # C7 starts late (short baselines); the rest from the first day.
    start_of = {c: first + (0 if i != 6 else 500) for i, c in enumerate(customers)}
    with open(folder + "/accounts.csv", "w") as f:
        f.write("customer_id,customer,tier,region\n")
        for c in customers:
            f.write("%s,Name %s,%s,%s\n" % (c, c, tiers[c], regions[c]))
    rows = []
    for d in range(first, last + 1):
        for c in customers:
            if d < start_of[c] or rnd.random() < 0.7:
                continue
            sku = choice(sorted(skus))
            qty = randint(1, 20) * (2 if rnd.random() < 0.1 else 1)
            if rnd.random() < 0.03:
                qty = -qty
            price = F(randint(100, 500), 100)
            amount = qty * price
            cost = "" if rnd.random() < 0.003 else "%.2f" % float(amount * F(7, 10))
            rows.append((iso(d), c, sku, skus[sku], qty, "%.2f" % float(amount), cost))
    with open(folder + "/sales.csv", "w") as f:
        f.write("date,customer_id,sku,category,qty,amount,cost\n")
        for r in rows:
            f.write("%s,%s,%s,%s,%d,%s,%s\n" % r)
    scopes = ["sku:A1", "sku:A2", "sku:B1", "category:Food", "category:Drink", "all"]
    mechanics = ["discount", "display", "bundle"]
    with open(folder + "/promos.csv", "w") as f:
        f.write("promo_id,customer_id,scope,start,end,mechanic,discount_pct,cost\n")
        for i in range(24):
            r = rnd.random()
            who = choice(customers) if r < 0.9 else ("tier:B" if r < 0.96 else "all")
            if who == "tier:B" and not tiers_too:
                who = choice(customers)
            s = day("2025-08-01") + int(rnd.random() * 280)
            e = s + choice([6, 13, 9, 20])
            cost = "" if rnd.random() < 0.2 else str(randint(0, 400))
            f.write("P%d,%s,%s,%s,%s,%s,%s,%s\n" % (i + 1, who, choice(scopes),
                    iso(s), iso(e), choice(mechanics), choice(["", "10", "20%"]), cost))

def load(folder, with_accounts):
    sales = []
    with open(folder + "/sales.csv") as f:
        for r in csv.DictReader(f):
            amount = F(r["amount"])
            cost = None if r["cost"] == "" else F(r["cost"])
            sales.append((day(r["date"]), r["customer_id"], r["sku"], r["category"],
                          F(r["qty"]), amount, None if cost is None else amount - cost))
    accounts = {}
    if with_accounts:
        with open(folder + "/accounts.csv") as f:
            for r in csv.DictReader(f):
                accounts[r["customer_id"]] = (r["tier"], r["region"])
    promos = []
    with open(folder + "/promos.csv") as f:
        for i, r in enumerate(csv.DictReader(f)):
            promos.append(dict(id=r["promo_id"], who=r["customer_id"], scope=r["scope"],
                               start=day(r["start"]), end=day(r["end"]), line=i + 2,
                               cost=None if r["cost"] == "" else F(r["cost"])))
    return sales, accounts, promos

def model(folder, baseline, with_accounts, N=8, M=8, min_control=3):
    sales, accounts, promos = load(folder, with_accounts)
    data_first = min(s[0] for s in sales)
    data_last = max(s[0] for s in sales)
    first_of = {}
    for s in sales:
        first_of[s[1]] = min(first_of.get(s[1], s[0]), s[0])
    in_cat = {(s[2], s[3]) for s in sales}
    everyone = sorted(accounts) if with_accounts else sorted(first_of)

    def targets(q):
        if q["who"] == "all":
            return everyone
        if q["who"].startswith("tier:"):
            return [c for c in everyone if accounts[c][0] == q["who"][5:]]
        return [q["who"]]

    def covers(q, c):
        return c in targets(q)

    def shares(a, b):
        if a == b or a == "all" or b == "all":
            return True
        ka, xa = a.split(":", 1)
        kb, xb = b.split(":", 1)
        if ka == kb:
            return False
        if ka == "category":
            xa, xb = xb, xa
        return (xa, xb) in in_cat

    def matches(scope, s):
        if scope == "all":
            return True
        kind, x = scope.split(":", 1)
        return s[2] == x if kind == "sku" else s[3] == x

    # groups per account
    evals = []
    for c in everyone:
        mine = sorted([q for q in promos if covers(q, c)],
                      key=lambda q: (q["scope"], q["start"], q["end"], q["line"]))
        i = 0
        while i < len(mine):
            j, end = i + 1, mine[i]["end"]
            while j < len(mine) and mine[j]["scope"] == mine[i]["scope"] and mine[j]["start"] <= end:
                end = max(end, mine[j]["end"])
                j += 1
            evals.append(dict(c=c, members=mine[i:j], scope=mine[i]["scope"],
                              start=mine[i]["start"], end=end, mine=mine))
            i = j
    # cost shares
    share = {}
    for q in promos:
        holders = sorted({e["c"] for e in evals if q in e["members"]}, key=natural)
        if q["cost"] is None or not holders:
            continue
        units = q["cost"] * 10000
        base, rem = divmod(int(units), len(holders))
        for k, c in enumerate(holders):
            share[(q["id"], c)] = F(base + (1 if k < rem else 0), 10000)

    def intruder(e, a, b):
        for q in e["mine"]:
            if q in e["members"]:
                continue
            if q["start"] <= b and a <= q["end"] and shares(q["scope"], e["scope"]):
                return True
        return False

    def promoted(c, a, b):
        return any(covers(q, c) and q["start"] <= b and a <= q["end"] for q in promos)

    by_customer = {}
    for s in sales:
        by_customer.setdefault(s[1], []).append(s)

    def total(c_set, scope, a, b):
        t = [F(0), F(0), F(0), 0]
        for s in (s for c in c_set for s in by_customer.get(c, [])):
            if a <= s[0] <= b and matches(scope, s):
                t[0] += s[4]; t[1] += s[5]
                if s[6] is None:
                    t[3] += 1
                else:
                    t[2] += s[6]
        return t

    out = {}
    for e in evals:
        c, start, end = e["c"], e["start"], e["end"]
        days = end - start + 1
        lo = max(data_first, first_of[c]) if c in first_of else None
        picked = []
        for k in range(N + 52):
            a = start - 7 * (k + 1); b = a + 6
            if lo is None or a < lo or (baseline == "yoy" and a - YEAR < lo):
                break
            if intruder(e, a, b) or (baseline == "yoy" and intruder(e, a - YEAR, b - YEAR)):
                continue
            picked.append((a, b))
            if len(picked) == N:
                break
        flags = set()
        if len(picked) < N:
            flags.add("too-short-baseline")
        post = []
        for k in range(M):
            a = end + 1 + 7 * k; b = a + 6
            if b > data_last or intruder(e, a, b):
                break
            post.append((a, b))
        one = {c}
        W = total(one, e["scope"], start, end)
        P = [F(0), F(0), F(0), 0]
        for a, b in picked:
            t = total(one, e["scope"], a, b)
            P = [x + y for x, y in zip(P, t)]
        Np = [F(0), F(0), F(0), 0]
        for a, b in post:
            t = total(one, e["scope"], a, b)
            Np = [x + y for x, y in zip(Np, t)]
        nocost = W[3] + P[3] + Np[3]
        exp = None
        if picked:
            if baseline == "pre":
                exp = lambda i, post_=False: r2(P[i] * (len(post) if post_ else days) /
                                                 (len(picked) if post_ else 7 * len(picked)))
            elif baseline == "yoy":
                Yw = total(one, e["scope"], start - YEAR, end - YEAR)
                Yp = [F(0), F(0), F(0), 0]
                for a, b in picked:
                    t = total(one, e["scope"], a - YEAR, b - YEAR)
                    Yp = [x + y for x, y in zip(Yp, t)]
                Ypost = [F(0), F(0), F(0), 0]
                for a, b in post:
                    t = total(one, e["scope"], a - YEAR, b - YEAR)
                    Ypost = [x + y for x, y in zip(Ypost, t)]
                nocost += Yw[3] + Yp[3] + Ypost[3]
                if start - YEAR >= lo and Yp[1] > 0:
                    exp = lambda i, post_=False: (None if Yp[i] <= 0 else
                                                  r2((Ypost if post_ else Yw)[i] * P[i] / Yp[i]))
                if any(q not in e["members"] and q["start"] <= end - YEAR and start - YEAR <= q["end"]
                       and shares(q["scope"], e["scope"]) for q in e["mine"]):
                    flags.add("yoy-promoted")
                for a, b in post:
                    if intruder(e, a - YEAR, b - YEAR):
                        flags.add("yoy-promoted")
            else:
                span_a = start - 7 * pre_blocks(e, N, intruder_maybe(e, shares_maybe))
                span_b = end + 7 * M
                tier, region = accounts.get(c, (None, None))
                ctl = {x for x in everyone if x != c and accounts.get(x, (None, None)) == (tier, region)
                       and not promoted(x, span_a, span_b)}
                ctl_with_rows = {s[1] for s in sales if s[1] in ctl and span_a <= s[0] <= span_b
                                 and matches(e["scope"], s)}
                Cp = [F(0), F(0), F(0), 0]
                for a, b in picked:
                    t = total(ctl, e["scope"], a, b)
                    Cp = [x + y for x, y in zip(Cp, t)]
                Cw = total(ctl, e["scope"], start, end)
                Cpost = [F(0), F(0), F(0), 0]
                for a, b in post:
                    t = total(ctl, e["scope"], a, b)
                    Cpost = [x + y for x, y in zip(Cpost, t)]
                nocost += Cp[3] + Cw[3] + Cpost[3]
                if len(ctl_with_rows) >= min_control and Cp[1] > 0:
                    exp = lambda i, post_=False: (None if Cp[i] <= 0 else
                                                  r2(P[i] * (Cpost if post_ else Cw)[i] / Cp[i]))
        row = dict(weeks=len(picked), actual_qty=W[0], actual_revenue=W[1], flags=flags,
                   post_weeks=len(post))
        cost = None
        for q in e["members"]:
            if q["cost"] is not None:
                cost = (cost or 0) + share[(q["id"], c)]
        row["cost"] = cost
        if exp is None:
            flags.add("no-baseline")
        else:
            if len(post) < M:
                flags.add("short-post")
            br = exp(1)
            row["baseline_revenue"] = br
            row["lift_revenue"] = W[1] - br
            row["lift_revenue_pct"] = r2((W[1] - br) / br * 100) if br > 0 else None
            bq = exp(0)
            if bq is not None:
                row["baseline_qty"] = bq
                row["lift_qty"] = W[0] - bq
                row["lift_qty_pct"] = r2((W[0] - bq) / bq * 100) if bq > 0 else None
            bm = exp(2) if nocost == 0 else None
            if bm is not None:
                row["incremental_margin"] = W[2] - bm
            if post:
                pr = exp(1, True)
                row["dip_revenue"] = pr - Np[1]
                row["net_revenue"] = row["lift_revenue"] - row["dip_revenue"]
                if bq is not None:
                    pq = exp(0, True)
                    if pq is not None:
                        row["dip_qty"] = pq - Np[0]
                        row["net_qty"] = row["lift_qty"] - row["dip_qty"]
                if bm is not None:
                    pm = exp(2, True)
                    if pm is not None:
                        row["dip_margin"] = pm - Np[2]
                        row["net_margin"] = row["incremental_margin"] - row["dip_margin"]
            if cost is not None and cost > 0 and "incremental_margin" in row:
                row["roi"] = r2(row["incremental_margin"] / cost)
                if row["roi"] < 0:
                    flags.add("negative-roi")
                if "net_margin" in row:
                    row["net_roi"] = r2(row["net_margin"] / cost)
            if "dip_revenue" in row:
                units = "dip_qty" in row
                dip = row["dip_qty"] if units else row["dip_revenue"]
                lift = row["lift_qty"] if units else row["lift_revenue"]
                if dip > 0 and dip > lift:
                    flags.add("dip-exceeds-lift")
        if len(e["members"]) > 1:
            flags.add("overlap")
            pid = "+".join(q["id"] for q in e["members"])
        else:
            pid = e["members"][0]["id"]
        if any(q not in e["members"] and q["scope"] != e["scope"] and q["start"] <= end
               and start <= q["end"] and shares(q["scope"], e["scope"]) for q in e["mine"]):
            flags.add("nested-overlap")
        out[(pid, c)] = row
    return out

def shares_maybe(a, b):
    if a == b or a == "all" or b == "all":
        return True
    return a.split(":", 1)[0] != b.split(":", 1)[0]

def intruder_maybe(e, shares_fn):
    def f(a, b):
        return any(q not in e["members"] and q["start"] <= b and a <= q["end"]
                   and shares_fn(q["scope"], e["scope"]) for q in e["mine"])
    return f

def pre_blocks(e, N, intruding):
    """The blocks kept before the pass: enough for N certainly clean."""
    found = k = 0
    while k < N + 52 and found < N:
        a = e["start"] - 7 * (k + 1)
        if not intruding(a, a + 6):
            found += 1
        k += 1
    return k

FLAGS = ["too-short-baseline", "no-baseline", "negative-roi", "dip-exceeds-lift",
         "short-post", "overlap", "nested-overlap", "yoy-promoted"]

def fmt(v, places):
    if v is None:
        return ""
    if places == "money":
        return fmt(v, 2) if (v * 100).denominator == 1 else fmt(v, -1)
    if places == 2:
        return "%.2f" % float(r2(v)) if r2(v) != 0 else "0.00"
    s = "%.4f" % float(v)
    s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s

def check(folder, baseline, output, with_accounts, N=8, M=8):
    want = model(folder, baseline, with_accounts, N, M)
    got = {}
    with open(output) as f:
        for r in csv.DictReader(f):
            if "measured together" in r["baseline_method"]:
                continue
            got[(r["promo_id"], r["customer_id"])] = r
    bad = 0
    if set(want) != set(got):
        print("rows differ: model only %s, program only %s" % (sorted(set(want) - set(got)),
              sorted(set(got) - set(want))))
        bad += 1
    cols = [("weeks", "baseline_weeks", None), ("post_weeks", "post_weeks", None),
            ("actual_qty", "actual_qty", -1), ("baseline_qty", "baseline_qty", -1),
            ("lift_qty", "lift_qty", -1), ("lift_qty_pct", "lift_qty_pct", 2),
            ("actual_revenue", "actual_revenue", "money"), ("baseline_revenue", "baseline_revenue", "money"),
            ("lift_revenue", "lift_revenue", "money"), ("lift_revenue_pct", "lift_revenue_pct", 2),
            ("incremental_margin", "incremental_margin", "money"), ("dip_qty", "dip_qty", -1),
            ("dip_revenue", "dip_revenue", "money"), ("dip_margin", "dip_margin", "money"),
            ("net_qty", "net_qty", -1), ("net_revenue", "net_revenue", "money"),
            ("net_margin", "net_margin", "money"), ("cost", "cost", "money"), ("roi", "roi", 2),
            ("net_roi", "net_roi", 2)]
    for key in sorted(set(want) & set(got)):
        w, g = want[key], got[key]
        for mine, theirs, places in cols:
            v = w.get(mine)
            if mine == "post_weeks" and "no-baseline" in w["flags"]:
                v = None
            text = "" if v is None else (str(v) if places is None else fmt(v, places))
            if text != g[theirs]:
                print("%s %s: %s is %r, the model says %r" % (key[0], key[1], theirs, g[theirs], text))
                bad += 1
        flags = ";".join(f for f in FLAGS if f in w["flags"])
        if flags != g["flags"]:
            print("%s %s: flags %r, the model says %r" % (key[0], key[1], g["flags"], flags))
            bad += 1
    measured = sum(1 for r in got.values() if r["baseline_revenue"] != "")
    print("%s: %d rows, %d measured, %s" % (baseline, len(got), measured,
          "all agree" if bad == 0 else "%d differences" % bad))
    return bad

if __name__ == "__main__":
    args = sys.argv
    if args[1] == "gen":
        gen(args[2], int(args[3]), "--no-tiers" not in args)
    else:
        N = int(args[args.index("--weeks") + 1]) if "--weeks" in args else 8
        M = int(args[args.index("--post-weeks") + 1]) if "--post-weeks" in args else N
        sys.exit(1 if check(args[2], args[3], args[4], "--accounts" in args, N, M) else 0)
