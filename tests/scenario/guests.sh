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

# run_vms LABEL CPU CONFIG-TEXT GUEST...: every GUEST (a VM name that is
# also its module) must end with "done 0 failed" and never print FAIL or
# skip; the monitor must end cleanly.
run_vms() {
	local label=$1 cpu=$2 conf=$3 g mods=()
	shift 3
	printf '%s\n' "$conf" >"$PACKS/$label.conf"
	for g in "$@"; do
		mods+=("$g=$BUILD/guests/$g.elf")
	done
	tools/modpack.sh "$PACKS/$label.pack" root="$BUILD/user/vmm.elf" vmm.conf="$PACKS/$label.conf" \
		"${mods[@]}"
	boot "$label" --boot direct --cpu "$cpu" --smp 4 --initrd "$PACKS/$label.pack" \
		--timeout 120 --until '^vmm: done' --fail-on 'capvisor panic'
	for g in "$@"; do
		expect "$label/$g" "^\[$g\] done 0 failed"
		expect_not "$label/$g/no_fail" "^\[$g\] (FAIL|skip)"
	done
	expect "$label/memory_back" '^vmm: memory ok'
	expect "$label/vmm_done" '^vmm: done 0 failed'
	expect_not "$label/no_panic" 'capvisor panic'
}

# Running several VMs at once, memcheck on cortex-a57 (slow), vtimer, irqprio, switch and the SGI
# ping-pong of smp do not pass yet (docs/virtualization.md, "Status");
# they join this list as they do.
for cpu in max cortex-a57; do
	c=${cpu//-/_}
	for g in hello hvc; do
		run_vms "${g}_$c" "$cpu" "vm $g $g cpu=1" "$g"
	done
done
# Its own memory and aborts outside it (long: 16 MiB of patterns).
run_vms memcheck_max max "vm memcheck memcheck cpu=1" memcheck
finish
