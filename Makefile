# SPDX-License-Identifier: BSD-2-Clause
#
# capvisor's one entry point. Everything is built out of tree into
# build/$(ARCH); third-party sources live in build/deps (see tools/deps.sh).
#
#   make            build the kernel, the loader, the boot disk and host tests
#   make run        build, then boot capvisor in QEMU with the console here
#   make test       build, then run every test; ends with "N passed, N failed"
#   make bench      print benchmark figures as "bench NAME VALUE UNIT"
#   make clean      remove build/$(ARCH) (build/deps is kept)

ARCH ?= arm64
ROOT := $(CURDIR)
BUILD := build/$(ARCH)
HOSTBUILD := build/host
DEPS := build/deps
Q ?= @
MAKEFLAGS += -rR

ifeq ($(filter $(ARCH),arm64),)
$(error ARCH=$(ARCH) is not supported yet (supported: arm64))
endif

all:

include mk/warnings.mk
include arch/$(ARCH)/arch.mk
include mk/kernel.mk
# The boot disk's modules (make run, the UEFI scenario tests): the root
# task, its configuration, the tasks it starts, the programs the shell
# starts (vmctl, the VMM) and the guest images vmmctl loads (hello, echo).
BOOT_MODULES ?= root=$(BUILD)/user/root.elf config=services/root/demo.conf \
	console=$(BUILD)/user/console.elf vmmctl=$(BUILD)/user/vmmctl.elf \
	shell=$(BUILD)/user/shell.elf vmctl=$(BUILD)/user/vmctl.elf \
	$(if $(wildcard services/vmm/objects.mk),vmm=$(BUILD)/user/vmm.elf) \
	hello=$(BUILD)/guests/hello.elf echo=$(BUILD)/guests/echo.elf
include boot/objects.mk
include tests/unit/objects.mk
include mk/user.mk
include mk/guests.mk

.PHONY: all deps run test bench clean unit-test scenario-test

# Installs missing packages and fetches third-party sources; fast when
# nothing is missing. Order-only, so it never forces a rebuild by itself.
$(DEPS)/.stamp-$(ARCH): tools/deps.sh
	$(Q)tools/deps.sh $(ARCH)
	$(Q)touch $@
deps:
	$(Q)tools/deps.sh $(ARCH)

all: $(KERNEL_ELF) $(KERNEL_IMAGE) $(LOADER_EFI) $(BOOT_DISK) $(UNIT_TESTS) $(USER_TARGETS) $(GUEST_ELFS)

run: deps all
	$(Q)tools/run-qemu.sh --arch $(ARCH) --build $(BUILD) --interactive $(RUN_ARGS)

test: deps all
	$(Q)tests/run.sh --arch $(ARCH) --build $(BUILD) --host-build $(HOSTBUILD)

bench: deps all
	$(Q)tools/bench.sh --arch $(ARCH) --build $(BUILD)

clean:
	rm -rf $(BUILD) $(HOSTBUILD)

-include $(KOBJS:.o=.d) $(LOADER_OBJS:.o=.d) $(UNIT_TESTS:=.d)
