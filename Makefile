# fazhi — build, run and test. `make run` serves the demo; `make test` runs every suite; both work
# on a fresh Debian 12 (scripts/fresh-debian-check). Debian 12 packages (scripts/install-deps):
# libmicrohttpd, sqlite3, jansson, libsodium, libpq, libcurl, libxlsxwriter, libyaml (build tool
# only), cmocka; the web UI is built with npm from web/package-lock.json (Node.js ^20.19 or
# >= 22.12; install-deps installs Node.js 22 where Debian's 18 is all there is).

CC       ?= cc
PKGS     := libmicrohttpd jansson libsodium sqlite3 libpq libcurl xlsxwriter libcrypto
PKG_CONFIG ?= pkg-config
INSTALL_DEPS ?= scripts/install-deps

# pkg-config runs when a recipe first needs the flags, never while this file is read: on a fresh
# machine the packages (and pkg-config itself) only exist once `deps` has run, and `run`, `test`
# and `bench` re-invoke make after it (see below). `pkg_flags,OPTS,PKGS` stops the build with the
# cause when pkg-config fails, instead of compiling without the include paths. Each result is
# computed once per make (the variable replaces itself with its value).
pkg_flags = $(eval _pkg_out := $(shell $(PKG_CONFIG) $1 $2 2>/dev/null))$(if $(filter 0,$(.SHELLSTATUS)),$(_pkg_out),$(error `$(PKG_CONFIG) $1 $2` failed ($(or $(shell $(PKG_CONFIG) --print-errors $1 $2 2>&1 | head -n 2),no message)). The build packages are missing: run scripts/install-deps (make run, make test and make bench do it first)))
PKG_CFLAGS = $(eval PKG_CFLAGS := $(call pkg_flags,--cflags,$(PKGS)))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $(call pkg_flags,--libs,$(PKGS)))$(PKG_LIBS)
WARN     := -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla \
            -Wno-format-nonliteral
HARDEN   := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
CFLAGS_REL   = -O2 -g $(WARN) $(HARDEN) -Isrc -Ibuild/gen $(PKG_CFLAGS)
CFLAGS_ASAN  = -O1 -g $(WARN) -fsanitize=address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer -Isrc -Ibuild/gen $(PKG_CFLAGS)
LDFLAGS_REL  := -pie -Wl,-z,relro,-z,now -pthread
LDFLAGS_ASAN := -fsanitize=address,undefined -pthread

