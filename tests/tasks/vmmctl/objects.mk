# SPDX-License-Identifier: BSD-2-Clause
# The vmmctl contract's tests (docs/vmmctl.md): a task holding session
# capabilities of several principals drives the service through libvmctl
# and checks every answer. Booted by tests/scenario/vmmctl.sh.
user-progs-y += vmmctltest
vmmctltest-srcs := tests/tasks/vmmctl/vmmctltest.c tests/tasks/vmmctl/cases_access.c \
	tests/tasks/vmmctl/cases_handles.c tests/tasks/vmmctl/cases_vmm.c tests/tasks/vmmctl/cases_reset.c tests/tasks/vmmctl/cases_race.c \
	tests/tasks/vmmctl/cases_lost.c libvmctl/vmctl_ipc.c libvmctl/vmctl_vmm.c libvmctl/vmctl_strerror.c

