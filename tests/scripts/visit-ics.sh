#!/usr/bin/env bash
# ka-visit --ics: the calendar files parse with Python's icalendar package
# (Debian python3-icalendar), every event's fields say what the plan or
# the invitation list says, the files keep RFC 5545's line rules, and a
# customer name with commas, semicolons, a newline and Chinese characters
# comes back exactly.  SKIP when no python3 here has the icalendar module.
#
# Usage, from the project root: bash tests/scripts/visit-ics.sh BUILD_DIR
# Prints "PASS name", "FAIL name" with detail lines indented by two
# spaces, or "SKIP name: reason".
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
visit=$build/bin/ka-visit
export LC_ALL=C.UTF-8 TZ=UTC

if [ ! -x "$visit" ]; then
	echo "SKIP visit-ics: $visit is not built"
	exit 0
fi
# The module may be in the system's python3 rather than the first one on
# PATH (pyenv, a virtualenv).
python=""
for candidate in python3 /usr/bin/python3; do
	if command -v "$candidate" >/dev/null 2>&1 &&
	    "$candidate" -c 'import icalendar' 2>/dev/null; then
		python=$candidate
		break
	fi
done
if [ -z "$python" ]; then
	echo "SKIP visit-ics: no python3 with the icalendar module (Debian: apt-get install python3-icalendar)"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
demo=$root/examples/visit

# 1. The demo plan, twice: files byte-identical.
"$visit" --as-of 2026-11-27 plan -a "$demo/accounts.csv" \
    --visitors "$demo/visitors.csv" --events "$demo/events.csv" \
    --holidays "$demo/holidays.csv" --ics "$tmp/plan" \
    "$demo/visits.csv" >"$tmp/plan.csv" 2>"$tmp/err" ||
	{ echo "FAIL visit-ics plan"; sed 's/^/  /' "$tmp/err"; exit 1; }
"$visit" --as-of 2026-11-27 plan -a "$demo/accounts.csv" \
    --visitors "$demo/visitors.csv" --events "$demo/events.csv" \
    --holidays "$demo/holidays.csv" --ics "$tmp/again" \
    "$demo/visits.csv" >/dev/null 2>&1
if diff -r "$tmp/plan" "$tmp/again" >/dev/null; then
	echo "PASS visit-ics rerun gives identical files"
else
	echo "FAIL visit-ics rerun gives identical files"
fi
"$visit" --as-of 2026-11-27 invite -a "$demo/accounts.csv" \
    --date 2027-01-20 --ics "$tmp/invite" "$demo/visits.csv" \
    >"$tmp/invite.csv" 2>"$tmp/err" ||
	{ echo "FAIL visit-ics invite"; sed 's/^/  /' "$tmp/err"; exit 1; }

# 2. A hard name, through plan and invite.
name_file=$tmp/name.txt
printf 'Wang & Co., Ltd; "Best"\n上海华联超市, 浦东; 第二店' >"$name_file"
"$python" - "$name_file" "$tmp" <<'EOF'
import csv, sys
name = open(sys.argv[1], encoding="utf-8").read()
d = sys.argv[2]
with open(d + "/hard-accounts.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["customer_id", "customer", "tier", "city", "owner"])
    w.writerow(["K1", name, "A", "上海", "陈静"])
with open(d + "/hard-visits.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["date", "customer_id", "visitor", "visitor_role",
                "contact_level", "contact"])
    w.writerow(["2026-08-20", "K1", "李伟", "executive", "executive",
                "王建国, 董事长; CEO"])
EOF
printf 'visitor,role,share\n李伟,executive,1\n陈静,rep,1\n' >"$tmp/hard-visitors.csv"
"$visit" --as-of 2026-11-27 plan --horizon 1w -a "$tmp/hard-accounts.csv" \
    --visitors "$tmp/hard-visitors.csv" --ics "$tmp/hard-plan" \
    "$tmp/hard-visits.csv" >"$tmp/hard-plan.csv" 2>"$tmp/err" ||
	{ echo "FAIL visit-ics hard name plan"; sed 's/^/  /' "$tmp/err"; }
"$visit" --as-of 2026-11-27 invite -a "$tmp/hard-accounts.csv" \
    --date 2027-01-20 --ics "$tmp/hard-invite" "$tmp/hard-visits.csv" \
    >/dev/null 2>"$tmp/err" ||
	{ echo "FAIL visit-ics hard name invite"; sed 's/^/  /' "$tmp/err"; }

"$python" - "$tmp" "$name_file" <<'EOF'
import csv, datetime, glob, os, re, sys
import icalendar

