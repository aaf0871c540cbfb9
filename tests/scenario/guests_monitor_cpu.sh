# SPDX-License-Identifier: BSD-2-Clause
# Guests on the monitor's CPU (see guests.sh): the monitor runs there
# between a guest's instructions at each of its UART accesses, while the
# guest's EL1 state stays loaded (lazy EL1 state, docs/virtualization.md
# "World switch"). Two switch guests check their registers across it and
# across each other; the monitor checks after every exit that it sees its
# own EL0 controls (checkregs). Then guests whose exits and replies the
# exit fast path hands back to the generic path on that CPU (exit state,
# replies that set registers or raise an SPI: hvc with state) or takes
# with injected aborts (memcheck). On both CPU models.
. tests/scenario/lib.sh

for cpu in max cortex-a57; do
	c=${cpu//-/_}
	run_vms "monitor_cpu_$c" "$cpu" "vm switch_a switch cpu=0 checkregs
vm switch_b switch cpu=0 checkregs"
	for v in a b; do
		expect "monitor_cpu_$c/el0_view_$v" "^vmm: switch_$v: EL0 view ok after [0-9]{4,} of"
	done
	run_vms "monitor_cpu_slow_$c" "$cpu" "vm hvc hvc cpu=0 state
vm memcheck memcheck cpu=0
vm hello hello cpu=0"
done
finish
