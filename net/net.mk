# net.mk - the relay (net/relay/: libslirp behind a libwebsockets server on a GLib loop) and its
# tests: the unit tests of its frame code (native and under ASan/UBSan, in `make unit-tests`) and the
# relay's tests over loopback under Node against its ASan/UBSan build (`make net-tests`). Included by the top-level
# Makefile, which provides BUILD, CC, CFLAGS_COMMON, CFLAGS and SAN_FLAGS.

RELAY_SRCS := net/relay/relay.c net/relay/client.c net/relay/policy.c net/relay/dns.c
RELAY_HDRS := $(wildcard net/relay/*.h) shared/inet_csum.h
RELAY_PKGS := slirp libwebsockets glib-2.0
RELAY_CFLAGS = $(shell pkg-config --cflags $(RELAY_PKGS))
RELAY_LIBS = $(shell pkg-config --libs $(RELAY_PKGS))

.PHONY: relay net-tests
relay: $(BUILD)/native/tabvm-relay

$(BUILD)/native/tabvm-relay: $(RELAY_SRCS) $(RELAY_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) $(RELAY_CFLAGS) -o $@ $(RELAY_SRCS) $(RELAY_LIBS)

# Unit tests of the relay's frame code: test_policy (rules, flow cap) and test_dns (--dns).
NET_UNIT_TESTS := test_policy test_dns
NET_SRCS_test_policy := net/tests/test_policy.c net/relay/policy.c
NET_SRCS_test_dns := net/tests/test_dns.c net/relay/dns.c

define NET_TEST_RULES
$(BUILD)/native/$(1): $$(NET_SRCS_$(1)) $$(RELAY_HDRS)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS_COMMON) $$(CFLAGS) -o $$@ $$(NET_SRCS_$(1))
$(BUILD)/asan/$(1): $$(NET_SRCS_$(1)) $$(RELAY_HDRS)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS_COMMON) $$(SAN_FLAGS) -o $$@ $$(NET_SRCS_$(1))
endef
$(foreach t,$(NET_UNIT_TESTS),$(eval $(call NET_TEST_RULES,$(t))))

.PHONY: net-unit-tests
net-unit-tests: $(addprefix $(BUILD)/native/,$(NET_UNIT_TESTS)) $(addprefix $(BUILD)/asan/,$(NET_UNIT_TESTS))
	@echo "== relay unit tests, native and ASan/UBSan"
	@fail=0; for t in $(NET_UNIT_TESTS); do for k in native asan; do \
	    printf '%s (%s): ' $$t $$k; $(BUILD)/$$k/$$t || fail=1; done; done; exit $$fail
unit-tests: net-unit-tests

# The relay tests run against the relay built with ASan/UBSan: our C parses every byte a client
# sends. (The CLI and Playwright tests use the plain build.)
$(BUILD)/asan/tabvm-relay: $(RELAY_SRCS) $(RELAY_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) $(RELAY_CFLAGS) -o $@ $(RELAY_SRCS) $(RELAY_LIBS)

net-tests: relay $(BUILD)/asan/tabvm-relay
	@echo "== relay tests (loopback, the ASan/UBSan build)"
	@TABVM_RELAY=$(BUILD)/asan/tabvm-relay node --test net/tests/

# Another emulator on our relay (not in `make test`: it downloads the benchmark suite's i386
# kernel and busybox, about 40 MB, and runs about a minute): v86's ne2k card, DHCP and a wget
# with its checksum through tabvm-relay (net/tests/v86_interop.js).
.PHONY: net-interop
net-interop: relay $(BUILD)/bench/debs/kernel-i386.deb $(BUILD)/bench/debs/busybox-i386.deb image
	@echo "== v86 on tabvm-relay"
	@node net/tests/v86_interop.js
