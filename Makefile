# enquete: `make run` starts the whole stack, `make test` runs every suite.
# SANITIZE=1 builds everything with AddressSanitizer and UBSan.

PKGS     := json-c libsodium libqrencode gsl libpq
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CC       ?= cc
WARN     := -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes \
            -Wwrite-strings -Wformat=2 -Wshadow -Werror
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) \
             $(CFLAGS) $(PKG_CFLAGS) -Icgi
LDLIBS   := $(PKG_LIBS) -lfcgi -lm

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

test: deps all $(UNIT_BIN)
	@tests/run-all $(UNIT_BIN)

clean:
	rm -rf build bin

format:
	clang-format -i cgi/*.c cgi/*.h tests/unit/*.c
