// SPDX-License-Identifier: BSD-2-Clause
// Devices passed through to a guest (vm ... pass=NAME): the device's
// registers mapped into the VM at the guest-physical address QEMU's virt
// machine gives them, and its interrupt forwarded to the same INTID, with
// the device and irq capabilities the kernel gave the root task. Only
// devices alone in their page and without DMA qualify (there is no IOMMU).
#include <stdio.h>
#include <string.h>

#include <cv/runtime.h>
#include <cv/syscall.h>
#include <uapi/root.h>

#include "vmm.h"

static const struct {
	const char *name;
	const char *compatible;
	uint64_t guest_pa;
} passable[] = {
	{"pl031", "arm,pl031", 0x09010000},
};
#define PASSABLE (sizeof(passable) / sizeof(passable[0]))

unsigned vmm_passthrough_lookup(const char *name)
{
	for (unsigned i = 0; i < PASSABLE; i++)
		if (strcmp(passable[i].name, name) == 0)
			return i + 1;
	return 0;
}

static const struct cv_root_device *find_device(const char *compatible)
{
	const struct cv_root_devices *list = (const void *)(uintptr_t)CV_ROOT_DEVICES_VA;

	for (uint32_t i = 0; i < list->count && i < CV_ROOT_DEVICES_MAX; i++)
		if (strcmp(list->devices[i].compatible, compatible) == 0)
			return &list->devices[i];
	return NULL;
}

bool vmm_passthrough(struct vm_state *vm)
{
	unsigned which = vm->cfg.pass - 1;
	const struct cv_root_device *d = find_device(passable[which].compatible);
	enum cv_status st;

	if (!d || !d->irq_slot || d->size != 4096) {
		printf("vmm: %s: no %s with an interrupt in one page to pass through\n", vm->cfg.name,
		       passable[which].compatible);
		return false;
	}
	if ((st = cv_device_map(d->device_slot, vm->vm, passable[which].guest_pa, 0, 1)) != CV_OK ||
	    (st = cv_vm_irq_bind(vm->vm, d->irq, d->irq_slot)) != CV_OK) {
		printf("vmm: %s: passing %s through: %s\n", vm->cfg.name, passable[which].name, cv_strerror(st));
		return false;
	}
	printf("vmm: %s: %s at 0x%lx, interrupt %u passed through\n", vm->cfg.name, passable[which].name,
	       (unsigned long)passable[which].guest_pa, (unsigned)d->irq);
	return true;
}
