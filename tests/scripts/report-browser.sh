#!/usr/bin/env bash
# ka-report -O html in a real browser: headless Chromium (Debian's
# chromium package) loads the report from a file, dumps its DOM and
# takes a screenshot; the test then checks, in the DOM the browser
# built (not in the file ka-report wrote):
#   - the three charts are SVG elements (Pareto curve with its two
#     cut-off lines, revenue per period, tier movement);
#   - the key-accounts table holds the expected rows: the customer ids
#     in data-customer-id, in the order ka-rank ranks them;
#   - a customer named <script>alert(1)</script> is text in its cell,
#     there is no script element, and a customer_id with quotes did not
#     become an attribute (no onmouseover);
#   - nothing is loaded from elsewhere: no src= or href= attribute, no
#     link, img, iframe or object element, no url( or @import in CSS;
#   - the screenshot is a PNG of 1000 x 2400 pixels and more than a
#     blank page's size; the print form (--print-to-pdf, the page's
#     print CSS) is a PDF.
# SKIP with a note where chromium is not installed or cannot run.
#
# Usage, from the project root: bash tests/scripts/report-browser.sh BUILD
# Prints "PASS name", "FAIL name" with detail lines indented by two
# spaces, or "SKIP name: reason".
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
report=$build/bin/ka-report
rank=$build/bin/ka-rank
export LC_ALL=C.UTF-8 TZ=UTC

if [ ! -x "$report" ] || [ ! -x "$rank" ]; then
	echo "SKIP report-browser: ka-report or ka-rank is not built"
	exit 0
fi
browser=""
for candidate in chromium chromium-browser; do
	if command -v "$candidate" >/dev/null 2>&1; then
		browser=$candidate
		break
	fi
done
if [ -z "$browser" ]; then
	echo "SKIP report-browser: no chromium (Debian: apt-get install chromium)"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP report-browser: no python3"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# chrome ARGS...: headless Chromium with a fresh profile, no network
# services, bounded in time.
chrome() {
	local profile
	profile=$(mktemp -d "$tmp/profile.XXXXXX")
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$profile" "$@" 2>>"$tmp/chromium.log"
}

# Can it run here at all (a container without /dev/shm, a missing
# library)?
printf '<!DOCTYPE html><title>t</title><p id="probe">ok</p>\n' \
    >"$tmp/probe.html"
if ! chrome --dump-dom "file://$tmp/probe.html" >"$tmp/probe.dom" ||
    ! grep -q 'id="probe"' "$tmp/probe.dom"; then
	echo "SKIP report-browser: $browser cannot run here: $(grep -v dbus "$tmp/chromium.log" | tail -1)"
	exit 0
fi

# The demo's report, and one with the hostile names.
sales=$root/examples/sales.csv
cat >"$tmp/hostile.csv" <<'EOF'
date,invoice,customer_id,customer,amount,cost
2026-11-10,I1,X1,<script>alert(1)</script>,100.00,60.00
2026-11-17,I2,X1,<script>alert(1)</script>,400.00,300.00
2026-11-18,I3,X2,Beta,100.00,50.00
2026-11-19,I4,X3,Gamma,100.00,70.00
2026-11-20,I5,"X4""onmouseover=""alert(2)",Delta,50.00,20.00
EOF
for name in demo hostile; do
	input=$sales
	[ $name = hostile ] && input=$tmp/hostile.csv
	if ! "$report" --as-of 2026-11-27 -O html "$input" \
	    >"$tmp/$name.html" 2>"$tmp/err" ||
	    ! "$rank" --period 2026-W47 --as-of 2026-11-27 -O jsonl "$input" \
	    >"$tmp/$name.jsonl" 2>>"$tmp/err"; then
		echo "FAIL report-browser: ka-report or ka-rank failed"
		sed 's/^/  /' "$tmp/err"
		exit 1
	fi
	chrome --dump-dom "file://$tmp/$name.html" >"$tmp/$name.dom"
	chrome --screenshot="$tmp/$name.png" --window-size=1000,2400 \
	    "file://$tmp/$name.html" >/dev/null
	chrome --print-to-pdf="$tmp/$name.pdf" --no-pdf-header-footer \
	    "file://$tmp/$name.html" >/dev/null
done
"$report" --as-of 2026-11-27 --lang zh -O html "$sales" >"$tmp/zh.html" &&
	chrome --dump-dom "file://$tmp/zh.html" >"$tmp/zh.dom"

python3 - "$tmp" <<'PY'
import json, struct, sys
from html.parser import HTMLParser

tmp = sys.argv[1]


