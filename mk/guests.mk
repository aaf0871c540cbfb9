# SPDX-License-Identifier: BSD-2-Clause
# Test guests: freestanding AArch64 programs that run at EL1 inside a VM,
# or directly on QEMU's virt machine (tests/guests/README.md). The runtime
# is a static library built from tests/guests/lib/objects.mk; each guest is
# declared by a tests/guests/NAME/objects.mk:
#
#   guest-progs-y += hello
#   hello-srcs := tests/guests/hello/hello.c       (.c and .S)
#   hello-cflags := ...                            (optional, extra flags)
#
# Each becomes $(BUILD)/guests/NAME.elf, linked at 0x40080000 by
# tests/guests/lib/guest.ld. Defines GUEST_ELFS; `make guests` builds them.
#
# C is always -mgeneral-regs-only, so no compiler-generated code touches
# FP/SIMD registers (the switch guest checks them across world switches,
# from assembly). -mstrict-align: with the MMU off RAM is Device memory,
# where unaligned accesses fault.

GUEST_DIR := $(BUILD)/guests
GUEST_OBJ := $(GUEST_DIR)/obj
GUEST_LDS := tests/guests/lib/guest.ld
GUEST_LIB := $(GUEST_DIR)/libguest.a

GUEST_CFLAGS := -std=c17 -ffreestanding -nostdlib -O2 -g -fno-pie -fno-stack-protector \
	-mgeneral-regs-only -mstrict-align -mcmodel=small -mbranch-protection=none \
	-march=armv8-a -mno-outline-atomics -Iinclude -Itests/guests/lib -MMD -MP
GUEST_ASFLAGS := $(GUEST_CFLAGS) -D__ASSEMBLY__
GUEST_LDFLAGS := -nostdlib -static -no-pie -T $(GUEST_LDS) -Wl,--require-defined=_start \
	-Wl,-z,max-page-size=4096 -Wl,--fatal-warnings -Wl,--build-id=none

GUEST_BUILD_DEPS := Makefile mk/guests.mk mk/warnings.mk arch/$(ARCH)/arch.mk

# ---- the runtime library ----
guest-lib-srcs :=
include tests/guests/lib/objects.mk
GUEST_LIB_OBJS := $(addprefix $(GUEST_OBJ)/,$(addsuffix .o,$(basename $(guest-lib-srcs))))

$(GUEST_LIB): $(GUEST_LIB_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@
	$(Q)$(CROSS)ar rcs $@ $^

# ---- guests ----
# A guest may share its name with a user task (hello), whose NAME-srcs and
# NAME-cflags mk/user.mk has already used: each guest's objects.mk is read
# with them cleared, its values are kept as guest-NAME-srcs and
# guest-NAME-cflags, and the task's are put back. The directory's name is
# the guest's.
guest-progs-y :=
define guest_include
guest-saved-srcs := $$($(1)-srcs)
guest-saved-cflags := $$($(1)-cflags)
$(1)-srcs :=
$(1)-cflags :=
include tests/guests/$(1)/objects.mk
guest-$(1)-srcs := $$($(1)-srcs)
guest-$(1)-cflags := $$($(1)-cflags)
$(1)-srcs := $$(guest-saved-srcs)
$(1)-cflags := $$(guest-saved-cflags)
endef
GUEST_NAMES := $(filter-out lib,$(notdir $(patsubst %/objects.mk,%,$(wildcard tests/guests/*/objects.mk))))
$(foreach g,$(GUEST_NAMES),$(eval $(call guest_include,$(g))))

GUEST_ELFS := $(addprefix $(GUEST_DIR)/,$(addsuffix .elf,$(guest-progs-y)))
GUEST_OBJS := $(GUEST_LIB_OBJS)

$(GUEST_OBJ)/%.o: %.c $(GUEST_BUILD_DEPS) | $(DEPS)/.stamp-$(ARCH)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(GUEST_CFLAGS) $(WARNINGS) $(GUEST_PROG_CFLAGS) -c $< -o $@

$(GUEST_OBJ)/%.o: %.S $(GUEST_BUILD_DEPS) | $(DEPS)/.stamp-$(ARCH)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(GUEST_ASFLAGS) $(GUEST_PROG_CFLAGS) -c $< -o $@

define guest_prog_rule
guest-$(1)-objs := $$(addprefix $$(GUEST_OBJ)/,$$(addsuffix .o,$$(basename $$(guest-$(1)-srcs))))
GUEST_OBJS += $$(guest-$(1)-objs)
$$(guest-$(1)-objs): GUEST_PROG_CFLAGS := $$(guest-$(1)-cflags)
$$(guest-$(1)-objs): tests/guests/$(1)/objects.mk
$$(GUEST_DIR)/$(1).elf: $$(guest-$(1)-objs) $$(GUEST_LIB) $$(GUEST_LDS)
	@echo "  LD      $$@"
	$$(Q)$$(CC) $$(GUEST_LDFLAGS) -o $$@ $$(guest-$(1)-objs) $$(GUEST_LIB)
endef
$(foreach g,$(guest-progs-y),$(eval $(call guest_prog_rule,$(g))))

.PHONY: guests
guests: $(GUEST_ELFS)

-include $(GUEST_OBJS:.o=.d)
