# enquete: `make run` starts the whole stack, `make test` runs every suite.
# SANITIZE=1 builds everything with AddressSanitizer and UBSan.

PKGS     := json-c libsodium libqrencode gsl libpq
# XLSForm: reading (zip, XML) and writing workbooks (issue 21)
PKGS     += libzip libxml-2.0 xlsxwriter
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
             $(CFLAGS) $(PKG_CFLAGS) -Icgi
LDLIBS    = $(PKG_LIBS) -lfcgi -lm

ifeq ($(SANITIZE),1)
  ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  LDFLAGS    += -fsanitize=address,undefined
  OBJDIR := build/san
else
  OBJDIR := build/rel
endif

MAINS    := cgi/main_fcgi.c cgi/main_ctl.c
LIB_SRC  := $(filter-out $(MAINS),$(wildcard cgi/*.c))
LIB_OBJ  := $(LIB_SRC:cgi/%.c=$(OBJDIR)/%.o)
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

$(OBJDIR)/%.o: cgi/%.c $(wildcard cgi/*.h) | $(OBJDIR)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(OBJDIR) $(OBJDIR)/tests bin:
	@mkdir -p $@

bin/enquete-fcgi: $(OBJDIR)/main_fcgi.o $(LIB_OBJ) build/flavour.$(OBJDIR:build/%=%) | bin
	$(CC) $(LDFLAGS) -o $@ $(OBJDIR)/main_fcgi.o $(LIB_OBJ) $(LDLIBS)

bin/enquetectl: $(OBJDIR)/main_ctl.o $(LIB_OBJ) build/flavour.$(OBJDIR:build/%=%) | bin
	$(CC) $(LDFLAGS) -o $@ $(OBJDIR)/main_ctl.o $(LIB_OBJ) $(LDLIBS)

$(OBJDIR)/tests/%: tests/unit/%.c tests/unit/check.h $(LIB_OBJ) | $(OBJDIR)/tests
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(LDLIBS)

unit: $(UNIT_BIN)
	@tests/run-unit $(UNIT_BIN)

run: deps all
	@scripts/stack run

test: deps all $(UNIT_BIN) fuzz-build
	@SANITIZE=$(SANITIZE) FUZZ_BIN="$(FUZZ_BIN)" tests/run-all $(UNIT_BIN)

clean:
	rm -rf build bin

format:
	clang-format -i cgi/*.c cgi/*.h tests/unit/*.c

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
FUZZ_LIB_OBJ := $(LIB_SRC:cgi/%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer
FUZZ_CFLAGS   = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
                $(WARN) $(PKG_CFLAGS) -I$(shell pg_config --includedir 2>/dev/null) \
                -Icgi $(FUZZ_SAN)

.PHONY: fuzz-build fuzz-smoke

$(FUZZ_DIR)/obj:
	@mkdir -p $@

# The application's objects: instrumented for coverage, not linked with
# the fuzzer's main.
$(FUZZ_DIR)/obj/%.o: cgi/%.c $(wildcard cgi/*.h) | $(FUZZ_DIR)/obj
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
