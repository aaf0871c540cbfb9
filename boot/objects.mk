# SPDX-License-Identifier: BSD-2-Clause
# The GNU-EFI loader ($(EFI_NAME)) and the boot disk. See docs/boot.md.
#
# GNU-EFI's crt0 for AArch64 carries a hand-made PE/COFF header, so the
# linked shared object is turned into the EFI application with a plain
# `objcopy -O binary` of its loadable sections; no PE-aware objcopy needed.

boot-objs-y := efi_main.o efi_alloc.o efi_file.o efi_manifest.o efi_kernel.o \
	efi_modules.o efi_tables.o efi_exit.o manifest.o memmap.o
boot-objs-arm64 := arm64/arch.o arm64/enter_kernel.o

BOOT_OBJS := $(addprefix $(BUILD)/boot/,$(boot-objs-y) $(boot-objs-$(ARCH))) \
	$(BUILD)/boot/lib/elf/elf_check.o
LOADER_SO := $(BUILD)/boot/loader.so
LOADER_EFI := $(BUILD)/boot/$(EFI_NAME)
BOOT_DISK := $(BUILD)/boot.img

# Extra contents of the boot disk: the kernel command line, and modules as
# NAME=FILE words. Module files named after this file is read must also be
# made prerequisites of the disk by a line of their own (BOOT_DISK: FILE).
BOOT_CMDLINE ?=
BOOT_MODULES ?=

# GNU-EFI's headers trip -Wundef, -Wstrict-prototypes and -Wredundant-decls.
# Naming their directories with -isystem too (GCC then drops the -I) keeps
# every warning on for our code and silences only theirs.
BOOT_EFI_SYSTEM_INCLUDES := $(patsubst -I%,-isystem %,$(filter -I%,$(EFI_CFLAGS)))
BOOT_CFLAGS := $(EFI_CFLAGS) $(BOOT_EFI_SYSTEM_INCLUDES) -std=c17 -O2 -g -Iinclude -Iboot -Ilib -MMD -MP

$(BUILD)/boot/%.o: boot/%.c | $(DEPS)/.stamp-$(ARCH)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(BOOT_CFLAGS) $(WARNINGS) -c $< -o $@

$(BUILD)/boot/lib/%.o: lib/%.c | $(DEPS)/.stamp-$(ARCH)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(BOOT_CFLAGS) $(WARNINGS) -c $< -o $@

$(BUILD)/boot/%.o: boot/%.S | $(DEPS)/.stamp-$(ARCH)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(BOOT_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(LOADER_SO): $(BOOT_OBJS) | $(DEPS)/.stamp-$(ARCH)
	@echo "  LD      $@"
	$(Q)$(LD) $(EFI_LDFLAGS) --no-warn-rwx-segments $(BOOT_OBJS) $(EFI_LIBS) -o $@

$(LOADER_EFI): $(LOADER_SO)
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) $(EFI_SECTIONS) -O binary $< $@

# The disk's arguments, in a file rewritten only when they change: changing
# BOOT_CMDLINE or BOOT_MODULES rebuilds the disk, and nothing else does.
BOOT_DISK_ARGS := --cmdline '$(subst ','\'',$(BOOT_CMDLINE))' \
	$(foreach m,$(BOOT_MODULES),--module '$(subst ','\'',$(m))')
$(BUILD)/boot/disk-args: boot-disk-args-check
	@mkdir -p $(dir $@)
	$(Q)printf '%s\n' $(BOOT_DISK_ARGS) | cmp -s - $@ || printf '%s\n' $(BOOT_DISK_ARGS) > $@
.PHONY: boot-disk-args-check

$(BOOT_DISK): $(LOADER_EFI) $(KERNEL_ELF) tools/mkdisk.sh $(BUILD)/boot/disk-args \
		$(foreach m,$(BOOT_MODULES),$(lastword $(subst =, ,$(m)))) | $(DEPS)/.stamp-$(ARCH)
	@echo "  MKDISK  $@"
	$(Q)tools/mkdisk.sh --out $@ --loader $(LOADER_EFI) --kernel $(KERNEL_ELF) $(BOOT_DISK_ARGS)
