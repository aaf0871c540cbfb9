# SPDX-License-Identifier: BSD-2-Clause
# vmctl, the VM management command (docs/vmctl.1): a task the console
# shell starts per command. args.c and commands.c are portable;
# platform_capvisor.c is how it runs on capvisor.
user-progs-y += vmctl
vmctl-srcs := services/vmctl/platform_capvisor.c services/vmctl/commands.c services/vmctl/args.c \
	libvmctl/vmctl_ipc.c libvmctl/vmctl_strerror.c
vmctl-ldflags := -Wl,--defsym=__cv_heap_size=0x10000
