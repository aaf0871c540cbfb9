# SPDX-License-Identifier: BSD-2-Clause
# The per-VM monitor (docs/vmm.md): serves one VM's exits, emulating its
# console UART into the VM's console page. Started by a launcher (vmctl)
# with a handle to the VM.
user-progs-y += vmm
vmm-srcs := services/vmm/vmm.c services/vmm/pl011.c services/vmm/uart_irq.c libvmctl/vmctl_ipc.c libvmctl/vmctl_strerror.c
# It allocates nothing: a small heap keeps its quota small.
vmm-ldflags := -Wl,--defsym=__cv_heap_size=0x10000
