# SPDX-License-Identifier: BSD-2-Clause
arch-objs-y += head.o vectors.o early.o mmu.o cache.o exception.o probe.o
arch-objs-y += pl011.o acpi_console.o dtb.o gicv3.o timer.o psci.o smp.o
arch-objs-y += stage2.o el0.o fpsimd.o devices.o
arch-objs-y += guest.o guest_hvc.o guest_state.o guest_sysreg.o vgic.o
