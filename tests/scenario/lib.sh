# SPDX-License-Identifier: BSD-2-Clause
# Shared by the scenario tests: boot capvisor under a timeout, then check
# what its console printed. Every check prints "ok NAME" or
# "FAIL NAME: reason (log: PATH)". Sourced; expects BUILD, ARCH, LOGDIR.

: "${BUILD:?}" "${ARCH:?}" "${LOGDIR:?}"
RUN_QEMU="tools/run-qemu.sh --arch $ARCH --build $BUILD"

# The in-kernel self-tests a full boot with `selftest` must pass.
BOOT_SELFTESTS="wx_text_not_writable wx_rodata_not_writable wx_data_not_executable
	wx_probe_sanity wx_page_tables frame_alloc_reuse cpus_online
	timer_ticks_every_cpu ipi_all_to_all spinlock_counter vspace_blocks"

scenario_failed=0

pass() { echo "ok $1"; }
fail() {
	echo "FAIL $1: $2 (log: $LOG)"
	scenario_failed=1
}

# boot LOGNAME [run-qemu options...]: boots; sets LOG. Never fails by
# itself: the checks that follow say what was missing.
boot() {
	LOG=$LOGDIR/$1.log
	shift
	$RUN_QEMU --log "$LOG" "$@" >"$LOG.run" 2>&1 || true
}

# expect NAME REGEX [what]: the console printed a line matching REGEX.
expect() {
	if grep -aEq -- "$2" "$LOG"; then
		pass "$1"
	else
		fail "$1" "no console line matches '$2'${3:+ ($3)}"
	fi
}

# expect_not NAME REGEX: no console line matches REGEX.
expect_not() {
	if grep -aEq -- "$2" "$LOG"; then
		fail "$1" "console printed '$(grep -aE -- "$2" "$LOG" | head -1 | tr -d '\r')'"
	else
		pass "$1"
	fi
}

# The checks of a full bring-up boot with `selftest` on SMP CPUS CPUs.
check_bringup() {
	local label=$1 cpus=$2
	expect "$label/banner" "^capvisor [^ ]+ starting"
	local missing=
	for i in $(seq 0 $((cpus - 1))); do
		grep -aEq "^cpu $i online" "$LOG" || missing="$missing $i"
	done
	if [ -z "$missing" ]; then
		pass "$label/cpus_online"
	else
		fail "$label/cpus_online" "no 'cpu N online' for CPU$missing"
	fi
	expect "$label/summary" "^capvisor [^ ]+: $cpus of $cpus CPUs online, [0-9]+ MiB RAM"
	expect "$label/wx_check" "^mmu: W\^X check: [0-9]+ mappings, none writable and executable"
	for t in $BOOT_SELFTESTS; do
		if grep -aEq "^selftest $t ok" "$LOG"; then
			pass "$label/selftest/$t"
		elif grep -aEq "^selftest $t FAIL" "$LOG"; then
			fail "$label/selftest/$t" "$(grep -aE "^selftest $t FAIL" "$LOG" | head -1 | tr -d '\r')"
		else
			fail "$label/selftest/$t" "the self-test did not run"
		fi
	done
	expect "$label/selftest_summary" "^selftest: [1-9][0-9]* passed, 0 failed"
	expect "$label/ready" "^capvisor ready"
	expect_not "$label/no_panic" "capvisor panic"
}

# expect_checks LABEL PROGRAM CHECKS...: a test program printed
# "PROGRAM: CHECK ok" for each check; a "PROGRAM: CHECK FAIL: why" line or
# none at all fails it.
expect_checks() {
	local label=$1 prog=$2 c line
	shift 2
	for c in "$@"; do
		if grep -aq "^$prog: $c ok" "$LOG"; then
			pass "$label/$c"
		else
			line=$(grep -a "^$prog: $c " "$LOG" | head -1 | tr -d '\r')
			fail "$label/$c" "${line:-the check did not report}"
		fi
	done
}

# ---- guests under the test monitor (tests/tasks/vmm) ----

# run_vms LABEL CPU CONFIG-TEXT: every VM of the configuration that is not
# "endless" and runs once must end with "done 0 failed" and never print FAIL
# or skip (the caller checks VMs that run many times); the
# monitor must end cleanly with all memory back. A VM's MODULE is the guest
# of that name in $BUILD/guests. VM_TIMEOUT: seconds for the boot (120).
run_vms() {
	local PACKS=$BUILD/test-packs
	mkdir -p "$PACKS"
	local label=$1 cpu=$2 conf=$3 name module rest mods=() names=()
	printf '%s\n' "$conf" >"$PACKS/$label.conf"
	while read -r _ name module rest; do
		[[ " ${mods[*]} " == *" $module=$BUILD/guests/$module.elf "* ]] ||
			mods+=("$module=$BUILD/guests/$module.elf")
		[[ $rest == *endless* || $rest == *runs=* ]] || names+=("$name")
	done <<<"$conf"
	tools/modpack.sh "$PACKS/$label.pack" root="$BUILD/user/testvmm.elf" vmm.conf="$PACKS/$label.conf" \
		"${mods[@]}"
	boot "$label" --boot direct --cpu "$cpu" --smp 4 --initrd "$PACKS/$label.pack" \
		--timeout "${VM_TIMEOUT:-120}" --until '^vmm: done' --fail-on 'capvisor panic'
	for name in "${names[@]}"; do
		expect "$label/$name" "^\[$name\] done 0 failed"
		expect_not "$label/$name/no_fail" "^\[$name\] (FAIL|skip)"
	done
	expect "$label/memory_back" '^vmm: memory ok'
	expect "$label/vmm_done" '^vmm: done 0 failed'
	expect_not "$label/no_panic" 'capvisor panic'
}

finish() {
	exit $scenario_failed
}
