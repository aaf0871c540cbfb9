# SPDX-License-Identifier: BSD-2-Clause
# Bare-metal guests (tests/guests/) under the test monitor (tests/tasks/vmm),
# booted as the root task with a configuration naming the VMs (run_vms in
# lib.sh). Each guest checks itself and ends with "done N failed"; the
# monitor prints its lines as "[NAME] ...", destroys each VM when it powers
# off and checks that all memory came back. On both CPU models (with and
# without VHE, 16- and 8-bit VMIDs). More in guests_*.sh.
. tests/scenario/lib.sh

for cpu in max cortex-a57; do
	c=${cpu//-/_}
	# Three guests at once on three CPUs: UART exits, hypercalls and
	# PSCI queries, their own memory and aborts outside it.
	run_vms "basic_$c" "$cpu" "vm hello hello cpu=1
vm hvc hvc cpu=2 state
vm memcheck memcheck cpu=3"
	# Their 32 MiB of RAM went to stage 2 as 2 MiB blocks.
	expect "basic_$c/stage2_blocks" '^task vm: released, [0-9]+ frames free \(16 blocks, 0 pages, '
	# The virtual timer at 1 kHz with WFI, alone: it checks its rate
	# against its own counter, which QEMU (without -icount) runs at host
	# time, so busy guests on the other emulated CPUs would starve it of
	# host time, not of virtual time.
	run_vms "vtimer_$c" "$cpu" "vm vtimer vtimer cpu=1"
	# Eight SGIs through four list registers in priority order; EL1 and
	# FP/SIMD state across thousands of world switches.
	run_vms "irq_$c" "$cpu" "vm irqprio irqprio cpu=2
vm switch switch cpu=3"
done
finish