tmp, name_file = sys.argv[1], sys.argv[2]
name = open(name_file, encoding="utf-8").read()
failures = 0


def result(check, problems):
    global failures
    if problems:
        failures += 1
        print("FAIL visit-ics " + check)
        for p in problems[:10]:
            print("  " + p)
    else:
        print("PASS visit-ics " + check)


def raw_problems(path):
    """RFC 5545 3.1: CRLF line ends, at most 75 octets a line, folds
    never inside a UTF-8 character (each physical line decodes)."""
    problems = []
    data = open(path, "rb").read()
    if not data.endswith(b"\r\n"):
        problems.append("%s: does not end in CRLF" % path)
    lines = data.split(b"\r\n")[:-1]
    for i, line in enumerate(lines, 1):
        if b"\n" in line or b"\r" in line:
            problems.append("%s:%d: a bare CR or LF" % (path, i))
        if len(line) > 75:
            problems.append("%s:%d: %d octets" % (path, i, len(line)))
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append("%s:%d: a fold splits a UTF-8 character"
                            % (path, i))
    # TEXT values (3.3.11): once unfolded, every backslash, comma and
    # semicolon is escaped, and no newline is left raw.  (The parser
    # reads an unescaped comma back as it was, so this is checked here.)
    unfolded = re.sub(rb"\r\n[ \t]", b"", data).split(b"\r\n")
    for line in unfolded:
        name, _, value = line.partition(b":")
        if name not in (b"SUMMARY", b"DESCRIPTION", b"LOCATION",
                        b"X-WR-CALNAME"):
            continue
        rest = re.sub(rb"\\[\\;,nN]", b"", value)
        if re.search(rb"[\\;,]", rest):
            problems.append("%s: %s is not escaped: %r"
                            % (path, name.decode(), value[:60]))
    return problems


def events(folder):
    """{file name: (calendar, [events])} for every .ics in folder."""
    out = {}
    for path in sorted(glob.glob(os.path.join(folder, "*.ics"))):
        cal = icalendar.Calendar.from_ical(open(path, "rb").read())
        out[os.path.basename(path)] = (cal, list(cal.walk("VEVENT")))
    return out


def slug(visitor):
    """The documented file name: ASCII letters and digits lowered,
    other ASCII runs as '-', UTF-8 kept."""
    s, dash = "", False
    for ch in visitor:
        if ord(ch) >= 0x80:
            s += ch
            dash = False
        elif ch.isalnum():
            if dash and s:
                s += "-"
            s += ch.lower()
            dash = False
        else:
            dash = True
    return (s or "visitor") + ".ics"


def check_event(ev, where, problems):
    for field in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY",
                  "DESCRIPTION"):
        if field not in ev:
            problems.append("%s: no %s" % (where, field))
            return False
    if not re.fullmatch(r"[0-9a-f]{16}@ka-visit\.ka-tools", str(ev["UID"])):
        problems.append("%s: UID %s" % (where, ev["UID"]))
    stamp = ev["DTSTAMP"].dt
    if stamp != datetime.datetime(2026, 11, 27, tzinfo=stamp.tzinfo) or \
            stamp.utcoffset() != datetime.timedelta(0):
        problems.append("%s: DTSTAMP %s, want 2026-11-27 00:00 UTC"
                        % (where, stamp))
    start, end = ev["DTSTART"].dt, ev["DTEND"].dt
    if isinstance(start, datetime.datetime) or \
            isinstance(end, datetime.datetime):
        problems.append("%s: not an all-day event" % where)
    elif end - start != datetime.timedelta(days=1):
        problems.append("%s: DTEND %s is not the day after %s"
                        % (where, end, start))
    return True


# The plan: every event is one plan row, and every row one event.
plan_rows = list(csv.DictReader(open(os.path.join(tmp, "plan.csv"),
                                     encoding="utf-8")))
want = {}
for r in plan_rows:
    key = (slug(r["visitor"]), r["date"], r["customer_id"],
           r["contact_level"])
    want[key] = r
problems, got, uids = [], set(), set()
cals = events(os.path.join(tmp, "plan"))
visitors = {slug(r["visitor"]) for r in plan_rows}
for f in visitors - set(cals):
    problems.append("no calendar %s" % f)
