# SPDX-License-Identifier: BSD-2-Clause
# ktest: the kernel-core checks (capabilities, IPC, revoke, close
# notification, faults, memory, quotas, scheduling, interrupts forwarded
# to VMs, VM reset and vCPU counters) run from EL0 as the root task; tests/scenario/kernel_core.sh
# boots it.
user-progs-y += ktest
ktest-srcs := tests/tasks/ktest/main.c tests/tasks/ktest/threads.c tests/tasks/ktest/entry.S \
	tests/tasks/ktest/child.c tests/tasks/ktest/tests_ipc.c tests/tasks/ktest/tests_tasks.c \
	tests/tasks/ktest/tests_sched.c tests/tasks/ktest/tests_vm.c tests/tasks/ktest/tests_vm_reset.c \
	tests/tasks/ktest/guest.S
# Children are loaded from this image: a small heap keeps them cheap.
ktest-ldflags := -Wl,--defsym=__cv_heap_size=0x40000
