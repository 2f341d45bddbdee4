#!/usr/bin/env bash
# Man page checks (DESIGN.md section 6): every page is mandoc -Tlint
# clean, every program has a page, a page documents exactly the options
# its program's --help prints, ka-tools.7 documents every shared option,
# and references to ka-tools pages lead somewhere.
#
# Usage, from the project root: bash tests/scripts/man.sh BUILD_DIR
# Prints one line per check: "PASS name", "FAIL name" followed by detail
# lines indented by two spaces, or "SKIP name: reason".
set -u
shopt -s nullglob

build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
bin=$build/bin
cd "$root" || exit 1

failures=0
pass() { printf 'PASS %s\n' "$1"; }
skip() { printf 'SKIP %s: %s\n' "$1" "$2"; }
fail() {
	local name=$1 line
	shift
	failures=$((failures + 1))
	printf 'FAIL %s\n' "$name"
	for line in "$@"; do
		printf '  %s\n' "$line"
	done
}

have_mandoc=0
command -v mandoc >/dev/null 2>&1 && have_mandoc=1

pages=(man/*.1 man/*.7)
if [ ${#pages[@]} -eq 0 ]; then
	fail "man pages" "no man/*.1 or man/*.7 in $root"
	exit 1
fi

# ---- 1. mandoc -Tlint ----
#
# Clean means no message at all, except these, which say nothing about
# the page itself:
#  - "STYLE: Mdocdate missing" and "STYLE: RCS id missing": OpenBSD's CVS
#    expands $Mdocdate$ and $OpenBSD$ keywords, and mandoc asks for them
#    only when it takes the system for OpenBSD.  This project lives in
#    git, which expands neither, so .Dd carries a date written by hand.
#  - "STYLE: referenced manual not found": mandoc looks each .Xr up among
#    the manuals installed on the machine running the check, so the
#    answer depends on that machine (ka-tools' own pages are not
#    installed before "make install"; a slim container may have no
#    sort(1) page).  The "xrefs" check below does the part that matters:
#    a reference to a ka-tools page must lead to a page in man/.
#  - "outdated mandoc.db lacks ...": a remark about the machine's manual
#    database; it names no file of ours.
# Everything else, from STYLE to ERROR, fails the check.
lint_noise='STYLE: Mdocdate missing|STYLE: RCS id missing|STYLE: referenced manual not found|^mandoc: outdated mandoc\.db'

for page in "${pages[@]}"; do
	name="lint $(basename "$page")"
	if [ $have_mandoc -eq 0 ]; then
		skip "$name" "mandoc is not installed"
		continue
	fi
	output=$(mandoc -Tlint "$page" 2>&1)
	rc=$?
	problems=$(grep -Ev "$lint_noise" <<<"$output")
	# 5 and above: bad arguments or a system error, perhaps silent.
	if [ -n "$problems" ] || [ $rc -ge 5 ]; then
		mapfile -t lines <<<"${problems:-mandoc exit status $rc}"
		fail "$name" "${lines[@]}"
	else
		pass "$name"
	fi
done

# ---- helpers for option lists ----

# Options an --help text prints, one per line: --long and -x.
help_options() {
	grep -oE -- '--[[:alnum:]][[:alnum:]-]*' <<<"$1"
	grep -oE -- '(^|[^-[:alnum:]])-[[:alnum:]]([^-[:alnum:]]|$)' <<<"$1" |
	    grep -oE -- '-[[:alnum:]]'
}

# Options a page lists as items (".It Fl x , Fl -long Ar arg"), one per
# line.  mdoc writes --long as "Fl -long"; "Fl \-long" is accepted too.
page_options() {
	awk '/^\.It Fl / {
		for (i = 2; i < NF; i++)
			if ($i == "Fl") {
				option = $(i + 1)
				sub(/^\\/, "", option)
				sub(/[^[:alnum:]-].*$/, "", option)
				if (option != "")
					print "-" option
			}
	}' "$1"
}

# Does the page document option?  Its source says "Fl -long" (or
# "Fl \-long", or "Fl x" for -x), or its rendered text shows the option.
documented() {
	local page=$1 option=$2 word=${2#-}
	local regex

	regex="Fl \\\\?${word}([^[:alnum:]-]|\$)"
	grep -qE -- "$regex" "$page" && return 0
	[ $have_mandoc -eq 1 ] || return 1
	mandoc -Tascii "$page" 2>/dev/null | sed "s/.$(printf '\b')//g" |
	    grep -qE -- "(^|[^-[:alnum:]])${option}([^-[:alnum:]]|\$)"
}

# Is option in the --help text, as a whole word?
in_help() {
	grep -qE -- "(^|[^-[:alnum:]])${2}([^-[:alnum:]]|\$)" <<<"$1"
}

# ---- 2. every program has a page; its options match --help ----

programs=()
for prog in "$bin"/ka-*; do
	[ -f "$prog" ] && [ -x "$prog" ] && programs+=("$prog")
done
if [ ${#programs[@]} -eq 0 ]; then
	fail "programs" "no ka-* programs in $bin; build them first"
fi

for prog in "${programs[@]}"; do
	program=$(basename "$prog")
	page=man/$program.1
	if [ ! -f "$page" ]; then
		fail "page $program" "$program has no man page $page"
		skip "options $program" "no man page"
		continue
	fi
	pass "page $program"

	help=$("$prog" --help 2>&1)
	rc=$?
	if [ $rc -ne 0 ] || [ -z "$help" ]; then
		fail "options $program" "$program --help exited $rc"
		continue
	fi
	details=()
	while IFS= read -r option; do
		documented "$page" "$option" ||
		    details+=("$option: printed by --help, not in $page")
	done < <(help_options "$help" | sort -u)
	while IFS= read -r option; do
		in_help "$help" "$option" ||
		    details+=("$option: listed in $page, not printed by --help")
	done < <(page_options "$page" | sort -u)
	if [ ${#details[@]} -gt 0 ]; then
		fail "options $program" "${details[@]}"
	else
		pass "options $program"
	fi
done

# ---- 3. ka-tools.7 documents every shared option ----
#
# The shared options are the --help lines after the one that refers to
# ka-tools(7) (common/ka_cli.c, ka_cli_common_help).
if [ -f man/ka-tools.7 ] && [ ${#programs[@]} -gt 0 ]; then
	shared=$("${programs[0]}" --help 2>&1 | sed -n '/ka-tools(7)/,$p' |
	    sed 1d)
	if [ -z "$shared" ]; then
		skip "shared options ka-tools.7" \
		    "$(basename "${programs[0]}") --help has no ka-tools(7) part"
	else
		details=()
		while IFS= read -r option; do
			documented man/ka-tools.7 "$option" ||
			    details+=("$option: a shared option, not in man/ka-tools.7")
		done < <(help_options "$shared" | sort -u)
		if [ ${#details[@]} -gt 0 ]; then
			fail "shared options ka-tools.7" "${details[@]}"
		else
			pass "shared options ka-tools.7"
		fi
	fi
fi

# ---- 4. references to ka-tools pages ----
#
# ".Xr ka-NAME S" must name a page in man/.  The one exception is the
# toolkit's map in ka-tools.7, which names every program of DESIGN.md,
# including those not written yet: a reference to a program that has
# neither a source file in cmd/ nor a binary is let through, and becomes
# a check as soon as the program exists (its page is then required).
for page in "${pages[@]}"; do
	name="xrefs $(basename "$page")"
	details=()
	while read -r target section; do
		[ -f "man/$target.$section" ] && continue
		if [ ! -e "cmd/$target.c" ] && [ ! -e "$bin/$target" ]; then
			continue
		fi
		details+=("Xr $target $section: no man/$target.$section")
	done < <(awk '/^\./ {
		for (i = 1; i + 2 <= NF; i++)
			if (($i == "Xr" || $i == ".Xr") && $(i + 1) ~ /^ka-/)
				print $(i + 1), $(i + 2)
	}' "$page")
	if [ ${#details[@]} -gt 0 ]; then
		fail "$name" "${details[@]}"
	else
		pass "$name"
	fi
done

[ $failures -eq 0 ]
