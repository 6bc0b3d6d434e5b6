# net.mk - the relay (net/relay/: libslirp behind a libwebsockets server on a GLib loop) and its
# tests: the policy's unit test (native and under ASan/UBSan, in `make unit-tests`) and the
# relay's tests over loopback under Node (`make net-tests`). Included by the top-level
# Makefile, which provides BUILD, CC, CFLAGS_COMMON, CFLAGS and SAN_FLAGS.

RELAY_SRCS := net/relay/relay.c net/relay/client.c net/relay/policy.c
RELAY_HDRS := $(wildcard net/relay/*.h)
RELAY_PKGS := slirp libwebsockets glib-2.0
RELAY_CFLAGS = $(shell pkg-config --cflags $(RELAY_PKGS))
RELAY_LIBS = $(shell pkg-config --libs $(RELAY_PKGS))

.PHONY: relay net-tests
relay: $(BUILD)/native/tabvm-relay

$(BUILD)/native/tabvm-relay: $(RELAY_SRCS) $(RELAY_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) $(RELAY_CFLAGS) -o $@ $(RELAY_SRCS) $(RELAY_LIBS)

NET_TEST_SRCS := net/tests/test_policy.c net/relay/policy.c
$(BUILD)/native/test_policy: $(NET_TEST_SRCS) $(RELAY_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -o $@ $(NET_TEST_SRCS)
$(BUILD)/asan/test_policy: $(NET_TEST_SRCS) $(RELAY_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) -o $@ $(NET_TEST_SRCS)

.PHONY: net-unit-tests
net-unit-tests: $(BUILD)/native/test_policy $(BUILD)/asan/test_policy
	@echo "== relay policy unit tests"
	@$(BUILD)/native/test_policy && $(BUILD)/asan/test_policy
unit-tests: net-unit-tests

net-tests: relay
	@echo "== relay tests (loopback)"
	@node --test net/tests/
