// SPDX-License-Identifier: BSD-2-Clause
#include "task.h"

#include <string.h>
#include <uapi/status.h>

#include "arch/mmu.h"
#include "cpu.h"
#include "memory.h"
#include "panic.h"
#include "printk.h"
#include "sched.h"
#include "thread.h"

/* Page-table pages of task address spaces, from the kernel's frames. */
static int table_alloc(void *ctx, uint64_t *pa)
{
	(void)ctx;
	if (memory_alloc_frames(1, 4096, pa))
		return CV_E_NO_MEMORY;
	memset(arch_phys_to_virt(*pa), 0, 4096);
	return CV_OK;
}

static void table_free(void *ctx, uint64_t pa)
{
	(void)ctx;
	if (memory_free_frames(pa, 1))
		panic("task: freeing page table 0x%lx failed", (unsigned long)pa);
}

static const struct vspace_alloc table_allocator = {table_alloc, table_free, NULL};

int task_create(const char *name, unsigned max_priority, struct task **out)
{
	uint64_t pa;

	if (max_priority >= THREAD_PRIORITY_LEVELS)
		return CV_E_BAD_ARG;
	if (memory_alloc_frames(1, 4096, &pa))
		return CV_E_NO_MEMORY;
	struct task *t = arch_phys_to_virt(pa);
	memset(t, 0, sizeof(*t));
	t->pa = pa;
	size_t n = strnlen(name, TASK_NAME_MAX - 1);
	memcpy(t->name, name, n);
	t->max_priority = max_priority;
	int err = arch_vspace_init(&t->vspace, &table_allocator);
	if (err) {
		if (memory_free_frames(pa, 1))
			panic("task: freeing a frame just allocated failed");
		return err;
	}
	*out = t;
	return CV_OK;
}

int task_map_new_pages(struct task *t, uint64_t va, size_t count, unsigned perms)
{
	for (size_t i = 0; i < count; i++) {
		uint64_t pa;
		if (memory_alloc_frames(1, 4096, &pa))
			return CV_E_NO_MEMORY;
		memset(arch_phys_to_virt(pa), 0, 4096);
		int err = arch_vspace_map(&t->vspace, va + i * 4096, pa, perms | VSPACE_OWNED, &table_allocator);
		if (err) {
			if (memory_free_frames(pa, 1))
				panic("task: freeing a frame just allocated failed");
			return err;
		}
		t->pages_owned++;
	}
	return CV_OK;
}

static int copy(struct task *t, uint64_t va, void *buf, size_t len, bool to_task)
{
	while (len) {
		uint64_t pa;
		unsigned perms;
		if (!arch_vspace_lookup(&t->vspace, va, &pa, &perms) || (perms & VSPACE_DEVICE) ||
		    (to_task && !(perms & VSPACE_WRITE)))
			return CV_E_BAD_ADDRESS;
		size_t chunk = MIN(len, 4096 - (va & 4095));
		if (to_task)
			memcpy(arch_phys_to_virt(pa), buf, chunk);
		else
			memcpy(buf, arch_phys_to_virt(pa), chunk);
		va += chunk;
		buf = (char *)buf + chunk;
		len -= chunk;
	}
	return CV_OK;
}

int task_map_physical(struct task *t, uint64_t va, uint64_t pa, size_t count, unsigned perms)
{
	for (size_t i = 0; i < count; i++) {
		int err = arch_vspace_map(&t->vspace, va + i * 4096, pa + i * 4096, perms & ~VSPACE_OWNED,
					  &table_allocator);
		if (err)
			return err;
	}
	return CV_OK;
}

int task_copy_from(struct task *t, void *dst, uint64_t va, size_t len)
{
	if (va + len < va)
		return CV_E_BAD_ADDRESS;
	return copy(t, va, dst, len, false);
}

int task_copy_to(struct task *t, uint64_t va, const void *src, size_t len)
{
	if (va + len < va)
		return CV_E_BAD_ADDRESS;
	return copy(t, va, (void *)(uintptr_t)src, len, true);
}

static void free_owned_page(void *ctx, uint64_t pa, unsigned perms)
{
	struct task *t = ctx;

	if (!(perms & VSPACE_OWNED))
		return;
	if (memory_free_frames(pa, 1))
		panic("task %s: freeing its page 0x%lx failed", t->name, (unsigned long)pa);
	t->pages_owned--;
}

/* Frees every page the task owns, its tables and itself. */
static void task_free(struct task *t)
{
	arch_vspace_destroy(&t->vspace, &table_allocator, free_owned_page, t);
	if (t->pages_owned)
		panic("task %s: %lu owned pages not found in its address space", t->name,
		      (unsigned long)t->pages_owned);
	if (memory_free_frames(t->pa, 1))
		panic("task: freeing the task's own frame failed");
	printk("task %s: destroyed, %lu frames free\n", t->name, (unsigned long)memory_free_frame_count());
}

void task_thread_gone(struct task *t)
{
	if (t->thread_count && --t->thread_count == 0) {
		printk("task %s: no threads left\n", t->name);
		task_free(t);
	}
}

void task_destroy(struct task *t)
{
	if (t->dying)
		return;
	t->dying = true;
	/* Threads die with their task; the last one to go frees it. A task
	 * that never had a thread is freed here. */
	if (!t->thread_list) {
		task_free(t);
		return;
	}
	for (struct thread *th = t->thread_list, *next; th; th = next) {
		next = th->task_next;
		thread_kill(th);
	}
}
