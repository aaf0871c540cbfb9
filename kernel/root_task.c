// SPDX-License-Identifier: BSD-2-Clause
// The root task: the first user task, made by the kernel from the boot
// module named "root" (an ELF executable). Layout: include/uapi/root.h.
#include "root_task.h"

#include <boot/boot_info.h>
#include <elf/elf_check.h>
#include <string.h>
#include <uapi/root.h>
#include <uapi/status.h>

#include "arch/mmu.h"
#include "arch/vspace.h"
#include "cap.h"
#include "cpu.h"
#include "device.h"
#include "main.h"
#include "kobject.h"
#include "memory.h"
#include "quota.h"
#include "printk.h"
#include "task.h"
#include "thread.h"

#define ROOT_PRIORITY 32
#define ROOT_IMAGE_MAX (64ull << 20)
#define ROOT_KERNEL_RESERVE 1024 /* frames */

static struct quota_obj root_quota;

static const struct boot_module *find_module(const struct boot_info *bi, const char *name)
{
	for (uint32_t i = 0; i < bi->module_count && i < BOOT_MODULES_MAX; i++)
		if (!strncmp(bi->modules[i].name, name, BOOT_MODULE_NAME_MAX))
			return &bi->modules[i];
	return NULL;
}

static unsigned perms_of(uint32_t flags)
{
	unsigned p = VSPACE_READ;
	if (flags & ELF_PF_W)
		p |= VSPACE_WRITE;
	else if (flags & ELF_PF_X)
		p |= VSPACE_EXEC;
	return p;
}

static int load_segments(struct task *t, const uint8_t *image, const struct elf_load_plan *plan)
{
	for (unsigned i = 0; i < plan->segment_count; i++) {
		const struct elf_load_segment *s = &plan->segments[i];
		uint64_t va = plan->vaddr_base + s->image_offset;
		uint64_t start = va & ~4095ull;
		uint64_t end = (va + s->file_size + s->zero_size + 4095) & ~4095ull;
		if (s->flags & ELF_PF_W && s->flags & ELF_PF_X)
			return CV_E_BAD_ARG; /* W^X holds for tasks too */
		/* Writable while loading would need a W+X moment: map the pages,
		 * then fill them through the kernel's own mapping. */
		int err = task_map_new_pages(t, start, (end - start) / 4096, perms_of(s->flags));
		if (err)
			return err;
		for (uint64_t off = 0; off < s->file_size;) {
			uint64_t pa;
			unsigned perms;
			uint64_t at = va + off;
			if (!arch_vspace_lookup(&t->vspace, at, &pa, &perms))
				return CV_E_BAD_ADDRESS;
			uint64_t chunk = MIN(s->file_size - off, 4096 - (at & 4095));
			memcpy(arch_phys_to_virt(pa), image + s->file_offset + off, chunk);
			if (perms & VSPACE_EXEC)
				arch_sync_icache(arch_phys_to_virt(pa), chunk);
			off += chunk;
		}
	}
	return CV_OK;
}

/* Every device the kernel does not keep, with its interrupt, goes to the
 * root task, listed in its devices page. */
static int give_devices(struct task *t)
{
	static struct cv_root_devices list;
	unsigned n = devices_init(kernel_boot_info);
	uint64_t pa;
	unsigned perms;

	memset(&list, 0, sizeof(list));
	for (unsigned i = 0; i < n; i++) {
		struct device_obj *d = device_at(i);
		struct irq_obj *irq = device_irq_at(i);
		struct cv_root_device *rd = &list.devices[list.count++];
		uint32_t slot = CV_ROOT_SLOT_DEVICES + 2 * i;
		int err = cap_insert_new(&t->cspace, slot, &d->obj, CV_RIGHTS_KERNEL_MASK, 0);
		if (!err && irq)
			err = cap_insert_new(&t->cspace, slot + 1, &irq->obj, CV_RIGHTS_KERNEL_MASK, 0);
		if (err)
			return err;
		memcpy(rd->compatible, device_compatible(i), sizeof(rd->compatible) - 1);
		rd->base = d->base;
		rd->size = d->size;
		rd->device_slot = slot;
		rd->irq_slot = irq ? slot + 1 : 0;
		rd->irq = irq ? irq->irq : 0;
	}
	if (!arch_vspace_lookup(&t->vspace, CV_ROOT_DEVICES_VA, &pa, &perms))
		return CV_E_BAD_ADDRESS;
	memcpy(arch_phys_to_virt(pa), &list, sizeof(list));
	return CV_OK;
}

