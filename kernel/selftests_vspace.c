// SPDX-License-Identifier: BSD-2-Clause
// Self-tests of address spaces: large mappings (blocks) where the addresses
// allow them and pages elsewhere, lookups inside blocks, unmapping, and all
// memory coming back. They go through the paths a system call takes
// (frame_create, frame_map, frame_unmap, task destruction), under the
// kernel lock like one.
#include <uapi/status.h>

#include "arch/vspace.h"
#include "frame.h"
#include "klock.h"
#include "kobject.h"
#include "memory.h"
#include "quota.h"
#include "selftest.h"
#include "task.h"

#define BLOCK ARCH_VSPACE_BLOCK_SIZE
#define MIB (1ul << 20)
/* Addresses in separate 1 GiB regions, so each starts its own
 * tables and the counts below are exact. */
#define VA_ALIGNED 0x40000000ul
#define VA_MISALIGNED (0x80000000ul + 4096)
#define VA_TAIL 0xc0000000ul
#define VA_PHYS_MISALIGNED 0x100000000ul

static int expect_count(const struct task *t, uint64_t blocks, uint64_t pages, const char *after)
{
	struct vspace_count c;

	arch_vspace_count(&t->vspace, &c);
	if (c.blocks != blocks || c.pages != pages)
		return selftest_fail("after %s: %lu blocks and %lu pages, expected %lu and %lu", after,
				     (unsigned long)c.blocks, (unsigned long)c.pages, (unsigned long)blocks,
				     (unsigned long)pages);
	return 0;
}

static int expect_lookup(const struct task *t, uint64_t va, uint64_t pa, unsigned perms)
{
	uint64_t got_pa;
	unsigned got_perms;

	if (!arch_vspace_lookup(&t->vspace, va, &got_pa, &got_perms))
		return selftest_fail("nothing mapped at 0x%lx", (unsigned long)va);
	if (got_pa != pa || got_perms != perms)
		return selftest_fail("0x%lx maps to 0x%lx (perms %u), expected 0x%lx (perms %u)", (unsigned long)va,
				     (unsigned long)got_pa, got_perms, (unsigned long)pa, perms);
	return 0;
}

static int expect_unmapped(const struct task *t, uint64_t va)
{
	uint64_t pa;
	unsigned perms;

	if (arch_vspace_lookup(&t->vspace, va, &pa, &perms))
		return selftest_fail("0x%lx still maps to 0x%lx", (unsigned long)va, (unsigned long)pa);
	return 0;
}

