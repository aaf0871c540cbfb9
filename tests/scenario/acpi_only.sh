# SPDX-License-Identifier: BSD-2-Clause
# Firmware that offers only ACPI (QEMU's default): the kernel finds the
# console through ACPI's SPCR table and says plainly that it needs a device
# tree, instead of stopping silently.
. tests/scenario/lib.sh
boot acpi_only --boot uefi --machine virt,virtualization=on,gic-version=3 --timeout 90 \
	--until 'capvisor cannot boot'
expect acpi/loader_reports '^capvisor loader: the firmware offers no device tree'
expect acpi/kernel_says_why '^capvisor cannot boot: the firmware offered only ACPI; capvisor on arm64 needs a device tree \(for QEMU use -M virt,acpi=off\)'
expect_not acpi/no_panic 'capvisor panic'
finish