for fname, (cal, evs) in cals.items():
    problems += raw_problems(os.path.join(tmp, "plan", fname))
    if str(cal.get("VERSION")) != "2.0" or "PRODID" not in cal:
        problems.append("%s: VERSION or PRODID" % fname)
    for ev in evs:
        where = "%s %s" % (fname, ev.get("UID"))
        if not check_event(ev, where, problems):
            continue
        uid = str(ev["UID"])
        if uid in uids:
            problems.append("%s: UID used twice" % where)
        uids.add(uid)
        summary = str(ev["SUMMARY"])
        m = re.fullmatch(r"Visit (.*)\((\S+)\), (\w+) level", summary)
        if not m:
            problems.append("%s: SUMMARY %r" % (where, summary))
            continue
        key = (fname, ev["DTSTART"].dt.isoformat(), m.group(2), m.group(3))
        row = want.get(key)
        if row is None:
            problems.append("%s: %s is not in the plan" % (where, key))
            continue
        got.add(key)
        if row["customer"] and m.group(1) != row["customer"] + " ":
            problems.append("%s: customer %r, plan says %r"
                            % (where, m.group(1), row["customer"]))
        if str(ev.get("LOCATION", "")) != row["city"]:
            problems.append("%s: LOCATION %r, plan says %r"
                            % (where, ev.get("LOCATION"), row["city"]))
        description = str(ev["DESCRIPTION"]).split("\n")
        if description[0] != row["reason"] or \
                "Due: " + row["due_date"] not in description or \
                "Tier: " + row["tier"] not in description:
            problems.append("%s: DESCRIPTION %r does not match the plan"
                            % (where, description))
        if str(ev.get("STATUS")) != "TENTATIVE":
            problems.append("%s: STATUS %s" % (where, ev.get("STATUS")))
for key in set(want) - got:
    problems.append("plan row %s has no event" % (key,))
if not want:
    problems.append("the demo plan is empty")
result("plan events match the plan (%d events in %d calendars)"
       % (len(got), len(cals)), problems)

# The invitation list: one event per account on the round-table's day,
# in its owner's calendar.
rows = list(csv.DictReader(open(os.path.join(tmp, "invite.csv"),
                                encoding="utf-8")))
problems, seen = [], 0
cals = events(os.path.join(tmp, "invite"))
for fname, (cal, evs) in cals.items():
    problems += raw_problems(os.path.join(tmp, "invite", fname))
    for ev in evs:
        where = "%s %s" % (fname, ev.get("UID"))
        if not check_event(ev, where, problems):
            continue
        seen += 1
        if ev["DTSTART"].dt != datetime.date(2027, 1, 20):
            problems.append("%s: DTSTART %s" % (where, ev["DTSTART"].dt))
        match = [r for r in rows if str(ev["SUMMARY"]) ==
                 "Round-table: invite %s (%s)" % (r["customer"],
                                                  r["customer_id"])]
        if len(match) != 1:
            problems.append("%s: SUMMARY %r" % (where, str(ev["SUMMARY"])))
            continue
        r = match[0]
        if slug(r["owner"] or "unassigned") != fname:
            problems.append("%s: in the calendar of %s" % (where, r["owner"]))
        if "Contacts: " + (r["contacts"] or "-") not in \
                str(ev["DESCRIPTION"]).split("\n"):
            problems.append("%s: contacts do not match" % where)
if seen != len(rows) or not rows:
    problems.append("%d events for %d accounts" % (seen, len(rows)))
result("invite events match the list (%d events)" % seen, problems)

# The hard name round-trips, in plan and invite.
problems = []
for folder, summary in (("hard-plan", "Visit %s (K1), executive level"),
                        ("hard-invite", "Round-table: invite %s (K1)")):
    cals = events(os.path.join(tmp, folder))
    evs = [e for _, (_, es) in sorted(cals.items()) for e in es]
    for fname in cals:
        problems += raw_problems(os.path.join(tmp, folder, fname))
    summaries = [str(e["SUMMARY"]) for e in evs]
    if summary % name not in summaries:
        problems.append("%s: SUMMARY %r, want %r" % (folder, summaries,
                                                     summary % name))
    for e in evs:
        if "K1 " + name not in str(e["DESCRIPTION"]):
            problems.append("%s: the name is not whole in DESCRIPTION"
                            % folder)
    if folder == "hard-plan":
        if "李伟.ics" not in cals or "陈静.ics" not in cals:
            problems.append("calendars %s" % sorted(cals))
        loc = [str(e.get("LOCATION")) for e in evs]
        if any(l != "上海" for l in loc):
            problems.append("LOCATION %r" % loc)
    else:
        if not any("王建国, 董事长; CEO" in str(e["DESCRIPTION"])
                   for e in evs):
            problems.append("the contact is not whole in DESCRIPTION")
result("a name with , ; newline and Chinese round-trips", problems)
sys.exit(1 if failures else 0)
EOF
