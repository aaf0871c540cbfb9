# SPDX-License-Identifier: BSD-2-Clause
# Host unit tests: the project's pure logic built for the build machine with
# AddressSanitizer and UBSan. Each test program is one entry of UNIT_TEST_PROGS;
# unit-<name>-srcs lists its sources (the test file plus the code under test).
HOSTCC ?= gcc
UNIT_CFLAGS := -std=c17 -O1 -g -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -Iinclude -Ikernel \
	-Iboot -Ilib -Itests/unit -DUNIT_TEST_BUILD -MMD -MP

UNIT_TEST_PROGS :=
include $(wildcard tests/unit/*.mk.inc)

UNIT_TESTS := $(addprefix $(HOSTBUILD)/unit/,$(UNIT_TEST_PROGS))

define unit_prog_rule
$(HOSTBUILD)/unit/$(1): $$(unit-$(1)-srcs) tests/unit/unit_main.c tests/unit/unit.h
	@mkdir -p $$(dir $$@)
	@echo "  HOSTCC  $$@"
	$$(Q)$$(HOSTCC) $$(UNIT_CFLAGS) $$(WARNINGS) -o $$@ tests/unit/unit_main.c $$(unit-$(1)-srcs)
endef
$(foreach p,$(UNIT_TEST_PROGS),$(eval $(call unit_prog_rule,$(p))))
