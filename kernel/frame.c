// SPDX-License-Identifier: BSD-2-Clause
#include "frame.h"

#include <string.h>
#include <uapi/status.h>

#include "arch/mmu.h"
#include "arch/vspace.h"
#include "kobject.h"
#include "panic.h"
#include "task.h"

/* One record per mapping, in a page per task (paid from the task's
 * quota), linked into the frame's list. */
struct frame_mapping {
	uint64_t va;            /* 0: a free record */
	struct frame *frame;
	struct task *task;
	struct frame_mapping *next, *prev; /* the frame's mappings */
};

#define MAPPINGS_PER_TASK (4096 / sizeof(struct frame_mapping))

/*
 * A frame big enough for a block starts on a block boundary, so that mapped
 * at a block-aligned address it gets blocks (docs/memory.md). When no
 * aligned run is free it takes any: it then maps with pages, which is
 * slower for whoever uses it but never a new way to fail.
 */
static int alloc_memory(struct quota *q, uint64_t pages, uint64_t *pa)
{
	if (pages * 4096 >= ARCH_VSPACE_BLOCK_SIZE &&
	    kmem_alloc_aligned(q, pages, ARCH_VSPACE_BLOCK_SIZE, pa) == CV_OK)
		return CV_OK;
	return kmem_alloc(q, pages, pa);
}

int frame_create(struct quota *q, uint64_t pages, struct frame **out)
{
	uint64_t hdr, pa;

	if (pages == 0 || pages > FRAME_PAGES_MAX)
		return CV_E_BAD_ARG;
	int err = kmem_alloc(q, 1, &hdr);
	if (err)
		return err;
	err = alloc_memory(q, pages, &pa);
	if (err) {
		kmem_free(q, hdr, 1);
		return err;
	}
	struct frame *f = arch_phys_to_virt(hdr);
	cap_obj_init(&f->obj, CV_OBJ_FRAME);
	f->quota = q;
	f->hdr_pa = hdr;
	f->pa = pa;
	f->pages = pages;
	*out = f;
	return CV_OK;
}

static void unlink(struct frame_mapping *m)
{
	if (m->prev)
		m->prev->next = m->next;
	else
		m->frame->mappings = m->next;
	if (m->next)
		m->next->prev = m->prev;
	memset(m, 0, sizeof(*m));
}

static void unmap_pages(struct task *t, uint64_t va, uint64_t pages)
{
	if (arch_vspace_unmap(&t->vspace, va, pages) != CV_OK)
		panic("frame: the mapping recorded at 0x%lx (%lu pages) was not there", (unsigned long)va,
		      (unsigned long)pages);
}

void frame_destroy(struct frame *f)
{
	while (f->mappings) {
		struct frame_mapping *m = f->mappings;
		if (!m->task->released)
			unmap_pages(m->task, m->va, f->pages);
		unlink(m);
	}
	kmem_free(f->quota, f->pa, f->pages);
	kmem_free(f->quota, f->hdr_pa, 1);
}

static struct frame_mapping *records(struct task *t)
{
	return t->frame_maps_pa ? arch_phys_to_virt(t->frame_maps_pa) : NULL;
}

int frame_map(struct frame *f, struct task *t, uint64_t va, unsigned perms)
{
	if (t->dying)
		return CV_E_DEAD;
	if (va == 0 || (va & 4095) || va >= arch_vspace_limit() || f->pages * 4096 > arch_vspace_limit() - va)
		return CV_E_BAD_ADDRESS;
	if (!t->frame_maps_pa) {
		int err = kmem_alloc(t->quota, 1, &t->frame_maps_pa);
		if (err)
			return err;
	}
	struct frame_mapping *r = records(t), *m = NULL;
	for (unsigned i = 0; i < MAPPINGS_PER_TASK && !m; i++)
		if (!r[i].va)
			m = &r[i];
	if (!m)
		return CV_E_NO_MEMORY;
	int err = task_map_physical(t, va, f->pa, f->pages, perms);
	if (err)
		return err;
	m->va = va;
	m->frame = f;
	m->task = t;
	m->prev = NULL;
	m->next = f->mappings;
	if (f->mappings)
		f->mappings->prev = m;
	f->mappings = m;
	return CV_OK;
}

int frame_unmap(struct task *t, uint64_t va)
{
	struct frame_mapping *r = records(t);

	for (unsigned i = 0; r && va && i < MAPPINGS_PER_TASK; i++) {
		if (r[i].va != va)
			continue;
		unmap_pages(t, va, r[i].frame->pages);
		unlink(&r[i]);
		return CV_OK;
	}
	return CV_E_EMPTY_SLOT;
}

void frame_task_gone(struct task *t)
{
	struct frame_mapping *r = records(t);

	if (!r)
		return;
	for (unsigned i = 0; i < MAPPINGS_PER_TASK; i++)
		if (r[i].va)
			unlink(&r[i]);
	kmem_free(t->quota, t->frame_maps_pa, 1);
	t->frame_maps_pa = 0;
}
