#!/usr/bin/env python3
"""Generate the ka-tools demo data set.

The demo company is a food and household wholesaler with 60 customers in
Europe and East China.  This script writes, into the folder given as its
only argument:

    sales.csv                  invoice lines 2024-01-01 .. 2026-11-27
    accounts-master.csv        one row per customer
    messy/erp-export-gbk.csv   week 2026-11-02..06 as a Chinese ERP export
    messy/excel-eu.csv         invoices 2026-11-09..13 as a European Excel sheet
    messy/accounting.tsv       week 2026-11-16..20 as an accounting export

Rerun it from the top of the repository with

    python3 examples/gen-demo.py examples/

It uses only the standard library, a fixed seed and no clock: two runs
write byte-identical files.  Only random.random() is drawn from, because
its sequence for a given seed is stable across Python versions, while the
helpers built on it (randint, choice, shuffle) have changed before.

The demo's "today" is 2026-11-27 (a Friday); tests pin --as-of 2026-11-27.
Customers with a part to play in the story:

    C002  biggest account
    C024  grows strongly in 2026
    C011  declines by more than 40% in 2026
    C031  lapsed: ordered every two weeks, nothing after mid-June 2026
    C038  lost: bought through October 2025, nothing in 2026
    C060  new: first order 2026-03-04
"""

import csv
import io
import math
import os
import random
import sys
from datetime import date, timedelta

SEED = 20261127
FIRST_DAY = date(2024, 1, 1)
TODAY = date(2026, 11, 27)

rng = random.Random(SEED)


def uniform(low, high):
    return low + (high - low) * rng.random()


def below(n):
    return min(n - 1, int(rng.random() * n))


def weighted_index(weights):
    point = rng.random() * sum(weights)
    for index, weight in enumerate(weights):
        point -= weight
        if point < 0:
            return index
    return len(weights) - 1


def lognormal(sigma):
    # Box-Muller from two uniforms, so no library sampler is involved.
    u1 = 1.0 - rng.random()
    u2 = rng.random()
    return math.exp(sigma * math.sqrt(-2.0 * math.log(u1)) *
                    math.cos(2.0 * math.pi * u2))


# --- the company -----------------------------------------------------------

REPS = {
    "North": ["Anna Berg", "Tom Lindqvist"],
    "South": ["Maria Costa", "Luis Ortega"],
    "East": ["Sara Novak"],
    "West": ["Peter Hall", "Emma Doyle"],
    "华东": ["Chen Jing"],
}

# id, name, region, city, level (thousands per year in 2025), days between
# orders, lines per order (1 small, 2 usual), role in the story
CUSTOMERS = [
    ("C001", "Harbor Fresh Market", "West", "London", 400, 10, 2, ""),
    ("C002", "Müller Großhandel", "North", "Hamburg", 2400, 5, 2, "biggest"),
    ("C003", "Mercato Centrale Srl", "South", "Milan", 950, 7, 2, ""),
    ("C004", "Vltava Potraviny", "East", "Prague", 110, 21, 2, ""),
    ("C005", "Baltic Provisions", "North", "Copenhagen", 460, 10, 2, ""),
    ("C006", "Bodega Ortiz", "South", "Barcelona", 24, 42, 1, ""),
    ("C007", "Danube Retail Group", "East", "Vienna", 1300, 6, 2, ""),
    ("C008", "Smith, Jones & Co.", "West", "London", 560, 9, 2, ""),
    ("C009", "上海华联超市", "华东", "上海", 800, 7, 2, ""),
    ("C010", "Nordsee Feinkost", "North", "Bremen", 125, 21, 2, ""),
    ("C011", "Riverside Hotel Group", "West", "London", 650, 8, 2,
     "declining"),
    ("C012", "Provence Primeurs", "South", "Marseille", 68, 28, 2, ""),
    ("C013", "Pannonia Foods", "East", "Budapest", 200, 14, 2, ""),
    ("C014", "Amstel Foodservice", "West", "Amsterdam", 180, 14, 2, ""),
    ("C015", "Fjord Foods", "North", "Oslo", 82, 21, 2, ""),
    ("C016", "Torino Dolci", "South", "Turin", 38, 35, 1, ""),
    ("C017", "Wisła Hurt", "East", "Warsaw", 360, 10, 2, ""),
    ("C018", "Liffey Grocers", "West", "Dublin", 35, 35, 1, ""),
    ("C019", "Hansa Getränkemarkt", "North", "Hamburg", 160, 14, 2, ""),
    ("C020", "Sole Mio Ristoranti", "South", "Milan", 100, 21, 2, ""),
    ("C021", "Kraków Deli", "East", "Kraków", 17, 42, 1, ""),
    ("C022", "Brabant Versmarkt", "West", "Brussels", 90, 21, 2, ""),
    ("C023", "Kattegat Catering", "North", "Gothenburg", 32, 35, 1, ""),
    ("C024", "Sunrise Deli Group", "East", "Vienna", 230, 12, 2, "growing"),
    ("C025", "Marché du Vieux Port", "South", "Marseille", 30, 35, 1, ""),
    ("C026", 'The "Blue" Bakery', "West", "Dublin", 50, 28, 1, ""),
    ("C027", "Elbe Kantinen GmbH", "North", "Hamburg", 75, 21, 2, ""),
    ("C028", "Wiener Kaffeehaus", "East", "Vienna", 28, 35, 1, ""),
    ("C029", "Rhône Épicerie", "South", "Lyon", 26, 42, 1, ""),
    ("C030", "Clifton Corner Shop", "West", "Bristol", 9, 56, 1, ""),
    ("C031", "Bohemia Hotels", "East", "Prague", 140, 14, 2, "lapsed"),
    ("C032", "Skagen Fiskehus", "North", "Copenhagen", 22, 42, 1, ""),
    ("C033", "杭州西湖食品批发", "华东", "杭州", 90, 21, 2, ""),
    ("C034", "Lyon Gourmet Traiteur", "South", "Lyon", 20, 42, 1, ""),
    ("C035", "Canal Street Café", "West", "Amsterdam", 18, 42, 1, ""),
    ("C036", "Mazovia Markets", "East", "Warsaw", 56, 28, 2, ""),
    ("C037", "Nordlys Hotels", "North", "Oslo", 45, 28, 1, ""),
    ("C038", "Old Mill Bistro", "West", "Bristol", 62, 21, 1, "lost"),
    ("C039", "Costa Brava Hotels", "South", "Barcelona", 16, 49, 1, ""),
    ("C040", "Balaton Büfé", "East", "Budapest", 15, 49, 1, ""),
    ("C041", "Bremer Backstube", "North", "Bremen", 14, 49, 1, ""),
    ("C042", "Grand Place Brasserie", "West", "Brussels", 13, 49, 1, ""),
    ("C043", "Panificio Rossi", "South", "Turin", 12, 56, 1, ""),
    ("C044", "Tatra Kiosks", "East", "Kraków", 11, 56, 1, ""),
    ("C045", "Viking Vending", "North", "Gothenburg", 10, 56, 1, ""),
    ("C046", "南京金陵商贸", "华东", "南京", 19, 42, 1, ""),
    ("C047", "Avon Valley Farm Shop", "West", "Bristol", 8.5, 63, 1, ""),
    ("C048", "Trattoria Bella", "South", "Milan", 8, 63, 1, ""),
    ("C049", "Praha Pekárna", "East", "Prague", 7.5, 63, 1, ""),
    ("C050", "Holmen Kiosk", "North", "Oslo", 7, 70, 1, ""),
    ("C051", "Temple Bar Kitchen", "West", "Dublin", 6.5, 70, 1, ""),
    ("C052", "Café de la Place", "South", "Lyon", 6, 70, 1, ""),
    ("C053", "Ringstrasse Catering", "East", "Vienna", 5.5, 70, 1, ""),
    ("C054", "Lille Café", "North", "Copenhagen", 5, 84, 1, ""),
    ("C055", "Kensington Pantry", "West", "London", 4.5, 84, 1, ""),
    ("C056", "Mediterraneo Catering", "South", "Marseille", 9.5, 56, 1, ""),
    ("C057", "Duna Bistro", "East", "Budapest", 12, 49, 1, ""),
    ("C058", "苏州姑苏超市", "华东", "苏州", 28, 35, 1, ""),
    ("C059", "Weser Markt", "North", "Bremen", 66, 21, 2, ""),
    ("C060", "Casa Verde Supermercados", "South", "Barcelona", 150, 12, 2,
     "new"),
]

