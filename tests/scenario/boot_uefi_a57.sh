# SPDX-License-Identifier: BSD-2-Clause
# UEFI boot (AAVMF firmware, loader from the boot disk) on -cpu cortex-a57,
# 4 CPUs: the same bring-up, entered through the loader's boot_info.
. tests/scenario/lib.sh
disk=$LOGDIR/boot_uefi_a57.img
tools/mkdisk.sh --out "$disk" --loader $BUILD/boot/BOOTAA64.EFI --kernel $BUILD/capvisor.elf \
	--cmdline selftest --module hello=tests/scenario/lib.sh >/dev/null
boot boot_uefi_a57 --boot uefi --disk "$disk" --cpu cortex-a57 --smp 4 \
	--timeout 150 --until '^capvisor ready' --fail-on 'capvisor panic|selftest: [0-9]+ passed, [1-9]'
expect uefi_a57/boot_source '^boot: UEFI loader, command line "selftest"'
expect uefi_a57/module '^boot: module hello at 0x[0-9a-f]+ \([0-9]+ bytes\)'
check_bringup uefi_a57 4
finish
