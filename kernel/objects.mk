# SPDX-License-Identifier: BSD-2-Clause
kernel-objs-y += main.o smp.o memory.o frame_alloc.o boot_mem.o boot_info_dtb.o
kernel-objs-y += printk.o format.o panic.o panic_test.o ksyms.o cmdline.o
kernel-objs-y += vm.o vcpu.o syscall_vm.o
kernel-objs-y += selftest.o selftests_boot.o selftests_vspace.o string.o bench.o
kernel-objs-y += task.o thread.o sched.o fpu.o syscall.o root_task.o modpack.o
kernel-objs-y += cap.o quota.o kobject.o endpoint.o ipc_fastpath.o notification.o device.o frame.o
lib-objs-y += elf/elf_check.o
