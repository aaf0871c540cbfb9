# SPDX-License-Identifier: BSD-2-Clause
# Firmware started without EL2 (no virtualization=on): the loader says what
# is needed and returns to the firmware instead of entering the kernel.
. tests/scenario/lib.sh
boot loader_needs_el2 --boot uefi --machine virt,gic-version=3,acpi=off --timeout 90 \
	--until 'capvisor needs a CPU with EL2 enabled'
expect loader/needs_el2 '^capvisor needs a CPU with EL2 enabled; for QEMU use -M virt,virtualization=on'
expect_not loader/no_kernel_entry '^capvisor [^ ]+ starting'
finish
