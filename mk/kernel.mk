# SPDX-License-Identifier: BSD-2-Clause
# The kernel: arch-independent core (kernel/), one architecture (arch/$(ARCH)),
# and libfdt compiled from Debian's source with the kernel's own flags.
# Each directory's objects.mk appends to kernel-objs-y / arch-objs-y.

kernel-objs-y :=
arch-objs-y :=
lib-objs-y :=
include kernel/objects.mk
include arch/$(ARCH)/objects.mk

LIBFDT_SRCS := fdt.c fdt_ro.c fdt_rw.c fdt_addresses.c fdt_strerror.c fdt_wip.c
KERNEL_VERSION := $(shell git -C $(ROOT) describe --always --dirty 2>/dev/null || echo unknown)

KERNEL_CFLAGS := -std=c17 -ffreestanding -fno-builtin -nostdlib -fno-pic -fno-pie \
	-fno-stack-protector -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-common -ffunction-sections -fno-tree-loop-distribute-patterns -O2 -g $(ARCH_KERNEL_CFLAGS) \
	-Iinclude -Ikernel -Ikernel/libc -Ilib -Iarch/$(ARCH)/include \
	-I$(DEPS)/libfdt/include -MMD -MP -DCAPVISOR_VERSION='"$(KERNEL_VERSION)"'
KERNEL_ASFLAGS := $(KERNEL_CFLAGS) -D__ASSEMBLY__

KOBJS := $(addprefix $(BUILD)/kernel/,$(kernel-objs-y)) \
	$(addprefix $(BUILD)/arch/,$(arch-objs-y)) \
	$(addprefix $(BUILD)/lib/,$(lib-objs-y)) \
	$(addprefix $(BUILD)/libfdt/,$(LIBFDT_SRCS:.c=.o))

KERNEL_LDS := arch/$(ARCH)/kernel.ld
KERNEL_ELF := $(BUILD)/capvisor.elf
KERNEL_IMAGE := $(BUILD)/capvisor.bin

# Objects depend on the build flags' definitions too.
KERNEL_BUILD_DEPS := Makefile mk/kernel.mk mk/warnings.mk arch/$(ARCH)/arch.mk

$(BUILD)/kernel/%.o: kernel/%.c $(KERNEL_BUILD_DEPS) | $(DEPS)/.stamp-$(ARCH)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) $(WARNINGS) -c $< -o $@

$(BUILD)/arch/%.o: arch/$(ARCH)/%.c $(KERNEL_BUILD_DEPS) | $(DEPS)/.stamp-$(ARCH)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) $(WARNINGS) -c $< -o $@

$(BUILD)/lib/%.o: lib/%.c $(KERNEL_BUILD_DEPS) | $(DEPS)/.stamp-$(ARCH)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) $(WARNINGS) -c $< -o $@

$(BUILD)/arch/%.o: arch/$(ARCH)/%.S $(KERNEL_BUILD_DEPS) | $(DEPS)/.stamp-$(ARCH)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

# Third-party code keeps its own warnings to itself, but not its own flags.
$(BUILD)/libfdt/%.o: $(DEPS)/libfdt/src/%.c $(KERNEL_BUILD_DEPS) | $(DEPS)/.stamp-$(ARCH)
	@mkdir -p $(dir $@)
	@echo "  CC      libfdt/$*.c"
	$(Q)$(CC) $(KERNEL_CFLAGS) -w -c $< -o $@
$(DEPS)/libfdt/src/%.c: | $(DEPS)/.stamp-$(ARCH) ;
# They come from tools/deps.sh, not from make: never delete them.
.PRECIOUS: $(DEPS)/libfdt/src/%.c

# Backtraces name functions, so the kernel carries its own symbol table in
# a last section (.ksyms, after bss): generating it cannot move anything
# that precedes it. Link once without it, list symbols, link again with it,
# and check the second link kept every address.
$(BUILD)/ksyms_empty.o: tools/ksyms-empty.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $< -o $@
$(BUILD)/capvisor.pass1.elf: $(KOBJS) $(BUILD)/ksyms_empty.o $(KERNEL_LDS)
	@echo "  LD      $@"
	$(Q)$(LD) $(ARCH_KERNEL_LDFLAGS) -T $(KERNEL_LDS) -o $@ $(KOBJS) $(BUILD)/ksyms_empty.o
$(BUILD)/ksyms.S: $(BUILD)/capvisor.pass1.elf tools/gen-ksyms.sh
	$(Q)tools/gen-ksyms.sh $(NM) $< > $@
$(BUILD)/ksyms.o: $(BUILD)/ksyms.S
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $< -o $@
$(KERNEL_ELF): $(KOBJS) $(BUILD)/ksyms.o $(KERNEL_LDS) $(BUILD)/capvisor.pass1.elf
	@echo "  LD      $@"
	$(Q)$(LD) $(ARCH_KERNEL_LDFLAGS) -T $(KERNEL_LDS) -o $@ $(KOBJS) $(BUILD)/ksyms.o
	$(Q)tools/check-ksyms.sh $(NM) $(BUILD)/capvisor.pass1.elf $@

# The raw image (Linux arm64 Image layout) for direct boot with QEMU -kernel.
$(KERNEL_IMAGE): $(KERNEL_ELF)
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O binary $< $@
