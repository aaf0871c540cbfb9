# SPDX-License-Identifier: BSD-2-Clause
# Guests sharing CPUs (see guests.sh): two guests on one CPU, two timer
# guests on one CPU, and a hostile guest next to others. On both CPU
# models.
. tests/scenario/lib.sh

for cpu in max cortex-a57; do
	c=${cpu//-/_}
	# Two guests sharing one CPU at equal priority: each keeps its own
	# registers and memory.
	run_vms "shared_$c" "$cpu" "vm switch_a switch cpu=1
vm switch_b switch cpu=1
vm memcheck memcheck cpu=1"
	# Two 1 kHz timer guests on one CPU, asleep in WFI by turns: the one
	# whose timer is not in the CPU's registers is woken by the EL2
	# timer at its deadline (at the 10 ms tick, it took ten ticks a
	# wake-up, and vtimer_wfi_sleeps failed).
	run_vms "shared_timers_$c" "$cpu" "vm vtimer_a vtimer cpu=1
vm vtimer_b vtimer cpu=1"
	# A hostile guest (hypercall flood, unmapped memory, trapped
	# registers, then a loop with interrupts masked) and, once it loops,
	# two guests on the same CPU at equal priority, which must still
	# finish.
	run_vms "hostile_$c" "$cpu" "vm hostile hostile cpu=2 endless
vm hello hello cpu=2 after=hostile:looping
vm memcheck memcheck cpu=2 after=hostile:looping"
	expect "hostile_$c/hostile_looping" '^\[hostile\] hostile: looping'
done
finish
