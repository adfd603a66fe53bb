# hexe — build, test, bench, install.
#
#   make            build build/hexe (never installs packages, never needs a tty)
#   make run        install missing Debian packages, build, start `hexe mux`
#   make test       install missing Debian packages, build, run every test
#   make check-asan the whole suite under AddressSanitizer + UBSan
#   make fuzz       run the frame-decoder fuzzer for FUZZ_SECONDS
#   make install    PREFIX=/usr/local
#   make bench      hexe side by side with tmux and a bare terminal
#                   (installs tmux and bubblewrap if missing; ~10 minutes;
#                   BENCH_ARGS adds options, see bench/README.md)

PREFIX ?= /usr/local
BUILD ?= build
CC ?= cc
PKGS = libuv vterm ncursesw lua5.4
DEB_PKGS = build-essential pkg-config libuv1-dev libvterm-dev libncurses-dev \
	   liblua5.4-dev libcmocka-dev
FUZZ_SECONDS ?= 60
BENCH_DEB_PKGS = tmux bubblewrap
BENCH_OUT ?= bench/results.json
BENCH_ARGS ?=
BENCH_SRCS := $(wildcard bench/*.c)

OPT ?= -O2 -g
CFLAGS += $(OPT)
# snprintf truncation is how hexe bounds strings on purpose.
CFLAGS += -std=gnu11 -Wall -Wextra -Werror -Wno-format-truncation -D_GNU_SOURCE -Isrc \
	  $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# The four libraries are linked statically (Debian's -dev packages ship
# their .a files): every hexe process, each pane's pod and each command,
# then starts about 1 ms sooner than when it loads them (docs/design.md).
STATIC_PKGS = libuv-static vterm ncursesw lua5.4
SYSTEM_LIBS = -lpthread -ldl -lrt -lm
LDLIBS += $(shell pkg-config --libs-only-L $(STATIC_PKGS) 2>/dev/null) \
	  -Wl,-Bstatic $(filter-out $(SYSTEM_LIBS),$(shell pkg-config \
	  --libs-only-l $(STATIC_PKGS) 2>/dev/null)) -Wl,-Bdynamic \
	  $(SYSTEM_LIBS) -lutil
SAN ?=
CFLAGS += $(SAN)
LDFLAGS += $(SAN)

# EXCLUDE: source paths left out of the build (a directory prefix works),
# e.g. while a module is being written next to a working tree.
EXCLUDE ?=
SRCS := $(filter-out $(addsuffix %,$(EXCLUDE)),$(shell find src -name '*.c' | sort))
LIB_SRCS := $(filter-out src/hexe.c,$(SRCS))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)

.PHONY: FORCE all deps bench-deps run test test-bins check-asan fuzz install clean bench

all: $(BUILD)/hexe

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libhexe.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/hexe: $(BUILD)/obj/src/hexe.o $(BUILD)/libhexe.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libhexe.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags cmocka) $(LDFLAGS) -o $@ $< \
		$(BUILD)/libhexe.a $(LDLIBS) $(shell pkg-config --libs cmocka vterm)

$(BUILD)/tests/ptyh: tests/harness/ptyh.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(shell pkg-config --libs vterm) -lutil

$(BUILD)/tests/replay_frame: tests/fuzz/replay.c tests/fuzz/fuzz_frame.c $(BUILD)/libhexe.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Two more builds of the same source speaking newer protocol versions (this
# one speaks 2), for the adoption-across-versions tests: v3 still accepts
# older pods, v4 does not.
$(BUILD)/compat/v3/hexe: FORCE
	@$(MAKE) --no-print-directory -s BUILD=$(BUILD)/compat/v3 OPT="$(OPT) -DPROTO_VERSION=3u" SAN="$(SAN)" $(BUILD)/compat/v3/hexe-bin
	@cp $(BUILD)/compat/v3/hexe-bin $@
$(BUILD)/compat/v4/hexe: FORCE
	@$(MAKE) --no-print-directory -s BUILD=$(BUILD)/compat/v4 OPT="$(OPT) -DPROTO_VERSION=4u -DPROTO_MIN_VERSION=4u" SAN="$(SAN)" $(BUILD)/compat/v4/hexe-bin
	@cp $(BUILD)/compat/v4/hexe-bin $@
$(BUILD)/hexe-bin: $(BUILD)/obj/src/hexe.o $(BUILD)/libhexe.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

test-bins: $(BUILD)/hexe $(UNIT_BINS) $(BUILD)/tests/ptyh $(BUILD)/tests/replay_frame \
	$(BUILD)/compat/v3/hexe $(BUILD)/compat/v4/hexe

# Installs only what is missing, so a machine that has everything never
# needs the network or root.
# $(call apt_install,PACKAGES): apt-get install those not installed.
define apt_install
	@missing=""; for p in $(1); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
endef

deps:
	$(call apt_install,$(DEB_PKGS))

bench-deps:
	$(call apt_install,$(BENCH_DEB_PKGS))

$(BUILD)/bench/hexe-bench: $(BENCH_SRCS) $(wildcard bench/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(BENCH_SRCS) $(shell pkg-config --libs vterm) -lutil -lm

# Not part of `make test`: it takes minutes and wants a quiet machine.
bench: deps bench-deps
	$(MAKE) $(BUILD)/hexe $(BUILD)/bench/hexe-bench
	./$(BUILD)/bench/hexe-bench --hexe $(BUILD)/hexe --out $(BENCH_OUT) $(BENCH_ARGS)

run: deps
	$(MAKE) all
	./$(BUILD)/hexe mux

test: deps
	$(MAKE) test-bins
	BUILD=$(BUILD) tests/run

check-asan: deps
	$(MAKE) BUILD=build-asan SAN="-fsanitize=address,undefined -fno-omit-frame-pointer" OPT="-O1 -g" test-bins
	BUILD=build-asan tests/run --asan

fuzz: $(BUILD)/libhexe.a
	@mkdir -p $(BUILD)/fuzz-corpus
	cp -n tests/fuzz/corpus/frame/* $(BUILD)/fuzz-corpus/ 2>/dev/null || true
	clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc \
		src/core/proto.c src/core/buf.c src/core/util.c tests/fuzz/fuzz_frame.c \
		-o $(BUILD)/fuzz_frame
	./$(BUILD)/fuzz_frame -max_total_time=$(FUZZ_SECONDS) $(BUILD)/fuzz-corpus

install: $(BUILD)/hexe
	install -D -m 0755 $(BUILD)/hexe $(DESTDIR)$(PREFIX)/bin/hexe
	install -D -m 0644 docs/hexe.1 $(DESTDIR)$(PREFIX)/share/man/man1/hexe.1

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