static int make_root(const struct boot_info *bi, const struct boot_module *m, struct task **out)
{
	struct elf_load_plan plan;
	const uint8_t *image = arch_phys_to_virt(m->base);
	enum elf_check_status st = elf_check(image, m->size, ELF_MACHINE_AARCH64, ROOT_IMAGE_MAX, &plan);

	if (st != ELF_CHECK_OK) {
		printk("root: module \"root\" is not a usable ELF executable: %s\n", elf_check_strerror(st));
		return CV_E_BAD_ARG;
	}
	if (plan.vaddr_base + plan.span > CV_ROOT_STACK_TOP - CV_ROOT_STACK_SIZE - 4096) {
		printk("root: the image overlaps the stack area\n");
		return CV_E_BAD_ARG;
	}
	struct task *t;
	struct quota *q = &root_quota.quota;
	int err = task_create(q, "root", THREAD_PRIORITY_LEVELS - 1, CV_ROOT_SLOTS, &t);
	if (err)
		return err;
	/* Its own capabilities first: from here on, killing it releases all. */
	err = cap_insert_new(&t->cspace, CV_ROOT_SLOT_TASK, &t->obj, CV_RIGHTS_KERNEL_MASK, 0);
	if (!err)
		err = cap_insert_new(&t->cspace, CV_ROOT_SLOT_QUOTA, &root_quota.obj, CV_RIGHTS_KERNEL_MASK, 0);
	if (err) {
		task_kill(t, "its capabilities could not be set up");
		return err;
	}
	err = load_segments(t, image, &plan);
	if (!err)
		err = task_map_new_pages(t, CV_ROOT_STACK_TOP - CV_ROOT_STACK_SIZE, CV_ROOT_STACK_SIZE / 4096,
					 VSPACE_READ | VSPACE_WRITE);
	if (!err)
		err = task_map_new_pages(t, CV_ROOT_INFO_VA, 1, VSPACE_READ);
	if (!err)
		err = task_map_new_pages(t, CV_ROOT_DEVICES_VA, 1, VSPACE_READ);
	if (!err)
		err = give_devices(t);

	struct cv_root_info info;
	memset(&info, 0, sizeof(info));
	info.magic = CV_ROOT_INFO_MAGIC;
	info.version = CV_ROOT_INFO_VERSION;
	info.cpu_count = cpu_count;
	memcpy(info.cmdline, bi->cmdline, MIN(sizeof(info.cmdline), sizeof(bi->cmdline)));
	info.cmdline[sizeof(info.cmdline) - 1] = '\0';
	uint64_t va = CV_ROOT_MODULES_VA;
	for (uint32_t i = 0; !err && i < bi->module_count && i < CV_ROOT_MODULES_MAX; i++) {
		const struct boot_module *bm = &bi->modules[i];
		uint64_t pages = (bm->size + 4095) / 4096;
		err = task_map_physical(t, va, bm->base, pages, VSPACE_READ);
		struct cv_root_module *rm = &info.modules[info.module_count++];
		memcpy(rm->name, bm->name, sizeof(rm->name));
		rm->name[sizeof(rm->name) - 1] = '\0';
		rm->va = va;
		rm->size = bm->size;
		va += (pages + 1) * 4096; /* an unmapped page between modules */
	}
	if (!err) {
		uint64_t pa;
		unsigned perms;
		/* The page is read-only to the task: fill it directly. */
		if (arch_vspace_lookup(&t->vspace, CV_ROOT_INFO_VA, &pa, &perms))
			memcpy(arch_phys_to_virt(pa), &info, sizeof(info));
	}
	struct thread *th;
	if (!err)
		err = thread_create(t, q, plan.vaddr_base + plan.entry_offset, CV_ROOT_STACK_TOP, CV_ROOT_INFO_VA,
				    ROOT_PRIORITY, 0, &th);
	if (!err) {
		err = cap_insert_new(&t->cspace, CV_ROOT_SLOT_THREAD, &th->obj, CV_RIGHTS_KERNEL_MASK, 0);
		if (err) {
			thread_stop(th);
			thread_free(th);
		}
	}
	if (err) {
		task_kill(t, "it could not be loaded");
		return err;
	}
	if (thread_start(th))
		return CV_E_BUSY;
	printk("root: %lu KiB image, entry 0x%lx, %u modules mapped\n", (unsigned long)(plan.span >> 10),
	       (unsigned long)(plan.vaddr_base + plan.entry_offset), info.module_count);
	*out = t;
	return CV_OK;
}

void root_task_start(const struct boot_info *bi)
{
	/* Everything free but a reserve for the kernel's own needs (page
	 * tables of devices, per-CPU data) goes to the root task. */
	uint64_t free = memory_free_frame_count();
	quota_init_root(&root_quota.quota, free > ROOT_KERNEL_RESERVE ? free - ROOT_KERNEL_RESERVE : 0);
	cap_obj_init(&root_quota.obj, CV_OBJ_QUOTA);

	const struct boot_module *m = find_module(bi, "root");
	struct task *t;

	if (!m) {
		printk("root: no boot module named \"root\"; no user task to start\n");
		return;
	}
	int err = make_root(bi, m, &t);
	if (err)
		printk("root: not started (status %d)\n", err);
}
