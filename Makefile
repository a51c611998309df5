# enquete: `make run` starts the whole stack, `make test` runs every suite.
# SANITIZE=1 builds everything with AddressSanitizer and UBSan.

PKGS     := json-c libsodium libqrencode gsl libpq
# XLSForm: reading (zip, XML) and writing workbooks (issue 21)
PKGS     += libzip libxml-2.0 xlsxwriter
# the report as a Word document: charts from SVG to PNG (issue 22)
PKGS     += librsvg-2.0
# the follow-up invitations: SMTP through libcurl (issue 24)
PKGS     += libcurl
# The libraries' flags are asked of pkg-config on first use, not when make
# reads this file: on a fresh machine `deps` (the first prerequisite of
# `run` and `test`) installs the libraries before any recipe needs them.
# Each is computed once, then kept; an empty answer stops the build with
# the command that fixes it instead of a missing header.
pkgconfig = $(or $(shell pkg-config $(1) $(PKGS) 2>/dev/null),$(error pkg-config $(1) $(PKGS) failed: run scripts/deps))
PKG_CFLAGS = $(eval PKG_CFLAGS := $(call pkgconfig,--cflags))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $(call pkgconfig,--libs))$(PKG_LIBS)

CC       ?= cc
WARN     := -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes \
            -Wwrite-strings -Wformat=2 -Wshadow -Werror
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) \
             $(CFLAGS) $(PKG_CFLAGS) $(CGI_INC)
LDLIBS    = $(PKG_LIBS) -lfcgi -lm

ifeq ($(SANITIZE),1)
  ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  LDFLAGS    += -fsanitize=address,undefined
  OBJDIR := build/san
else
  OBJDIR := build/rel
endif

