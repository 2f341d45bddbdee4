# ka-tools: plain GNU make.  See README.md.
#
#   make            build libka and every program into $(BUILD)/bin
#   make check      build and run every test (closing line: N passed, N failed)
#   make check-asan the same tests on an ASan+UBSan build
#   make fuzz       libFuzzer harnesses, FUZZ_SECONDS each
#   make bench      benchmarks against mlr, datamash and sqlite3
#   make demo       the demo on examples/
#   make install    PREFIX=/usr/local DESTDIR=

CC	?= cc
BUILD	?= build
PREFIX	?= /usr/local
MANDIR	?= $(PREFIX)/share/man
FUZZ_SECONDS ?= 30
VERSION	:= 0.1.0

WARNINGS := -Wall -Wextra -Werror
CFLAGS	?= -O2 -g
# Link-time optimisation with gcc: the read loops inline the reader, key
# and decimal calls across modules.  The objects keep plain code too, so
# a link without it works.  LTO= turns it off.
ifeq ($(origin LTO),undefined)
LTO	:= $(if $(findstring gcc version,$(shell $(CC) -v 2>&1 | tail -n 1)),-flto=auto -ffat-lto-objects)
endif
ALL_CFLAGS := -std=c11 $(WARNINGS) $(CFLAGS) $(LTO) $(EXTRA_CFLAGS) -Icommon \
	-DKA_VERSION='"$(VERSION)"'
LDLIBS	:= -lcsv -lpcre2-8 -lm -pthread
ALL_LDFLAGS := $(LDFLAGS) $(EXTRA_CFLAGS)

LIB_SRC	:= $(wildcard common/*.c)
LIB_OBJ	:= $(LIB_SRC:common/%.c=$(BUILD)/obj/%.o)
LIB	:= $(BUILD)/libka.a
PROGRAMS := $(patsubst cmd/%.c,$(BUILD)/bin/%,$(wildcard cmd/*.c))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNITS	:= $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%) \
	$(BUILD)/tests/test_reader_portable
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
DEPS_OK	:= $(BUILD)/.deps-ok

.PHONY: FORCE all deps check check-asan check-valgrind fuzz bench demo install uninstall clean
.DELETE_ON_ERROR:

all: $(PROGRAMS)

# libcsv and PCRE2 headers: installed when root, else the command to run.
deps: $(DEPS_OK)
$(DEPS_OK):
	@mkdir -p $(BUILD)
	@if printf '#include <csv.h>\n#define PCRE2_CODE_UNIT_WIDTH 8\n#include <pcre2.h>\nint main(void){return 0;}\n' | \
	    $(CC) -x c - -o $(BUILD)/.deps-probe -lcsv -lpcre2-8 2>/dev/null; then \
		rm -f $(BUILD)/.deps-probe; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "ka-tools: installing libcsv-dev and libpcre2-dev"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		    apt-get install -y -qq libcsv-dev libpcre2-dev >/dev/null || exit 1; \
	else \
		echo "ka-tools: libcsv and PCRE2 headers are missing; run:" >&2; \
		echo "  sudo apt-get update && sudo apt-get install -y libcsv-dev libpcre2-dev" >&2; \
		exit 1; \
	fi
	@touch $@

# The flags the build was made with: when they change (LTO=, CFLAGS=),
# everything is built again.
FLAGS_USED := $(BUILD)/.flags
FLAGS_TEXT := $(subst ','\'',$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(LDLIBS))
$(FLAGS_USED): FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '$(FLAGS_TEXT)' | cmp -s - $@ || printf '%s\n' '$(FLAGS_TEXT)' >$@
FORCE:

$(BUILD)/obj/%.o: common/%.c common/*.h $(FLAGS_USED) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/bin/%: cmd/%.c $(LIB) common/*.h $(FLAGS_USED)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/*.h $(LIB) common/*.h $(FLAGS_USED)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(LIB) $(ALL_LDFLAGS) $(LDLIBS)

# The reader's tests again on its portable fast path (no SSE2 or AVX2),
# the one CPUs other than x86 run.
$(BUILD)/tests/test_reader_portable: tests/unit/test_reader.c tests/unit/*.h \
    common/ka_reader.c $(LIB) common/*.h $(FLAGS_USED)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DKA_NO_SIMD -Itests/unit -o $@ $< common/ka_reader.c \
	    $(LIB) $(ALL_LDFLAGS) $(LDLIBS)

check: $(PROGRAMS) $(UNITS)
	@bash tests/run $(BUILD)

check-asan:
	$(MAKE) BUILD=build/asan CFLAGS='-O1 -g' LTO= \
	    EXTRA_CFLAGS='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    check

# The unit tests under valgrind: any error or leak fails.
check-valgrind: $(UNITS)
	@for t in $(UNITS); do \
		valgrind -q --error-exitcode=1 --leak-check=full \
		    --errors-for-leak-kinds=definite,indirect $$t >/dev/null || \
		    { echo "valgrind: $$t failed"; exit 1; }; \
	done; echo "valgrind: $(words $(UNITS)) unit test programs clean"

fuzz: | $(DEPS_OK)
	@mkdir -p $(BUILD)/fuzz
	@for src in $(FUZZ_SRC); do \
		name=$$(basename $$src .c); \
		clang -std=c11 -O1 -g -fsanitize=fuzzer,address,undefined -Icommon \
		    -o $(BUILD)/fuzz/$$name $$src $(LIB_SRC) $(LDLIBS) || exit 1; \
		mkdir -p $(BUILD)/fuzz/corpus-$$name; \
		echo "fuzz: $$name for $(FUZZ_SECONDS)s"; \
		$(BUILD)/fuzz/$$name -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		    -print_final_stats=1 $(BUILD)/fuzz/corpus-$$name tests/fuzz/seeds 2>$(BUILD)/fuzz/$$name.log \
		    || { tail -50 $(BUILD)/fuzz/$$name.log; exit 1; }; \
		grep -E 'stat::number_of_executed_units' $(BUILD)/fuzz/$$name.log; \
	done

bench: $(PROGRAMS)
	@LTO='$(LTO)' bash tests/bench/run $(BUILD)

demo: $(PROGRAMS)
	@bash examples/demo $(BUILD)

install: $(PROGRAMS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(wildcard man/*.7) $(DESTDIR)$(MANDIR)/man7/

uninstall:
	rm -f $(PROGRAMS:$(BUILD)/bin/%=$(DESTDIR)$(PREFIX)/bin/%)
	rm -f $(patsubst man/%,$(DESTDIR)$(MANDIR)/man1/%,$(wildcard man/*.1))
	rm -f $(patsubst man/%,$(DESTDIR)$(MANDIR)/man7/%,$(wildcard man/*.7))

clean:
	rm -rf build
