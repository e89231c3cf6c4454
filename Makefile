# Makefile - the one, non-recursive build of sluice.
#
#   ./configure [--enable-asan]  then
#   make            the binary build/sluice
#   make check      unit tests (Check), SQL case tables, integration tests
#   make unit       unit tests only
#   make fuzz       libFuzzer harnesses (needs clang); FUZZ_SECONDS=60 make fuzz-run
#                   runs each harness for that long
#
# Objects and the lemon-generated parser live under build/, never in src/.

-include config.mk
ifeq ($(wildcard config.mk),)
$(error config.mk is missing: run ./configure first (autoconf && ./configure if configure is absent))
endif

B := build
GEN := $(B)/gen

LIB_SRCS := $(filter-out src/main.c,$(wildcard src/*.c src/*/*.c src/*/*/*.c))
LIB_OBJS := $(patsubst src/%.c,$(B)/obj/%.o,$(LIB_SRCS)) $(B)/obj/gen/sql_parse.o
CPPFLAGS := -Isrc -I$(GEN) -D_GNU_SOURCE
ALL_CFLAGS := $(SL_CFLAGS) $(CPPFLAGS) $(DEP_CFLAGS)

UNIT_SRCS := $(wildcard tests/unit/check_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRCS))

.PHONY: all check unit sqltests integration fuzz fuzz-run clean distclean corpus install
all: $(B)/sluice

# lemon names its output after the grammar file; sql_parse.{c,h} keeps the
# generated header apart from src/sql/sql.h.
$(GEN)/sql_parse.c $(GEN)/sql_parse.h &: grammar/sql.y
	@mkdir -p $(GEN)
	cp grammar/sql.y $(GEN)/sql_parse.y
	$(LEMON) -q -T$(LEMPAR) -d$(GEN) $(GEN)/sql_parse.y

$(B)/obj/gen/sql_parse.o: $(GEN)/sql_parse.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-unused-variable -Wno-unused-parameter -Wno-sign-compare -Wno-implicit-fallthrough -MMD -MP -c -o $@ $<

$(B)/obj/%.o: src/%.c | $(GEN)/sql_parse.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The dashboard's files are embedded with .incbin (src/server/assets.c).
$(B)/obj/server/assets.o: $(wildcard src/server/assets/*)

$(B)/libsluice.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(B)/sluice: $(B)/obj/main.o $(B)/libsluice.a
	$(CC) $(SL_LDFLAGS) -o $@ $^ $(DEP_LIBS)

$(B)/tests/%: tests/unit/%.c $(B)/libsluice.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Itests/unit -DSL_SRCDIR='"$(CURDIR)"' -o $@ $< $(B)/libsluice.a $(SL_LDFLAGS) $(CHECK_LIBS) $(DEP_LIBS)

unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do \
	  echo "== $$t"; CK_FORK=yes ./$$t || fail=1; \
	done; exit $$fail

sqltests: $(B)/sluice
	tests/sql/run $(B)/sluice

integration: $(B)/sluice
	tests/integration/run $(B)/sluice

check: unit sqltests integration

# Measure the parser on the shared Flink SQL corpus (path may be overridden).
CORPUS ?= ../shared/testdata/flink-sql
corpus: $(B)/sluice
	scripts/corpus-check $(B)/sluice $(CORPUS)

# libFuzzer: the front end and the binlog decoder compiled again with
# clang's fuzzer instrumentation; fuzz-run runs each for FUZZ_SECONDS.
FUZZ_SRCS := $(filter src/util/% src/sql/%,$(LIB_SRCS))
FUZZ_BINLOG_SRCS := src/connectors/mysql/binlog.c $(filter src/util/%,$(LIB_SRCS))
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -std=gnu11 $(CPPFLAGS)
FUZZ_SECONDS ?= 60
FUZZ_BINS := $(B)/fuzz/fuzz_sql $(B)/fuzz/fuzz_binlog
fuzz: $(FUZZ_BINS)
$(B)/fuzz/fuzz_sql: tests/fuzz/fuzz_sql.c $(FUZZ_SRCS) $(GEN)/sql_parse.c
	@test -n "$(CLANG)" || { echo "make fuzz needs clang: apt-get install clang libclang-rt-14-dev"; exit 1; }
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -Wno-unused-command-line-argument -o $@ tests/fuzz/fuzz_sql.c $(FUZZ_SRCS) $(GEN)/sql_parse.c -lm
$(B)/fuzz/fuzz_binlog: tests/fuzz/fuzz_binlog.c $(FUZZ_BINLOG_SRCS) $(wildcard src/util/*.h) src/connectors/mysql/binlog.h
	@test -n "$(CLANG)" || { echo "make fuzz needs clang: apt-get install clang libclang-rt-14-dev"; exit 1; }
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -Wno-unused-command-line-argument -o $@ tests/fuzz/fuzz_binlog.c $(FUZZ_BINLOG_SRCS) -lz -lm
fuzz-run: $(FUZZ_BINS)
	tests/fuzz/run $(FUZZ_SECONDS) $(FUZZ_BINS)

# make install [PREFIX=/usr/local] [DESTDIR=]: the binary, the man page, the
# systemd unit (its ExecStart pointed at the installed binary) and the
# default configuration (kept when one is there already).
PREFIX ?= /usr/local
SYSTEMD_UNIT_DIR ?= $(PREFIX)/lib/systemd/system
install: $(B)/sluice
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(SYSTEMD_UNIT_DIR) $(DESTDIR)/etc/sluice
	install -m 0755 $(B)/sluice $(DESTDIR)$(PREFIX)/bin/sluice
	install -m 0644 docs/sluice.1 $(DESTDIR)$(PREFIX)/share/man/man1/sluice.1
	sed 's|/usr/local/bin/sluice|$(PREFIX)/bin/sluice|' conf/sluice.service > $(DESTDIR)$(SYSTEMD_UNIT_DIR)/sluice.service
	chmod 0644 $(DESTDIR)$(SYSTEMD_UNIT_DIR)/sluice.service
	test -e $(DESTDIR)/etc/sluice/sluice.yaml || install -m 0644 conf/sluice.yaml $(DESTDIR)/etc/sluice/sluice.yaml

clean:
	rm -rf $(B)

distclean: clean
	rm -rf config.mk config.log config.status configure autom4te.cache

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