# The sources live in floors (README, Layout): core/ (leaves: buffers,
# HTTP, forms, templates, statistics), store/ (the only code that speaks
# to PostgreSQL), domain/ (questionnaires, answers, summaries, exports,
# users), and two programs on top: web/ (the FastCGI worker) and ctl/
# (enquetectl). Each binary links the three lower floors and its own;
# neither links the other's files. Objects keep their base names (they are
# unique across floors) in one directory per build flavour.
CGI_DIRS := cgi/core cgi/store cgi/domain cgi/web cgi/ctl
CGI_INC  := $(addprefix -I,$(CGI_DIRS))
CGI_HDR  := $(wildcard $(addsuffix /*.h,$(CGI_DIRS)))
vpath %.c $(CGI_DIRS)
objs      = $(patsubst %.c,$(2)/%.o,$(notdir $(1)))
LIB_SRC  := $(wildcard cgi/core/*.c cgi/store/*.c cgi/domain/*.c)
WEB_SRC  := $(filter-out cgi/web/main_fcgi.c,$(wildcard cgi/web/*.c))
CTL_SRC  := $(filter-out cgi/ctl/main_ctl.c,$(wildcard cgi/ctl/*.c))
LIB_OBJ  := $(call objs,$(LIB_SRC),$(OBJDIR))
WEB_OBJ  := $(call objs,$(WEB_SRC),$(OBJDIR))
CTL_OBJ  := $(call objs,$(CTL_SRC),$(OBJDIR))
# the unit tests see every floor (they test web and ctl code too)
TEST_OBJ := $(LIB_OBJ) $(WEB_OBJ) $(CTL_OBJ)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(OBJDIR)/tests/%)

.PHONY: all deps run test unit integration clean fuzz bench faults soak memcheck format

all: bin/enquete-fcgi bin/enquetectl

deps:
	@scripts/deps

# The binaries are relinked whenever the build flavour changes, so that
# `make test SANITIZE=1` after `make` never mixes objects.
build/flavour.$(OBJDIR:build/%=%): | build
	@rm -f build/flavour.*; touch $@

build:
	@mkdir -p build

$(OBJDIR)/%.o: %.c $(CGI_HDR) | $(OBJDIR)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(OBJDIR) $(OBJDIR)/tests bin:
	@mkdir -p $@

bin/enquete-fcgi: $(OBJDIR)/main_fcgi.o $(LIB_OBJ) $(WEB_OBJ) build/flavour.$(OBJDIR:build/%=%) | bin
	$(CC) $(LDFLAGS) -o $@ $(OBJDIR)/main_fcgi.o $(WEB_OBJ) $(LIB_OBJ) $(LDLIBS)

bin/enquetectl: $(OBJDIR)/main_ctl.o $(LIB_OBJ) $(CTL_OBJ) build/flavour.$(OBJDIR:build/%=%) | bin
	$(CC) $(LDFLAGS) -o $@ $(OBJDIR)/main_ctl.o $(CTL_OBJ) $(LIB_OBJ) $(LDLIBS)

$(OBJDIR)/tests/%: tests/unit/%.c tests/unit/check.h $(TEST_OBJ) | $(OBJDIR)/tests
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(TEST_OBJ) $(LDLIBS)

unit: $(UNIT_BIN)
	@tests/run-unit $(UNIT_BIN)

run: deps all
	@scripts/stack run

test: deps all $(UNIT_BIN) fuzz-build
	@SANITIZE=$(SANITIZE) FUZZ_BIN="$(FUZZ_BIN)" tests/run-all $(UNIT_BIN)

clean:
	rm -rf build bin

format:
	clang-format -i $(wildcard $(addsuffix /*.[ch],$(CGI_DIRS))) tests/unit/*.c

# ---------------------------------------------------------------------------
# Fuzzing and memory checks (issue 11; docs/security.md).
# `make fuzz FUZZ_SECONDS=N` runs every libFuzzer target in tests/fuzz/ for N
# seconds each, one after the other, on a scratch copy of its corpus under
# tests/fuzz/out/; `make fuzz-smoke` does a few seconds each (for make test).
# `make memcheck` runs every unit test program, then a short integration
# pass of the worker, under valgrind (scripts/memcheck).
# The fuzz build needs clang 14 and its libFuzzer runtime (libclang-rt-14-dev).
FUZZ_CC      := clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 3
FUZZ_DIR     := build/fuzz
FUZZ_SRC     := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN     := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_DIR)/%)
FUZZ_LIB_OBJ := $(call objs,$(LIB_SRC) $(WEB_SRC) $(CTL_SRC),$(FUZZ_DIR)/obj)
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer
FUZZ_CFLAGS   = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
                $(WARN) $(PKG_CFLAGS) -I$(shell pg_config --includedir 2>/dev/null) \
                $(CGI_INC) $(FUZZ_SAN)

.PHONY: fuzz-build fuzz-smoke

$(FUZZ_DIR)/obj:
	@mkdir -p $@

# The application's objects: instrumented for coverage, not linked with
# the fuzzer's main.
$(FUZZ_DIR)/obj/%.o: %.c $(CGI_HDR) | $(FUZZ_DIR)/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DIR)/libenquete.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# Each target links only the objects it pulls from the archive.
$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_DIR)/libenquete.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_ROOT='"$(CURDIR)"' -fsanitize=fuzzer \
	    -o $@ $< $(FUZZ_DIR)/libenquete.a $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-build
	@tests/fuzz/run -t $(FUZZ_SECONDS) $(FUZZ_BIN)

fuzz-smoke: fuzz-build
	@tests/fuzz/run -t $(FUZZ_SMOKE_SECONDS) -o tests/fuzz/out/smoke -q $(FUZZ_BIN)

# Needs a build without SANITIZE=1. The second pass starts its own stack
# (var/memcheck, a free port) with the worker under valgrind.
memcheck: all $(UNIT_BIN)
	@scripts/memcheck $(UNIT_BIN)
	@scripts/memcheck --stack

# ---------------------------------------------------------------------------
# Benchmark (issue 10; BENCHMARKS.md). `make bench` starts its own stack
# (var/bench, a free port, durable commits), measures submissions, the form
# page, the summary and dashboard at scale and the workers' memory, and
# writes BENCHMARKS.md; BENCH_ARGS passes options to scripts/bench (for
# instance BENCH_ARGS='--sizes "1000 10000 100000 1000000"').
# `make test` runs `scripts/bench --quick` (tests/run-all).
BENCH_ARGS ?=

bench: deps all
	@scripts/bench $(BENCH_ARGS)

# ---------------------------------------------------------------------------
# Faults under load and the soak (issue 12; docs/security.md). Each starts
# its own stack (var/faults, var/soak; a free port; durable commits) and
# stops it after; neither is part of `make test`.
# `make faults`: PostgreSQL restart, a worker SIGKILLed, connection slots
# exhausted, nginx restart, under 32 clients; at most 5 minutes.
# `make soak SOAK_SECONDS=N` (default 600): mixed load, RssAnon and fds of
# the master and workers every 30 s, "flat" or not.
faults: all
	@scripts/faults

soak: all
	@scripts/soak

# ---------------------------------------------------------------------------
# The tested restore (issue 26; docs/deploy.md). A throwaway cluster with WAL
# archiving and an enquete stack on it (free port): answers submitted, a base
# backup, more answers, a named restore point, more answers; the backup is
# restored to that point and every answer acknowledged before it must be
# there, none after. Bounded (RESTORE_TEST_TIMEOUT, default 300 s); last line
# "restore-test: N passed, M failed".
.PHONY: restore-test

restore-test: all
	@scripts/restore-test

# `make schema` rewrites schema/current.sql (today's schema, as a fresh
# database has it) after a change under schema/; needs `scripts/stack up`.
.PHONY: schema
schema: all
	scripts/schema-dump --write
