# vf - a plain Makefile. `make`, `make check`, `make install`.
# CFLAGS is yours; the warnings and what the code needs are added to it.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SHAREDIR ?= $(PREFIX)/share/vf
MANDIR ?= $(PREFIX)/share/man

CC ?= cc
CFLAGS ?= -O2 -g
WARN = -Wall -Wextra -Wshadow -Wpointer-arith -Wmissing-prototypes \
	-Wstrict-prototypes -Wformat=2 -Wno-unused-parameter
PKG_CONFIG ?= pkg-config
BSD_CFLAGS := $(shell $(PKG_CONFIG) --cflags libbsd-overlay)
# libbsd and libmd are linked statically where their archives are
# installed: relocating them at every start cost vf-parse more than parsing
# a small mail (doc/BENCH.md). `make STATIC_BSD=0` links them dynamically.
STATIC_BSD ?= $(if $(filter /%,$(shell $(CC) -print-file-name=libbsd.a)),$(if \
	$(filter /%,$(shell $(CC) -print-file-name=libmd.a)),1,0),0)
ifeq ($(STATIC_BSD),1)
BSD_LIBS := -Wl,-Bstatic $(shell $(PKG_CONFIG) --static --libs libbsd-overlay) \
	-lmd -Wl,-Bdynamic
else
BSD_LIBS := $(shell $(PKG_CONFIG) --libs libbsd-overlay) -lmd
endif
# The well-kept libraries the tools stand on: NFKC and case folding
# (utf8proc), IDN hosts (idn2), registrable domains (psl), URLs
# (uriparser), JSON (jansson). --as-needed keeps a tool from loading a
# library it does not call: vf-parse starts for every mail.
DEP_PKGS = libutf8proc libidn2 libpsl liburiparser jansson nettle
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(DEP_PKGS))
# utf8proc and nettle are linked statically too where their archives are
# installed (`make STATIC_DEPS=0` not to): the dynamic loader mapping and
# relocating them was a large part of vf-parse's own CPU per mail
# (doc/BENCH.md). libidn2 stays shared: it needs libunistring, which has
# no archive on Debian.
STATIC_DEPS ?= $(if $(filter /%,$(shell $(CC) -print-file-name=libutf8proc.a)),$(if \
	$(filter /%,$(shell $(CC) -print-file-name=libnettle.a)),1,0),0)
ifeq ($(STATIC_DEPS),1)
DEP_LIBS := -Wl,-Bstatic -lutf8proc -lnettle -Wl,-Bdynamic -Wl,--as-needed \
	$(shell $(PKG_CONFIG) --libs libidn2 libpsl liburiparser jansson) \
	-Wl,--no-as-needed
else
DEP_LIBS := -Wl,--as-needed $(shell $(PKG_CONFIG) --libs $(DEP_PKGS)) \
	-Wl,--no-as-needed
endif
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check)
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check)

# `make SANITIZE=1 check` builds and tests with AddressSanitizer and UBSan.
ifeq ($(SANITIZE),1)
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif

ALL_CFLAGS = $(CFLAGS) $(WARN) $(SAN) -pthread -std=c11 -D_GNU_SOURCE -Isrc \
	$(BSD_CFLAGS) $(DEP_CFLAGS) -DSHAREDIR='"$(SHAREDIR)"'
ALL_LDFLAGS = $(LDFLAGS) $(SAN) -pthread

