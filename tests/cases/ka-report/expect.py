#!/usr/bin/env python3
"""Independent check of a ka-report output against the sales export.

Usage: expect.py --as-of DATE [--period P] [--top N] [--lang en|zh]
                 [--ascii] --format text|md|html|json REPORT SALES.csv

Reads SALES.csv with the csv module and computes every figure of the
report with decimal.Decimal (exact), without looking at the program's
code paths: periods from datetime, per-customer sums, ranks, ABC tiers,
growth, movement, concentration, the risk window, sparklines.  Then it
lays the figures out as the report's format does and compares:

  text, md   the whole report, line by line;
  html       the title, every table row and list item (the SVG charts
             are checked by tests/scripts/report-browser.sh);
  json       every figure.

Prints "ok: N lines checked" (or "ok: N figures checked") and exits 0,
or prints each difference and exits 1.

The arithmetic, as the report documents it (ka-report(1), ka-rank(1)):
  revenue      sum of amount of the customer's rows in the period
               (returns, negative amounts, net against sales)
  margin       revenue - sum of cost
  orders       distinct invoices among sale rows (a row is a sale
               unless amount < 0 or qty < 0)
  customers    customers with any row in the period (ranked rows)
  share        revenue / total * 100, rounded half away from zero to
               2 decimals (ka-rank's figure), shown with 1 decimal,
               rounded half away from zero again
  cum share    running sum in rank order / total; tier A while
               cum * 100 <= 80 * total, B while <= 95 * total, else C
  rank         revenue descending, then customer_id ascending
  growth       (revenue - prev) / prev * 100, 2 decimals, when prev > 0
  change       headline: (now - before) / |before| * 100, 1 decimal,
               half away from zero (-6.25 shows as -6.3%)
  HHI          sum of (v / T)^2 * 10000 over customers with v > 0,
               T their total, rounded to 2 decimals, shown with 0
  risk window  the 364 days up to --as-of against the 364 before;
               lapsed: 3+ sale days and days since the last sale
               > 2 x the median gap between sale days; declining:
               revenue below 80% of the window before; at risk: tier
               A or B of the window and lapsed or declining; lost:
               rows before the window and none in it
  sparkline    revenue per period for the 12 periods ending with P,
               level = floor((v - min(0, lowest)) / (highest - that)
               * 7 + 0.5), blocks U+2581..U+2588 or "_.-:=+*#"
"""

import argparse
import csv
import datetime as dt
import html as htmlmod
import json
import math
import sys
import unicodedata
from decimal import Decimal, ROUND_HALF_UP
from fractions import Fraction

ONE_DAY = dt.timedelta(days=1)

# ---- periods ----


