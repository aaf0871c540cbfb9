// SPDX-License-Identifier: BSD-2-Clause
#include "memory.h"

#include <boot/boot_info.h>

#include "arch/mmu.h"
#include "frame_alloc.h"
#include "spinlock.h"

static struct frame_alloc frames;
static struct spinlock frames_lock = SPINLOCK_INIT;

static void *early_p2v(uint64_t pa, void *ctx)
{
	(void)ctx;
	return arch_early_phys_to_virt(pa);
}

int memory_init(const struct boot_info *bi)
{
	/* The allocator keeps pointers to its bitmaps and expects each to be
	 * usable whole: map all of usable RAM through the boot tables first.
	 * The final tables' direct map has the same addresses, so the
	 * pointers stay valid across the switch. */
	for (uint32_t i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == BOOT_MEM_USABLE)
			arch_early_map_range(bi->mem[i].base, bi->mem[i].size);
	return frame_alloc_init(&frames, bi->mem, bi->mem_count, early_p2v, NULL);
}

int memory_alloc_frames(size_t count, uint64_t align, uint64_t *pa)
{
	uint64_t flags = spin_lock_irqsave(&frames_lock);
	int err = frame_alloc_alloc(&frames, count, align, pa);
	spin_unlock_irqrestore(&frames_lock, flags);
	return err;
}

int memory_free_frames(uint64_t pa, size_t count)
{
	uint64_t flags = spin_lock_irqsave(&frames_lock);
	int err = frame_alloc_free(&frames, pa, count);
	spin_unlock_irqrestore(&frames_lock, flags);
	return err;
}

uint64_t memory_free_frame_count(void)
{
	uint64_t flags = spin_lock_irqsave(&frames_lock);
	uint64_t n = frame_alloc_free_frames(&frames);
	spin_unlock_irqrestore(&frames_lock, flags);
	return n;
}

uint64_t memory_total_frame_count(void)
{
	return frame_alloc_total_frames(&frames);
}
