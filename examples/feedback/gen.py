#!/usr/bin/env python3
"""Generate the demo survey responses for ka-feedback(1).

The demo company (examples/README.md) asks its accounts every quarter
how well their sales rep serves them, and asked its key accounts what
they think of four products on trial since September 2026.  This script
reads ../accounts-master.csv (customers, their names and the rep who
owns each) and writes, next to itself:

    responses.csv   the rep survey, 2025-Q4 .. 2026-11-27: date,
                    customer_id, customer, rep, score (0-10, "how
                    likely are you to recommend your rep"),
                    responsiveness and knowledge (1-5, either may be
                    blank), comment (English, Chinese, some quoted,
                    some over two lines)
    trials.csv      the product trial survey, 2026-09-01 .. 2026-11-27:
                    date, customer_id, customer, product, score (1-5,
                    satisfaction), comment

Rerun it from the top of the repository with

    python3 examples/feedback/gen.py

It uses only the standard library, a fixed seed and no clock, and only
random.random() (whose sequence is stable across Python versions), so
two runs write byte-identical files.

The story, as of 2026-11-27 (ka-feedback --as-of 2026-11-27):

    Luis Ortega     weak in 2026-Q2, Q3 and Q4: flagged reassign
    Tom Lindqvist   good until Q3, weak in Q4: flagged watch
    Emma Doyle      only two answers so far in Q4: insufficient
    Anna Berg       serves the biggest account well
    Chen Jing       East China accounts, comments in Chinese
    Oat Drink 12x1L         liked by the key accounts (positive)
    Matcha Cookies 12x200g  opinions split (mixed)
    Eco Dish Tabs 60        disliked (negative)
    Yuzu Soda 24x330ml      two answers only (insufficient)
"""

import csv
import io
import os
from datetime import date, timedelta
import random

SEED = 20261127
TODAY = date(2026, 11, 27)
HERE = os.path.dirname(os.path.abspath(__file__))

rng = random.Random(SEED)


def below(n):
    return min(n - 1, int(rng.random() * n))


def pick(items):
    return items[below(len(items))]


# Quarters surveyed: (label, first day of the survey window, days in it).
QUARTERS = [
    ("2025-Q4", date(2025, 11, 3), 25),
    ("2026-Q1", date(2026, 2, 2), 25),
    ("2026-Q2", date(2026, 5, 4), 25),
    ("2026-Q3", date(2026, 8, 3), 25),
    ("2026-Q4", date(2026, 11, 2), 25),
]

# How each rep is rated, quarter by quarter (the mean score out of 10).
LEVEL = {
    "Anna Berg": [8.6, 8.8, 8.7, 8.9, 8.8],
    "Tom Lindqvist": [8.2, 8.3, 8.1, 8.4, 5.6],
    "Maria Costa": [8.0, 7.9, 8.2, 8.1, 8.3],
    "Luis Ortega": [7.6, 7.2, 5.4, 5.1, 4.8],
    "Sara Novak": [7.8, 8.0, 7.7, 7.9, 8.0],
    "Peter Hall": [7.4, 7.6, 7.9, 7.7, 7.8],
    "Emma Doyle": [8.1, 8.2, 8.0, 8.3, 8.4],
    "Chen Jing": [8.3, 8.5, 8.4, 8.6, 8.7],
}

# Respondents per account per quarter: the biggest accounts have more
# people who deal with the rep (buyer, category manager, store manager).
RESPONDENTS = {"C002": 4, "C007": 3, "C003": 3, "C009": 3, "C008": 2,
               "C005": 2, "C024": 2, "C017": 2, "C001": 2, "C011": 2}

# Accounts that answered nothing in a quarter: C038 was lost after 2025,
# C031 lapsed in mid-2026, C060 joined in March 2026.
SILENT = {
    "C038": {"2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"},
    "C031": {"2026-Q3", "2026-Q4"},
    "C060": {"2025-Q4", "2026-Q1"},
}

BAD_EN = [
    "Deliveries were late twice this month.",
    "Out of stock on the items we order most.",
    "Prices went up again without notice.",
    'Our rep promised "next week" three times; still waiting for a call back.',
    "Hard to reach by phone.\nEmails go unanswered for days.",
    "Damaged pallets on arrival; quality control needs work.",
    "Slow to respond, and the invoice was wrong again.",
]
MIDDLE_EN = [
    "OK overall, but deliveries could be more reliable.",
    "Fair prices; the rep could follow up more often.",
    "Good products, some stock-outs in the summer.",
    "",
]
GOOD_EN = [
    "Good service overall.",
    "Helpful and professional, knows the range well.",
    "Deliveries on time, no complaints.",
    "Fair prices, friendly rep.",
    "Quick to respond when we had a problem.",
    'Always answers with "how can I help?" - great attitude.',
    "",
    "",
]
BAD_ZH = [
    "送货经常延迟，缺货也比较多。",
    "价格偏贵，希望有更多折扣。",
    "联系不上销售，回复太慢。",
    "有几箱破损，质量需要改进。",
]
MIDDLE_ZH = ["总体还行，希望到货更准时。", "价格可以再优惠一些。", ""]
GOOD_ZH = ["服务很好，响应及时。", "销售很专业，态度热情。",
           "到货准时，质量稳定。", ""]

