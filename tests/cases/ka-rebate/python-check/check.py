"""Independent recomputation of ka-rebate accrue (see cmd)."""
import csv
import datetime as dt
import random
import sys
from decimal import Decimal, ROUND_HALF_UP

AS_OF = dt.date(2026, 11, 27)
CENT = Decimal("0.01")


def add_months(d, n):
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return dt.date(y, m, min(d.day, days[m - 1]))


def make_agreements(sales):
    rng = random.Random(5)
    ids = sorted({r["customer_id"] for r in csv.DictReader(open(sales))})
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["agreement_id", "customer_id", "valid_from", "valid_to",
                  "basis", "scope", "method", "tiers", "settlement", "cap"])
    windows = [("2025-07-01", "2026-06-30"), ("2026-01-01", "2026-12-31"),
               ("2026-02-15", "2027-02-14")]
    for n in range(400):
        method = ["retro", "marginal", "per-unit", "growth", "fixed"][n % 5]
        start, end = rng.choice(windows)
        basis = "qty" if method == "per-unit" else rng.choice(
            ["amount", "amount", "margin"])
        if method == "per-unit":
            tiers = "%d:0.%02d/unit,%d:0.%02d/unit" % (
                rng.randint(0, 20), rng.randint(10, 40),
                rng.randint(30, 80), rng.randint(41, 99))
        elif method == "fixed":
            tiers = "%d:%d.%02d,%d:%d" % (rng.randint(50, 300), rng.randint(1, 9),
                                          rng.randint(0, 99), rng.randint(400, 900),
                                          rng.randint(10, 30))
        elif method == "marginal":
            tiers = "0:1.25%%,%d:2.5%%,%d:3.75%%" % (rng.randint(50, 200),
                                                  rng.randint(300, 900))
        else:
            tiers = "%d:2.5%%,%d:3.5%%" % (rng.randint(0, 100),
                                          rng.randint(200, 800))
        scope = rng.choice(["", "", "category=Beverages", "category=Snacks"])
        cap = rng.choice(["", "", "", "%d.%02d" % (rng.randint(1, 30),
                                                  rng.randint(0, 99))])
        out.writerow(["G%03d" % n, rng.choice(ids), start, end, basis, scope,
                      method, tiers, rng.choice(["monthly", "quarterly",
                                                 "annual"]), cap])


def parse_tiers(text):
    tiers = []
    for piece in text.split(","):
        threshold, rate = piece.split(":")
        kind = "sum"
        if rate.endswith("%"):
            kind, rate = "percent", rate[:-1]
        elif rate.endswith("/unit"):
            kind, rate = "unit", rate[:-5]
        tiers.append((Decimal(threshold), Decimal(rate), kind))
    return tiers


def exact(tiers, method, level):
    reached = [t for t in tiers if t[0] <= level]
    if not reached:
        return Decimal(0)

    def term(amount, rate, kind):
        return amount * rate / 100 if kind == "percent" else (
            amount * rate if kind == "unit" else rate)
    if method == "marginal":
        total = Decimal(0)
        for i, (threshold, rate, kind) in enumerate(reached):
            upper = min(level, tiers[i + 1][0]) if i + 1 < len(tiers) else level
            total += term(upper - threshold, rate, kind)
        return total
    return term(level, reached[-1][1], reached[-1][2])


def uncapped(a, basis, prior):
    level = max(Decimal(0), basis - prior) if a["method"] == "growth" else basis
    return exact(parse_tiers(a["tiers"]), a["method"], level).quantize(
        CENT, rounding=ROUND_HALF_UP)


def value(a, basis, prior):
    v = uncapped(a, basis, prior)
    return min(v, Decimal(a["cap"])) if a["cap"] else v


def compare(sales, agreements, accrue):
    by_customer = {}
    for r in csv.DictReader(open(sales)):
        by_customer.setdefault(r["customer_id"], []).append(r)
    got = {r["agreement_id"]: r for r in csv.DictReader(open(accrue))}
    bad = 0
    rows = list(csv.DictReader(open(agreements)))
    for a in rows:
        start = dt.date.fromisoformat(a["valid_from"])
        end = dt.date.fromisoformat(a["valid_to"])

        def basis_between(first, last):
            total = Decimal(0)
            for r in by_customer.get(a["customer_id"], []):
                d = dt.date.fromisoformat(r["date"])
                if d < first or d > last or d > AS_OF:
                    continue
                if a["scope"]:
                    column, want = a["scope"].split("=")
                    if r[column] != want:
                        continue
                if a["basis"] == "qty":
                    total += Decimal(r["quantity"])
                elif a["basis"] == "margin":
                    total += Decimal(r["amount"]) - Decimal(r["cost"])
                else:
                    total += Decimal(r["amount"])
            return total

        def earned_through(day):
            if day < start:
                return Decimal(0)
            day = min(day, end)
            return value(a, basis_between(start, day), basis_between(
                add_months(start, -12), add_months(day, -12)))

        basis = basis_between(start, min(AS_OF, end))
        prior = basis_between(add_months(start, -12),
                              add_months(min(AS_OF, end), -12))
        rebate = value(a, basis, prior)
        # Settled: what the schedule gave at the last closed period end.
        months = {"monthly": 1, "quarterly": 3, "annual": 12}[a["settlement"]]
        last_closed, d = None, start
        while d <= end:
            unit_first = dt.date(d.year, (d.month - 1) // months * months + 1, 1)
            last = min(add_months(unit_first, months) - dt.timedelta(days=1), end)
            if last > AS_OF:
                break
            last_closed, d = last, last + dt.timedelta(days=1)
        settled = earned_through(last_closed) if last_closed else Decimal(0)
        want = {"basis": basis, "rebate": uncapped(a, basis, prior),
                "earned": rebate,
                "settled": settled, "accrual": rebate - settled}
        if a["method"] == "growth":
            want["prior_basis"] = prior
        if AS_OF >= start:
            total = (end - start).days + 1
            elapsed = (min(AS_OF, end) - start).days + 1
            projected = (basis * total / elapsed).quantize(
                CENT, rounding=ROUND_HALF_UP) if AS_OF < end else basis
            prior_full = basis_between(add_months(start, -12),
                                       add_months(end, -12))
            want["projected_basis"] = projected
            want["projected_rebate"] = value(a, projected, prior_full)
        r = got.get(a["agreement_id"])
        if r is None:
            print("missing", a["agreement_id"])
            bad += 1
            continue
        for column, v in want.items():
            if Decimal(r[column]) != v:
                print(a["agreement_id"], column, "ka-rebate", r[column],
                      "python", v)
                bad += 1
    print("%d agreements, %d figures differ" % (len(rows), bad))


if sys.argv[1] == "agreements":
    make_agreements(sys.argv[2])
else:
    compare(sys.argv[2], sys.argv[3], sys.argv[4])
