# SPDX-License-Identifier: BSD-2-Clause
# The console shell (docs/shell.md): the prompt `make run` boots into; runs
# vmctl as a task per command and the VMM tasks vmctl asks for.
user-progs-y += shell
shell-srcs := services/shell/main.c services/shell/line.c services/shell/jobs.c services/shell/proc.c \
	services/shell/slots.c libvmctl/vmctl_vmm.c
shell-ldflags := -Wl,--defsym=__cv_heap_size=0x10000
