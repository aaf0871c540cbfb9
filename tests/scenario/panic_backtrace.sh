# SPDX-License-Identifier: BSD-2-Clause
# A boot option in the manifest makes the same kernel binary fault on
# purpose: the panic must name the exception, print the registers and a
# backtrace that names the faulting function, and halt.
. tests/scenario/lib.sh
disk=$LOGDIR/panic_backtrace.img
tools/mkdisk.sh --out "$disk" --loader $BUILD/boot/BOOTAA64.EFI --kernel $BUILD/capvisor.elf \
	--cmdline panic_test=fault >/dev/null
for variant in uefi_max direct_a57; do
if [ $variant = uefi_max ]; then
	boot panic_backtrace_$variant --boot uefi --disk "$disk" --timeout 120 --until '^\*\*\* system halted'
	p=panic
else
	boot panic_backtrace_$variant --boot direct --cpu cortex-a57 --append panic_test=fault \
		--timeout 60 --until '^\*\*\* system halted'
	p=panic_a57
fi
expect $p/message '^\*\*\* capvisor panic on cpu 0: data abort at EL2'
expect $p/exception_class '^exception class 0x25 \(data abort\)'
expect $p/syndrome '^ESR_EL2 [0-9a-f]{16}  FAR_EL2 0000000000000010'
expect $p/elr_symbol '^ELR_EL2 [0-9a-f]{16}  panic_test_fault_here\+0x'
expect $p/registers '^x30 [0-9a-f]{16}'
expect $p/backtrace_names_function '^  \[<[0-9a-f]{16}>\] panic_test_fault_here\+0x'
expect $p/backtrace_reaches_caller '^  \[<[0-9a-f]{16}>\] kernel_main\+0x'
expect $p/halted '^\*\*\* system halted'
expect_not $p/not_ready '^capvisor ready'
done
finish
