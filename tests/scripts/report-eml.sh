#!/usr/bin/env bash
# ka-report -O eml: the message parses with Python's email package
# (email.parser.BytesParser, policy.default) into multipart/alternative
# with a text/plain and a text/html part, both UTF-8 in base64, whose
# decoded bodies are byte for byte `ka-report -O text` and `-O html`
# with the same options; the Subject (Chinese, long enough for several
# RFC 2047 words) decodes to what was given; From and To keep their
# addresses with Chinese display names; the Date is --as-of at midnight
# UTC; lines end in CRLF and stay within 78 characters; the same input
# gives the same bytes; no header can be injected through --to.
#
# Usage, from the project root: bash tests/scripts/report-eml.sh BUILD
# Prints "PASS name", "FAIL name" with detail lines indented by two
# spaces, or "SKIP name: reason".
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
report=$build/bin/ka-report
sales=$root/examples/sales.csv
export LC_ALL=C.UTF-8 TZ=UTC

if [ ! -x "$report" ]; then
	echo "SKIP report-eml: $report is not built"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP report-eml: no python3"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# eml NAME OPTIONS...: the eml, text and html forms with OPTIONS.
eml() {
	local name=$1
	shift
	"$report" --as-of 2026-11-27 "$@" -O text "$sales" >"$tmp/$name.txt" &&
	"$report" --as-of 2026-11-27 "$@" -O html "$sales" >"$tmp/$name.html" ||
		return 1
}

to='张经理 <boss@example.com>, "Ops, Night Shift" <ops@example.com>'
from='KA 报告 <ka-report@example.com>'
subject='大客户周报：2026年第47周，销售额、毛利、订单、活跃客户与风险客户'
if ! eml en || ! eml zh --lang zh ||
    ! "$report" --as-of 2026-11-27 -O eml --to "$to" --from "$from" \
    --subject "$subject" "$sales" >"$tmp/en.eml" 2>"$tmp/err" ||
    ! "$report" --as-of 2026-11-27 -O eml --to "$to" --from "$from" \
    --subject "$subject" "$sales" >"$tmp/again.eml" 2>>"$tmp/err" ||
    ! "$report" --as-of 2026-11-27 --lang zh -O eml --to "$to" "$sales" \
    >"$tmp/zh.eml" 2>>"$tmp/err" ||
    ! "$report" --as-of 2026-11-27 -O eml "$sales" >"$tmp/plain.eml" \
    2>>"$tmp/err" ||
    ! "$report" --as-of 2026-11-27 -O eml \
    --to "$(printf 'boss@example.com\nBcc: everyone@example.com')" \
    "$sales" >"$tmp/inject.eml" 2>>"$tmp/err"; then
	echo "FAIL report-eml: ka-report failed"
	sed 's/^/  /' "$tmp/err"
	exit 1
fi

if cmp -s "$tmp/en.eml" "$tmp/again.eml"; then
	echo "PASS report-eml the same report gives the same bytes"
else
	echo "FAIL report-eml the same report gives the same bytes"
fi

python3 - "$tmp" "$to" "$from" "$subject" <<'PY'
import datetime, email.utils, sys
from email import policy
from email.parser import BytesParser

tmp, to, sender, subject = sys.argv[1:5]


def result(name, problems):
    print('%s report-eml %s' % ('FAIL' if problems else 'PASS', name))
    for p in problems:
        print('  ' + p)


def parse(name):
    with open('%s/%s' % (tmp, name), 'rb') as f:
        raw = f.read()
    return raw, BytesParser(policy=policy.default).parsebytes(raw)