TRIALS = [
    # product, mean satisfaction (1-5), answers wanted
    ("Oat Drink 12x1L", 4.6, 14),
    ("Matcha Cookies 12x200g", 3.1, 12),
    ("Eco Dish Tabs 60", 1.9, 11),
    ("Yuzu Soda 24x330ml", 4.0, 2),
]
TRIAL_GOOD = ["Customers love it; reorder planned.", "Sells well, good margin.",
              "口感很好，顾客反馈不错。", ""]
TRIAL_MIDDLE = ["Some like it, some do not.", "Price is a bit high for "
                "a cookie.", "包装不错，但价格偏贵。", ""]
TRIAL_BAD = ["Does not clean well; customers returned it.",
             'Leaves a film on glasses - "not again", said our buyer.',
             "Too expensive for what it does.", "清洁效果差，退货较多。"]


def read_accounts():
    path = os.path.join(HERE, "..", "accounts-master.csv")
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def score_around(mean, low, high, spread=2.5):
    # A triangular spread of +-spread around the level, whole numbers.
    value = mean + (rng.random() + rng.random() - 1.0) * spread
    return max(low, min(high, int(round(value))))


def comment_for(score, chinese):
    if chinese:
        pools = (BAD_ZH, MIDDLE_ZH, GOOD_ZH)
    else:
        pools = (BAD_EN, MIDDLE_EN, GOOD_EN)
    if score <= 6:
        return pick(pools[0]) if rng.random() < 0.8 else ""
    if score <= 8:
        return pick(pools[1])
    return pick(pools[2])


def responses(accounts):
    rows = []
    for q, (label, start, days) in enumerate(QUARTERS):
        for account in accounts:
            cid = account["customer_id"]
            rep = account["owner"]
            if label in SILENT.get(cid, ()):
                continue
            # Emma Doyle's accounts have not answered 2026-Q4 yet, but
            # for her two biggest.
            if (rep == "Emma Doyle" and label == "2026-Q4" and
                    cid not in ("C014", "C022")):
                continue
            for _ in range(RESPONDENTS.get(cid, 1)):
                day = start + timedelta(days=below(days))
                if day > TODAY:
                    day = TODAY
                score = score_around(LEVEL[rep][q], 0, 10)
                responsiveness = max(1, min(5, int(round(
                    score / 2.0 + rng.random() - 0.5))))
                knowledge = max(1, min(5, int(round(
                    score / 2.0 + 0.5 + rng.random() - 0.5))))
                if rng.random() < 0.1:
                    responsiveness = ""
                if rng.random() < 0.1:
                    knowledge = ""
                chinese = account["region"] == "华东"
                rows.append((day.isoformat(), cid, account["customer"], rep,
                             score, responsiveness, knowledge,
                             comment_for(score, chinese)))
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows


def trials(accounts):
    # The key accounts trial the products: the ten biggest, and a few more.
    keys = ["C002", "C007", "C003", "C009", "C008", "C005", "C024", "C017",
            "C001", "C011", "C013", "C014", "C019", "C060"]
    names = {a["customer_id"]: a["customer"] for a in accounts}
    start = date(2026, 9, 7)
    rows = []
    for product, mean, answers in TRIALS:
        for i in range(answers):
            cid = keys[i % len(keys)]
            day = start + timedelta(days=below(80))
            score = score_around(mean, 1, 5, 1.6)
            if score >= 4:
                comment = pick(TRIAL_GOOD)
            elif score == 3:
                comment = pick(TRIAL_MIDDLE)
            else:
                comment = pick(TRIAL_BAD)
            rows.append((day.isoformat(), cid, names[cid], product, score,
                         comment))
    rows.sort(key=lambda r: (r[0], r[1], r[3]))
    return rows


def write(name, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    with open(os.path.join(HERE, name), "w", encoding="utf-8",
              newline="") as f:
        f.write(buffer.getvalue())


def main():
    accounts = read_accounts()
    write("responses.csv", ["date", "customer_id", "customer", "rep",
                            "score", "responsiveness", "knowledge",
                            "comment"], responses(accounts))
    write("trials.csv", ["date", "customer_id", "customer", "product",
                         "score", "comment"], trials(accounts))


if __name__ == "__main__":
    main()
