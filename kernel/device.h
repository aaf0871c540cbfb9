/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Device and interrupt objects: the kernel makes one per device the
 * platform describes (registers, and interrupt if any) and gives the
 * capabilities to the root task. A user-level driver maps the registers
 * (CV_SYS_DEVICE_MAP) and receives the interrupt as a notification signal
 * (CV_SYS_IRQ_BIND), acknowledging each with CV_SYS_IRQ_ACK. These objects
 * are the kernel's own, never freed: a device outlives capabilities to it.
 */
#ifndef KERNEL_DEVICE_H
#define KERNEL_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "cap.h"

struct notification;
struct boot_info;

struct device_obj {
	struct kobj obj;
	uint64_t base, size;
};

struct irq_obj {
	struct kobj obj;
	unsigned irq;
	bool level;
	bool in_use;          /* the platform has this interrupt */
	bool pending;         /* delivered, not acknowledged: masked */
	struct notification *ntfn;
	uint64_t bits;
};

/* Makes the objects; fills info with what was found. Returns the count. */
struct cv_root_devices;
unsigned devices_init(const struct boot_info *bi);
struct device_obj *device_at(unsigned i);
struct irq_obj *device_irq_at(unsigned i); /* NULL if device i has none */
const char *device_compatible(unsigned i);

int irq_bind(struct irq_obj *i, struct notification *n, uint64_t bits);
int irq_ack(struct irq_obj *i);
/* Last capability gone, or its notification died: unbinds and masks. */
void irq_unbind(struct irq_obj *i);
void irq_notification_gone(struct notification *n);

#endif