SRC      := $(shell find src -name '*.c' | sort)
LIB_SRC  := $(filter-out src/app/main.c,$(SRC))
GEN_SRC  := build/gen/assets.c build/gen/openapi.c
OBJ_REL  := $(patsubst %.c,build/rel/%.o,$(SRC)) $(patsubst build/gen/%.c,build/rel/gen/%.o,$(GEN_SRC))
OBJ_ASAN := $(patsubst %.c,build/asan/%.o,$(SRC)) $(patsubst build/gen/%.c,build/asan/gen/%.o,$(GEN_SRC))
LIB_ASAN := $(patsubst %.c,build/asan/%.o,$(LIB_SRC)) $(patsubst build/gen/%.c,build/asan/gen/%.o,$(GEN_SRC))
UNIT_SRC := $(wildcard tests/unit/*_test.c)
UNIT_BIN := $(patsubst tests/unit/%.c,build/test-bin/%,$(UNIT_SRC))
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_REPLAY := $(patsubst tests/fuzz/%.c,build/test-bin/%_replay,$(FUZZ_SRC))

WEB_SRC  := $(shell find web/src web/index.html web/vite.config.* web/package.json web/public -type f 2>/dev/null)
WEB_DIST := web/dist/index.html

.PHONY: all run test test-unit test-api lint-openapi asan web deps format format-check clean bench \
        fuzz run-demo test-suites bench-suites
all: build/fazhi

deps:
	@$(INSTALL_DEPS)

# ---- web UI (embedded into the binary) ----
web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@
$(WEB_DIST): $(WEB_SRC) web/node_modules/.package-lock.json
	cd web && npm run build --silent
	@touch $@
web: $(WEB_DIST)

build/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O1 -Wall -Wextra -Werror -o $@ $< $(call pkg_flags,--cflags --libs,libsodium)
build/tools/yaml2json: tools/yaml2json.c
	@mkdir -p $(@D)
	$(CC) -O1 -Wall -Wextra -Werror -o $@ $< $(call pkg_flags,--cflags --libs,yaml-0.1 jansson)

build/gen/assets.c: build/tools/embed $(WEB_DIST)
	@mkdir -p $(@D)
	build/tools/embed $@ web/dist $$(find web/dist -type f ! -name '*.map' | sort)
build/gen/openapi.c: build/tools/yaml2json docs/openapi.yaml
	@mkdir -p $(@D)
	build/tools/yaml2json docs/openapi.yaml $@

# ---- the program ----
build/rel/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_REL) -MMD -MP -c -o $@ $<
build/rel/gen/%.o: build/gen/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_REL) -Wno-overlength-strings -c -o $@ $<
build/asan/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ASAN) -MMD -MP -c -o $@ $<
build/asan/gen/%.o: build/gen/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ASAN) -c -o $@ $<

build/fazhi: $(OBJ_REL)
	$(CC) -o $@ $^ $(LDFLAGS_REL) $(PKG_LIBS)
build/asan/fazhi: $(OBJ_ASAN)
	$(CC) -o $@ $^ $(LDFLAGS_ASAN) $(PKG_LIBS)
asan: build/asan/fazhi

# ---- tests ----
# draw_test computes chi-squared critical values (libm)
build/test-bin/draw_test: TEST_LIBS := -lm
build/test-bin/%_test: tests/unit/%_test.c $(LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ASAN) -o $@ $< $(LIB_ASAN) $(LDFLAGS_ASAN) $(PKG_LIBS) -lcmocka $(TEST_LIBS)

# Fuzz targets: replayed over their corpus in `make test` (gcc, ASan+UBSan); `make fuzz` runs
# libFuzzer (clang) on each for FUZZ_SECONDS and adds what it finds to the corpus.
build/test-bin/%_replay: tests/fuzz/%.c tests/fuzz/replay.c $(LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ASAN) -DCORPUS_DIR='"tests/fuzz/corpus/$*"' -o $@ $< tests/fuzz/replay.c \
		$(LIB_ASAN) $(LDFLAGS_ASAN) $(PKG_LIBS)
FUZZ_SECONDS ?= 60
build/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(GEN_SRC)
	@mkdir -p $(@D)
	clang -O1 -g -std=c17 -D_GNU_SOURCE -Isrc -Ibuild/gen $(PKG_CFLAGS) \
		-fsanitize=fuzzer,address,undefined -o $@ $< $(LIB_SRC) $(GEN_SRC) $(PKG_LIBS) -pthread
fuzz: $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
	@for t in $^; do n=$$(basename $$t); mkdir -p tests/fuzz/corpus/$$n; \
		$$t -max_total_time=$(FUZZ_SECONDS) tests/fuzz/corpus/$$n || exit 1; done

tests/e2e/node_modules/.package-lock.json: tests/e2e/package.json tests/e2e/package-lock.json
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	@touch $@
# Spectral (lints docs/openapi.yaml), ajv and yaml (the API tests check every answer against it).
tests/api/node_modules/.package-lock.json: tests/api/package.json tests/api/package-lock.json
	cd tests/api && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# `make test`, `make run` and `make bench` install what is missing first, then run a new make for
# the rest, which reads this file (and asks pkg-config) only after the install. The inner targets
# (test-suites, run-demo, bench-suites) skip the install.
test: deps
	@$(MAKE) --no-print-directory test-suites
test-suites: build/fazhi build/asan/fazhi $(UNIT_BIN) $(FUZZ_REPLAY) \
		tests/e2e/node_modules/.package-lock.json tests/api/node_modules/.package-lock.json
	@tests/run-tests.sh format:src,tests/unit,tests/fuzz,tools spectral:docs/openapi.yaml \
		build:build/fazhi 'unit:build/test-bin/*' api:build/fazhi api-pg:build/fazhi \
		api-asan:build/asan/fazhi e2e:build/fazhi crash:build/fazhi

test-unit: $(UNIT_BIN) $(FUZZ_REPLAY)
	@tests/run-tests.sh 'unit:build/test-bin/*'
test-api: build/fazhi tests/api/node_modules/.package-lock.json
	@tests/run-tests.sh spectral:docs/openapi.yaml api:build/fazhi
lint-openapi: tests/api/node_modules/.package-lock.json
	@tests/run-tests.sh spectral:docs/openapi.yaml

# ---- benchmark (not part of `make test`): fazhi vs nginx static files, province data set ----
# BENCH_SMOKE=1 for a short run; see bench/run.sh and docs/performance.md.
bench: deps
	@$(MAKE) --no-print-directory bench-suites
bench-suites: build/fazhi
	@BENCH_SOAK_SECS=$${BENCH_SOAK_SECS:-600} bench/run.sh
	@FAZHI_CRASH_ROUNDS=500 tests/run-tests.sh crash:build/fazhi

# ---- run the demo ----
DATA ?= data
LISTEN ?= 127.0.0.1:8080
run: deps
	@$(MAKE) --no-print-directory run-demo
run-demo: build/fazhi
	@if [ ! -f $(DATA)/fazhi.db ]; then build/fazhi demo --data-dir $(DATA); fi
	@echo ""
	@echo "  fazhi: http://$(LISTEN)/"
	@echo "  demo accounts: sysadmin secadmin auditor office assessor leader reviewer inspector clerk1 clerk2 clerk_<unit code>"
	@echo "  password: $${FAZHI_DEMO_PASSWORD:-Fazhi@2026} (unless the data dir was made with another)"
	@echo ""
	build/fazhi serve --data-dir $(DATA) --listen $(LISTEN)

format:
	clang-format -i $$(find src tests/unit tests/fuzz tools -name '*.[ch]')
format-check:
	@tests/run-tests.sh format:src,tests/unit,tests/fuzz,tools

clean:
	rm -rf build

-include $(shell find build/rel build/asan -name '*.d' 2>/dev/null)
