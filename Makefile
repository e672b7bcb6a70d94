# qyzmet — build, test and benchmark.
#
#   make            build build/qyzmet
#   make test       unit, command-line, API and browser tests with gcc, again (but the
#                   browser's) under ASan+UBSan (clang), and a -Werror build with clang
#   make bench      benchmarks against their references (bench/README.md)
#   make format     clang-format the C sources
#   make lint       clang-tidy and cppcheck on src/
#
# Variables: BUILD (output folder), CC, SAN=1 (sanitizers).

BUILD  ?= build
CC     ?= cc
PKGS   := jansson sqlite3 libargon2 libcrypto libmicrohttpd
CATALOG_DIR := $(CURDIR)/catalog

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_LIBS  := $(shell pkg-config --libs cmocka 2>/dev/null)

CFLAGS ?= -O2 -g
WARN   := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
QZ_CFLAGS := -std=c17 -D_POSIX_C_SOURCE=200809L -Isrc $(WARN) $(PKG_CFLAGS) \
             -DQZ_CATALOG_DIR='"$(CATALOG_DIR)"' -DQZ_WEB_DIR='"$(CURDIR)/web"' -DQZ_TEST_DATA_DIR='"$(CURDIR)/tests/data"' -DQZ_BENCH_DIR='"$(CURDIR)/bench"' -MMD -MP
ifeq ($(SAN),1)
  QZ_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
  LDFLAGS   += -fsanitize=address,undefined
endif
LIBS := $(PKG_LIBS) -lm -lpthread

LIB_SRC  := $(wildcard src/core/*.c src/store/*.c src/app/*.c src/http/*.c) $(filter-out src/cli/main.c,$(wildcard src/cli/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ := $(BUILD)/obj/src/cli/main.o
TEST_SRC := $(wildcard tests/unit/test_*.c)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_SUPPORT := $(BUILD)/obj/tests/unit/fixture.o
BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all test unit cli-test api-test browser-test check-build bench format format-check lint deps clean
all: $(BUILD)/qyzmet

# V=1 shows the commands.
Q := $(if $(V),,@)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(QZ_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libqyzmet.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/qyzmet: $(MAIN_OBJ) $(BUILD)/libqyzmet.a
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) $^ $(LIBS) -o $@

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(TEST_SUPPORT) $(BUILD)/libqyzmet.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) $^ $(TEST_LIBS) $(LIBS) -o $@

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(BUILD)/libqyzmet.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LIBS) -o $@

deps:
	@scripts/deps check

unit: $(TEST_BIN)
	@scripts/run-unit $(TEST_BIN)

cli-test: $(BUILD)/qyzmet
	@tests/cli/run $(BUILD)/qyzmet

api-test: $(BUILD)/qyzmet
	@QZ=$(CURDIR)/$(BUILD)/qyzmet scripts/run-api tests/api

# The pages in Debian's Chromium (tests/browser/README.md); screenshots go to docs/screens/.
browser-test: $(BUILD)/qyzmet
	@QZ=$(CURDIR)/$(BUILD)/qyzmet scripts/run-api tests/browser

check-build:
	$(MAKE) --no-print-directory BUILD=build/clang CC=clang all $(patsubst build/%,build/clang/%,$(TEST_BIN))

test: deps
	@rm -f build/.tally
	@$(MAKE) --no-print-directory all unit cli-test api-test browser-test
	@$(MAKE) --no-print-directory BUILD=build/asan CC=clang SAN=1 CFLAGS='-O1 -g' unit cli-test api-test
	@$(MAKE) --no-print-directory check-build format-check
	@scripts/run-unit --summary

bench: deps $(BENCH_BIN) $(BUILD)/qyzmet
	@for b in $(BENCH_BIN); do $$b || exit 1; done

C_FILES = $$(find src tests bench -name '*.[ch]')

format:
	clang-format -i $(C_FILES)

format-check:
	@clang-format --dry-run -Werror $(C_FILES) || \
		{ echo "qyzmet: run 'make format' (clang-format) and commit"; exit 1; }

lint:
	clang-tidy $(LIB_SRC) src/cli/main.c -- -std=c17 -D_POSIX_C_SOURCE=200809L -Isrc $(PKG_CFLAGS)
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability -Isrc src

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
