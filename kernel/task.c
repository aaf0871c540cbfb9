// SPDX-License-Identifier: BSD-2-Clause
#include "task.h"

#include <string.h>
#include <uapi/status.h>

#include "arch/mmu.h"
#include "cpu.h"
#include "frame.h"
#include "kobject.h"
#include "memory.h"
#include "panic.h"
#include "printk.h"
#include "quota.h"
#include "sched.h"
#include "thread.h"
#include "vm.h"

/* Page-table pages of a task's address space, paid from its quota. */
static int table_alloc(void *ctx, uint64_t *pa)
{
	struct task *t = ctx;
	return kmem_alloc(t->quota, 1, pa);
}

static void table_free(void *ctx, uint64_t pa)
{
	struct task *t = ctx;
	kmem_free(t->quota, pa, 1);
}

static struct vspace_alloc allocator_of(struct task *t)
{
	return (struct vspace_alloc){table_alloc, table_free, t};
}

int task_create(struct quota *q, const char *name, unsigned max_priority, uint32_t cspace_slots,
		struct task **out)
{
	uint64_t pa, cspace_pa;

	if (max_priority >= THREAD_PRIORITY_LEVELS || cspace_slots == 0 ||
	    cspace_slots > TASK_CSPACE_SLOTS_MAX)
		return CV_E_BAD_ARG;
	uint32_t cspace_frames = (uint32_t)ALIGN_UP((uint64_t)cspace_slots * sizeof(struct cap_slot), 4096) / 4096;
	int err = kmem_alloc(q, 1, &pa);
	if (err)
		return err;
	err = kmem_alloc(q, cspace_frames, &cspace_pa);
	if (err) {
		kmem_free(q, pa, 1);
		return err;
	}
	struct task *t = arch_phys_to_virt(pa);
	_Static_assert(sizeof(struct task) <= 4096, "a task fits its frame");
	cap_obj_init(&t->obj, CV_OBJ_TASK);
	cap_space_init(&t->cspace, &kernel_caps, arch_phys_to_virt(cspace_pa), cspace_slots, t);
	memcpy(t->name, name, strnlen(name, TASK_NAME_MAX - 1));
	t->quota = q;
	t->pa = pa;
	t->cspace_pa = cspace_pa;
	t->cspace_frames = cspace_frames;
	t->max_priority = max_priority;
	struct vspace_alloc a = allocator_of(t);
	err = arch_vspace_init(&t->vspace, &a);
	if (err) {
		kmem_free(q, cspace_pa, cspace_frames);
		kmem_free(q, pa, 1);
		return err;
	}
	*out = t;
	return CV_OK;
}

/* Undoes the first count pages of a failed task_map_new_pages. Each was
 * mapped on its own (they are not contiguous), so each goes on its own. */
static void unmap_new_pages(struct task *t, uint64_t va, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		uint64_t pa;
		unsigned perms;
		if (!arch_vspace_lookup(&t->vspace, va + i * 4096, &pa, &perms) ||
		    arch_vspace_unmap(&t->vspace, va + i * 4096, 1) != CV_OK)
			panic("task %s: undoing a mapping failed", t->name);
		kmem_free(t->quota, pa, 1);
		t->pages_owned--;
	}
}

int task_map_new_pages(struct task *t, uint64_t va, size_t count, unsigned perms)
{
	struct vspace_alloc a = allocator_of(t);

	if (t->dying)
		return CV_E_DEAD;
	for (size_t i = 0; i < count; i++) {
		uint64_t pa;
		int err = kmem_alloc(t->quota, 1, &pa);
		if (err) {
			unmap_new_pages(t, va, i);
			return err;
		}
		err = arch_vspace_map(&t->vspace, va + i * 4096, pa, 1, perms | VSPACE_OWNED, &a);
		if (err) {
			kmem_free(t->quota, pa, 1);
			unmap_new_pages(t, va, i);
			return err;
		}
		t->pages_owned++;
	}
	return CV_OK;
}