class Tree(HTMLParser):
    """Elements as (tag, attributes, text, ancestors) of the DOM dump."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.elements = [], []

    def handle_starttag(self, tag, attrs):
        element = {'tag': tag, 'attrs': dict(attrs), 'text': '',
                   'parents': [e['tag'] for e in self.stack]}
        self.elements.append(element)
        if tag not in ('meta', 'br', 'img', 'link', 'input', 'hr'):
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({'tag': tag, 'attrs': dict(attrs), 'text': '',
                              'parents': [e['tag'] for e in self.stack]})

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i]['tag'] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        for e in self.stack:
            e['text'] += data


def tree(name):
    t = Tree()
    with open('%s/%s.dom' % (tmp, name), encoding='utf-8') as f:
        t.feed(f.read())
    return t.elements


def result(name, problems):
    print('%s report-browser %s' % ('FAIL' if problems else 'PASS', name))
    for p in problems[:20]:
        print('  ' + p)


def ranked_ids(name, top=20):
    with open('%s/%s.jsonl' % (tmp, name), encoding='utf-8') as f:
        rows = [json.loads(line) for line in f]
    return [r['customer_id'] for r in rows if r['rank'] is not None][:top]


def charts(name, titles):
    problems = []
    elements = tree(name)
    svgs = [e for e in elements if e['tag'] == 'svg']
    if len(svgs) != 3:
        problems.append('%d svg elements, want 3' % len(svgs))
    got = [e['text'].strip() for e in elements
           if e['tag'] == 'title' and 'svg' in e['parents']]
    if got != titles:
        problems.append('chart titles %r, want %r' % (got, titles))
    pareto = [e for e in elements if e['tag'] == 'polyline' and
              e['attrs'].get('class') == 'pareto']
    cutoffs = [e for e in elements if e['tag'] == 'line' and
               e['attrs'].get('class') == 'cutoff']
    if len(pareto) != 1 or len(cutoffs) != 2:
        problems.append('Pareto curve: %d curves, %d cut-off lines, want 1 '
                        'and 2' % (len(pareto), len(cutoffs)))
    if not all('svg' in e['parents'] for e in pareto + cutoffs):
        problems.append('chart parts outside an svg element')
    result('%s: three SVG charts in the DOM' % name, problems)
    return elements


def accounts(name, elements):
    problems = []
    rows = [e for e in elements if e['tag'] == 'tr' and
            'data-customer-id' in e['attrs']]
    got = [r['attrs']['data-customer-id'] for r in rows]
    want = ranked_ids(name)
    if got != want:
        problems.append('rows %r' % got)
        problems.append('want %r (ka-rank --period 2026-W47)' % want)
    if any('table' not in r['parents'] for r in rows):
        problems.append('account rows outside a table')
    result('%s: key-accounts rows in rank order' % name, problems)


def self_contained(name, elements):
    problems = []
    for e in elements:
        for attr in ('src', 'href', 'srcset', 'action', 'poster'):
            if attr in e['attrs']:
                problems.append('<%s %s=%r>' % (e['tag'], attr,
                                                e['attrs'][attr]))
        if e['tag'] in ('script', 'link', 'img', 'iframe', 'object',
                        'embed', 'audio', 'video', 'base'):
            problems.append('a %s element' % e['tag'])
        if e['tag'] == 'style' and ('url(' in e['text'] or
                                    '@import' in e['text']):
            problems.append('url( or @import in a style element')
        if 'style' in e['attrs'] and 'url(' in e['attrs']['style']:
            problems.append('url( in a style attribute')
    result('%s: no script, no external resources' % name, problems)


def png(name):
    problems = []
    try:
        with open('%s/%s.png' % (tmp, name), 'rb') as f:
            data = f.read()
    except OSError as e:
        data = b''
        problems.append('no screenshot: %s' % e)
    if data:
        if data[:8] != b'\x89PNG\r\n\x1a\n':
            problems.append('not a PNG')
        else:
            w, h = struct.unpack('>II', data[16:24])
            if (w, h) != (1000, 2400):
                problems.append('%d x %d pixels, want 1000 x 2400' % (w, h))
        # A blank 1000 x 2400 page compresses to about 10 kB; the report
        # with its tables and charts to well over 100 kB.
        if len(data) < 50000:
            problems.append('only %d bytes: a blank page?' % len(data))
    try:
        with open('%s/%s.pdf' % (tmp, name), 'rb') as f:
            pdf = f.read()
        if not pdf.startswith(b'%PDF-') or b'/Type /Page' not in \
                pdf.replace(b'/Type/Page', b'/Type /Page'):
            problems.append('the print form is not a PDF with pages')
    except OSError as e:
        problems.append('no PDF: %s' % e)
    result('%s: screenshot PNG and printed PDF' % name, problems)


titles = ['Pareto curve', 'Revenue per period', 'Tier movement']
demo = charts('demo', titles)
accounts('demo', demo)
self_contained('demo', demo)
png('demo')

hostile = charts('hostile', titles)
accounts('hostile', hostile)
self_contained('hostile', hostile)
problems = []
cells = [e for e in hostile if e['tag'] == 'td' and
         e['text'] == '<script>alert(1)</script>']
if len(cells) != 1:
    problems.append('%d table cells with the text <script>alert(1)</script>'
                    ', want 1' % len(cells))
elif 'tbody' not in cells[0]['parents']:
    problems.append('the name is not in the table body')
legend = [e for e in hostile if e['tag'] == 'text' and
          e['text'] == '<script>alert(1)</script>']
if len(legend) != 1:
    problems.append('%d chart legend entries with the name, want 1'
                    % len(legend))
if any(e['tag'] == 'script' for e in hostile):
    problems.append('a script element in the DOM')
if any(a.startswith('on') for e in hostile for a in e['attrs']):
    problems.append('an on... event attribute in the DOM')
ids = [e['attrs']['data-customer-id'] for e in hostile
       if 'data-customer-id' in e['attrs']]
if 'X4"onmouseover="alert(2)' not in ids:
    problems.append('the quoted customer_id is not one attribute value: %r'
                    % ids)
styles = ' '.join(e['text'] for e in hostile if e['tag'] == 'style')
if 'display:none' in styles.replace(' ', '') or 'visibility:hidden' in \
        styles.replace(' ', ''):
    problems.append('the page hides something')
result('hostile: <script>alert(1)</script> is text, no script element',
       problems)
png('hostile')

zh = charts('zh', ['帕累托曲线', '各期销售额', '等级变动'])
accounts_rows = [e for e in zh if e['tag'] == 'tr' and
                 'data-customer-id' in e['attrs']]
result('zh: the key-accounts table', [] if len(accounts_rows) == 16 else
       ['%d rows, want 16' % len(accounts_rows)])
PY