class Period:
    def __init__(self, kind, first, last):
        self.kind, self.first, self.last = kind, first, last

    def __contains__(self, d):
        return self.first <= d <= self.last

    def name(self):
        if self.kind == 'week':
            y, w, _ = self.first.isocalendar()
            return '%d-W%02d' % (y, w)
        if self.kind == 'month':
            return '%04d-%02d' % (self.first.year, self.first.month)
        if self.kind == 'quarter':
            return '%04d-Q%d' % (self.first.year, (self.first.month + 2) // 3)
        if self.kind == 'year':
            return '%04d' % self.first.year
        return '%s..%s' % (self.first, self.last)


def month_start(y, m):
    while m < 1:
        y, m = y - 1, m + 12
    while m > 12:
        y, m = y + 1, m - 12
    return dt.date(y, m, 1)


def month_period(y, m, months=1, kind='month'):
    first = month_start(y, m)
    last = month_start(first.year, first.month + months) - ONE_DAY
    return Period(kind, first, last)


def week_period(y, w):
    monday = dt.date.fromisocalendar(y, w, 1)
    return Period('week', monday, monday + 6 * ONE_DAY)


def parse_period(text, as_of):
    if text == 'last-week':
        monday = as_of - as_of.weekday() * ONE_DAY - 7 * ONE_DAY
        return Period('week', monday, monday + 6 * ONE_DAY)
    if '-W' in text:
        y, w = text.split('-W')
        return week_period(int(y), int(w))
    if '-Q' in text:
        y, q = text.split('-Q')
        return month_period(int(y), 3 * int(q) - 2, 3, 'quarter')
    if len(text) == 7:
        return month_period(int(text[:4]), int(text[5:]))
    if len(text) == 4:
        return month_period(int(text), 1, 12, 'year')
    raise SystemExit('expect.py: period %r not handled here' % text)


def previous(p):
    if p.kind == 'week':
        return Period('week', p.first - 7 * ONE_DAY, p.last - 7 * ONE_DAY)
    if p.kind in ('month', 'quarter', 'year'):
        n = {'month': 1, 'quarter': 3, 'year': 12}[p.kind]
        return month_period(p.first.year, p.first.month - n, n, p.kind)
    days = (p.last - p.first).days + 1
    return Period('range', p.first - days * ONE_DAY, p.first - ONE_DAY)


def year_ago(p):
    if p.kind == 'week':
        y, w, _ = p.first.isocalendar()
        weeks = dt.date(y - 1, 12, 28).isocalendar()[1]
        return week_period(y - 1, min(w, weeks))
    n = {'month': 1, 'quarter': 3, 'year': 12}[p.kind]
    return month_period(p.first.year - 1, p.first.month, n, p.kind)


# ---- the data ----


def dec(text):
    return Decimal(text.replace(',', '')) if text.strip() else None


def read_sales(path):
    rows = []
    with open(path, newline='', encoding='utf-8') as f:
        for r in csv.DictReader(f):
            amount = dec(r['amount'])
            qty = dec(r['qty']) if r.get('qty') else None
            rows.append({
                'date': dt.date.fromisoformat(r['date']),
                'invoice': r.get('invoice', ''),
                'id': r['customer_id'].strip(),
                'name': r['customer'],
                'amount': amount,
                'cost': dec(r['cost']) if r.get('cost') is not None else None,
                'sale': not (amount < 0 or (qty is not None and qty < 0)),
            })
    return rows


def round_fraction(f, places):
    scale = 10 ** places
    v = abs(f) * scale
    n = int(v)
    if v - n >= Fraction(1, 2):
        n += 1
    return Decimal(n if f >= 0 else -n) / scale


def rank_groups(rows, period):
    """Per-customer figures of the rows in period, in rank order."""
    groups = {}
    for r in rows:
        if r['date'] not in period:
            continue
        g = groups.setdefault(r['id'], {
            'id': r['id'], 'name': r['name'], 'revenue': Decimal(0),
            'cost': Decimal(0), 'has_cost': True, 'invoices': set(),
            'orders_no_invoice': 0, 'days': set()})
        g['revenue'] += r['amount']
        if r['cost'] is None:
            g['has_cost'] = False
        else:
            g['cost'] += r['cost']
        if r['sale']:
            if r['invoice']:
                g['invoices'].add(r['invoice'])
            else:
                g['orders_no_invoice'] += 1
            g['days'].add(r['date'])
    ranked = sorted(groups.values(), key=lambda g: (-g['revenue'], g['id']))
    total = sum((g['revenue'] for g in ranked), Decimal(0))
    cum = Decimal(0)
    for i, g in enumerate(ranked):
        cum += g['revenue']
        g['rank'] = i + 1
        g['orders'] = len(g['invoices']) + g['orders_no_invoice']
        g['margin'] = g['revenue'] - g['cost']
        if total <= 0:
            g['tier'] = 'C'
        elif cum * 100 <= 80 * total:
            g['tier'] = 'A'
        elif cum * 100 <= 95 * total:
            g['tier'] = 'B'
        else:
            g['tier'] = 'C'
        g['share'] = round_fraction(Fraction(g['revenue']) / Fraction(total)
                                    * 100, 2) if total > 0 else None
        g['cum_share'] = round_fraction(Fraction(cum) / Fraction(total)
                                        * 100, 2) if total > 0 else None
        days = sorted(g['days'])
        g['last'] = days[-1] if days else None
        gaps = sorted((b - a).days for a, b in zip(days, days[1:]))
        if gaps:
            m = len(gaps)
            g['median_gap'] = (Fraction(gaps[m // 2]) if m % 2 else
                               Fraction(gaps[m // 2 - 1] + gaps[m // 2], 2))
        else:
            g['median_gap'] = None
        g['active_days'] = len(days)
    return ranked, total


def compare(now, before):
    """Adds prev_* figures and movement to the rows of now; returns the
    rows of before absent now (lost), by their old rank."""
    old = {g['id']: g for g in before}
    for g in now:
        p = old.get(g['id'])
        g['prev_revenue'] = p['revenue'] if p else Decimal(0)
        g['prev_rank'] = p['rank'] if p else None
        g['prev_tier'] = p['tier'] if p else ''
        g['growth'] = (round_fraction((Fraction(g['revenue']) -
                                       Fraction(p['revenue'])) /
                                      Fraction(p['revenue']) * 100, 2)
                       if p and p['revenue'] > 0 else None)
        if not p:
            g['movement'] = 'new'
        elif g['tier'] < p['tier']:
            g['movement'] = 'up'
        elif g['tier'] > p['tier']:
            g['movement'] = 'down'
        else:
            g['movement'] = 'same'
    ids = {g['id'] for g in now}
    return [p for p in before if p['id'] not in ids]


def hhi(values):
    positive = [Fraction(v) for v in values if v > 0]
    t = sum(positive)
    if t == 0:
        return Decimal(0)
    return round_fraction(sum((v / t) ** 2 for v in positive) * 10000, 2)


class Model:
    pass


def build(args):
    rows = read_sales(args.sales)
    as_of = dt.date.fromisoformat(args.as_of)
    m = Model()
    m.as_of = as_of
    m.period = parse_period(args.period, as_of)
    m.previous = previous(m.period)
    m.year_ago = year_ago(m.period)
    m.now, m.total = rank_groups(rows, m.period)
    m.before, _ = rank_groups(rows, m.previous)
    m.ago, _ = rank_groups(rows, m.year_ago)
    m.lost_now = compare(m.now, m.before)
    m.has_margin = all(g['has_cost'] for x in (m.now, m.before, m.ago)
                       for g in x)
    # Sparklines: the 12 periods ending with the report's period.
    m.spark_periods = [m.period]
    while len(m.spark_periods) < 12:
        m.spark_periods.insert(0, previous(m.spark_periods[0]))
    m.spark_total = [Decimal(0)] * 12
    spark = {}
    for r in rows:
        for k, p in enumerate(m.spark_periods):
            if r['date'] in p:
                spark.setdefault(r['id'], [Decimal(0)] * 12)[k] += \
                    r['amount']
                m.spark_total[k] += r['amount']
    for g in m.now:
        g['spark'] = spark.get(g['id'], [Decimal(0)] * 12)
    # The risk window: 364 days up to --as-of, against the 364 before.
    m.window = Period('range', as_of - 363 * ONE_DAY, as_of)
    m.before_window = Period('range', as_of - 727 * ONE_DAY,
                             as_of - 364 * ONE_DAY)
    window, _ = rank_groups(rows, m.window)
    before_window, _ = rank_groups(rows, m.before_window)
    m.lost = compare(window, before_window)
    m.risks = []
    for g in window:
        lapsed = (g['active_days'] >= 3 and g['median_gap'] is not None and
                  (as_of - g['last']).days > 2 * g['median_gap'])
        declining = (g['prev_revenue'] > 0 and
                     (g['revenue'] - g['prev_revenue']) * 100 <
                     -20 * g['prev_revenue'])
        if g['tier'] in ('A', 'B') and (lapsed or declining):
            g['flags'] = [f for f, on in (('lapsed', lapsed),
                                          ('declining', declining)) if on]
            g['recency'] = (as_of - g['last']).days
            m.risks.append(g)
    m.hhi = hhi([g['revenue'] for g in m.now])
    m.top_share = []
    for k in (1, 5, 10):
        if m.now and m.total > 0:
            m.top_share.append(round_fraction(
                Fraction(sum((g['revenue'] for g in m.now[:k]), Decimal(0)))
                / Fraction(m.total) * 100, 2))
        else:
            m.top_share.append(Decimal(0))
    return m


def totals(groups):
    return {
        'revenue': sum((g['revenue'] for g in groups), Decimal(0)),
        'margin': sum((g['margin'] for g in groups), Decimal(0)),
        'orders': sum(g['orders'] for g in groups),
        'customers': len(groups),
    }


# ---- layout ----

EN = dict(
    title='Key-account report', period='this period', previous='previous',
    year_ago='last year', change='change', measure='measure',
    revenue='revenue', margin='margin', orders='orders',
    customers='active customers', headline='Headline',
    key_accounts='Key accounts', movement='Movement',
    concentration='Concentration', at_risk='At risk', rank='#',
    customer='customer', tier='tier', share='share', growth='growth',
    rank_change='rank +/-', trend='last 12', entered_a='entered tier A',
    left_a='left tier A', risers='biggest risers', fallers='biggest fallers',
    new_accounts='new accounts',
    lost='lost in the risk window (bought before it, not in it)', none='none', hhi='HHI',
    top1='top 1 share', top5='top 5 share', top10='top 10 share',
    largest_left='if the largest account left', days_since='days since',
    usual_gap='usual gap', flags='flags', as_of='as of',
    band=('unconcentrated', 'moderately concentrated',
          'highly concentrated'),
    lapsed='lapsed', declining='declining', new='new')
ZH = dict(
    title='大客户报告', period='本期', previous='上期', year_ago='去年同期',
    change='变化', measure='指标', revenue='销售额', margin='毛利',
    orders='订单数', customers='活跃客户', headline='概要',
    key_accounts='大客户', movement='变动', concentration='集中度',
    at_risk='风险客户', rank='#', customer='客户', tier='等级', share='占比',
    growth='增长', rank_change='名次变化', trend='近12期',
    entered_a='进入A级', left_a='离开A级', risers='上升最多',
    fallers='下降最多', new_accounts='新客户',
    lost='风险窗口内流失（此前购买，窗口内未购买）', none='无', hhi='HHI指数',
    top1='第一大客户占比', top5='前5大客户占比', top10='前10大客户占比',
    largest_left='若最大客户流失', days_since='未下单天数',
    usual_gap='通常间隔', flags='标记', as_of='截至',
    band=('不集中', '中度集中', '高度集中'), lapsed='流失风险',
    declining='下滑', new='新')


def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else
               0 if unicodedata.combining(c) else 1 for c in s)


def cell(text, w, right, ascii_only):
    if width(text) > w:
        out, used = '', 0
        for c in text:
            if used + width(c) > w - 1:
                break
            out += c
            used += width(c)
        out += '~' if ascii_only else '\u2026'
        return out + ' ' * (w - used - 1)
    pad = ' ' * (w - width(text))
    return pad + text if right else text + pad


def money(v):
    q = Decimal(v).quantize(Decimal('0.01'), ROUND_HALF_UP)
    sign = '-' if q < 0 else ''
    whole, frac = str(abs(q)).split('.')
    return '%s%s.%s' % (sign, '{:,}'.format(int(whole)), frac)


def pct(v, signed):
    """A 2-decimal percentage (ka-rank's figure) shown with one decimal,
    rounded half away from zero."""
    if v is None:
        return 'n/a'
    q = Decimal(v).quantize(Decimal('0.1'), ROUND_HALF_UP)
    return '%s%s%%' % ('-' if v < 0 else '+' if signed else '', abs(q))


def change(now, before):
    if before == 0:
        return 'n/a'
    f = (Fraction(now) - Fraction(before)) / abs(Fraction(before)) * 100
    return pct(round_fraction(f, 1), True)


def date_text(d, zh):
    return '%d年%d月%d日' % (d.year, d.month, d.day) if zh else d.isoformat()


def period_text(p, zh):
    if zh:
        if p.kind == 'week':
            y, w, _ = p.first.isocalendar()
            return '%d年第%d周（%s至%s）' % (y, w, date_text(p.first, 1),
                                        date_text(p.last, 1))
        if p.kind == 'month':
            return '%d年%d月' % (p.first.year, p.first.month)
        if p.kind == 'quarter':
            return '%d年第%d季度' % (p.first.year, (p.first.month + 2) // 3)
        if p.kind == 'year':
            return '%d年' % p.first.year
        return '%s至%s' % (date_text(p.first, 1), date_text(p.last, 1))
    if p.kind == 'week':
        return '%s (%s..%s)' % (p.name(), p.first, p.last)
    return p.name()


def spark_text(values, ascii_only):
    low = min(min(values), 0)
    high = max(values)
    out = ''
    for v in values:
        level = (int(math.floor((float(v) - float(low)) /
                                (float(high) - float(low)) * 7.0 + 0.5))
                 if high > low else 0)
        level = max(0, min(7, level))
        out += '_.-:=+*#'[level] if ascii_only else chr(0x2581 + level)
    return out


def name_of(g):
    return g['name'] if g['name'] else g['id']


def rank_change(g, L):
    if g['prev_rank'] is None:
        return L['new']
    if g['prev_rank'] == g['rank']:
        return '='
    return '%+d' % (g['prev_rank'] - g['rank'])


def movers(m, up):
    moved = [g for g in m.now if g['prev_rank'] is not None and
             g['prev_rank'] != g['rank'] and
             ((g['prev_rank'] > g['rank']) == up)]
    # Largest move first; equal moves in rank order (sorted is stable).
    moved.sort(key=lambda g: -abs(g['prev_rank'] - g['rank']))
    return moved[:5]


def headline_cells(m, L):
    now, prev, ago = totals(m.now), totals(m.before), totals(m.ago)
    rows = [[L['revenue'], money(now['revenue']), money(prev['revenue']),
             change(now['revenue'], prev['revenue']),
             money(ago['revenue']), change(now['revenue'], ago['revenue'])]]
    if m.has_margin:
        rows.append([L['margin'], money(now['margin']),
                     money(prev['margin']),
                     change(now['margin'], prev['margin']),
                     money(ago['margin']),
                     change(now['margin'], ago['margin'])])
    for key in ('orders', 'customers'):
        rows.append([L[key], str(now[key]), str(prev[key]),
                     change(now[key], prev[key]), str(ago[key]),
                     change(now[key], ago[key])])
    return rows


def account_cells(m, L, g, ascii_only):
    return [str(g['rank']), name_of(g), g['tier'], money(g['revenue']),
            pct(g['share'], False), pct(g['growth'], True),
            rank_change(g, L), spark_text(g['spark'], ascii_only)]


def risk_cells(L, g):
    gap = '-' if g['median_gap'] is None else '%.1f' % float(g['median_gap'])
    return [name_of(g), g['tier'], str(g['recency']), gap,
            pct(g['growth'], True), ', '.join(L[f] for f in g['flags'])]


def movement_items(m, L):
    def join(names):
        return '; '.join(names)
    items = [
        (L['entered_a'], join(name_of(g) for g in m.now if g['tier'] == 'A'
                              and g['prev_tier'] != 'A')),
        (L['left_a'], join([name_of(g) for g in m.now if g['tier'] != 'A'
                            and g['prev_tier'] == 'A'] +
                           [name_of(g) for g in m.lost_now
                            if g['tier'] == 'A'])),
        (L['risers'], join('%s (%s)' % (name_of(g), rank_change(g, L))
                           for g in movers(m, True))),
        (L['fallers'], join('%s (%s)' % (name_of(g), rank_change(g, L))
                            for g in movers(m, False))),
        (L['new_accounts'], join(name_of(g) for g in m.now
                                 if g['movement'] == 'new')),
        (L['lost'], join('%s (%s)' % (name_of(g), money(g['revenue']))
                         for g in m.lost)),
    ]
    return [(label, text or L['none']) for label, text in items]


def band(m, L):
    h = float(m.hhi)
    return L['band'][0 if h < 1500 else 1 if h <= 2500 else 2]


def concentration_lines(m, L):
    lines = ['%s: %.0f (%s)' % (L['hhi'], float(m.hhi), band(m, L)),
             '%s: %s, %s: %s, %s: %s' % (
                 L['top1'], pct(m.top_share[0], False),
                 L['top5'], pct(m.top_share[1], False),
                 L['top10'], pct(m.top_share[2], False))]
    if m.now:
        lines.append('%s (%s): %s %s' % (L['largest_left'],
                                         name_of(m.now[0]),
                                         pct(m.now[0]['share'], False),
                                         L['revenue']))
    return lines


def window_text(m, zh):
    if zh:
        return '风险窗口 %s 至 %s，与之前同样长度的时期比较' % (
            date_text(m.window.first, 1), date_text(m.window.last, 1))
    return 'risk window %s..%s, against the same length before' % (
        m.window.first, m.window.last)


def wrap(label, text):
    """The text form's movement line: broken at spaces within 80
    columns, later lines indented by four, "Name (-2)" kept together."""
    words = []
    for w in text.split(' '):
        if w.startswith('(') and words:
            words[-1] += ' ' + w
        elif w:
            words.append(w)
    lines, line = [], '  %s:' % label
    for w in words:
        if width(line) + 1 + width(w) > 80 and width(line) > 4:
            lines.append(line)
            line = '   '
        line += ' ' + w
    return lines + [line]


def render_plain(m, L, zh, markdown, ascii_only, top):
    out = []

    def table(names, widths, rights, rows):
        for cells in [names] + rows:
            if markdown:
                out.append('| ' + ' | '.join(c.replace('|', '\\|')
                                             for c in cells) + ' |')
                if cells is names:
                    out.append(''.join('|---:' if r else '|---'
                                       for r in rights) + '|')
            else:
                out.append(' '.join(cell(c, w, r, ascii_only) for c, w, r in
                                    zip(cells, widths, rights)).rstrip(' '))

    def heading(text):
        if markdown:
            out.extend(['', '## ' + text, ''])
        else:
            out.extend(['', text, ('-' if ascii_only else '\u2500') *
                        width(text)])

    title = '%s: %s' % (L['title'], period_text(m.period, zh))
    if markdown:
        out.extend(['# ' + title, '', '_%s %s_' % (L['as_of'],
                                                   date_text(m.as_of, zh))])
    else:
        out.extend([title, '%s %s' % (L['as_of'], date_text(m.as_of, zh))])
    heading(L['headline'])
    prev_text = period_text(m.previous, zh)
    ago_text = period_text(m.year_ago, zh)
    if markdown:
        out.extend(['%s: %s; %s: %s' % (L['previous'], prev_text,
                                        L['year_ago'], ago_text), ''])
    else:
        out.extend(['%s: %s' % (L['previous'], prev_text),
                    '%s: %s' % (L['year_ago'], ago_text), ''])
    table([L['measure'], L['period'], L['previous'], L['change'],
           L['year_ago'], L['change']], [16, 14, 14, 7, 14, 7],
          [0, 1, 1, 1, 1, 1], headline_cells(m, L))
    heading(L['key_accounts'])
    table([L['rank'], L['customer'], L['tier'], L['revenue'], L['share'],
           L['growth'], L['rank_change'], L['trend']],
          [3, 20, 4, 13, 6, 7, 8, 12], [1, 0, 0, 1, 1, 1, 1, 0],
          [account_cells(m, L, g, ascii_only) for g in m.now[:top]])
    heading(L['movement'])
    for label, text in movement_items(m, L):
        if markdown:
            out.append('- **%s:** %s' % (label, text))
        else:
            out.extend(wrap(label, text))
    heading(L['concentration'])
    for line in concentration_lines(m, L):
        out.append(('- ' if markdown else '  ') + line)
    heading(L['at_risk'])
    if markdown:
        out.extend(['_%s_' % window_text(m, zh), ''])
    else:
        out.extend(['  ' + window_text(m, zh), ''])
    if not m.risks:
        out.append(('' if markdown else '  ') + L['none'])
    else:
        table([L['customer'], L['tier'], L['days_since'], L['usual_gap'],
               L['growth'], L['flags']], [22, 4, 10, 9, 8, 20],
              [0, 0, 1, 1, 1, 0], [risk_cells(L, g) for g in m.risks])
    return out


def html_rows(m, L, zh, top):
    """Lines the HTML form must hold, each a whole line of its source."""
    e = lambda s: htmlmod.escape(s, quote=True).replace('&#x27;', '&#39;')
    title = '%s: %s' % (L['title'], period_text(m.period, zh))
    want = ['<title>%s</title>' % e(title), '<h1>%s</h1>' % e(title)]
    for cells in headline_cells(m, L):
        want.append('<tr><td>%s</td>' % e(cells[0]) + ''.join(
            '<td class="num">%s</td>' % e(c) for c in cells[1:]) + '</tr>')
    for g in m.now[:top]:
        cells = account_cells(m, L, g, False)
        tds = ''
        for j, c in enumerate(cells):
            if j == 5 and g['growth'] is not None:
                tds += '<td class="num %s">%s</td>' % (
                    'up' if g['growth'] >= 0 else 'down', e(c))
            else:
                tds += '<td%s>%s</td>' % (
                    ' class="num"' if j in (0, 3, 4, 5, 6) else '', e(c))
        want.append('<tr data-customer-id="%s">%s</tr>' % (e(g['id']), tds))
    for label, text in movement_items(m, L):
        shown = ('<span class="muted">%s</span>' % e(text)
                 if text == L['none'] else e(text))
        want.append('<li><strong>%s:</strong> %s</li>' % (e(label), shown))
    for line in concentration_lines(m, L):
        want.append('<li>%s</li>' % e(line))
    want.append('<p class="muted">%s</p>' % e(window_text(m, zh)))
    for g in m.risks:
        cells = risk_cells(L, g)
        want.append('<tr>' + ''.join(
            '<td%s>%s</td>' % (' class="num"' if j in (2, 3, 4) else '',
                               e(c)) for j, c in enumerate(cells)) + '</tr>')
    return want


def check_json(m, report, top):
    """Returns a list of differences and the number of figures."""
    problems, count = [], 0

    def same(where, got, want):
        nonlocal count
        count += 1
        if isinstance(want, Decimal) and got is not None:
            ok = Decimal(str(got)) == want
        else:
            ok = got == want
        if not ok:
            problems.append('%s: report %r, expected %r' % (where, got,
                                                            want))

    def d2(x):
        return None if x is None else Decimal(x).quantize(Decimal('0.01'))

    h = report['headline']
    for key, groups, period in (('current', m.now, m.period),
                                ('previous', m.before, m.previous),
                                ('year_ago', m.ago, m.year_ago)):
        t = totals(groups)
        same(key + '.period', h[key]['period'], period.name())
        same(key + '.first', h[key]['first'], period.first.isoformat())
        same(key + '.last', h[key]['last'], period.last.isoformat())
        for f in ('revenue', 'margin'):
            same(key + '.' + f, h[key].get(f), d2(t[f]))
        for f in ('orders', 'customers'):
            same(key + '.' + f, h[key][f], t[f])
    now, prev, ago = totals(m.now), totals(m.before), totals(m.ago)
    for key, base in (('revenue_change_pct', prev), ('revenue_change_yoy_pct',
                                                     ago)):
        want = (None if base['revenue'] == 0 else round_fraction(
            (Fraction(now['revenue']) - Fraction(base['revenue'])) /
            abs(Fraction(base['revenue'])) * 100, 2))
        same('headline.' + key, h[key], want)
    c = report['concentration']
    same('hhi', c['hhi'], m.hhi)
    same('band', c['band'], ['unconcentrated', 'moderate', 'high'][
        0 if m.hhi < 1500 else 1 if m.hhi <= 2500 else 2])
    for k, key in enumerate(('top1_share', 'top5_share', 'top10_share')):
        same(key, c[key], m.top_share[k])
    moves = {k: 0 for k in ('new', 'up', 'same', 'down', 'lost')}
    for g in m.now:
        moves[g['movement']] += 1
    moves['lost'] = len(m.lost_now)
    same('movement', report['movement'], moves)
    labels = [p.name()[5:] if p.kind == 'week' else p.name()
              for p in m.spark_periods]
    same('periods', report['periods'], labels)
    for k in range(12):
        same('period_totals[%d]' % k, report['period_totals'][k],
             d2(m.spark_total[k]))
    same('top', report['top'], min(top, len(m.now)))
    same('accounts', len(report['accounts']), len(m.now))
    for a, g in zip(report['accounts'], m.now):
        w = 'accounts[%s].' % g['id']
        same(w + 'customer_id', a['customer_id'], g['id'])
        same(w + 'customer', a['customer'], g['name'])
        same(w + 'tier', a['tier'], g['tier'])
        same(w + 'rank', a['rank'], g['rank'])
        same(w + 'prev_rank', a['prev_rank'], g['prev_rank'])
        same(w + 'revenue', a['revenue'], d2(g['revenue']))
        same(w + 'prev_revenue', a['prev_revenue'], d2(g['prev_revenue']))
        same(w + 'share', a['share'], g['share'])
        same(w + 'cum_share', a['cum_share'], g['cum_share'])
        same(w + 'growth', a['growth'], g['growth'])
        same(w + 'prev_tier', a['prev_tier'], g['prev_tier'])
        same(w + 'movement', a['movement'], g['movement'])
        for k in range(12):
            same(w + 'spark[%d]' % k, a['spark'][k], d2(g['spark'][k]))
    same('risk_window', report['risk_window'],
         {'first': m.window.first.isoformat(),
          'last': m.window.last.isoformat()})
    same('at_risk', len(report['at_risk']), len(m.risks))
    for a, g in zip(report['at_risk'], m.risks):
        w = 'at_risk[%s].' % g['id']
        same(w + 'customer_id', a['customer_id'], g['id'])
        same(w + 'tier', a['tier'], g['tier'])
        same(w + 'recency_days', a['recency_days'], g['recency'])
        same(w + 'median_gap_days', a['median_gap_days'],
             None if g['median_gap'] is None else
             round_fraction(g['median_gap'], 1))
        same(w + 'growth', a['growth'], g['growth'])
        same(w + 'risk', a['risk'], ';'.join(g['flags']))
    same('lost', [(x['customer_id'], Decimal(str(x['prev_revenue'])))
                  for x in report['lost']],
         [(g['id'], d2(g['revenue'])) for g in m.lost])
    return problems, count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--as-of', required=True)
    ap.add_argument('--period', default='last-week')
    ap.add_argument('--top', type=int, default=20)
    ap.add_argument('--lang', default='en')
    ap.add_argument('--ascii', action='store_true')
    ap.add_argument('--format', required=True)
    ap.add_argument('report')
    ap.add_argument('sales')
    args = ap.parse_args()
    m = build(args)
    zh = args.lang == 'zh'
    L = ZH if zh else EN
    with open(args.report, encoding='utf-8') as f:
        text = f.read()
    if args.format == 'json':
        problems, count = check_json(m, json.loads(text), args.top)
        for p in problems:
            print('MISMATCH ' + p)
        if problems:
            return 1
        print('ok: %d figures checked' % count)
        return 0
    if args.format in ('text', 'md'):
        want = render_plain(m, L, zh, args.format == 'md', args.ascii,
                            args.top)
        got = text.split('\n')
        if got and got[-1] == '':
            got.pop()
        bad = 0
        for i in range(max(len(want), len(got))):
            w = want[i] if i < len(want) else '<none>'
            g = got[i] if i < len(got) else '<none>'
            if w != g:
                bad += 1
                print('MISMATCH line %d\n  report:   %s\n  expected: %s'
                      % (i + 1, g, w))
        if bad:
            return 1
        print('ok: %d lines checked' % len(want))
        return 0
    if args.format == 'html':
        lines = set(text.split('\n'))
        want = html_rows(m, L, zh, args.top)
        missing = [w for w in want if w not in lines]
        for w in missing:
            print('MISSING ' + w)
        if missing:
            return 1
        print('ok: %d lines checked' % len(want))
        return 0
    raise SystemExit('expect.py: unknown format ' + args.format)


if __name__ == '__main__':
    sys.exit(main())