TOOLS_SRC = $(wildcard src/vf-*.c)
TOOLS = $(patsubst src/%.c,bin/%,$(TOOLS_SRC))
# src/idnlazy.c is linked only into the tools below: in libvf.a it would
# stand in for libidn2 in every tool.
LIB_SRC = $(filter-out $(TOOLS_SRC) src/idnlazy.c,$(wildcard src/*.c))
LIB_OBJ = $(patsubst src/%.c,obj/%.o,$(LIB_SRC))
UNIT_SRC = $(wildcard t/unit/test_*.c)
UNITS = $(patsubst t/unit/test_%.c,t/unit/%.t,$(UNIT_SRC))
SCRIPTS = bin/vf-demo bin/vf-send bin/vf-charts \
	bin/vf-feed-nvd bin/vf-feed-osv bin/vf-feed-jvn
# share/man/vf-feed-*.1 are links to vf-feed.1, installed as links.
MAN1 = $(filter-out $(FEED_PAGES:%=share/man/%.1),$(wildcard share/man/*.1))
MAN5 = $(wildcard share/man/*.5)
MAN7 = $(wildcard share/man/*.7)
# The converters share vf-feed.1; each name gets a link to it.
FEED_PAGES = vf-feed-nvd vf-feed-osv vf-feed-jvn

all: $(TOOLS) share-modes

# The tools refuse a policy, template or field table that group or others
# may write (vf_file_trusted): a checkout made under umask 002 would leave
# the demo and the tests, which read share/ in place, unable to notify.
share-modes:
	@chmod -R go-w share

# Rebuild everything when the flags change (plain, sanitizer, user CFLAGS).
obj/flags: FORCE
	@mkdir -p obj
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $@ || \
	    echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@

obj/%.o: src/%.c src/vf.h src/hdrname.h obj/flags
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

obj/libvf.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

bin/%: obj/%.o obj/libvf.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< obj/libvf.a $(BSD_LIBS) $(DEP_LIBS)

# vf-notify and vf-parse load libidn2 only for a domain in U-labels
# (src/idnlazy.c): mapping it and libunistring at each start was about
# 0.2 ms of CPU before gpg could start, per notice and per delivery
# (doc/BENCH.md). --as-needed then leaves -lidn2 out of the link. The
# tools that read the whole tree start once a run: linked as they were.
LAZY_IDN = bin/vf-notify bin/vf-parse
$(LAZY_IDN): bin/%: obj/%.o obj/idnlazy.o obj/libvf.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< obj/idnlazy.o obj/libvf.a $(BSD_LIBS) \
	    $(DEP_LIBS)

t/unit/%.t: t/unit/test_%.c t/unit/unit.h obj/libvf.a
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) $(ALL_LDFLAGS) -o $@ $< \
	    obj/libvf.a $(CHECK_LIBS) $(BSD_LIBS) $(DEP_LIBS)

units: $(UNITS)

# Test helpers: built like the unit tests, never installed.
HELPERS = t/helper/casefix
t/helper/%: t/helper/%.c obj/libvf.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< obj/libvf.a $(BSD_LIBS) \
	    $(DEP_LIBS)

# Two tests at a time: the machines this runs on have two CPUs, and most
# tests wait on gpg and fsync. `make check PROVEFLAGS=` runs one at a time.
PROVEFLAGS ?= -j2
check: all units $(HELPERS)
	VF_SHARE=$(CURDIR)/share prove $(PROVEFLAGS) t/unit/*.t t/*.t

# Every test file that runs the built tools, under valgrind's memcheck
# (t/lib.sh VF_VALGRIND): no error, no definite leak. Checking every run
# is far too slow for CI (the suite runs about 8,700 tools, at 0.3 to 1
# CPU-second each under memcheck), so within each test file a run is
# checked when it is the first of its tool run in its way (its option
# letters and the lower-case words among its arguments: "vf-notify -k
# ack", "vf-decide publish"), and the 1st, N+1st, 2N+1st ... run of each
# tool besides (VF_VALGRIND_EVERY): every file checks every tool in every
# way it runs it at least once, and the long ones (crash, kill, soak,
# corpora) one run in N more: with N=100 about 380 of the 8,700 runs
# (doc/BENCH.md). t/helper/vg-summary prints what was checked and fails on
# any error or definite leak in a report, also of a run whose exit status
# its test ignores (a killed tool, a soak loop). Every run is under
# AddressSanitizer and UBSan in `make SANITIZE=1 check` (leaks included);
# what memcheck adds is the use of uninitialised memory. Not covered: the
# runs traced with strace (t/0220, t/0320, t/0370), which are the tool
# without the wrapper; the tests that run no built tool (VALGRIND_SKIP);
# the tools' openat2 path (valgrind 3.19 lacks it, the tools fall back).
# Every run of one file:
#   make valgrind VALGRIND_EVERY=1 VALGRIND_TESTS=t/0810-vf-notify.t
VALGRIND_EVERY ?= 100
VALGRIND_SKIP = t/0500-fuzz-regress.t t/0600-man.t t/0700-install.t \
	t/0910-vf-feed.t
# The longest first, so that two at a time end together (most of the
# time is t/0400's: 2,189 runs of vf-parse and vf-show).
VALGRIND_LONG = t/0400-corpora.t t/0300-crash.t
VALGRIND_TESTS ?= $(VALGRIND_LONG) \
	$(filter-out $(VALGRIND_SKIP) $(VALGRIND_LONG),$(wildcard t/*.t))
valgrind: all $(HELPERS)
	rm -rf obj/valgrind
	VF_VALGRIND=1 VF_VALGRIND_EVERY=$(VALGRIND_EVERY) \
	    VF_SHARE=$(CURDIR)/share prove $(PROVEFLAGS) $(VALGRIND_TESTS); \
	    rc=$$?; sh t/helper/vg-summary obj/valgrind && exit $$rc

demo: all
	VF_SHARE=$(CURDIR)/share PATH=$(CURDIR)/bin:$$PATH bin/vf-demo

lint:
	mandoc -Tlint -Wwarning $(MAN1) $(MAN5) $(MAN7)

# libFuzzer harnesses: clang only. `make fuzz FUZZTIME=60`.
FUZZ_SRC = $(wildcard fuzz/fuzz_*.c)
FUZZERS = $(patsubst fuzz/%.c,obj/fuzz/%,$(FUZZ_SRC))
FUZZ_CC = clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 \
	-D_GNU_SOURCE -Isrc $(BSD_CFLAGS) $(DEP_CFLAGS) \
	-DSHAREDIR='"$(CURDIR)/share"'
FUZZTIME ?= 30
obj/fuzz/%: fuzz/%.c $(LIB_SRC) src/vf.h src/hdrname.h
	@mkdir -p obj/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(LIB_SRC) $(BSD_LIBS) $(DEP_LIBS)
fuzzers: $(FUZZERS)
fuzz: $(FUZZERS)
	FUZZTIME=$(FUZZTIME) sh fuzz/run $(FUZZERS)
# The same harnesses with fuzz/replay.c, built like the tools, so that
# `make check` (and `make SANITIZE=1 check`) replays every kept crash and
# seed through them (t/0500-fuzz-regress.t).
REPLAYS = $(patsubst fuzz/%.c,obj/replay/%,$(FUZZ_SRC))
obj/replay/%: fuzz/%.c fuzz/replay.c obj/libvf.a obj/flags
	@mkdir -p obj/replay
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< fuzz/replay.c \
	    obj/libvf.a $(BSD_LIBS) $(DEP_LIBS)
replays: $(REPLAYS)
.PHONY: replays
check: $(REPLAYS)
# fuzz_decrypted runs fuzz/fakegpg, found next to it, in place of gpg.
obj/fuzz/fakegpg obj/replay/fakegpg: fuzz/fakegpg.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -std=c11 -o $@ fuzz/fakegpg.c
obj/fuzz/fuzz_decrypted: obj/fuzz/fakegpg
obj/replay/fuzz_decrypted: obj/replay/fakegpg

# Each bench's scratch trees go to bench/out/trash, deleted after the last
# bench: a deletion of thousands of files slows the file creations of the
# next minutes on this VM's ext4 (bench/trash).
bench: all $(HELPERS)
	VF_SHARE=$(CURDIR)/share BENCH_TRASH=keep sh bench/run
	VF_SHARE=$(CURDIR)/share BENCH_TRASH=keep sh bench/scale
	VF_SHARE=$(CURDIR)/share BENCH_TRASH=keep sh bench/notify
	VF_SHARE=$(CURDIR)/share BENCH_TRASH=keep sh bench/end
	VF_SHARE=$(CURDIR)/share BENCH_TRASH=keep sh bench/validate
	rm -rf bench/out/trash

# Explicit modes, whatever the umask of whoever installs: tools 755, data
# and pages 644, folders 755. uninstall removes exactly what install put.
DATA = share/fields share/policy share/procmailrc share/crontab \
	share/jvn-vuldef.xsl
DATA_DIRS = forms examples templates
install: all
	install -d -m 755 $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(TOOLS) $(SCRIPTS) $(DESTDIR)$(BINDIR)/
	install -m 644 $(DATA) $(DESTDIR)$(SHAREDIR)/
	for d in $(DATA_DIRS); do \
		install -d -m 755 $(DESTDIR)$(SHAREDIR)/$$d && \
		install -m 644 share/$$d/* $(DESTDIR)$(SHAREDIR)/$$d/ || exit 1; \
	done
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	install -m 644 $(MAN7) $(DESTDIR)$(MANDIR)/man7/
	for t in $(FEED_PAGES); do \
		ln -sf vf-feed.1 $(DESTDIR)$(MANDIR)/man1/$$t.1 || exit 1; \
	done

uninstall:
	rm -f $(patsubst bin/%,$(DESTDIR)$(BINDIR)/%,$(TOOLS) $(SCRIPTS))
	rm -f $(patsubst share/%,$(DESTDIR)$(SHAREDIR)/%,$(DATA))
	for d in $(DATA_DIRS); do \
		for f in share/$$d/*; do \
			rm -f $(DESTDIR)$(SHAREDIR)/$$d/$${f##*/}; \
		done; \
		rmdir $(DESTDIR)$(SHAREDIR)/$$d 2>/dev/null || :; \
	done
	rmdir $(DESTDIR)$(SHAREDIR) 2>/dev/null || :
	rm -f $(patsubst share/man/%,$(DESTDIR)$(MANDIR)/man1/%,$(MAN1))
	rm -f $(patsubst share/man/%,$(DESTDIR)$(MANDIR)/man5/%,$(MAN5))
	rm -f $(patsubst share/man/%,$(DESTDIR)$(MANDIR)/man7/%,$(MAN7))
	rm -f $(patsubst %,$(DESTDIR)$(MANDIR)/man1/%.1,$(FEED_PAGES))

clean:
	rm -rf obj $(TOOLS) t/unit/*.t $(HELPERS)

FORCE:
.PHONY: all check units valgrind demo lint fuzz fuzzers bench share-modes install uninstall clean FORCE
.SUFFIXES:
