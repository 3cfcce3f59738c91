# exray: thin front over the build. `make` builds ./exray; `make test` and `make demo`
# first install what is missing (scripts/deps.sh).
VERSION   := 0.1.0
CC        ?= cc
CFLAGS    ?= -O2 -g
# libpq's headers where pkg-config says (Debian: /usr/include/postgresql)
PQ_CFLAGS := $(shell pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
WARN      := -std=c11 -D_GNU_SOURCE $(PQ_CFLAGS) -Wall -Wextra -Werror -Wshadow -Wno-missing-field-initializers
DEFS      := -DEXRAY_VERSION='"$(VERSION)"'
LIBS      := -lpq -larchive -lz -lmaxminddb -lcurl -lyara -levtx -lssl -lcrypto -lsqlite3 -lpthread
B         ?= build
SAN       := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

LIB_SRC   := $(filter-out src/main.c,$(wildcard src/*/*.c))
LIB_OBJ   := $(patsubst src/%.c,$(B)/obj/%.o,$(LIB_SRC)) $(B)/obj/gen/embedded.o
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)
RULES     := $(sort $(wildcard data/rules/*.yar))
DATA      := data/exchange-builds.csv data/exchange-vulns.csv data/exchange-lifecycle.csv data/blocklist.conf $(B)/gen/rules.yar data/ioc-sha256.txt \
             data/national-certs.csv $(wildcard data/templates/*.txt)

.PHONY: lib fuzz-build ipdb all deps deps-demo test check format format-check test-unit test-integration test-asan fuzz fuzz-quick demo bench clean \
        install uninstall readme-options
PREFIX    ?= /usr/local
all: exray exray.1 $(B)/exray.bash

deps:
	@sh scripts/deps.sh

deps-demo:
	@sh scripts/deps.sh demo

exray: $(B)/exray
	@cp $(B)/exray exray

$(B)/exray: $(B)/obj/main.o $(B)/libexray.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(B)/libexray.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# each object depends on the headers it includes, as the compiler found them (-MMD -MP)
$(B)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) $(DEFS) -MMD -MP -c -o $@ $<

-include $(wildcard $(B)/obj/*/*.d $(B)/obj/*.d $(B)/tests/*.d)

# The man page, bash completion and docs/options.md's tables are written from the option
# tables in src/cli/opts_*.c by gendoc.
$(B)/tools/gendoc: tools/gendoc.c $(B)/libexray.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) $(DEFS) $(LDFLAGS) -o $@ $< $(B)/libexray.a $(LIBS)

exray.1: $(B)/tools/gendoc
	$(B)/tools/gendoc man > $@.tmp && mv $@.tmp $@

$(B)/exray.bash: $(B)/tools/gendoc
	$(B)/tools/gendoc bash > $@.tmp && mv $@.tmp $@

readme-options: $(B)/tools/gendoc
	$(B)/tools/gendoc readme > $(B)/readme-options.md
	sh scripts/readme-options.sh docs/options.md $(B)/readme-options.md

# Data is compiled in: the binary, the man page and the completion are all there is.
install: $(B)/exray exray.1 $(B)/exray.bash
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 $(B)/exray $(DESTDIR)$(PREFIX)/bin/exray
	install -m 644 exray.1 $(DESTDIR)$(PREFIX)/share/man/man1/exray.1
	install -m 644 $(B)/exray.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/exray

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/exray $(DESTDIR)$(PREFIX)/share/man/man1/exray.1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/exray

$(B)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

$(B)/gen/embedded.c: $(B)/tools/embed $(DATA)
	@mkdir -p $(dir $@)
	$(B)/tools/embed $@ exr_data_exchange_builds_csv data/exchange-builds.csv exr_data_exchange_vulns_csv data/exchange-vulns.csv \
	  exr_data_exchange_lifecycle_csv data/exchange-lifecycle.csv \
	  exr_data_blocklist_conf data/blocklist.conf \
	  exr_data_webshell_rules $(B)/gen/rules.yar exr_data_ioc_sha256 data/ioc-sha256.txt \
	  exr_data_national_certs data/national-certs.csv exr_data_tpl_compromised data/templates/compromised.txt \
	  exr_data_tpl_vulnerable data/templates/vulnerable.txt exr_data_tpl_undetermined data/templates/undetermined.txt \
	  exr_data_tpl_pae data/templates/patched-after-exposure.txt exr_data_tpl_patched data/templates/patched.txt exr_data_tpl_eol data/templates/end-of-life.txt \
	  exr_data_tpl_reminder data/templates/reminder.txt \
	  exr_data_tpl_escalation data/templates/escalation.txt exr_data_tpl_resolved data/templates/resolved.txt

# the built-in rules: every data/rules/*.yar, one text
$(B)/gen/rules.yar: $(RULES)
	@mkdir -p $(dir $@)
	cat $(RULES) > $@

$(B)/obj/gen/embedded.o: $(B)/gen/embedded.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(B)/libexray.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) $(DEFS) -MMD -MP -Isrc -o $@ $< $(B)/libexray.a -lcmocka $(LIBS)

# The shared test corpus (real samples) is referenced where it is, never copied; tests that
# need it say so and skip when it is absent.
EXR_CORPUS ?= $(firstword $(wildcard $(CURDIR)/../shared/corpus /work/shared/corpus))
export EXR_CORPUS

# Everything: unit tests, integration (fleet, hostile servers, resume), fuzz smoke runs,
# then the same unit and integration suites again under ASan+UBSan.
# Every suite runs even when an earlier one failed, each into its log under build/test-logs;
# the last line counts them all: "N passed, N failed, N skipped".
LOGS := build/test-logs
# make test installs what is missing first; make check runs the same suites on a machine
# whose dependencies are already installed (nothing fetched, nothing installed)
test: deps
	@$(MAKE) --no-print-directory check

check:
	@sh tests/bystander.sh start build/bystander
	@rm -rf $(LOGS); mkdir -p $(LOGS); trap 'sh tests/bystander.sh check build/bystander >/dev/null 2>&1 || true' INT TERM; ok=1; \
	  $(MAKE) exray || ok=0; \
	  { $(MAKE) test-unit || echo "== PHASE FAILED: unit tests"; } 2>&1 | tee $(LOGS)/unit.log; \
	  { $(MAKE) test-integration || echo "== PHASE FAILED: integration"; } 2>&1 | tee $(LOGS)/integration.log; \
	  { $(MAKE) test-asan || echo "== PHASE FAILED: ASan+UBSan"; } 2>&1 | tee $(LOGS)/asan.log; \
	  { $(MAKE) fuzz-quick || echo "== PHASE FAILED: fuzz"; } 2>&1 | tee $(LOGS)/fuzz.log; \
	  { sh tests/bystander.sh check build/bystander || echo "== FAILED: a service running before the tests"; } 2>&1 | tee $(LOGS)/bystander.log; \
	  sh scripts/test-summary.sh $(LOGS)/*.log && [ $$ok = 1 ]

# the style of .clang-format, held for every C file of the project
FORMAT_FILES = $(wildcard src/*/*.c src/*/*.h src/main.c tests/unit/*.c tests/unit/*.h tests/fuzz/*.c tests/fuzz/*.h tools/*.c)
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	@clang-format --dry-run -Werror $(FORMAT_FILES) && echo "format-check: $(words $(FORMAT_FILES)) files as .clang-format says"

test-unit: $(UNIT_BIN)
	@rc=0; for t in $(UNIT_BIN); do echo "== $$t"; $$t || { echo "== FAILED: $$t"; rc=1; }; done; exit $$rc

test-integration: exray exray.1 $(B)/tools/gendoc $(B)/exray.bash
	@rc=0; for t in tests/integration/[0-9]*.sh; do echo "== $$t ($(B))"; \
	  EXRAY=$(CURDIR)/$(B)/exray BUILD=$(CURDIR)/$(B) sh $$t || { echo "== FAILED: $$t"; rc=1; }; done; \
	  EXRAY=$(CURDIR)/$(B)/exray BUILD=$(CURDIR)/$(B)/pg sh tests/integration_pg.sh || { echo "== FAILED: the PostgreSQL pass"; rc=1; }; \
	  exit $$rc

test-asan:
	$(MAKE) -k B=build/asan CFLAGS="-O1 -g $(SAN) -DEXRAY_TEST_HOOKS" LDFLAGS="$(SAN)" build/asan/exray test-unit test-integration-asan

test-integration-asan: $(B)/exray exray.1 $(B)/tools/gendoc $(B)/exray.bash
	@rc=0; for t in tests/integration/[0-9]*.sh; do echo "== $$t ($(B))"; ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  EXRAY=$(CURDIR)/$(B)/exray BUILD=$(CURDIR)/$(B) SANITIZED=1 sh $$t || { echo "== FAILED: $$t"; rc=1; }; done; exit $$rc

# libFuzzer targets: a few seconds each in `make test`, longer with `make fuzz FUZZ_SECONDS=600`.
FUZZ_SECONDS ?= 8
FUZZ_B := build/fuzz
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined
lib: $(B)/libexray.a
fuzz-build:
	$(MAKE) B=$(FUZZ_B)/lib CC=clang CFLAGS="$(FUZZ_FLAGS)" lib
	@set -e; for f in $(patsubst tests/fuzz/%.c,%,$(FUZZ_SRC)); do \
	  clang -g -O1 -fsanitize=fuzzer,address,undefined $(WARN) $(DEFS) -Isrc -o $(FUZZ_B)/$$f tests/fuzz/$$f.c \
	    $(FUZZ_B)/lib/libexray.a $(LIBS); done
fuzz-quick: fuzz-build
	@rc=0; for f in $(patsubst tests/fuzz/%.c,%,$(FUZZ_SRC)); do \
	  echo "== fuzz $$f ($(FUZZ_SECONDS)s)"; mkdir -p $(FUZZ_B)/corpus/$$f; \
	  if $(FUZZ_B)/$$f -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -print_final_stats=0 \
	    $(FUZZ_B)/corpus/$$f tests/fuzz/seeds/$$f 2>$(FUZZ_B)/$$f.log; then \
	    grep -E '^#[0-9]+.*DONE' $(FUZZ_B)/$$f.log | tail -1; \
	  else tail -40 $(FUZZ_B)/$$f.log; echo "== FAILED: fuzz $$f"; rc=1; fi; done; exit $$rc
fuzz:
	$(MAKE) fuzz-quick FUZZ_SECONDS=$${FUZZ_SECONDS:-600}

# the compiled ip-location-db file (scripts/deps.sh fetches the CSVs from npm)
IPDB := build/ipdb/exray-ipdb.bin
$(IPDB): exray
	./exray enrich compile --asn4 build/ipdb/asn/asn-ipv4.csv --asn6 build/ipdb/asn/asn-ipv6.csv \
	  --country4 build/ipdb/country/geo-whois-asn-country-ipv4.csv --country6 build/ipdb/country/geo-whois-asn-country-ipv6.csv -o $@
ipdb: $(IPDB)

$(B)/ipdb_bench: bench/ipdb_bench.c $(B)/libexray.a
	$(CC) -O2 $(WARN) $(DEFS) -Isrc -o $@ $< $(B)/libexray.a $(LIBS)

demo: deps-demo
	$(MAKE) exray
	sh scripts/demo.sh

bench: deps
	$(MAKE) exray $(IPDB) $(B)/ipdb_bench
	sh bench/scan.sh
	sh bench/notify.sh
	sh bench/report.sh
	sh bench/hunt.sh
	sh bench/store.sh

clean:
	rm -rf build exray exray.1