# Customers that joined inside the data window: their first order is their
# "since" date.  Ids are handed out in order of joining.
FIRST_ORDER = {
    "C054": date(2024, 3, 12),
    "C055": date(2024, 6, 4),
    "C056": date(2024, 9, 17),
    "C057": date(2025, 2, 11),
    "C058": date(2025, 5, 20),
    "C059": date(2025, 9, 9),
    "C060": date(2026, 3, 4),
}
LAST_ORDER = {
    "C031": date(2026, 6, 19),      # lapsed
    "C038": date(2025, 10, 31),     # lost
}

# category, margin range on list price, monthly demand weights Jan..Dec
CATEGORIES = [
    ("Beverages", (0.24, 0.29),
     [0.8, 0.8, 0.9, 1.0, 1.1, 1.4, 1.5, 1.4, 1.0, 0.9, 0.8, 0.9]),
    ("Snacks", (0.29, 0.34),
     [0.9, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.2]),
    ("Dairy", (0.21, 0.24),
     [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]),
    ("Household", (0.26, 0.31),
     [1.0, 1.0, 1.1, 1.1, 1.0, 0.9, 0.9, 0.9, 1.0, 1.0, 1.0, 0.9]),
    ("Gifts", (0.35, 0.40),
     [0.05, 0.05, 0.1, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 1.0, 2.6, 1.8]),
]

# sku, product, category, list price per case in 2024
PRODUCTS = [
    ("BEV01", "Sparkling Water 24x0.5L", "Beverages", "9.60"),
    ("BEV02", "Still Water 12x1.5L", "Beverages", "6.80"),
    ("BEV03", "Orange Juice 12x1L", "Beverages", "18.40"),
    ("BEV04", "Apple Juice 12x1L", "Beverages", "16.90"),
    ("BEV05", "Cola 24x0.33L", "Beverages", "14.50"),
    ("BEV06", "Iced Tea Lemon 24x0.5L", "Beverages", "17.80"),
    ("BEV07", "Cold Brew Coffee 12x0.25L", "Beverages", "21.60"),
    ("BEV08", "Ginger Beer 24x0.33L", "Beverages", "19.20"),
    ("SNK01", "Sea Salt Crisps 20x40g", "Snacks", "11.80"),
    ("SNK02", "Paprika Crisps 20x40g", "Snacks", "11.80"),
    ("SNK03", "Salted Peanuts 12x200g", "Snacks", "15.40"),
    ("SNK04", "Dark Chocolate Bar 24x100g", "Snacks", "28.80"),
    ("SNK05", "Oat Biscuits 12x300g", "Snacks", "19.90"),
    ("SNK06", "Trail Mix 12x150g", "Snacks", "22.50"),
    ("SNK07", "Pretzel Sticks 24x100g", "Snacks", "13.20"),
    ("SNK08", "Rice Crackers 12x100g", "Snacks", "12.60"),
    ("DRY01", "Whole Milk 12x1L", "Dairy", "10.80"),
    ("DRY02", "Skimmed Milk 12x1L", "Dairy", "10.20"),
    ("DRY03", "Butter 20x250g", "Dairy", "42.00"),
    ("DRY04", "Natural Yogurt 12x500g", "Dairy", "16.80"),
    ("DRY05", "Cheddar Block 6x1kg", "Dairy", "58.20"),
    ("DRY06", "Mozzarella 12x125g", "Dairy", "14.40"),
    ("DRY07", "Cream 12x200ml", "Dairy", "13.90"),
    ("DRY08", "Feta 8x200g", "Dairy", "17.60"),
    ("HOM01", "Dish Soap 12x500ml", "Household", "16.20"),
    ("HOM02", "Paper Towels 12 rolls", "Household", "12.90"),
    ("HOM03", "Toilet Tissue 48 rolls", "Household", "21.50"),
    ("HOM04", "Laundry Liquid 4x3L", "Household", "32.40"),
    ("HOM05", "Trash Bags 20x25", "Household", "18.60"),
    ("HOM06", "Surface Cleaner 12x750ml", "Household", "19.80"),
    ("HOM07", "Hand Soap 12x300ml", "Household", "17.40"),
    ("HOM08", "Sponges 40 pack", "Household", "9.90"),
    ("GFT01", "Christmas Hamper Classic", "Gifts", "48.00"),
    ("GFT02", "Christmas Hamper Deluxe", "Gifts", "89.00"),
    ("GFT03", "Praline Gift Box 6x250g", "Gifts", "54.00"),
    ("GFT04", "Advent Calendar 12 pack", "Gifts", "36.00"),
    ("GFT05", "Gingerbread Tin 12x300g", "Gifts", "42.00"),
    ("GFT06", "Mulled Wine Spice Set 12 pack", "Gifts", "33.60"),
    ("GFT07", "Panettone 6x750g", "Gifts", "39.00"),
    ("GFT08", "Festive Tea Selection 12 pack", "Gifts", "45.60"),
]

