# SPDX-License-Identifier: BSD-2-Clause
# Toolchain and flags for arm64. The kernel runs at EL2 without FP/SIMD
# (-mgeneral-regs-only: guest and task FP state is switched by hand) and
# must survive running with the MMU off, where unaligned accesses fault on
# hardware (-mstrict-align).
CROSS ?= aarch64-linux-gnu-
CC := $(CROSS)gcc
LD := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
NM := $(CROSS)nm

ARCH_KERNEL_CFLAGS := -mgeneral-regs-only -mstrict-align -mcmodel=small \
	-mbranch-protection=none -march=armv8-a -mno-outline-atomics
ARCH_KERNEL_LDFLAGS := -z max-page-size=4096

# The loader: a GNU-EFI application for AArch64, built from Debian's arm64
# gnu-efi package unpacked into build/deps (tools/deps.sh).
GNUEFI := $(DEPS)/gnu-efi-arm64/usr
EFI_NAME := BOOTAA64.EFI
EFI_CFLAGS := -fpic -fshort-wchar -ffreestanding -fno-stack-protector \
	-mstrict-align -mgeneral-regs-only -fno-strict-aliasing \
	-I$(GNUEFI)/include/efi -I$(GNUEFI)/include/efi/aarch64 \
	-I$(GNUEFI)/include/efi/protocol -DGNU_EFI_USE_MS_ABI=0
EFI_LDFLAGS := -nostdlib -T $(GNUEFI)/lib/elf_aarch64_efi.lds -shared \
	-Bsymbolic -znocombreloc --defsym=EFI_SUBSYSTEM=0xa \
	$(GNUEFI)/lib/crt0-efi-aarch64.o
EFI_LIBS := -L$(GNUEFI)/lib -lefi -lgnuefi
EFI_SECTIONS := -j .text -j .sdata -j .data -j .dynamic -j .dynsym \
	-j .rel -j .rela -j '.rel.*' -j '.rela.*' -j .reloc

# Emulator for `make run` and the scenario tests.
QEMU := qemu-system-aarch64
AAVMF_CODE := /usr/share/AAVMF/AAVMF_CODE.fd
AAVMF_VARS := /usr/share/AAVMF/AAVMF_VARS.fd
