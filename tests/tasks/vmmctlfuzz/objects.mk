# SPDX-License-Identifier: BSD-2-Clause
# A structure-aware message fuzzer against the vmmctl service
# (docs/vmmctl.md, "Tests"). Booted by tests/scenario/vmmctl_fuzz.sh.
user-progs-y += vmmctlfuzz
vmmctlfuzz-srcs := tests/tasks/vmmctlfuzz/vmmctlfuzz.c libvmctl/vmctl_ipc.c libvmctl/vmctl_strerror.c