# List prices rise at each new year, by per mille.
PRICE_RISE = {2024: 1000, 2025: 1030, 2026: 1055}


def cents(text):
    whole, _, frac = text.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def money(value):
    sign = "-" if value < 0 else ""
    value = abs(value)
    return "%s%d.%02d" % (sign, value // 100, value % 100)


def scale(value, per_mille):
    """value * per_mille / 1000, rounded half up, in integer cents."""
    return (value * per_mille + 500) // 1000


def is_business_day(day):
    if day.weekday() >= 5:
        return False
    return (day.month, day.day) not in ((1, 1), (12, 25), (12, 26))


def next_business_day(day):
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def year_fraction(day):
    start = date(day.year, 1, 1)
    return (day - start).days / (date(day.year + 1, 1, 1) - start).days


# --- building the catalogue and the customers ------------------------------

def build_catalogue():
    catalogue = []
    margin_range = {name: span for name, span, _ in CATEGORIES}
    for sku, product, category, price in PRODUCTS:
        low, high = margin_range[category]
        margin_per_mille = int(round(uniform(low, high) * 1000))
        catalogue.append({
            "sku": sku, "product": product, "category": category,
            "list": {year: scale(cents(price), rise)
                     for year, rise in PRICE_RISE.items()},
            "cost_per_mille": 1000 - margin_per_mille,
        })
    return catalogue


def build_customers(catalogue):
    category_names = [name for name, _, _ in CATEGORIES]
    customers = []
    rep_turn = {region: 0 for region in REPS}
    for (cid, name, region, city, level, interval, lines, role) in CUSTOMERS:
        reps = REPS[region]
        owner = reps[rep_turn[region] % len(reps)]
        rep_turn[region] += 1
        # Bigger accounts get a list-price discount and a wider assortment.
        if level >= 300:
            discount = 40 + below(21)          # 4.0% .. 6.0%
            assortment_size = 24 + below(9)
        elif level >= 60:
            discount = 10 + below(21)          # 1.0% .. 3.0%
            assortment_size = 14 + below(8)
        else:
            discount = 0
            assortment_size = 6 + below(7)
        preference = {c: uniform(0.5, 1.5) for c in category_names}
        pool = list(range(len(catalogue)))
        assortment = []
        while len(assortment) < assortment_size:
            weights = [preference[catalogue[i]["category"]] for i in pool]
            assortment.append(pool.pop(weighted_index(weights)))
        # Every assortment holds at least one gift item, so the peak shows.
        if not any(catalogue[i]["category"] == "Gifts" for i in assortment):
            gifts = [i for i in pool if catalogue[i]["category"] == "Gifts"]
            assortment.append(gifts[below(len(gifts))])
        assortment.sort()
        customers.append({
            "id": cid, "name": name, "region": region, "city": city,
            "owner": owner, "level": level, "interval": interval,
            "lines": lines, "role": role, "discount": discount,
            "preference": preference, "assortment": assortment,
            "trend": uniform(-0.06, 0.10),
        })
    # Customers older than the data window joined between 2008 and 2023,
    # in id order.
    old = [c for c in customers if c["id"] not in FIRST_ORDER]
    span = (date(2023, 10, 31) - date(2008, 3, 1)).days
    offsets = sorted(below(span) for _ in old)
    for customer, offset in zip(old, offsets):
        customer["since"] = date(2008, 3, 1) + timedelta(days=offset)
    for customer in customers:
        if customer["id"] in FIRST_ORDER:
            customer["since"] = FIRST_ORDER[customer["id"]]
    return customers


# --- orders ----------------------------------------------------------------

MONTH_FACTOR = [0.85, 0.9, 1.0, 1.0, 1.0, 1.05, 1.05, 0.95, 1.0, 1.05, 1.2,
                1.15]


def story_factor(customer, day):
    role = customer["role"]
    if role == "growing" and day.year == 2026:
        return 1.3 + 1.4 * year_fraction(day)
    if role == "declining" and day.year == 2026:
        return 0.7 - 0.3 * year_fraction(day)
    if role == "new":
        weeks = (day - FIRST_ORDER["C060"]).days / 7
        return min(1.0, 0.45 + 0.55 * weeks / 10)
    return 1.0


def order_dates(customer):
    interval = customer["interval"]
    if customer["id"] in FIRST_ORDER:
        day = FIRST_ORDER[customer["id"]]
    else:
        day = FIRST_DAY + timedelta(days=below(interval))
    last = LAST_ORDER.get(customer["id"], TODAY)
    dates = []
    while True:
        day = next_business_day(day)
        if day > last:
            return dates
        dates.append(day)
        gap = interval * uniform(0.6, 1.4)
        day += timedelta(days=max(1, int(round(gap))))


def round_quantity(qty):
    """Large orders come in whole layers of a pallet."""
    if qty >= 200:
        return int(round(qty / 10.0)) * 10
    if qty >= 40:
        return int(round(qty / 5.0)) * 5
    return max(1, int(round(qty)))


def make_orders(customers, catalogue):
    orders = []
    for customer in customers:
        for day in order_dates(customer):
            years = (day - date(2025, 7, 1)).days / 365.25
            value = (customer["level"] * 100000 * customer["interval"] / 365.25
                     * (1 + customer["trend"]) ** years
                     * MONTH_FACTOR[day.month - 1]
                     * story_factor(customer, day) * lognormal(0.2))
            if customer["lines"] == 1:
                count = 1 + (rng.random() < 0.3)
            else:
                count = 1 + weighted_index([0.45, 0.4, 0.15])
            if day.month >= 10 and rng.random() < 0.35:
                count += 1
            pool = list(customer["assortment"])
            lines = []
            shares = [uniform(0.5, 1.5) for _ in range(count)]
            for share in shares:
                if not pool:
                    break
                weights = []
                for i in pool:
                    item = catalogue[i]
                    month_weights = [w for name, _, w in CATEGORIES
                                     if name == item["category"]][0]
                    weights.append(month_weights[day.month - 1] *
                                   customer["preference"][item["category"]])
                item = catalogue[pool.pop(weighted_index(weights))]
                list_price = item["list"][day.year]
                unit_price = scale(list_price, 1000 - customer["discount"])
                unit_cost = scale(list_price, item["cost_per_mille"])
                target = value * share / sum(shares)
                qty = round_quantity(target / unit_price)
                lines.append((item, qty, unit_price, unit_cost))
            orders.append((day, customer, lines))
    orders.sort(key=lambda order: (order[0], order[1]["id"]))
    return orders


def number_documents(documents, prefix):
    """Give each document an id, counting from 1 again every year."""
    counter = {}
    numbered = []
    for day, customer, lines in documents:
        counter[day.year] = counter.get(day.year, 0) + 1
        invoice = "%s-%d-%04d" % (prefix, day.year, counter[day.year])
        numbered.append((day, invoice, customer, lines))
    return numbered


def make_returns(invoices):
    """Credit notes for part of an earlier line, 3 to 28 days later."""
    days = []
    day = date(2024, 1, 15)
    while day <= TODAY:
        if is_business_day(day):
            days.append(day)
        day += timedelta(days=1)
    return_days = [days[below(len(days))] for _ in range(34)]
    # The weeks the messy files show each hold at least one return.
    return_days += [date(2026, 11, 4), date(2026, 11, 11),
                    date(2026, 11, 17), date(2026, 11, 19)]
    return_days.sort()
    credits = []
    for day in return_days:
        candidates = [
            (invoice_day, customer, line)
            for invoice_day, _, customer, lines in invoices
            if timedelta(days=3) <= day - invoice_day <= timedelta(days=28)
            and customer["id"] not in LAST_ORDER
            for line in lines]
        invoice_day, customer, (item, qty, price, cost) = \
            candidates[below(len(candidates))]
        if rng.random() < 0.2:
            returned = qty
        else:
            returned = max(1, min(qty, int(round(qty * uniform(0.05, 0.3)))))
        credits.append((day, customer, [(item, -returned, price, cost)]))
    credits.sort(key=lambda credit: (credit[0], credit[1]["id"]))
    return credits


def sales_rows(invoices):
    rows = []
    for day, invoice, customer, lines in invoices:
        for item, qty, price, cost in lines:
            rows.append({
                "date": day.isoformat(), "invoice": invoice,
                "customer_id": customer["id"], "customer": customer["name"],
                "region": customer["region"], "rep": customer["owner"],
                "sku": item["sku"], "product": item["product"],
                "category": item["category"], "qty": qty,
                "unit_price": price, "amount": qty * price,
                "cost": qty * cost,
            })
    # Stable sort: lines keep their order inside an invoice.
    rows.sort(key=lambda row: (row["date"], row["invoice"]))
    return rows


# --- writing ---------------------------------------------------------------

SALES_HEADER = ["date", "invoice", "customer_id", "customer", "region", "rep",
                "sku", "product", "category", "qty", "unit_price", "amount",
                "cost"]


def write_text(path, text, encoding="utf-8"):
    with open(path, "wb") as out:
        out.write(text.encode(encoding))


def csv_text(header, records, delimiter=",", line_end="\n"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end,
                        quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(records)
    return buffer.getvalue()


def write_sales(folder, rows):
    records = [[row["date"], row["invoice"], row["customer_id"],
                row["customer"], row["region"], row["rep"], row["sku"],
                row["product"], row["category"], row["qty"],
                money(row["unit_price"]), money(row["amount"]),
                money(row["cost"])] for row in rows]
    write_text(os.path.join(folder, "sales.csv"),
               csv_text(SALES_HEADER, records))


def write_master(folder, customers):
    records = [[c["id"], c["name"], c["region"], c["city"], c["owner"],
                c["since"].isoformat()] for c in customers]
    write_text(os.path.join(folder, "accounts-master.csv"),
               csv_text(["customer_id", "customer", "region", "city", "owner",
                         "since"], records))


def grouped(value, separator=",", decimal_point="."):
    """1234.50 with thousands separators: 1,234.50 or 1.234,50."""
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 100)
    digits = str(whole)
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return "%s%s%s%02d" % (sign, separator.join(groups), decimal_point, frac)


def in_days(rows, first, last):
    return [row for row in rows
            if first.isoformat() <= row["date"] <= last.isoformat()]


def write_erp_export(folder, rows):
    """A Chinese ERP: GB18030, CRLF, slashed dates, grouped amounts."""
    header = ["日期", "发票号", "客户编号", "客户名称", "区域", "销售代表",
              "产品编号", "数量", "单价", "金额", "成本"]
    records = [[row["date"].replace("-", "/"), row["invoice"],
                row["customer_id"], row["customer"], row["region"],
                row["rep"], row["sku"], row["qty"],
                grouped(row["unit_price"]), grouped(row["amount"]),
                grouped(row["cost"])]
               for row in in_days(rows, date(2026, 11, 2), date(2026, 11, 6))]
    write_text(os.path.join(folder, "erp-export-gbk.csv"),
               csv_text(header, records, line_end="\r\n"), "gb18030")


EXCEL_NOTES = [
    "deliver to dock 3; call ahead",
    "pallet damaged on arrival\nreplacement sent with next order",
    "PO 4711",
    "partial delivery, rest next week",
]


def write_excel_eu(folder, rows):
    """A European Excel sheet: BOM, semicolons, decimal comma, one row per
    invoice, and a free-text Notes column."""
    invoices = []
    for row in in_days(rows, date(2026, 11, 9), date(2026, 11, 13)):
        if invoices and invoices[-1][1] == row["invoice"]:
            invoices[-1][4] += row["amount"]
            invoices[-1][5] += row["qty"]
        else:
            invoices.append([row["date"], row["invoice"], row["customer_id"],
                             row["customer"], row["amount"], row["qty"], ""])
    notes = list(EXCEL_NOTES)
    for invoice in invoices:
        if invoice[1].startswith("CR-"):
            invoice[6] = "credit note; goods returned"
    for position in (2, 7, 12, 17):
        if position < len(invoices) and not invoices[position][6]:
            invoices[position][6] = notes.pop(0)
    for invoice in invoices:
        invoice[4] = grouped(invoice[4], ".", ",")
    header = ["Date", "Invoice No", "Customer ID", "Customer", "Net Sales",
              "Qty", "Notes"]
    write_text(os.path.join(folder, "excel-eu.csv"),
               "\ufeff" + csv_text(header, invoices, ";", "\r\n"))


def accounting(value):
    """$1,234.50, and $(12.00) for a negative amount."""
    if value < 0:
        return "$(%s)" % grouped(-value)
    return "$" + grouped(value)


def write_accounting(folder, rows):
    """An accounting export: TAB separated, $ amounts, NULL for a cost the
    system did not have."""
    records = []
    week = in_days(rows, date(2026, 11, 16), date(2026, 11, 20))
    for index, row in enumerate(week):
        cost = "NULL" if index % 7 == 3 else accounting(row["cost"])
        records.append([row["date"], row["invoice"], row["customer_id"],
                        row["customer"], row["rep"], row["sku"], row["qty"],
                        accounting(row["amount"]), cost])
    header = ["date", "invoice", "customer_id", "customer", "rep", "sku", "qty",
              "amount", "cost"]
    # TSV has no quoting: a field is everything between two TABs.
    lines = []
    for record in [header] + records:
        fields = [str(field) for field in record]
        assert not any(c in f for f in fields for c in "\t\r\n")
        lines.append("\t".join(fields) + "\n")
    write_text(os.path.join(folder, "accounting.tsv"), "".join(lines))


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: gen-demo.py FOLDER\n")
        return 2
    folder = sys.argv[1]
    catalogue = build_catalogue()
    customers = build_customers(catalogue)
    invoices = number_documents(make_orders(customers, catalogue), "INV")
    credits = number_documents(make_returns(invoices), "CR")
    rows = sales_rows(invoices + credits)
    os.makedirs(os.path.join(folder, "messy"), exist_ok=True)
    write_sales(folder, rows)
    write_master(folder, customers)
    write_erp_export(os.path.join(folder, "messy"), rows)
    write_excel_eu(os.path.join(folder, "messy"), rows)
    write_accounting(os.path.join(folder, "messy"), rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
