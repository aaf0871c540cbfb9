// SPDX-License-Identifier: BSD-2-Clause
#include "device.h"

#include <string.h>
#include <uapi/root.h>
#include <uapi/status.h>

#include "arch/guest.h"
#include "arch/irq.h"
#include "cpu.h"
#include "klock.h"
#include "notification.h"
#include "printk.h"

static struct device_obj devices[CV_ROOT_DEVICES_MAX];
static struct irq_obj irqs[CV_ROOT_DEVICES_MAX];
static struct platform_device found[CV_ROOT_DEVICES_MAX];
static unsigned device_count;

unsigned devices_init(const struct boot_info *bi)
{
	device_count = arch_platform_devices(bi, found, CV_ROOT_DEVICES_MAX);
	for (unsigned i = 0; i < device_count; i++) {
		cap_obj_init(&devices[i].obj, CV_OBJ_DEVICE);
		devices[i].base = found[i].base;
		devices[i].size = found[i].size;
		if (found[i].irq) {
			cap_obj_init(&irqs[i].obj, CV_OBJ_IRQ);
			irqs[i].irq = found[i].irq;
			irqs[i].level = found[i].level;
			irqs[i].in_use = true;
			arch_irq_configure(found[i].irq, found[i].level);
		}
	}
	return device_count;
}

struct device_obj *device_at(unsigned i)
{
	return i < device_count ? &devices[i] : NULL;
}

struct irq_obj *device_irq_at(unsigned i)
{
	return i < device_count && irqs[i].in_use ? &irqs[i] : NULL;
}

const char *device_compatible(unsigned i)
{
	return i < device_count ? found[i].compatible : "";
}

static bool bound(const struct irq_obj *i)
{
	return i->ntfn || i->vm;
}

int irq_bind(struct irq_obj *i, struct notification *n, uint64_t bits)
{
	if (bound(i))
		return CV_E_BUSY;
	if (!bits)
		return CV_E_BAD_ARG;
	i->ntfn = n;
	i->bits = bits;
	i->pending = false;
	arch_irq_unmask(i->irq);
	return CV_OK;
}

int irq_bind_vm(struct irq_obj *i, struct vm *vm, unsigned intid)
{
	if (bound(i))
		return CV_E_BUSY;
	int err = arch_vm_forward_bind(vm, intid, i->irq);
	if (err)
		return err;
	i->vm = vm;
	i->vintid = intid;
	arch_irq_unmask(i->irq);
	return CV_OK;
}

int irq_ack(struct irq_obj *i)
{
	if (!i->ntfn)
		return CV_E_BUSY; /* not bound to a notification: nothing to acknowledge */
	if (i->pending) {
		i->pending = false;
		arch_irq_unmask(i->irq);
	}
	return CV_OK;
}

int irq_unbind(struct irq_obj *i)
{
	if (!bound(i))
		return CV_E_BUSY;
	/* Masked first: from here on it fires for nobody. */
	arch_irq_mask(i->irq);
	if (i->vm)
		arch_vm_forward_unbind(i->vm, i->vintid);
	i->ntfn = NULL;
	i->vm = NULL;
	i->pending = false;
	return CV_OK;
}

void irq_notification_gone(struct notification *n)
{
	for (unsigned i = 0; i < device_count; i++)
		if (irqs[i].in_use && irqs[i].ntfn == n)
			(void)irq_unbind(&irqs[i]);
}

void irq_vm_gone(struct vm *vm)
{
	for (unsigned i = 0; i < device_count; i++)
		if (irqs[i].in_use && irqs[i].vm == vm)
			(void)irq_unbind(&irqs[i]);
}

/* Masked until the driver acknowledges (or the guest ends the virtual
 * interrupt, which unmasks it in the vGIC): a level interrupt would
 * otherwise fire again at once, and a flood only ever costs its own
 * driver or guest. */
void irq_handle_device(unsigned irq)
{
	struct cpu *cpu = cpu_self();
	bool lock = !cpu->holds_kernel_lock;

	arch_irq_mask(irq);
	if (lock)
		klock();
	for (unsigned i = 0; i < device_count; i++) {
		struct irq_obj *o = &irqs[i];
		if (!o->in_use || o->irq != irq)
			continue;
		if (o->ntfn) {
			o->pending = true;
			notification_signal(o->ntfn, o->bits);
		} else if (o->vm) {
			arch_vm_forward_fire(o->vm, o->vintid);
		}
		break;
	}
	if (lock)
		kunlock();
}