int task_map_physical(struct task *t, uint64_t va, uint64_t pa, size_t count, unsigned perms)
{
	struct vspace_alloc a = allocator_of(t);

	if (t->dying)
		return CV_E_DEAD;
	/* One range: the architecture uses blocks where va and pa allow. */
	return arch_vspace_map(&t->vspace, va, pa, count, perms & ~VSPACE_OWNED, &a);
}

static int copy(struct task *t, uint64_t va, void *buf, size_t len, bool to_task, bool as_controller)
{
	if (va + len < va || t->released)
		return CV_E_BAD_ADDRESS;
	while (len) {
		uint64_t pa;
		unsigned perms;
		if (!arch_vspace_lookup(&t->vspace, va, &pa, &perms) || (perms & VSPACE_DEVICE) ||
		    (to_task && !as_controller && !(perms & VSPACE_WRITE)))
			return CV_E_BAD_ADDRESS;
		size_t chunk = MIN(len, 4096 - (va & 4095));
		if (to_task) {
			memcpy(arch_phys_to_virt(pa), buf, chunk);
			if (t->vm)
				arch_clean_dcache(arch_phys_to_virt(pa), chunk);
			if (perms & VSPACE_EXEC)
				arch_sync_icache(arch_phys_to_virt(pa), chunk);
		} else
			memcpy(buf, arch_phys_to_virt(pa), chunk);
		va += chunk;
		buf = (char *)buf + chunk;
		len -= chunk;
	}
	return CV_OK;
}

int task_copy_from(struct task *t, void *dst, uint64_t va, size_t len)
{
	return copy(t, va, dst, len, false, false);
}

int task_copy_to(struct task *t, uint64_t va, const void *src, size_t len)
{
	return copy(t, va, (void *)(uintptr_t)src, len, true, false);
}

int task_copy_in(struct task *t, uint64_t va, const void *src, size_t len)
{
	return copy(t, va, (void *)(uintptr_t)src, len, true, true);
}

void task_kill(struct task *t, const char *why)
{
	if (t->dying)
		return;
	t->dying = true;
	if (why)
		printk("task %s: killed: %s\n", t->name, why);
	for (struct thread *th = t->thread_list; th; th = th->task_next)
		thread_stop(th);
	reaper_queue(t);
}

static void free_descriptor(struct task *t)
{
	for (struct thread *th = t->thread_list; th; th = th->task_next)
		th->task = NULL;
	kmem_free(t->quota, t->pa, 1);
}

void task_obj_destroy(struct task *t)
{
	t->obj_dead = true;
	if (!t->dying)
		task_kill(t, NULL);
	else if (t->released)
		free_descriptor(t);
}

static void free_owned(void *ctx, uint64_t pa, uint64_t pages, unsigned perms)
{
	struct task *t = ctx;

	if (!(perms & VSPACE_OWNED))
		return;
	kmem_free(t->quota, pa, pages);
	t->pages_owned -= pages;
}

void task_release_memory(struct task *t)
{
	struct vspace_alloc a = allocator_of(t);
	struct vspace_count held;

	/* Frames it mapped stay their owners'; only the records go. */
	frame_task_gone(t);
	arch_vspace_count(&t->vspace, &held);
	arch_vspace_destroy(&t->vspace, &a, free_owned, t);
	if (t->pages_owned)
		panic("task %s: %lu owned pages not found in its address space", t->name,
		      (unsigned long)t->pages_owned);
	kmem_free(t->quota, t->cspace_pa, t->cspace_frames);
	if (t->vm)
		vm_release(t);
	t->released = true;
	printk("task %s: released, %lu frames free (%lu blocks, %lu pages, %lu tables)\n", t->name,
	       (unsigned long)memory_free_frame_count(), (unsigned long)held.blocks, (unsigned long)held.pages,
	       (unsigned long)held.tables);
	if (t->obj_dead)
		free_descriptor(t);
}

void task_thread_stopped(struct task *t)
{
	if (t->live_threads)
		t->live_threads--;
}
