# SPDX-License-Identifier: BSD-2-Clause
# A boot option in the manifest makes the same kernel binary fault on
# purpose: the panic must name the exception, print the registers and a
# backtrace that names the faulting function, and halt.
. tests/scenario/lib.sh
disk=$LOGDIR/panic_backtrace.img
tools/mkdisk.sh --out "$disk" --loader $BUILD/boot/BOOTAA64.EFI --kernel $BUILD/capvisor.elf \
	--cmdline panic_test=fault >/dev/null
boot panic_backtrace --boot uefi --disk "$disk" --timeout 120 --until '^\*\*\* system halted'
expect panic/message '^\*\*\* capvisor panic on cpu 0: data abort at EL2'
expect panic/exception_class '^exception class 0x25 \(data abort\)'
expect panic/syndrome '^ESR_EL2 [0-9a-f]{16}  FAR_EL2 0000000000000010'
expect panic/elr_symbol '^ELR_EL2 [0-9a-f]{16}  panic_test_fault_here\+0x'
expect panic/registers '^x30 [0-9a-f]{16}'
expect panic/backtrace_names_function '^  \[<[0-9a-f]{16}>\] panic_test_fault_here\+0x'
expect panic/backtrace_reaches_caller '^  \[<[0-9a-f]{16}>\] kernel_main\+0x'
expect panic/halted '^\*\*\* system halted'
expect_not panic/not_ready '^capvisor ready'
finish
