# sbbsmail build: one static library per src/ module, one Catch2 binary per
# module's unit tests, the server binary, fuzz targets and the test runner.
# `make MODE=asan ...` builds the same tree with ASan+UBSan under build/asan.

SHELL := /bin/bash
.SECONDEXPANSION:
MODE ?= release
CXX ?= g++
ifeq ($(origin CXX),default)
CXX := g++
endif

BUILD := build/$(MODE)
# ccache when installed (scripts/deps.sh installs it): a rebuild, another
# worktree or the next CI run on the same machine compiles only what changed.
# Paths are relative, so the cache ignores which directory a clone is in.
CCACHE ?= $(shell command -v ccache 2>/dev/null)
export CCACHE_NOHASHDIR := 1
# Build in parallel on every core unless the caller chose -j: CI and a
# newcomer's `make test` are otherwise single-threaded.
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif
CXXFLAGS_BASE := -std=c++20 -Wall -Wextra -Werror -Isrc -MMD -MP -pthread -D_GNU_SOURCE
ifeq ($(MODE),asan)
# clang: g++ 12's -O1 sanitizer builds raise false -Wmaybe-uninitialized in Catch2.
CXX := clang++
CXXFLAGS_MODE := -O1 -gline-tables-only -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS_MODE := -fsanitize=address,undefined
TEST_OPT := -O0 -gline-tables-only
else ifeq ($(MODE),fuzz)
CXX := clang++
CXXFLAGS_MODE := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
LDFLAGS_MODE := -fsanitize=address,undefined
else
CXXFLAGS_MODE := -O2 -g
LDFLAGS_MODE :=
TEST_OPT := -O0
endif
CXXFLAGS := $(CXXFLAGS_BASE) $(CXXFLAGS_MODE) $(EXTRA_CXXFLAGS)
# Unit-test sources: the libraries they test keep the mode's optimisation; the
# test code itself is built unoptimised against a precompiled Catch2 header,
# which halves the build (Catch2's expansion dominates it).
TEST_CXXFLAGS := $(filter-out -O% -g%,$(CXXFLAGS)) $(TEST_OPT) -isystem /usr/include/catch2 -Itests -Itests/support -Itests/unit
PCH_SRC := tests/unit/catch_pch.h
ifneq ($(findstring clang,$(CXX)),)
PCH := $(BUILD)/tests/pch/catch_pch.h.pch
PCH_USE := -include-pch $(PCH)
else
PCH := $(BUILD)/tests/pch/catch_pch.h.gch
PCH_USE := -I$(BUILD)/tests/pch -Itests/unit -include catch_pch.h
endif
LDLIBS := -lspf2 -lopendkim -lopendmarc -lssl -lcrypto -lsqlite3 -lidn2 -lresolv -lsystemd -pthread

# Modules in link order (a module may only use modules to its right).
MODULES := server smtp pop3 sendmail dsn auth spam mailproc mailfmt mime dns net state msgbase userbase log config util
# Direct and indirect dependencies of each module (what its unit tests link).
DEPS_util :=
DEPS_config := util
DEPS_log := util
DEPS_userbase := log config util
DEPS_msgbase := log config util
DEPS_state := log config util
DEPS_net := log config util
DEPS_dns := log config util
DEPS_spam := dns state msgbase userbase log config util
DEPS_mailproc := log config util
DEPS_mailfmt := msgbase log config util
DEPS_mime := util
DEPS_dsn := mailfmt msgbase log config util
DEPS_auth := mailfmt dns state msgbase log config util
DEPS_sendmail := dsn mailfmt dns net state msgbase userbase log config util
DEPS_pop3 := mailfmt net state msgbase userbase log config util
DEPS_smtp := dsn auth spam mailproc mailfmt mime dns net state msgbase userbase log config util
DEPS_server := smtp pop3 sendmail dsn auth spam mailproc mailfmt mime dns net state msgbase userbase log config util

