# SPDX-License-Identifier: BSD-2-Clause
# Bare-metal guests (tests/guests/) under the test monitor (tests/tasks/vmm),
# booted as the root task with a configuration naming the VMs. Each guest
# checks itself and ends with "done N failed"; the monitor prints its lines
# as "[NAME] ...", destroys each VM when it powers off and checks that all
# memory came back. On both CPU models (with and without VHE, 16- and
# 8-bit VMIDs).
. tests/scenario/lib.sh

PACKS=$BUILD/test-packs
mkdir -p "$PACKS"

# run_vms LABEL CPU CONFIG-TEXT: every VM of the configuration that is not
# "endless" must end with "done 0 failed" and never print FAIL or skip; the
# monitor must end cleanly with all memory back. Each VM's module is the
# guest of that name in $BUILD/guests.
run_vms() {
	local label=$1 cpu=$2 conf=$3 name module rest mods=() names=()
	printf '%s\n' "$conf" >"$PACKS/$label.conf"
	while read -r _ name module rest; do
		[[ " ${mods[*]} " == *" $module=$BUILD/guests/$module.elf "* ]] ||
			mods+=("$module=$BUILD/guests/$module.elf")
		[[ $rest == *endless* ]] || names+=("$name")
	done <<<"$conf"
	tools/modpack.sh "$PACKS/$label.pack" root="$BUILD/user/vmm.elf" vmm.conf="$PACKS/$label.conf" \
		"${mods[@]}"
	boot "$label" --boot direct --cpu "$cpu" --smp 4 --initrd "$PACKS/$label.pack" \
		--timeout 120 --until '^vmm: done' --fail-on 'capvisor panic'
	for name in "${names[@]}"; do
		expect "$label/$name" "^\[$name\] done 0 failed"
		expect_not "$label/$name/no_fail" "^\[$name\] (FAIL|skip)"
	done
	expect "$label/memory_back" '^vmm: memory ok'
	expect "$label/vmm_done" '^vmm: done 0 failed'
	expect_not "$label/no_panic" 'capvisor panic'
}

for cpu in max cortex-a57; do
	c=${cpu//-/_}
	# Three guests at once on three CPUs: UART exits, hypercalls and
	# PSCI queries, their own memory and aborts outside it.
	run_vms "basic_$c" "$cpu" "vm hello hello cpu=1
vm hvc hvc cpu=2
vm memcheck memcheck cpu=3"
	# The virtual timer at 1 kHz with WFI, alone: it checks its rate
	# against its own counter, which QEMU (without -icount) runs at host
	# time, so busy guests on the other emulated CPUs would starve it of
	# host time, not of virtual time.
	run_vms "vtimer_$c" "$cpu" "vm vtimer vtimer cpu=1"
	# Eight SGIs through four list registers in priority order; EL1 and
	# FP/SIMD state across thousands of world switches.
	run_vms "irq_$c" "$cpu" "vm irqprio irqprio cpu=2
vm switch switch cpu=3"
	# Four vCPUs on four CPUs: PSCI CPU_ON/AFFINITY_INFO/CPU_OFF, SGIs
	# between vCPUs.
	run_vms "smp_$c" "$cpu" "vm smp smp cpu=0 vcpus=4"
	# Two guests sharing one CPU at equal priority: each keeps its own
	# registers and memory.
	run_vms "shared_$c" "$cpu" "vm switch_a switch cpu=1
vm switch_b switch cpu=1
vm memcheck memcheck cpu=1"
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
