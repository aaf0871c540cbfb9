# SPDX-License-Identifier: BSD-2-Clause
# The vmmctl benchmark (tools/bench.sh): monitor-mode VM create+destroy
# cycles through libvmctl.
user-progs-y += vmmctlbench
vmmctlbench-srcs := tests/tasks/vmmctlbench/vmmctlbench.c libvmctl/vmctl_ipc.c libvmctl/vmctl_strerror.c
vmmctlbench-ldflags := -Wl,--defsym=__cv_heap_size=0x10000