lib = $(BUILD)/lib$(1).a
srcs = $(wildcard src/$(1)/*.cpp)
objs = $(patsubst src/%.cpp,$(BUILD)/obj/%.o,$(call srcs,$(1)))
# Libraries to link for module M, in link order.
linklibs = $(foreach m,$(MODULES),$(if $(filter $(m),$(1) $(DEPS_$(1))),$(if $(call srcs,$(m)),$(call lib,$(m)))))

TEST_MODULES := $(foreach m,$(MODULES),$(if $(wildcard tests/unit/$(m)/*.cpp),$(m)))
TEST_BINS := $(foreach m,$(TEST_MODULES),$(BUILD)/tests/$(m)_test)
SERVER := $(BUILD)/sbbsmail
# Test-only programs the end-to-end tests start (tests/tools/<name>.cpp).
TEST_TOOLS := $(patsubst tests/tools/%.cpp,$(BUILD)/tests/tools/%,$(wildcard tests/tools/*.cpp))

.PHONY: all deps run test unit e2e check-asan fuzz bench win clean $(addprefix unit-,$(TEST_MODULES))
all: deps $(SERVER) $(TEST_BINS) $(TEST_TOOLS)

deps:
	@scripts/deps.sh build

# `deps` is order-only: it runs (and installs what is missing) before any
# compiler does, without making objects out of date.
$(BUILD)/obj/%.o: src/%.cpp | deps
	@mkdir -p $(dir $@)
	$(CCACHE) $(CXX) $(CXXFLAGS) -c $< -o $@

$(PCH): $(PCH_SRC) | deps
	@mkdir -p $(dir $@)
	$(CXX) $(TEST_CXXFLAGS) -x c++-header $< -o $@

# catch_main.cpp defines CATCH_CONFIG_MAIN before including Catch2: no PCH.
$(BUILD)/tests/obj/unit/catch_main.o: tests/unit/catch_main.cpp | deps
	@mkdir -p $(dir $@)
	$(CCACHE) $(CXX) $(TEST_CXXFLAGS) -c $< -o $@

$(BUILD)/tests/obj/%.o: tests/%.cpp $(PCH) | deps
	@mkdir -p $(dir $@)
	$(CCACHE) $(CXX) $(TEST_CXXFLAGS) $(PCH_USE) -c $< -o $@

define module_rules
$(call lib,$(1)): $(call objs,$(1))
	@mkdir -p $$(dir $$@)
	rm -f $$@ && ar rcs $$@ $$^
$(BUILD)/tests/$(1)_test: $(patsubst tests/%.cpp,$(BUILD)/tests/obj/%.o,$(wildcard tests/unit/$(1)/*.cpp)) $(BUILD)/tests/obj/unit/catch_main.o $(call linklibs,$(1))
	@mkdir -p $$(dir $$@)
	$(CXX) $(LDFLAGS_MODE) -o $$@ $$^ $(LDLIBS)
unit-$(1): deps $(BUILD)/tests/$(1)_test
	$(BUILD)/tests/$(1)_test
endef
$(foreach m,$(MODULES),$(eval $(call module_rules,$(m))))

$(SERVER): $(BUILD)/obj/main.o $(call linklibs,server)
	$(CXX) $(LDFLAGS_MODE) -o $@ $^ $(LDLIBS)

# Each links the libraries the server does (only what it uses is pulled in).
$(TEST_TOOLS): $(BUILD)/tests/tools/%: tests/tools/%.cpp $(call linklibs,server) | deps
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -Itests -Itests/support -o $@ $< $(call linklibs,server) $(LDLIBS)

# Start the server on the repo's own sample install (ctrl/, data/, text/).
run: deps $(SERVER)
	@scripts/run-sample.sh $(SERVER)

# Every test, unit and end-to-end; the last line is "N passed, N failed".
test: deps $(SERVER) $(TEST_BINS) $(TEST_TOOLS)
	@scripts/deps.sh test
	@python3 tests/run.py --build $(BUILD)

unit: deps $(TEST_BINS)
	@python3 tests/run.py --build $(BUILD) --unit-only

e2e: deps $(SERVER) $(TEST_TOOLS)
	@scripts/deps.sh test
	@python3 tests/run.py --build $(BUILD) --e2e-only

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer.
check-asan:
	@scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory MODE=asan test

# libFuzzer targets: tests/fuzz/<name>.cpp, each run for FUZZ_SECONDS on its
# seeds (tests/fuzz/seeds/<name>/) and the corpus it grew before, FUZZ_JOBS
# at a time (default: one per core, so CI's pass costs FUZZ_SECONDS x targets
# / cores); any crash, leak, sanitizer report or timeout fails the run, its
# input kept under build/fuzz/crash/. Each target's log is
# build/fuzz/logs/<name>.log; scripts/fuzz-target.sh runs one.
FUZZ_SECONDS ?= 20
FUZZ_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
FUZZ_TARGETS := $(patsubst tests/fuzz/%.cpp,%,$(wildcard tests/fuzz/*.cpp))
fuzz:
	@scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory MODE=fuzz fuzz-build
	@mkdir -p build/fuzz/logs; rm -f build/fuzz/logs/*.failed; \
	printf '%s\n' $(FUZZ_TARGETS) | xargs -P $(FUZZ_JOBS) -I{} \
	  sh -c 'scripts/fuzz-target.sh "$$1" $(FUZZ_SECONDS) || touch "build/fuzz/logs/$$1.failed"' _ {}; \
	failed=$$(cd build/fuzz/logs && ls *.failed 2>/dev/null | sed 's/\.failed$$//' | tr '\n' ' '); \
	if [ -n "$$failed" ]; then echo "fuzz: failures in $${failed% }"; exit 1; fi
fuzz-build: $(patsubst %,$(BUILD)/fuzz/%,$(FUZZ_TARGETS))
$(BUILD)/fuzz/%: tests/fuzz/%.cpp $(wildcard tests/fuzz/*.h) $(call linklibs,server)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -Itests -Itests/support -Itests/unit -fsanitize=fuzzer -o $@ $(filter %.cpp %.a,$^) $(LDLIBS)

# Benchmark programs: bench/<name>/*.cpp -> build/<mode>/bench/<name>.
BENCH_PROGS := $(foreach d,$(wildcard bench/*/),$(if $(wildcard $(d)*.cpp),$(notdir $(patsubst %/,%,$(d)))))
# A static pattern: a plain $(BUILD)/bench/% rule would also match the
# programs' own .d files, which make then tries to "remake" on every run.
$(patsubst %,$(BUILD)/bench/%,$(BENCH_PROGS)): $(BUILD)/bench/%: $$(wildcard bench/%/*.cpp) $(call linklibs,server)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -o $@ $(filter %.cpp,$^) $(filter %.a,$^) $(LDLIBS)

bench: deps $(SERVER) $(patsubst %,$(BUILD)/bench/%,$(BENCH_PROGS))
	@scripts/deps.sh bench
	@bench/run.sh $(BUILD)

# Installing (issue #17): `make install` (PREFIX, DESTDIR honoured), `make
# uninstall`, and `make deb`, a .deb for /usr built from a staged DESTDIR by
# scripts/make-deb.sh. /etc stays /etc for any PREFIX: logrotate and
# /etc/default are only read there.
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= /etc
INSTALLED := $(SBINDIR)/sbbsmail $(MANDIR)/man8/sbbsmail.8 $(SYSTEMDUNITDIR)/sbbsmail.service \
             $(SYSCONFDIR)/logrotate.d/sbbsmail
.PHONY: install uninstall deb
install: $(SERVER)
	install -D -m 0755 $(SERVER) $(DESTDIR)$(SBINDIR)/sbbsmail
	install -D -m 0644 man/sbbsmail.8 $(DESTDIR)$(MANDIR)/man8/sbbsmail.8
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	sed 's|@SBINDIR@|$(SBINDIR)|g' dist/systemd/sbbsmail.service.in > $(DESTDIR)$(SYSTEMDUNITDIR)/sbbsmail.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/sbbsmail.service
	install -D -m 0644 dist/logrotate/sbbsmail $(DESTDIR)$(SYSCONFDIR)/logrotate.d/sbbsmail
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
deb: deps $(SERVER)
	@scripts/make-deb.sh $(SERVER) $(BUILD)/deb

# Windows (MinGW-w64) build of the platform-independent libraries.
win:
	@scripts/deps.sh win
	@$(MAKE) --no-print-directory -f GNUmakefile.win

clean:
	rm -rf build

-include $(shell find build/$(MODE) -name '*.d' -type f 2>/dev/null)