/* The checks, on a task and two frames (4 MiB and 3 MiB) made for them. */
static int check_mappings(struct task *t, struct frame *four, struct frame *three)
{
	const unsigned rw = VSPACE_READ | VSPACE_WRITE;
	int err;

	if (!IS_ALIGNED(four->pa, BLOCK) || !IS_ALIGNED(three->pa, BLOCK))
		return selftest_fail("frames of 4 and 3 MiB at 0x%lx and 0x%lx, not 2 MiB-aligned",
				     (unsigned long)four->pa, (unsigned long)three->pa);
	if ((err = frame_map(four, t, VA_ALIGNED, rw)) != CV_OK)
		return selftest_fail("mapping 4 MiB at 0x%lx: error %d", VA_ALIGNED, err);
	if (expect_count(t, 2, 0, "4 MiB at an aligned address") ||
	    expect_lookup(t, VA_ALIGNED, four->pa, rw) ||
	    expect_lookup(t, VA_ALIGNED + BLOCK + 0x12345, four->pa + BLOCK + 0x12345, rw) ||
	    expect_lookup(t, VA_ALIGNED + 4 * MIB - 1, four->pa + 4 * MIB - 1, rw) ||
	    expect_unmapped(t, VA_ALIGNED + 4 * MIB) || expect_unmapped(t, VA_ALIGNED - 1))
		return -1;

	/* The same memory 4 KiB past a block boundary: never both aligned. */
	if ((err = frame_map(four, t, VA_MISALIGNED, VSPACE_READ)) != CV_OK)
		return selftest_fail("mapping 4 MiB at 0x%lx: error %d", VA_MISALIGNED, err);
	if (expect_count(t, 2, 1024, "4 MiB at a misaligned address") ||
	    expect_lookup(t, VA_MISALIGNED + BLOCK + 5, four->pa + BLOCK + 5, VSPACE_READ))
		return -1;

	/* An aligned address for memory that is not: pages again. (Frames
	 * this big are aligned, so a physical range stands in for one.) */
	if ((err = task_map_physical(t, VA_PHYS_MISALIGNED, four->pa + 4096, 1023, VSPACE_READ)) != CV_OK)
		return selftest_fail("mapping 0x%lx: error %d", VA_PHYS_MISALIGNED, err);
	if (expect_count(t, 2, 1024 + 1023, "misaligned memory at an aligned address") ||
	    expect_lookup(t, VA_PHYS_MISALIGNED + BLOCK, four->pa + 4096 + BLOCK, VSPACE_READ))
		return -1;
	if ((err = arch_vspace_unmap(&t->vspace, VA_PHYS_MISALIGNED, 1023)) != CV_OK)
		return selftest_fail("unmapping 0x%lx: error %d", VA_PHYS_MISALIGNED, err);
	if (expect_count(t, 2, 1024, "unmapping it") || expect_unmapped(t, VA_PHYS_MISALIGNED))
		return -1;

	/* 3 MiB at an aligned address: one block, then 256 pages. */
	if ((err = frame_map(three, t, VA_TAIL, rw)) != CV_OK)
		return selftest_fail("mapping 3 MiB at 0x%lx: error %d", VA_TAIL, err);
	if (expect_count(t, 3, 1024 + 256, "3 MiB at an aligned address") ||
	    expect_lookup(t, VA_TAIL + BLOCK - 8, three->pa + BLOCK - 8, rw) ||
	    expect_lookup(t, VA_TAIL + BLOCK + 0x5008, three->pa + BLOCK + 0x5008, rw))
		return -1;

	/* Over a block, wholly or in part: refused, and nothing of it mapped. */
	if (frame_map(three, t, VA_ALIGNED + BLOCK, VSPACE_READ) != CV_E_BUSY ||
	    frame_map(three, t, VA_ALIGNED - MIB, VSPACE_READ) != CV_E_BUSY)
		return selftest_fail("a mapping over a block was not refused");
	if (expect_count(t, 3, 1024 + 256, "refused mappings") || expect_unmapped(t, VA_ALIGNED - MIB))
		return -1;
	/* Half a block cannot go: the call refuses and changes nothing. */
	if (arch_vspace_unmap(&t->vspace, VA_ALIGNED + BLOCK, 256) != CV_E_BAD_ARG ||
	    arch_vspace_unmap(&t->vspace, VA_ALIGNED + MIB, 512) != CV_E_BAD_ARG)
		return selftest_fail("unmapping part of a block was not refused");
	if (expect_count(t, 3, 1024 + 256, "refused unmaps"))
		return -1;

	if ((err = frame_unmap(t, VA_ALIGNED)) != CV_OK)
		return selftest_fail("unmapping 0x%lx: error %d", VA_ALIGNED, err);
	if (expect_count(t, 1, 1024 + 256, "unmapping the blocks") || expect_unmapped(t, VA_ALIGNED) ||
	    expect_unmapped(t, VA_ALIGNED + BLOCK + 0x12345))
		return -1;
	/* The emptied level-2 entries take blocks again. */
	if ((err = frame_map(four, t, VA_ALIGNED, VSPACE_READ)) != CV_OK)
		return selftest_fail("mapping 4 MiB again at 0x%lx: error %d", VA_ALIGNED, err);
	if (expect_count(t, 3, 1024 + 256, "mapping again") ||
	    expect_lookup(t, VA_ALIGNED + BLOCK, four->pa + BLOCK, VSPACE_READ))
		return -1;
	if ((err = frame_unmap(t, VA_MISALIGNED)) != CV_OK)
		return selftest_fail("unmapping 0x%lx: error %d", VA_MISALIGNED, err);
	return expect_count(t, 3, 256, "unmapping the pages") || expect_unmapped(t, VA_MISALIGNED + BLOCK);
}

SELFTEST(vspace_blocks, "2 MiB blocks where both addresses are aligned, pages elsewhere; lookup, unmap, memory back")
{
	struct quota q;
	struct task *t = NULL;
	struct frame *four = NULL, *three = NULL;
	uint64_t free_before = memory_free_frame_count();
	int result = 0, err;

	quota_init_root(&q, 4096);
	uint64_t flags = arch_irq_save();
	klock();
	if ((err = task_create(&q, "vspace_test", 0, 1, &t)) != CV_OK ||
	    (err = frame_create(&q, 1024, &four)) != CV_OK || (err = frame_create(&q, 768, &three)) != CV_OK)
		result = selftest_fail("creating the task or its frames: error %d", err);
	else
		result = check_mappings(t, four, three);
	/* As if their last capabilities went: one frame while it is still
	 * mapped (unmapped from the task first), then the task with the other
	 * frame's block and pages still in it, then that frame. */
	if (four)
		frame_destroy(four);
	if (t) {
		task_obj_destroy(t);
		reaper_run();
	}
	if (three)
		frame_destroy(three);
	kunlock();
	arch_irq_restore(flags);
	if (!result && q.used != 0)
		result = selftest_fail("the quota still has %lu frames charged", (unsigned long)q.used);
	if (!result && memory_free_frame_count() != free_before)
		result = selftest_fail("%lu frames free after, %lu before", (unsigned long)memory_free_frame_count(),
				       (unsigned long)free_before);
	return result;
}
