# SPDX-License-Identifier: BSD-2-Clause
# The kernel core from EL0: ktest (tests/tasks/ktest/) as the root task,
# direct boot, 4 CPUs, on both CPU models. ktest prints one line per check
# ("ktest: NAME ok" / "ktest: NAME FAIL: reason") and a summary; a child
# task it makes fault must be killed by the kernel with a logged reason,
# and nothing may panic. Meant for tests/scenario/ (run by tests/run.sh).
. tests/scenario/lib.sh
KTEST_CHECKS="caps ipc_same_cpu ipc_fp ipc_cross_cpu cap_transfer ipc_timeouts revoke close_delete close_revoke
	close_kill close_fault reply_to_dead_caller close_unwatch memory_back quota_exhaustion priority_limit
	priority_preemption equal_priority_share vm_irq_bind vm_reset_running vm_reset_waiting vcpu_stats
	vm_reset_errors"
for cpu in max cortex-a57; do
	case $cpu in
	max) label=kernel_core_max ;;
	*) label=kernel_core_a57 ;;
	esac
	boot "$label" --boot direct --cpu "$cpu" --smp 4 --initrd "$BUILD/user/ktest.pack" \
		--timeout 60 --until '^ktest: done' --fail-on 'capvisor panic'
	for t in $KTEST_CHECKS; do
		if grep -aEq "^ktest: $t ok" "$LOG"; then
			pass "$label/$t"
		elif grep -aEq "^ktest: $t FAIL" "$LOG"; then
			fail "$label/$t" "$(grep -aE "^ktest: $t FAIL" "$LOG" | head -1 | tr -d '\r')"
		else
			fail "$label/$t" "the check did not report (ktest hung or the kernel stopped)"
		fi
	done
	expect "$label/summary" '^ktest: done [0-9]+ passed, 0 failed'
	expect "$label/fault_logged" \
		'^task [^ ]+: killed: thread [0-9]+: data access fault at pc 0x[0-9a-f]+, address 0x100000000'
	expect_not "$label/no_panic" 'capvisor panic'
done
finish
