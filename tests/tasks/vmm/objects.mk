# SPDX-License-Identifier: BSD-2-Clause
# The test monitor (VMM): runs the bare-metal guests of tests/guests/ as
# its configuration module says, emulating a PL011 UART for them. Booted
# as the root task by tests/scenario/guests.sh.
user-progs-y += testvmm
testvmm-srcs := tests/tasks/vmm/vmm.c tests/tasks/vmm/vm_setup.c tests/tasks/vmm/config.c tests/tasks/vmm/stuck.c \
	tests/tasks/vmm/passthrough.c tests/tasks/vmm/el0_view.c
