# SPDX-License-Identifier: BSD-2-Clause
# The vmmctl control service (docs/vmmctl.md): VMs, their handles and who
# may do what with them. Started by the root task; parses the boot
# configuration with services/bootconf.
user-progs-y += vmmctl
vmmctl-srcs := services/vmmctl/main.c services/vmmctl/session_ops.c services/vmmctl/vm_ops.c \
	services/vmmctl/vm_reset.c services/vmmctl/vm_stats.c services/vmmctl/vm_state.c \
	services/vmmctl/machine.c services/vmmctl/image.c services/vmmctl/passthrough.c services/vmmctl/boot_vms.c services/vmmctl/registry.c services/vmmctl/rules.c \
	libvmctl/vmctl_vmm.c $(bootconf-srcs)

