# SPDX-License-Identifier: BSD-2-Clause
# User programs: the runtime library libcv (services/lib/) and every
# program declared by an objects.mk under services/*/ or tests/tasks/*/:
#
#   user-progs-y += hello
#   hello-srcs := tests/tasks/hello/hello.c        (.c and .S)
#   hello-cflags := ...                            (optional, extra CFLAGS)
#   hello-ldflags := ...                           (optional, e.g.
#                     -Wl,--defsym=__cv_heap_size=0x400000)
#
# Each becomes $(BUILD)/user/NAME.elf: static, linked at 0x400000 by
# services/user.ld against libcv and picolibc (docs/runtime.md).
#
# Defines USER_PROGS (the ELFs), USER_PACKS (each ELF alone as the root
# task in a module pack), LIBCV (the archive), USER_HOST_TESTS (host unit
# tests of the runtime, in $(HOSTBUILD)/unit/) and USER_TARGETS (all of
# these; `make user` builds them). Include after tests/unit/objects.mk (it
# uses UNIT_CFLAGS).

USER_TRIPLE := $(patsubst %-,%,$(CROSS))
PICOLIBC_DIR ?= /usr/lib/picolibc/$(USER_TRIPLE)
PICOLIBC_SPECS := $(PICOLIBC_DIR)/picolibc.specs

USER_LDS := services/user.ld
USER_OBJ := $(BUILD)/user/obj
LIBCV_OBJ := $(BUILD)/services/lib
LIBCV := $(LIBCV_OBJ)/libcv.a
USER_AR := $(CROSS)ar

# picolibc's specs add its headers, -ftls-model=local-exec, its library
# path, -lc and --gc-sections. No outline atomics: libgcc's would need
# getauxval, which a task does not have.
# -Wno-main: main takes the thread argument, not argc/argv (cv/runtime.h).
USER_CFLAGS := -std=c17 -O2 -g -specs=$(PICOLIBC_SPECS) -fno-pie -Wno-main \
	-ffunction-sections -fdata-sections -mno-outline-atomics \
	-Iservices/lib/include -Ilibvmctl/include -Iinclude -Ilib -MMD -MP
USER_ASFLAGS := $(USER_CFLAGS) -D__ASSEMBLY__
USER_LDFLAGS := -specs=$(PICOLIBC_SPECS) -nostartfiles -static -no-pie -T $(USER_LDS) \
	-Wl,--require-defined=_start -Wl,-z,max-page-size=4096 \
	-Wl,-z,common-page-size=4096 -Wl,--fatal-warnings

# Objects depend on the build flags' definitions too.
USER_BUILD_DEPS := Makefile mk/user.mk mk/warnings.mk arch/$(ARCH)/arch.mk

# ---- libcv ----
libcv-srcs-y :=
include services/lib/objects.mk
LIBCV_OBJS := $(addprefix $(LIBCV_OBJ)/,$(addsuffix .o,$(basename $(libcv-srcs-y)))) \
	$(addprefix $(LIBCV_OBJ)/lib/,$(addsuffix .o,$(basename $(libcv-lib-srcs-y))))

$(LIBCV_OBJ)/%.o: services/lib/%.c $(USER_BUILD_DEPS) | $(DEPS)/.stamp-$(ARCH)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(USER_CFLAGS) $(WARNINGS) -c $< -o $@

$(LIBCV_OBJ)/lib/%.o: lib/%.c $(USER_BUILD_DEPS) | $(DEPS)/.stamp-$(ARCH)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(USER_CFLAGS) $(WARNINGS) -c $< -o $@

$(LIBCV_OBJ)/%.o: services/lib/%.S $(USER_BUILD_DEPS) | $(DEPS)/.stamp-$(ARCH)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(USER_ASFLAGS) -c $< -o $@

$(LIBCV): $(LIBCV_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@
	$(Q)$(USER_AR) rcs $@ $^

# ---- programs ----
user-progs-y :=
include $(filter-out services/lib/objects.mk,$(wildcard services/*/objects.mk tests/tasks/*/objects.mk))

USER_PROGS := $(addprefix $(BUILD)/user/,$(addsuffix .elf,$(user-progs-y)))
USER_OBJS :=

$(USER_OBJ)/%.o: %.c $(USER_BUILD_DEPS) | $(DEPS)/.stamp-$(ARCH)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(USER_CFLAGS) $(WARNINGS) $(USER_PROG_CFLAGS) -c $< -o $@

$(USER_OBJ)/%.o: %.S $(USER_BUILD_DEPS) | $(DEPS)/.stamp-$(ARCH)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(USER_ASFLAGS) $(USER_PROG_CFLAGS) -c $< -o $@

# Every linked program must pass the kernel's ELF checks, start at
# 0x400000 and have no writable and executable segment.
HOSTCC ?= gcc
USER_ELF_CHECK := $(HOSTBUILD)/tools/check_user_elf
$(USER_ELF_CHECK): services/lib/tests/check_user_elf.c lib/elf/elf_check.c lib/elf/elf_check.h \
		$(USER_BUILD_DEPS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=c17 -O1 -g $(WARNINGS) -Ilib -o $@ services/lib/tests/check_user_elf.c \
		lib/elf/elf_check.c

# libcv sits in one group with picolibc: each needs the other (picolibc's
# exit needs libcv's _exit, libcv's console needs picolibc's stdio).
define user_prog_rule
$(1)-objs := $$(addprefix $$(USER_OBJ)/,$$(addsuffix .o,$$(basename $$($(1)-srcs))))
USER_OBJS += $$($(1)-objs)
$$($(1)-objs): USER_PROG_CFLAGS := $$($(1)-cflags)
$$(BUILD)/user/$(1).elf: $$($(1)-objs) $$(LIBCV) $$(USER_LDS) $$(USER_ELF_CHECK)
	@echo "  LD      $$@"
	$$(Q)$$(CC) $$(USER_LDFLAGS) $$($(1)-ldflags) -o $$@ $$($(1)-objs) \
		-Wl,--start-group $$(LIBCV) -lc -lgcc -Wl,--end-group
	$$(Q)$$(USER_ELF_CHECK) $$@ || { rm -f $$@; false; }
endef
$(foreach p,$(user-progs-y),$(eval $(call user_prog_rule,$(p))))

# ---- host unit test of the runtime: syscall stubs and names ----
USER_HOST_TESTS := $(HOSTBUILD)/unit/libcv
$(HOSTBUILD)/unit/libcv: services/lib/tests/test_libcv.c services/lib/names.c \
		services/lib/include/cv/syscall.h services/lib/include/cv/runtime.h \
		tests/unit/unit_main.c tests/unit/unit.h $(USER_BUILD_DEPS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) $(WARNINGS) -Iservices/lib/include -DCV_SYSCALL_MOCK -o $@ \
		tests/unit/unit_main.c services/lib/tests/test_libcv.c services/lib/names.c

# Each program also as a module pack with itself as the root task, for a
# direct boot (tools/run-qemu.sh --boot direct --initrd BUILD/user/NAME.pack).
USER_PACKS := $(USER_PROGS:.elf=.pack)
$(BUILD)/user/%.pack: $(BUILD)/user/%.elf tools/modpack.sh
	@echo "  MODPACK $@"
	$(Q)tools/modpack.sh $@ root=$<

USER_TARGETS := $(LIBCV) $(USER_PROGS) $(USER_PACKS) $(USER_HOST_TESTS)
.PHONY: user
user: $(USER_TARGETS)

-include $(LIBCV_OBJS:.o=.d) $(USER_OBJS:.o=.d) $(USER_HOST_TESTS:=.d)