def parts(name, message, text_file, html_file):
    problems = []
    if message.get_content_type() != 'multipart/alternative':
        problems.append('type %s' % message.get_content_type())
    if message['MIME-Version'] != '1.0':
        problems.append('MIME-Version %r' % message['MIME-Version'])
    types = [p.get_content_type() for p in message.iter_parts()]
    if types != ['text/plain', 'text/html']:
        problems.append('parts %r, want text/plain then text/html' % types)
    for part in message.iter_parts():
        want_file = text_file if part.get_content_type() == 'text/plain' \
            else html_file
        if part.get_content_charset() != 'utf-8':
            problems.append('%s charset %r' % (part.get_content_type(),
                                               part.get_content_charset()))
        if part['Content-Transfer-Encoding'] != 'base64':
            problems.append('%s encoding %r' % (
                part.get_content_type(), part['Content-Transfer-Encoding']))
        with open('%s/%s' % (tmp, want_file), encoding='utf-8') as f:
            want = f.read()
        if part.get_content() != want:
            problems.append('%s differs from %s' % (part.get_content_type(),
                                                    want_file))
    for defect in message.defects:
        problems.append('defect: %r' % defect)
    result('%s: multipart/alternative, text and html equal to -O text '
           'and -O html' % name, problems)


raw, message = parse('en.eml')
parts('en.eml', message, 'en.txt', 'en.html')
raw_zh, message_zh = parse('zh.eml')
parts('zh.eml (--lang zh)', message_zh, 'zh.txt', 'zh.html')

# Headers.
problems = []
if str(message['Subject']) != subject:
    problems.append('Subject decodes to %r' % str(message['Subject']))
head = raw.split(b'\r\n\r\n', 1)[0].decode('ascii', 'replace')
words = [w for w in head.replace('\r\n', ' ').split() if w.startswith('=?')]
if len(words) < 2 or any(not w.startswith('=?UTF-8?B?') or len(w) > 75
                         for w in words):
    problems.append('encoded words %r: want several =?UTF-8?B?...?= of at '
                    'most 75 characters' % words)
if not all(b < 0x80 for b in raw.split(b'\r\n\r\n', 1)[0]):
    problems.append('raw 8-bit bytes in the header')
want_to = [('张经理', 'boss@example.com'),
           ('Ops, Night Shift', 'ops@example.com')]
got_to = [(a.display_name, a.addr_spec) for a in message['To'].addresses]
if got_to != want_to:
    problems.append('To %r, want %r' % (got_to, want_to))
got_from = [(a.display_name, a.addr_spec) for a in message['From'].addresses]
if got_from != [('KA 报告', 'ka-report@example.com')]:
    problems.append('From %r' % got_from)
for header in ('To', 'From', 'Subject'):
    for defect in message[header].defects:
        problems.append('%s: %r' % (header, defect))
date = email.utils.parsedate_to_datetime(message['Date'])
if date != datetime.datetime(2026, 11, 27, tzinfo=datetime.timezone.utc):
    problems.append('Date %r, want Fri, 27 Nov 2026 00:00:00 +0000'
                    % message['Date'])
result('headers: Subject (RFC 2047), From, To, Date', problems)

# Line ends and lengths.
problems = []
lines = raw.split(b'\r\n')
if b'\n' in raw.replace(b'\r\n', b''):
    problems.append('a bare LF')
if b'\r' in raw.replace(b'\r\n', b''):
    problems.append('a bare CR')
long_lines = [l for l in lines if len(l) > 78]
if long_lines:
    problems.append('%d lines over 78 characters, first %r'
                    % (len(long_lines), long_lines[0][:90]))
result('CRLF line ends, lines within 78 characters', problems)

# Defaults: no --subject gives the title and period; no --to, no To.
problems = []
_, plain = parse('plain.eml')
if str(plain['Subject']) != \
        'Key-account report: 2026-W47 (2026-11-16..2026-11-22)':
    problems.append('default Subject %r' % str(plain['Subject']))
if plain['To'] is not None or plain['From'] is not None:
    problems.append('To or From without --to or --from')
if str(message_zh['Subject']) != \
        '大客户报告: 2026年第47周（2026年11月16日至2026年11月22日）':
    problems.append('default Chinese Subject %r' % str(message_zh['Subject']))
result('default subject, English and Chinese', problems)

# A line break in --to cannot start a header of its own.
problems = []
_, inject = parse('inject.eml')
if inject['Bcc'] is not None:
    problems.append('a Bcc header came through --to')
result('no header injection through --to', problems)
PY
