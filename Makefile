# ascribe - plain Makefile.  `make help` lists the targets.

PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
LIBDIR = $(PREFIX)/lib
INCDIR = $(PREFIX)/include
DATADIR = $(PREFIX)/share/ascribe
MANDIR = $(PREFIX)/share/man/man1

CC ?= cc
PKGS = yaml-0.1 libpcre2-8 jansson libutf8proc libxxhash
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude -Iannotator \
	-DASC_DATADIR='"$(DATADIR)"' $(PKG_CFLAGS) $(CFLAGS)
LIBS = $(PKG_LIBS) -lstemmer -lm -lpthread

B = build
LIB_SRC = annotator/util.c annotator/rules.c annotator/first.c annotator/read.c annotator/segment.c \
	annotator/blocks.c annotator/spot.c annotator/attribute.c annotator/resolve.c \
	annotator/label.c annotator/write.c annotator/annotate.c annotator/profile.c annotator/check.c \
	annotator/diff.c annotator/diff_read.c annotator/diff_write.c \
	annotator/export.c annotator/html.c annotator/diff_html.c
CLI_SRC = annotator/main.c annotator/cli_annotate.c annotator/jsonl.c annotator/eval.c \
	annotator/eval_spans.c annotator/cli_diff.c
HDRS = $(wildcard include/*.h annotator/*.h)

LIB_OBJ = $(LIB_SRC:annotator/%.c=$(B)/%.o)
CLI_OBJ = $(CLI_SRC:annotator/%.c=$(B)/%.o)

# Sanitizer build: every test runs under ASan and UBSan as well.
S = build/san
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_LIB_OBJ = $(LIB_SRC:annotator/%.c=$(S)/%.o)
SAN_CLI_OBJ = $(CLI_SRC:annotator/%.c=$(S)/%.o)

UNIT_TESTS = $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))

# Floors for `make test`: the F1 that `make eval` measured (see docs/eval.md).
FLOORS = --floor segment=0.99 --floor kind=0.88 --floor speaker=0.67 --floor outlet=0.54 --floor cue=0.86 --floor label=0.81 \
	--floor heldout:source-partial=0.82 --floor heldout:cue-partial=0.84 \
	--floor heldout:content-partial=0.79 --floor heldout:triple-partial=0.84 \
	--floor heldout:label=0.73 --floor heldout:voice=0.85 --floor heldout:checkworthy=0.77

.PHONY: all deps demo test unit golden-test cli-test diff-test jsonl-test rules-check eval-check eval \
	eval-baseline golden bench bench-diff install uninstall clean help san memcheck cppcheck scale-test \
	schema-test export-test test-browser review-screenshot fuzz fuzz-build fuzz-regress tidy

all: ascribe $(B)/libascribe.a

help:
	@echo "make            build ./ascribe and build/libascribe.a"
	@echo "make demo       install missing packages, build, annotate a corpus article"
	@echo "make test       unit, golden, command-line and rule tests, also under ASan/UBSan"
	@echo "make eval       precision/recall/F1 against corpus/ gold"
	@echo "make eval-baseline  the same for the word-list baseline of the label"
	@echo "make golden     rewrite tests/golden/*.json (review the diff!)"
	@echo "make fuzz       run each fuzz target for FUZZ_SECONDS (60) under ASan/UBSan"
	@echo "make tidy       clang-tidy with the checks of .clang-tidy"
	@echo "make install PREFIX=DIR"

deps:
	@scripts/install-deps.sh

$(B)/%.o: annotator/%.c $(HDRS) | $(B)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(S)/%.o: annotator/%.c $(HDRS) | $(S)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(B) $(S):
	@mkdir -p $@

$(B)/libascribe.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(S)/libascribe.a: $(SAN_LIB_OBJ)
	$(AR) rcs $@ $^

ascribe: $(CLI_OBJ) $(B)/libascribe.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(B)/libascribe.a $(LIBS)

$(S)/ascribe: $(SAN_CLI_OBJ) $(S)/libascribe.a
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $(SAN_CLI_OBJ) $(S)/libascribe.a $(LIBS)

san: $(S)/ascribe

# ---- tests -------------------------------------------------------------

# a test of a piece of the command lists its object as a prerequisite
$(B)/test_%: tests/unit/test_%.c tests/unit/helpers.h $(B)/libascribe.a
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) -Itests/unit -o $@ $< \
		$(filter %.o,$^) $(B)/libascribe.a $(LIBS) $(shell pkg-config --libs cmocka)

$(S)/test_%: tests/unit/test_%.c tests/unit/helpers.h $(S)/libascribe.a
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) $(shell pkg-config --cflags cmocka) -Itests/unit -o $@ $< \
		$(filter %.o,$^) $(S)/libascribe.a $(LIBS) $(shell pkg-config --libs cmocka)

$(B)/test_jsonl: $(B)/jsonl.o
$(S)/test_jsonl: $(S)/jsonl.o

unit: $(UNIT_TESTS:%=$(B)/%) $(UNIT_TESTS:%=$(S)/%)
	@set -e; for t in $(UNIT_TESTS); do \
		ASCRIBE_RULES=$(CURDIR)/rules $(B)/$$t; \
		ASCRIBE_RULES=$(CURDIR)/rules $(S)/$$t; \
	done

rules-check: ascribe $(S)/ascribe
	./ascribe rules check rules
	$(S)/ascribe rules check --quiet rules
	@tests/rules/run.sh ./ascribe

golden-test: ascribe $(S)/ascribe
	@tests/golden/run.sh ./ascribe
	@tests/golden/run.sh $(S)/ascribe

cli-test: ascribe $(S)/ascribe
	@tests/cli/run.sh ./ascribe
	@tests/cli/run.sh $(S)/ascribe

diff-test: ascribe $(S)/ascribe
	@tests/diff/run.sh ./ascribe
	@tests/diff/run.sh $(S)/ascribe

# awkward JSON Lines records: the messages and members jansson gives
jsonl-test: ascribe $(S)/ascribe
	@tests/jsonl/run.sh ./ascribe
	@tests/jsonl/run.sh $(S)/ascribe

# brat, Web Annotation, Label Studio, doccano and ClaimReview exports
export-test: ascribe $(S)/ascribe
	@tests/export/run.sh ./ascribe
	@tests/export/run.sh $(S)/ascribe

# the review and diff pages in Debian's Chromium (tests/browser/run.sh);
# make test runs it when chromium and node are installed
test-browser: ascribe
	@tests/browser/run.sh ./ascribe

# rewrite docs/review-page.png from the sample page
review-screenshot: ascribe
	@tests/browser/run.sh ./ascribe --screenshot docs/review-page.png

# every golden file and annotate and diff output follows schema/*.schema.json
schema-test: ascribe
	@tests/schema/run.sh ./ascribe

eval-check: ascribe
	./ascribe eval --quiet $(FLOORS) corpus/articles

# the JSON Lines filter split by GNU parallel and by Dask (docs/scale.md)
scale-test: ascribe
	@tests/scale/run.sh ./ascribe

# the fuzz regressions need clang, tidy clang-tidy; without them they are skipped
HAVE_CLANG := $(shell command -v clang 2>/dev/null)
HAVE_TIDY := $(shell command -v clang-tidy 2>/dev/null)

test: all rules-check unit golden-test cli-test diff-test jsonl-test export-test schema-test eval-check \
	cppcheck scale-test $(if $(HAVE_CLANG),fuzz-regress) $(if $(HAVE_TIDY),tidy)
	@if [ -x "$${CHROMIUM:-/usr/bin/chromium}" ] && command -v node >/dev/null && command -v npm >/dev/null; then \
		$(MAKE) --no-print-directory test-browser; \
	else \
		echo "make test: test-browser skipped: needs chromium, node and npm (scripts/install-deps.sh)"; \
	fi
	@echo "make test: all passed"

eval: ascribe
	./ascribe eval corpus/articles

# the word-list baseline the label is measured against (docs/label-rules.md)
eval-baseline: ascribe
	@scripts/baseline-rules.sh rules $(B)/baseline-rules
	./ascribe eval --rules $(B)/baseline-rules corpus/articles

golden: ascribe
	@tests/golden/run.sh ./ascribe --update

memcheck: ascribe
	@tests/memcheck.sh ./ascribe

# clang-tidy with the checks of .clang-tidy, one stamp per clean file
TIDY_SRC = $(LIB_SRC) $(CLI_SRC) $(wildcard tests/fuzz/fuzz_*.c)
TIDY_FLAGS = -std=c11 -D_GNU_SOURCE -Iinclude -Iannotator $(PKG_CFLAGS)

tidy: $(TIDY_SRC:%.c=$(B)/tidy/%.ok)

$(B)/tidy/%.ok: %.c $(HDRS) tests/fuzz/fuzz.h .clang-tidy
	@mkdir -p $(dir $@)
	@echo "clang-tidy $<"
	@clang-tidy --quiet $< -- $(TIDY_FLAGS) 2>$@.log || { cat $@.log; exit 1; }
	@touch $@

cppcheck:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--std=c11 --inline-suppr -Iinclude -Iannotator annotator

demo: deps
	@$(MAKE) --no-print-directory all
	./ascribe annotate --format text --color always corpus/articles/n04-scraped-flood.txt

bench: ascribe
	@tests/bench.sh ./ascribe
	@tests/diff/bench.sh ./ascribe

bench-diff: ascribe
	@tests/diff/bench.sh ./ascribe

# ---- fuzzing -------------------------------------------------------------
#
# libFuzzer targets (tests/fuzz/fuzz_*.c) over the library built with clang
# under ASan and UBSan.  `make fuzz` runs each for FUZZ_SECONDS, in parallel
# under -j; `make fuzz-regress` (part of `make test` when clang is there)
# replays the seeds and every input in tests/fuzz/regressions/TARGET/ once.

FUZZ_CC = clang
FUZZ_SECONDS ?= 60
F = build/fuzz
FUZZ_TARGETS = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SAN = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OBJ = $(LIB_SRC:annotator/%.c=$(F)/%.o) $(F)/cli_annotate.o $(F)/jsonl.o
# -close_fd_mask=2: the JSON Lines target's messages for bad records; crash
# reports still show
FUZZ_RUN = -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	-max_len=65536 -print_final_stats=1 -close_fd_mask=2

$(F)/%.o: annotator/%.c $(HDRS) | $(F)
	$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c $< -o $@

$(F):
	@mkdir -p $@

$(F)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJ)
	$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer \
		-DASC_SOURCE_RULES='"$(CURDIR)/rules"' -o $@ $< $(FUZZ_OBJ) $(LIBS)

.SECONDARY: $(FUZZ_OBJ)

fuzz-build: $(FUZZ_TARGETS:%=$(F)/fuzz_%)

fuzz: $(FUZZ_TARGETS:%=fuzz-run-%)

fuzz-run-%: $(F)/fuzz_%
	@mkdir -p $(F)/corpus/$* $(F)/artifacts/$*
	$(F)/fuzz_$* $(FUZZ_RUN) -dict=tests/fuzz/$*.dict \
		-artifact_prefix=$(F)/artifacts/$*/ $(F)/corpus/$* tests/fuzz/$*

fuzz-regress: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
		for d in tests/fuzz/$$t tests/fuzz/regressions/$$t; do \
			[ -d $$d ] && [ -n "$$(ls -A $$d)" ] || continue; \
			$(F)/fuzz_$$t -runs=0 -timeout=10 -close_fd_mask=2 $$d 2>$(F)/regress-$$t.log || \
				{ cat $(F)/regress-$$t.log; echo "fuzz-regress: $$d failed"; exit 1; }; \
		done; \
	done; echo "fuzz-regress: seeds and regressions of $(FUZZ_TARGETS) replayed"

# ---- install -----------------------------------------------------------

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) \
		$(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 755 ascribe $(DESTDIR)$(BINDIR)/ascribe
	install -m 644 $(B)/libascribe.a $(DESTDIR)$(LIBDIR)/libascribe.a
	install -m 644 include/ascribe.h $(DESTDIR)$(INCDIR)/ascribe.h
	install -m 644 docs/ascribe.1 $(DESTDIR)$(MANDIR)/ascribe.1
	rm -rf $(DESTDIR)$(DATADIR)/rules
	cp -R rules $(DESTDIR)$(DATADIR)/rules
	install -d $(DESTDIR)$(DATADIR)/schema
	install -m 644 schema/annotate.schema.json schema/diff.schema.json $(DESTDIR)$(DATADIR)/schema
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|0.1.0|' -e 's|@REQUIRES@|$(PKGS)|' \
		ascribe.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/ascribe.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ascribe $(DESTDIR)$(LIBDIR)/libascribe.a \
		$(DESTDIR)$(INCDIR)/ascribe.h $(DESTDIR)$(MANDIR)/ascribe.1 \
		$(DESTDIR)$(LIBDIR)/pkgconfig/ascribe.pc
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build ascribe
