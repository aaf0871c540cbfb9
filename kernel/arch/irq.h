/* SPDX-License-Identifier: BSD-2-Clause */
/* Device interrupts as the architecture's interrupt controller has them. */
#ifndef KERNEL_ARCH_IRQ_H
#define KERNEL_ARCH_IRQ_H

#include <stdbool.h>
#include <stdint.h>

struct boot_info;

/* A device the platform describes, for the root task. */
struct platform_device {
	char compatible[32];
	uint64_t base, size;
	unsigned irq;   /* 0: none */
	bool level;     /* level-triggered interrupt */
};

/* The devices the kernel does not keep for itself; returns how many were
 * written (at most max). */
unsigned arch_platform_devices(const struct boot_info *bi, struct platform_device *out, unsigned max);
/* Routes a device interrupt to the boot CPU, masked. */
void arch_irq_configure(unsigned irq, bool level);
void arch_irq_mask(unsigned irq);
void arch_irq_unmask(unsigned irq);

/* Called by the architecture for a device interrupt (already masked by
 * the call; acknowledged at the controller after it returns). */
void irq_handle_device(unsigned irq);

#endif
