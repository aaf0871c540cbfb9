/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Device and interrupt objects: the kernel makes one per device the
 * platform describes (registers, and interrupt if any) and gives the
 * capabilities to the root task. A user-level driver maps the registers
 * (CV_SYS_DEVICE_MAP) and receives the interrupt as a notification signal
 * (CV_SYS_IRQ_BIND), acknowledging each with CV_SYS_IRQ_ACK; or the
 * interrupt drives an SPI of a VM (CV_SYS_VM_IRQ_BIND, device passthrough),
 * where the guest's end of the virtual interrupt stands in for the
 * acknowledgement. These objects are the kernel's own, never freed: a
 * device outlives capabilities to it.
 */
#ifndef KERNEL_DEVICE_H
#define KERNEL_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "cap.h"
#include "kernel.h"

struct notification;
struct boot_info;
struct vm;

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
	/* Bound to at most one of these. */
	struct notification *ntfn;
	uint64_t bits;
	struct vm *vm;        /* forwarded to SPI vintid of this VM */
	unsigned vintid;
};

/* Makes the objects; fills info with what was found. Returns the count. */
struct cv_root_devices;
unsigned devices_init(const struct boot_info *bi);
struct device_obj *device_at(unsigned i);
struct irq_obj *device_irq_at(unsigned i); /* NULL if device i has none */
const char *device_compatible(unsigned i);

int irq_bind(struct irq_obj *i, struct notification *n, uint64_t bits) __must_check;
/* Forwards the interrupt to SPI intid of vm (CV_SYS_VM_IRQ_BIND). */
int irq_bind_vm(struct irq_obj *i, struct vm *vm, unsigned intid) __must_check;
int irq_ack(struct irq_obj *i) __must_check;
/* Ends either binding and masks the interrupt: CV_SYS_IRQ_UNBIND (which
 * wants CV_E_BUSY if there was none), the last capability gone, or the
 * notification or VM it was bound to died. */
int irq_unbind(struct irq_obj *i);
void irq_notification_gone(struct notification *n);
void irq_vm_gone(struct vm *vm);

#endif
