// SPDX-License-Identifier: BSD-2-Clause
// Host tests of the frame allocator. "Physical memory" is a set of malloc'd
// windows; the p2v callback aborts on any address outside them, so a test
// also fails if the allocator touches memory it has not been given.
#include "unit.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "frame_alloc.h"

#define RAM_BASE 0x40000000ull
#define MIB (1024ull * 1024ull)
#define RAM_SIZE (64 * MIB)
#define RAM_FRAMES (RAM_SIZE / FRAME_SIZE)
#define FILL 0xa5
#define TOP_FRAME 0xfffffffffffff000ull

#define R(base_, size_, type_) \
	{ .base = (base_), .size = (size_), .type = (type_), .reserved = 0 }
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct fake_window {
	uint64_t base;
	uint64_t size;
	unsigned char *mem;
};

struct fake_phys {
	struct fake_window win[4];
	size_t count;
	bool return_null;
};

static void *fake_p2v(uint64_t pa, void *ctx)
{
	struct fake_phys *fp = ctx;

	if (fp->return_null)
		return NULL;
	for (size_t i = 0; i < fp->count; i++) {
		const struct fake_window *w = &fp->win[i];

		if (pa >= w->base && pa - w->base < w->size)
			return w->mem + (pa - w->base);
	}
	fprintf(stderr, "p2v: 0x%llx is outside fake physical memory\n", (unsigned long long)pa);
	abort();
}

static void fake_add(struct fake_phys *fp, uint64_t base, uint64_t size)
{
	struct fake_window *w = &fp->win[fp->count++];

	w->base = base;
	w->size = size;
	w->mem = malloc(size);
	if (!w->mem)
		abort();
	memset(w->mem, FILL, size);
}

static void fake_free(struct fake_phys *fp)
{
	for (size_t i = 0; i < fp->count; i++)
		free(fp->win[i].mem);
	fp->count = 0;
}

/*
 * The oracle for "may this frame be handed out": it lies inside one USABLE
 * entry and touches no byte of any other entry. 128-bit ends cannot wrap.
 */
static bool frame_is_usable(const struct boot_mem_range *map, size_t n, uint64_t pa)
{
	unsigned __int128 lo = pa, hi = (unsigned __int128)pa + FRAME_SIZE;
	bool inside = false;

	for (size_t i = 0; i < n; i++) {
		unsigned __int128 b = map[i].base, e = b + map[i].size;

		if (map[i].type == BOOT_MEM_USABLE) {
			if (lo >= b && hi <= e)
				inside = true;
		} else if (map[i].size && lo < e && b < hi) {
			return false;
		}
	}
	return inside;
}

static uint64_t count_usable(const struct boot_mem_range *map, size_t n, uint64_t base,
			     uint64_t frames)
{
	uint64_t c = 0;

	for (uint64_t i = 0; i < frames; i++)
		c += frame_is_usable(map, n, base + i * FRAME_SIZE);
	return c;
}

static uint64_t count_in_use(const struct frame_alloc *fa, uint64_t base, uint64_t frames)
{
	uint64_t c = 0;

	for (uint64_t i = 0; i < frames; i++)
		c += frame_alloc_is_allocated(fa, base + i * FRAME_SIZE);
	return c;
}

/* The documented layout: 64 frames per 8-byte word, all regions in one run. */
static uint64_t expected_meta(const uint64_t *region_frames, size_t n)
{
	uint64_t words = 0;

	for (size_t i = 0; i < n; i++)
		words += (region_frames[i] + 63) / 64;
	return (words * 8 + FRAME_SIZE - 1) / FRAME_SIZE;
}

static uint64_t frame_index(uint64_t pa)
{
	return (pa - RAM_BASE) / FRAME_SIZE;
}

UNIT_TEST(init_single_region_counts)
{
	struct fake_phys fp = {0};
	struct frame_alloc fa;
	const struct boot_mem_range map[] = {R(RAM_BASE, 16 * MIB, BOOT_MEM_USABLE)};
	const uint64_t frames[] = {4096};

	fake_add(&fp, RAM_BASE, 16 * MIB);
	CHECK_EQ(frame_alloc_init(&fa, map, ARRAY_SIZE(map), fake_p2v, &fp), 0);
	CHECK_EQ(frame_alloc_total_frames(&fa), 4096);
	CHECK_EQ(frame_alloc_metadata_frames(&fa), expected_meta(frames, 1));
	CHECK_EQ(frame_alloc_free_frames(&fa), 4096 - expected_meta(frames, 1));
	CHECK_EQ(count_in_use(&fa, RAM_BASE, 4096), expected_meta(frames, 1));
	CHECK(!frame_alloc_is_allocated(&fa, RAM_BASE - FRAME_SIZE));
	CHECK(!frame_alloc_is_allocated(&fa, RAM_BASE + 16 * MIB));
	fake_free(&fp);
}

UNIT_TEST(init_unsorted_map_with_holes_counts)
{
	struct fake_phys fp = {0};
	struct frame_alloc fa;
	const struct boot_mem_range map[] = {
		R(0x42000000, 16 * MIB, BOOT_MEM_USABLE),
		R(0x40000000, 16 * MIB, BOOT_MEM_USABLE),
		R(0x40080000, 2 * MIB, BOOT_MEM_KERNEL),
		R(0x42fff000, 0x1000, BOOT_MEM_BOOT_DATA),
		R(0x41800000, 1 * MIB, BOOT_MEM_MODULE),
		R(0x43800000, 8 * MIB, BOOT_MEM_USABLE),
		R(0x43800000, 8 * MIB, BOOT_MEM_ACPI),
	};
	/* [0x40000000,0x40080000) [0x40280000,0x41000000) [0x42000000,0x42fff000) */
	const uint64_t frames[] = {128, 3456, 4095};
	uint64_t meta = expected_meta(frames, 3);

	fake_add(&fp, RAM_BASE, RAM_SIZE);
	CHECK_EQ(frame_alloc_init(&fa, map, ARRAY_SIZE(map), fake_p2v, &fp), 0);
	CHECK_EQ(frame_alloc_total_frames(&fa), 128 + 3456 + 4095);
	CHECK_EQ(frame_alloc_total_frames(&fa), count_usable(map, ARRAY_SIZE(map), RAM_BASE, RAM_FRAMES));
	CHECK_EQ(frame_alloc_free_frames(&fa), 128 + 3456 + 4095 - meta);
	CHECK_EQ(count_in_use(&fa, RAM_BASE, RAM_FRAMES), meta);
	/* Holes are not managed at all: not even reservable. */
	CHECK_EQ(frame_alloc_reserve(&fa, 0x40080000, 1), FRAME_ALLOC_E_RANGE);
	CHECK_EQ(frame_alloc_reserve(&fa, 0x42fff000, 1), FRAME_ALLOC_E_RANGE);
	CHECK_EQ(frame_alloc_reserve(&fa, 0x43800000, 1), FRAME_ALLOC_E_RANGE);
	fake_free(&fp);
}

/*
 * Allocates every free frame one by one and checks each against the map.
 * Returns how many were handed out; fills `seen` (indexed from RAM_BASE).
 */
static uint64_t drain_singles(struct frame_alloc *fa, const struct boot_mem_range *map, size_t n,
			      bool *seen)
{
	uint64_t got = 0, pa;

	while (frame_alloc_alloc(fa, 1, FRAME_SIZE, &pa) == 0) {
		CHECK(frame_is_usable(map, n, pa));
		CHECK(frame_alloc_is_allocated(fa, pa));
		if (pa >= RAM_BASE && pa - RAM_BASE < RAM_SIZE) {
			CHECK(!seen[frame_index(pa)]);
			seen[frame_index(pa)] = true;
		}
		if (++got > RAM_FRAMES + 64)
			break; /* a broken allocator must not loop forever */
	}
	return got;
}

UNIT_TEST(reserved_types_never_returned)
{
	struct fake_phys fp = {0};
	struct frame_alloc fa;
	static bool seen[RAM_FRAMES];
	const struct boot_mem_range map[] = {
		R(RAM_BASE, RAM_SIZE, BOOT_MEM_USABLE),
		R(0x40000000, 0x1000, BOOT_MEM_RESERVED),
		R(0x40200000, 0x123456, BOOT_MEM_KERNEL),   /* unaligned end */
		R(0x40800800, 0x800, BOOT_MEM_MODULE),      /* inside one frame */
		R(0x41000000, 0x10000, BOOT_MEM_BOOT_DATA),
		R(0x42000fff, 0x2, BOOT_MEM_ACPI),          /* straddles two frames */
		R(0x43000000, 0x4000, 0),                   /* unknown types are not free */
		R(0x43fff000, 0x1000, 77),
		R(0x40100000, 0x1000, BOOT_MEM_USABLE),     /* duplicate inside */
	};
	uint64_t usable = count_usable(map, ARRAY_SIZE(map), RAM_BASE, RAM_FRAMES);
	uint64_t pa;

	memset(seen, 0, sizeof(seen));
	fake_add(&fp, RAM_BASE, RAM_SIZE);
	CHECK_EQ(frame_alloc_init(&fa, map, ARRAY_SIZE(map), fake_p2v, &fp), 0);
	CHECK_EQ(frame_alloc_total_frames(&fa), usable);

	uint64_t free0 = frame_alloc_free_frames(&fa);
	uint64_t got = drain_singles(&fa, map, ARRAY_SIZE(map), seen);

	CHECK_EQ(got, free0);
	CHECK_EQ(got + frame_alloc_metadata_frames(&fa), usable);
	CHECK_EQ(frame_alloc_free_frames(&fa), 0);
	CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE, &pa), FRAME_ALLOC_E_NOMEM);
	CHECK_EQ(frame_alloc_alloc(&fa, 2, FRAME_SIZE, &pa), FRAME_ALLOC_E_NOMEM);
	CHECK(!seen[frame_index(0x40000000)]);
	CHECK(!seen[frame_index(0x40323000)]); /* last frame the kernel touches */
	CHECK(seen[frame_index(0x40324000)]);  /* first after it */
	CHECK(!seen[frame_index(0x40800000)]);
	CHECK(!seen[frame_index(0x42000000)] && !seen[frame_index(0x42001000)]);
	CHECK(seen[frame_index(0x42002000)]);
	fake_free(&fp);
}

UNIT_TEST(freed_frames_are_reused)
{
	struct fake_phys fp = {0};
	struct frame_alloc fa;
	const struct boot_mem_range map[] = {R(RAM_BASE, 16 * MIB, BOOT_MEM_USABLE)};
	uint64_t a, b, c, pa;

	fake_add(&fp, RAM_BASE, 16 * MIB);
	CHECK_EQ(frame_alloc_init(&fa, map, 1, fake_p2v, &fp), 0);
	CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE, &a), 0);
	CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE, &b), 0);
	CHECK(a != b);
	CHECK_EQ(frame_alloc_free(&fa, a, 1), 0);
	CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE, &c), 0);
	CHECK_EQ(c, a); /* lowest free frame first, not the next fresh one */

	/* With everything handed out, only freed frames can satisfy a request. */
	while (frame_alloc_alloc(&fa, 1, FRAME_SIZE, &pa) == 0)
		;
	CHECK_EQ(frame_alloc_free_frames(&fa), 0);
	const uint64_t freed[] = {RAM_BASE + 0x7d000, RAM_BASE + 0x3000, RAM_BASE + 0xabc000};
	bool back[3] = {false, false, false};

	for (size_t i = 0; i < 3; i++)
		CHECK_EQ(frame_alloc_free(&fa, freed[i], 1), 0);
	CHECK_EQ(frame_alloc_free_frames(&fa), 3);
	for (size_t i = 0; i < 3; i++) {
		CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE, &pa), 0);
		for (size_t j = 0; j < 3; j++)
			if (pa == freed[j]) {
				CHECK(!back[j]);
				back[j] = true;
			}
	}
	CHECK(back[0] && back[1] && back[2]);
	CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE, &pa), FRAME_ALLOC_E_NOMEM);
	fake_free(&fp);
}

UNIT_TEST(double_free_refused)
{
	struct fake_phys fp = {0};
	struct frame_alloc fa;
	const struct boot_mem_range map[] = {R(RAM_BASE, 16 * MIB, BOOT_MEM_USABLE)};
	uint64_t a, run, before;

	fake_add(&fp, RAM_BASE, 16 * MIB);
	CHECK_EQ(frame_alloc_init(&fa, map, 1, fake_p2v, &fp), 0);
	CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE, &a), 0);
	CHECK_EQ(frame_alloc_free(&fa, a, 1), 0);
	before = frame_alloc_free_frames(&fa);
	CHECK_EQ(frame_alloc_free(&fa, a, 1), FRAME_ALLOC_E_STATE);
	CHECK_EQ(frame_alloc_free_frames(&fa), before);
	CHECK(!frame_alloc_is_allocated(&fa, a));

	/* A range half freed already is refused whole, and its live half stays live. */
	CHECK_EQ(frame_alloc_alloc(&fa, 4, FRAME_SIZE, &run), 0);
	CHECK_EQ(frame_alloc_free(&fa, run, 2), 0);
	before = frame_alloc_free_frames(&fa);
	CHECK_EQ(frame_alloc_free(&fa, run, 4), FRAME_ALLOC_E_STATE);
	CHECK_EQ(frame_alloc_free_frames(&fa), before);
	CHECK(frame_alloc_is_allocated(&fa, run + 2 * FRAME_SIZE));
	CHECK(frame_alloc_is_allocated(&fa, run + 3 * FRAME_SIZE));
	CHECK_EQ(frame_alloc_free(&fa, run + 2 * FRAME_SIZE, 2), 0);
	CHECK_EQ(frame_alloc_free_frames(&fa), before + 2);
	fake_free(&fp);
}

UNIT_TEST(invalid_free_refused)
{
	struct fake_phys fp = {0};
	struct frame_alloc fa;
	const struct boot_mem_range map[] = {
		R(RAM_BASE, 16 * MIB, BOOT_MEM_USABLE),
		R(RAM_BASE + 4 * MIB, 1 * MIB, BOOT_MEM_KERNEL),
	};
	static bool before_map[4096];
	uint64_t a, free0;

	fake_add(&fp, RAM_BASE, 16 * MIB);
	CHECK_EQ(frame_alloc_init(&fa, map, ARRAY_SIZE(map), fake_p2v, &fp), 0);
	CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE, &a), 0);
	CHECK_EQ(a, RAM_BASE);
	free0 = frame_alloc_free_frames(&fa);
	for (uint64_t i = 0; i < 4096; i++)
		before_map[i] = frame_alloc_is_allocated(&fa, RAM_BASE + i * FRAME_SIZE);

	CHECK_EQ(frame_alloc_free(&fa, RAM_BASE + 0x10000, 1), FRAME_ALLOC_E_STATE); /* never allocated */
	CHECK_EQ(frame_alloc_free(&fa, a, 2), FRAME_ALLOC_E_STATE); /* second frame free */
	CHECK_EQ(frame_alloc_free(&fa, RAM_BASE - FRAME_SIZE, 1), FRAME_ALLOC_E_RANGE);
	CHECK_EQ(frame_alloc_free(&fa, RAM_BASE - FRAME_SIZE, 2), FRAME_ALLOC_E_RANGE);
	CHECK_EQ(frame_alloc_free(&fa, RAM_BASE + 16 * MIB, 1), FRAME_ALLOC_E_RANGE);
	CHECK_EQ(frame_alloc_free(&fa, RAM_BASE + 4 * MIB, 1), FRAME_ALLOC_E_RANGE); /* the hole */
	CHECK_EQ(frame_alloc_free(&fa, RAM_BASE + 4 * MIB - FRAME_SIZE, 2), FRAME_ALLOC_E_RANGE);
	CHECK_EQ(frame_alloc_free(&fa, 0, 1), FRAME_ALLOC_E_RANGE);
	CHECK_EQ(frame_alloc_free(&fa, TOP_FRAME, 2), FRAME_ALLOC_E_RANGE);
	CHECK_EQ(frame_alloc_free(&fa, a, SIZE_MAX), FRAME_ALLOC_E_RANGE);
	CHECK_EQ(frame_alloc_free(&fa, a + 0x800, 1), FRAME_ALLOC_E_INVAL);
	CHECK_EQ(frame_alloc_free(&fa, a + 1, 1), FRAME_ALLOC_E_INVAL);
	CHECK_EQ(frame_alloc_free(&fa, a, 0), FRAME_ALLOC_E_INVAL);

	CHECK_EQ(frame_alloc_free_frames(&fa), free0);
	for (uint64_t i = 0; i < 4096; i++)
		CHECK(before_map[i] == frame_alloc_is_allocated(&fa, RAM_BASE + i * FRAME_SIZE));
	CHECK_EQ(frame_alloc_free(&fa, a, 1), 0);
	fake_free(&fp);
}

UNIT_TEST(metadata_cannot_be_freed)
{
	struct fake_phys fp = {0};
	struct frame_alloc fa;
	const struct boot_mem_range map[] = {R(RAM_BASE, 16 * MIB, BOOT_MEM_USABLE)};
	uint64_t meta = 0, free0;
	bool found = false;

	fake_add(&fp, RAM_BASE, 16 * MIB);
	CHECK_EQ(frame_alloc_init(&fa, map, 1, fake_p2v, &fp), 0);
	for (uint64_t i = 0; i < 4096 && !found; i++) {
		if (frame_alloc_is_allocated(&fa, RAM_BASE + i * FRAME_SIZE)) {
			meta = RAM_BASE + i * FRAME_SIZE;
			found = true;
		}
	}
	CHECK(found);
	free0 = frame_alloc_free_frames(&fa);
	CHECK_EQ(frame_alloc_free(&fa, meta, 1), FRAME_ALLOC_E_STATE);
	CHECK_EQ(frame_alloc_reserve(&fa, meta, 1), FRAME_ALLOC_E_STATE);
	CHECK_EQ(frame_alloc_free_frames(&fa), free0);
	CHECK(frame_alloc_is_allocated(&fa, meta));
	fake_free(&fp);
}

/* Marks [pa, pa + n frames) in a shadow map, failing on any frame already marked. */
static void shadow_take(bool *shadow, uint64_t pa, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t f = frame_index(pa) + i;

		CHECK(f < RAM_FRAMES);
		if (f >= RAM_FRAMES)
			return;
		CHECK(!shadow[f]);
		shadow[f] = true;
	}
}

UNIT_TEST(aligned_contiguous_allocations)
{
	struct fake_phys fp = {0};
	struct frame_alloc fa;
	static bool shadow[RAM_FRAMES];
	const struct boot_mem_range map[] = {R(RAM_BASE, RAM_SIZE, BOOT_MEM_USABLE)};
	const uint64_t block = 2 * MIB, per_block = 512;
	uint64_t pa, expect_blocks = 0, got_blocks = 0;

	memset(shadow, 0, sizeof(shadow));
	fake_add(&fp, RAM_BASE, RAM_SIZE);
	CHECK_EQ(frame_alloc_init(&fa, map, 1, fake_p2v, &fp), 0);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE, &pa), 0);
		shadow_take(shadow, pa, 1);
	}
	/* Blocks wholly free now: that many 2 MiB allocations must succeed, no more. */
	for (uint64_t b = 0; b < RAM_SIZE / block; b++)
		expect_blocks += count_in_use(&fa, RAM_BASE + b * block, per_block) == 0;
	CHECK(expect_blocks >= 29);

	for (;;) {
		uint64_t before = frame_alloc_free_frames(&fa);

		if (frame_alloc_alloc(&fa, per_block, block, &pa) != 0)
			break;
		got_blocks++;
		CHECK_EQ(pa % block, 0);
		CHECK_EQ(frame_alloc_free_frames(&fa), before - per_block);
		CHECK_EQ(count_in_use(&fa, pa, per_block), per_block);
		shadow_take(shadow, pa, per_block);
		if (got_blocks > RAM_SIZE / block)
			break;
	}
	CHECK_EQ(got_blocks, expect_blocks);

	/* Every frame the allocator says is in use is accounted for by us or metadata. */
	CHECK_EQ(count_in_use(&fa, RAM_BASE, RAM_FRAMES),
		 3 + got_blocks * per_block + frame_alloc_metadata_frames(&fa));

	/* Odd sizes and alignments into the space that is left. */
	CHECK_EQ(frame_alloc_free(&fa, RAM_BASE + 4 * block, per_block), 0);
	memset(&shadow[frame_index(RAM_BASE + 4 * block)], 0, per_block);
	const struct {
		size_t count;
		uint64_t align;
	} odd[] = {{3, 0x10000}, {1, MIB}, {7, FRAME_SIZE}, {16, 0x40000}, {2, 0x2000}};
	for (size_t i = 0; i < ARRAY_SIZE(odd); i++) {
		CHECK_EQ(frame_alloc_alloc(&fa, odd[i].count, odd[i].align, &pa), 0);
		CHECK_EQ(pa % odd[i].align, 0);
		shadow_take(shadow, pa, odd[i].count);
	}

	CHECK_EQ(frame_alloc_alloc(&fa, 1, 0, &pa), FRAME_ALLOC_E_INVAL);
	CHECK_EQ(frame_alloc_alloc(&fa, 1, 2048, &pa), FRAME_ALLOC_E_INVAL);
	CHECK_EQ(frame_alloc_alloc(&fa, 1, 3 * FRAME_SIZE, &pa), FRAME_ALLOC_E_INVAL);
	CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE + 1, &pa), FRAME_ALLOC_E_INVAL);
	CHECK_EQ(frame_alloc_alloc(&fa, 0, FRAME_SIZE, &pa), FRAME_ALLOC_E_INVAL);
	CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE, NULL), FRAME_ALLOC_E_INVAL);
	/* Nothing in fake RAM is aligned to 2^63; the largest alignment must not wrap. */
	CHECK_EQ(frame_alloc_alloc(&fa, 1, 1ull << 63, &pa), FRAME_ALLOC_E_NOMEM);
	fake_free(&fp);
}

UNIT_TEST(fragmentation_then_coalescing)
{
	struct fake_phys fp = {0};
	struct frame_alloc fa;
	const struct boot_mem_range map[] = {R(RAM_BASE, 256 * FRAME_SIZE, BOOT_MEM_USABLE)};
	const uint64_t frames[] = {256};
	uint64_t pa, n = 0;

	fake_add(&fp, RAM_BASE, 256 * FRAME_SIZE);
	CHECK_EQ(frame_alloc_init(&fa, map, 1, fake_p2v, &fp), 0);
	while (frame_alloc_alloc(&fa, 1, FRAME_SIZE, &pa) == 0 && n < 300)
		n++;
	CHECK_EQ(n, 256 - expected_meta(frames, 1));
	/* Free every even frame: plenty free, but no two adjacent. */
	for (uint64_t i = 0; i < 256; i += 2)
		CHECK_EQ(frame_alloc_free(&fa, RAM_BASE + i * FRAME_SIZE, 1), 0);
	CHECK_EQ(frame_alloc_alloc(&fa, 2, FRAME_SIZE, &pa), FRAME_ALLOC_E_NOMEM);
	CHECK_EQ(frame_alloc_free_frames(&fa), 128);

	/* Freeing frame 11 joins 10..12; frame 63 joins 62..64 across a bitmap word. */
	CHECK_EQ(frame_alloc_free(&fa, RAM_BASE + 11 * FRAME_SIZE, 1), 0);
	CHECK_EQ(frame_alloc_free(&fa, RAM_BASE + 63 * FRAME_SIZE, 1), 0);
	CHECK_EQ(frame_alloc_alloc(&fa, 3, FRAME_SIZE, &pa), 0);
	CHECK_EQ(pa, RAM_BASE + 10 * FRAME_SIZE);
	CHECK_EQ(frame_alloc_alloc(&fa, 3, FRAME_SIZE, &pa), 0);
	CHECK_EQ(pa, RAM_BASE + 62 * FRAME_SIZE);
	CHECK_EQ(frame_alloc_alloc(&fa, 2, FRAME_SIZE, &pa), FRAME_ALLOC_E_NOMEM);
	/* Free run 130..150: 8 frames at 32 KiB alignment fit first at 136. */
	for (uint64_t i = 131; i < 150; i += 2)
		CHECK_EQ(frame_alloc_free(&fa, RAM_BASE + i * FRAME_SIZE, 1), 0);
	CHECK_EQ(frame_alloc_alloc(&fa, 8, 8 * FRAME_SIZE, &pa), 0);
	CHECK_EQ(pa, RAM_BASE + 136 * FRAME_SIZE);
	fake_free(&fp);
}

UNIT_TEST(unaligned_range_edges)
{
	struct fake_phys fp = {0};
	struct frame_alloc fa;
	static bool seen[RAM_FRAMES];
	const struct boot_mem_range map[] = {
		R(0x40000800, 0x100000, BOOT_MEM_USABLE), /* whole frames 0x40001000..0x40100000 */
		R(0x40200001, 0xfff, BOOT_MEM_USABLE),    /* no whole frame */
		R(0x40300fff, 0x1002, BOOT_MEM_USABLE),   /* exactly 0x40301000 */
		R(0x40400000, 0x3000, BOOT_MEM_USABLE),
		R(0x40401800, 0x10, BOOT_MEM_RESERVED),   /* takes all of 0x40401000 */
	};
	uint64_t usable = count_usable(map, ARRAY_SIZE(map), RAM_BASE, RAM_FRAMES);

	memset(seen, 0, sizeof(seen));
	fake_add(&fp, RAM_BASE, RAM_SIZE);
	CHECK_EQ(usable, 255 + 1 + 2);
	CHECK_EQ(frame_alloc_init(&fa, map, ARRAY_SIZE(map), fake_p2v, &fp), 0);
	CHECK_EQ(frame_alloc_total_frames(&fa), usable);

	/* Alignment is of the physical address, not of the offset into the region. */
	uint64_t pa;

	CHECK_EQ(frame_alloc_alloc(&fa, 4, 0x4000, &pa), 0);
	CHECK_EQ(pa, 0x40004000);
	CHECK_EQ(frame_alloc_free(&fa, pa, 4), 0);

	uint64_t got = drain_singles(&fa, map, ARRAY_SIZE(map), seen);

	CHECK_EQ(got + frame_alloc_metadata_frames(&fa), usable);
	CHECK(!seen[frame_index(0x40000000)]);
	CHECK(seen[frame_index(0x40001000)]);
	CHECK(seen[frame_index(0x400ff000)]);
	CHECK(!seen[frame_index(0x40100000)]);
	CHECK(!seen[frame_index(0x40200000)]);
	CHECK(!seen[frame_index(0x40401000)]);
	CHECK_EQ(frame_alloc_free(&fa, 0x40000000, 1), FRAME_ALLOC_E_RANGE);
	CHECK_EQ(frame_alloc_free(&fa, 0x40100000, 1), FRAME_ALLOC_E_RANGE);
	CHECK_EQ(frame_alloc_free(&fa, 0x40400000, 2), FRAME_ALLOC_E_RANGE);
	fake_free(&fp);
}

UNIT_TEST(overlapping_and_duplicate_entries)
{
	struct fake_phys fp = {0};
	struct frame_alloc fa;
	const uint64_t A = RAM_BASE;
	const struct boot_mem_range map[] = {
		R(A, 8 * MIB, BOOT_MEM_USABLE),
		R(A + 4 * MIB, 8 * MIB, BOOT_MEM_USABLE), /* overlaps: union is 12 MiB */
		R(A, 8 * MIB, BOOT_MEM_USABLE),           /* duplicate */
		R(A + 32 * MIB, 1 * MIB, BOOT_MEM_RESERVED),
		R(A + 32 * MIB, 1 * MIB, BOOT_MEM_USABLE), /* listed both ways: not free */
		R(A + 40 * MIB, 4 * MIB, BOOT_MEM_USABLE),
		R(A + 39 * MIB, 2 * MIB, BOOT_MEM_RESERVED), /* cuts the start */
		R(A + 51 * MIB, 2 * MIB, BOOT_MEM_MODULE),   /* cuts the end */
		R(A + 48 * MIB, 4 * MIB, BOOT_MEM_USABLE),
		R(A + 56 * MIB, 1 * MIB, BOOT_MEM_USABLE),
		R(A + 57 * MIB, 1 * MIB, BOOT_MEM_USABLE), /* adjacent: one region */
		R(A + 0x800, 0, BOOT_MEM_RESERVED),        /* empty: blocks nothing */
		R(A + 41 * MIB + 0x10, 0, BOOT_MEM_KERNEL),
	};
	const uint64_t frames[] = {3072, 768, 768, 512};
	uint64_t meta = expected_meta(frames, 4);

	fake_add(&fp, RAM_BASE, RAM_SIZE);
	CHECK_EQ(frame_alloc_init(&fa, map, ARRAY_SIZE(map), fake_p2v, &fp), 0);
	CHECK_EQ(frame_alloc_total_frames(&fa), 3072 + 768 + 768 + 512);
	CHECK_EQ(frame_alloc_total_frames(&fa), count_usable(map, ARRAY_SIZE(map), RAM_BASE, RAM_FRAMES));
	CHECK_EQ(frame_alloc_free_frames(&fa), 3072 + 768 + 768 + 512 - meta);
	CHECK_EQ(frame_alloc_reserve(&fa, A + 32 * MIB, 1), FRAME_ALLOC_E_RANGE);
	CHECK_EQ(frame_alloc_reserve(&fa, A + 41 * MIB - FRAME_SIZE, 1), FRAME_ALLOC_E_RANGE);
	CHECK_EQ(frame_alloc_reserve(&fa, A + 41 * MIB, 1), 0);
	CHECK_EQ(frame_alloc_reserve(&fa, A, 1), 0);
	CHECK_EQ(frame_alloc_reserve(&fa, A + 51 * MIB, 1), FRAME_ALLOC_E_RANGE);
	CHECK_EQ(frame_alloc_reserve(&fa, A + 51 * MIB - FRAME_SIZE, 1), 0);
	/* The overlap and the adjacent pair are each one run, so one range may span them. */
	CHECK_EQ(frame_alloc_reserve(&fa, A + 8 * MIB - 2 * FRAME_SIZE, 4), 0);
	CHECK_EQ(frame_alloc_reserve(&fa, A + 57 * MIB - 2 * FRAME_SIZE, 4), 0);
	CHECK_EQ(frame_alloc_free_frames(&fa), 3072 + 768 + 768 + 512 - meta - 11);
	fake_free(&fp);
}

UNIT_TEST(entries_near_top_of_address_space)
{
	struct frame_alloc fa;
	static bool seen[RAM_FRAMES];
	uint64_t pa;

	/* A: usable entry wrapping past 2^64 is cut there; a wrapping reserved entry
	 * blocks up to 2^64 and not the low memory its wrapped end would name. */
	{
		struct fake_phys fp = {0};
		const struct boot_mem_range map[] = {
			R(RAM_BASE, 16 * MIB, BOOT_MEM_USABLE),
			R(0xffffffffffff0000ull, 0x20000, BOOT_MEM_USABLE),
			R(TOP_FRAME, 0x40002000, BOOT_MEM_RESERVED),
			R(UINT64_MAX, UINT64_MAX, BOOT_MEM_USABLE),
			R(0xfffffffffffff800ull, 0x800, BOOT_MEM_USABLE),
			R(UINT64_MAX, UINT64_MAX, BOOT_MEM_RESERVED),
		};
		const uint64_t frames[] = {4096, 15};

		memset(seen, 0, sizeof(seen));
		/* Only where the bitmaps go (top of the highest region) is reachable. */
		fake_add(&fp, TOP_FRAME - FRAME_SIZE, FRAME_SIZE);
		CHECK_EQ(expected_meta(frames, 2), 1);
		CHECK_EQ(frame_alloc_init(&fa, map, ARRAY_SIZE(map), fake_p2v, &fp), 0);
		CHECK_EQ(frame_alloc_total_frames(&fa), 4096 + 15);
		CHECK_EQ(frame_alloc_free_frames(&fa), 4096 + 15 - 1);
		CHECK(frame_alloc_is_allocated(&fa, TOP_FRAME - FRAME_SIZE));
		CHECK(!frame_alloc_is_allocated(&fa, TOP_FRAME));

		uint64_t got = 0, top = 0;

		while (frame_alloc_alloc(&fa, 1, FRAME_SIZE, &pa) == 0 && got < 5000) {
			got++;
			CHECK(pa != TOP_FRAME && pa != TOP_FRAME - FRAME_SIZE);
			if (pa >= RAM_BASE && pa < RAM_BASE + 16 * MIB) {
				CHECK(!seen[frame_index(pa)]);
				seen[frame_index(pa)] = true;
			} else {
				CHECK(pa >= 0xffffffffffff0000ull && pa < TOP_FRAME - FRAME_SIZE);
				top++;
			}
		}
		CHECK_EQ(got, 4096 + 14);
		CHECK_EQ(top, 14);
		CHECK_EQ(frame_alloc_free(&fa, TOP_FRAME - 2 * FRAME_SIZE, 2), FRAME_ALLOC_E_STATE);
		CHECK_EQ(frame_alloc_free(&fa, TOP_FRAME - 2 * FRAME_SIZE, 1), 0);
		CHECK_EQ(frame_alloc_free(&fa, TOP_FRAME, 1), FRAME_ALLOC_E_RANGE);
		fake_free(&fp);
	}

	/* B: the very last frame of the address space is usable and handed out. */
	{
		struct fake_phys fp = {0};
		const uint64_t low_frames = 32769; /* bitmap of 513 words: 2 frames */
		const struct boot_mem_range map[] = {
			R(TOP_FRAME, 0x1000, BOOT_MEM_USABLE), /* base + size wraps to exactly 0 */
			R(RAM_BASE, low_frames * FRAME_SIZE, BOOT_MEM_USABLE),
		};
		const uint64_t frames[] = {low_frames, 1};
		uint64_t meta = expected_meta(frames, 2);

		CHECK_EQ(meta, 2);
		/* Too big for the one-frame top region, so the bitmaps end the low one. */
		fake_add(&fp, RAM_BASE + (low_frames - meta) * FRAME_SIZE, meta * FRAME_SIZE);
		CHECK_EQ(frame_alloc_init(&fa, map, ARRAY_SIZE(map), fake_p2v, &fp), 0);
		CHECK_EQ(frame_alloc_total_frames(&fa), low_frames + 1);
		CHECK_EQ(frame_alloc_free_frames(&fa), low_frames + 1 - meta);
		CHECK(!frame_alloc_is_allocated(&fa, TOP_FRAME));
		CHECK_EQ(frame_alloc_reserve(&fa, TOP_FRAME, 2), FRAME_ALLOC_E_RANGE);
		CHECK_EQ(frame_alloc_reserve(&fa, TOP_FRAME - FRAME_SIZE, 1), FRAME_ALLOC_E_RANGE);
		CHECK_EQ(frame_alloc_reserve(&fa, RAM_BASE, low_frames - meta), 0);
		CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE, &pa), 0);
		CHECK_EQ(pa, TOP_FRAME);
		CHECK(frame_alloc_is_allocated(&fa, TOP_FRAME));
		CHECK_EQ(frame_alloc_free_frames(&fa), 0);
		CHECK_EQ(frame_alloc_free(&fa, TOP_FRAME, 1), 0);
		CHECK_EQ(frame_alloc_free(&fa, TOP_FRAME, 1), FRAME_ALLOC_E_STATE);
		CHECK_EQ(frame_alloc_alloc(&fa, 1, 1ull << 63, &pa), FRAME_ALLOC_E_NOMEM);
		CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE, &pa), 0);
		CHECK_EQ(pa, TOP_FRAME);
		fake_free(&fp);
	}
}

UNIT_TEST(empty_map)
{
	struct fake_phys fp = {0};
	struct frame_alloc fa;
	const struct boot_mem_range zero_sized[] = {
		R(RAM_BASE, 0, BOOT_MEM_USABLE),
		R(0, 0, BOOT_MEM_USABLE),
	};
	uint64_t pa;

	fake_add(&fp, RAM_BASE, 16 * MIB);
	memset(&fa, 0x5a, sizeof(fa)); /* failure must leave it usable-but-empty, not garbage */
	CHECK_EQ(frame_alloc_init(&fa, NULL, 0, fake_p2v, &fp), FRAME_ALLOC_E_NOMEM);
	CHECK_EQ(frame_alloc_total_frames(&fa), 0);
	CHECK_EQ(frame_alloc_free_frames(&fa), 0);
	CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE, &pa), FRAME_ALLOC_E_NOMEM);
	CHECK_EQ(frame_alloc_free(&fa, RAM_BASE, 1), FRAME_ALLOC_E_RANGE);
	CHECK_EQ(frame_alloc_reserve(&fa, RAM_BASE, 1), FRAME_ALLOC_E_RANGE);
	CHECK(!frame_alloc_is_allocated(&fa, RAM_BASE));
	CHECK_EQ(frame_alloc_init(&fa, zero_sized, ARRAY_SIZE(zero_sized), fake_p2v, &fp),
		 FRAME_ALLOC_E_NOMEM);
	CHECK_EQ(frame_alloc_total_frames(&fa), 0);
	CHECK_EQ(frame_alloc_init(&fa, NULL, 1, fake_p2v, &fp), FRAME_ALLOC_E_INVAL);
	CHECK_EQ(frame_alloc_init(&fa, zero_sized, 1, NULL, &fp), FRAME_ALLOC_E_INVAL);
	CHECK_EQ(frame_alloc_init(NULL, zero_sized, 1, fake_p2v, &fp), FRAME_ALLOC_E_INVAL);
	fake_free(&fp);
}

UNIT_TEST(only_reserved_memory)
{
	struct fake_phys fp = {0};
	struct frame_alloc fa;
	const struct boot_mem_range reserved_only[] = {
		R(RAM_BASE, 4 * MIB, BOOT_MEM_RESERVED),
		R(RAM_BASE + 4 * MIB, 4 * MIB, BOOT_MEM_KERNEL),
		R(RAM_BASE + 8 * MIB, 4 * MIB, BOOT_MEM_MODULE),
		R(RAM_BASE + 12 * MIB, 1 * MIB, BOOT_MEM_BOOT_DATA),
		R(RAM_BASE + 13 * MIB, 1 * MIB, BOOT_MEM_ACPI),
	};
	const struct boot_mem_range covered[] = {
		R(RAM_BASE, 2 * MIB, BOOT_MEM_RESERVED),
		R(RAM_BASE, 4 * MIB, BOOT_MEM_USABLE),
		R(RAM_BASE + 0x1ff800, 0x200800, BOOT_MEM_KERNEL),
	};
	const struct boot_mem_range sub_frame[] = {R(RAM_BASE + 0x800, 0x1000, BOOT_MEM_USABLE)};
	uint64_t pa;

	fake_add(&fp, RAM_BASE, 16 * MIB);
	CHECK_EQ(frame_alloc_init(&fa, reserved_only, ARRAY_SIZE(reserved_only), fake_p2v, &fp),
		 FRAME_ALLOC_E_NOMEM);
	CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE, &pa), FRAME_ALLOC_E_NOMEM);
	CHECK_EQ(frame_alloc_init(&fa, covered, ARRAY_SIZE(covered), fake_p2v, &fp),
		 FRAME_ALLOC_E_NOMEM);
	CHECK_EQ(frame_alloc_init(&fa, sub_frame, 1, fake_p2v, &fp), FRAME_ALLOC_E_NOMEM);
	CHECK_EQ(frame_alloc_total_frames(&fa), 0);
	/* Nothing was written: the memory still holds its fill pattern. */
	for (uint64_t i = 0; i < 16 * MIB; i++)
		if (fp.win[0].mem[i] != FILL) {
			CHECK(false);
			break;
		}
	fake_free(&fp);
}

UNIT_TEST(region_limit)
{
	struct fake_phys fp = {0};
	struct frame_alloc fa;
	struct boot_mem_range map[FRAME_ALLOC_MAX_REGIONS + 1];

	fake_add(&fp, RAM_BASE, 16 * MIB);
	/* One-frame runs separated by one-frame gaps: each is its own region. */
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		map[i] = (struct boot_mem_range)R(RAM_BASE + 2 * i * FRAME_SIZE, FRAME_SIZE,
						  BOOT_MEM_USABLE);
	CHECK_EQ(frame_alloc_init(&fa, map, FRAME_ALLOC_MAX_REGIONS, fake_p2v, &fp), 0);
	CHECK_EQ(frame_alloc_total_frames(&fa), FRAME_ALLOC_MAX_REGIONS);
	CHECK_EQ(frame_alloc_free_frames(&fa), FRAME_ALLOC_MAX_REGIONS - 1);
	CHECK_EQ(frame_alloc_init(&fa, map, ARRAY_SIZE(map), fake_p2v, &fp), FRAME_ALLOC_E_RANGE);
	CHECK_EQ(frame_alloc_total_frames(&fa), 0);
	CHECK_EQ(frame_alloc_free_frames(&fa), 0);
	/* Closing one gap merges two runs, and the same map fits again. */
	map[0].size = 2 * FRAME_SIZE;
	CHECK_EQ(frame_alloc_init(&fa, map, ARRAY_SIZE(map), fake_p2v, &fp), 0);
	CHECK_EQ(frame_alloc_total_frames(&fa), FRAME_ALLOC_MAX_REGIONS + 2);
	fake_free(&fp);
}

UNIT_TEST(unreachable_metadata_refused)
{
	struct fake_phys fp = {0};
	struct frame_alloc fa;
	const struct boot_mem_range map[] = {R(RAM_BASE, 16 * MIB, BOOT_MEM_USABLE)};

	fake_add(&fp, RAM_BASE, 16 * MIB);
	fp.return_null = true;
	CHECK_EQ(frame_alloc_init(&fa, map, 1, fake_p2v, &fp), FRAME_ALLOC_E_RANGE);
	CHECK_EQ(frame_alloc_total_frames(&fa), 0);
	CHECK_EQ(frame_alloc_free_frames(&fa), 0);
	fake_free(&fp);
}

UNIT_TEST(reserve_marks_frames_used)
{
	struct fake_phys fp = {0};
	struct frame_alloc fa;
	static bool seen[RAM_FRAMES];
	const struct boot_mem_range map[] = {R(RAM_BASE, 16 * MIB, BOOT_MEM_USABLE)};
	const uint64_t carve = RAM_BASE + 0x10000;
	uint64_t free0, a;

	memset(seen, 0, sizeof(seen));
	fake_add(&fp, RAM_BASE, 16 * MIB);
	CHECK_EQ(frame_alloc_init(&fa, map, 1, fake_p2v, &fp), 0);
	free0 = frame_alloc_free_frames(&fa);
	CHECK_EQ(frame_alloc_reserve(&fa, carve, 16), 0);
	CHECK_EQ(frame_alloc_free_frames(&fa), free0 - 16);
	CHECK_EQ(frame_alloc_total_frames(&fa), 4096);
	CHECK_EQ(count_in_use(&fa, carve, 16), 16);
	CHECK_EQ(frame_alloc_reserve(&fa, carve + 15 * FRAME_SIZE, 2), FRAME_ALLOC_E_STATE);
	CHECK(!frame_alloc_is_allocated(&fa, carve + 16 * FRAME_SIZE));
	CHECK_EQ(frame_alloc_reserve(&fa, carve + 0x800, 1), FRAME_ALLOC_E_INVAL);
	CHECK_EQ(frame_alloc_reserve(&fa, carve, 0), FRAME_ALLOC_E_INVAL);
	CHECK_EQ(frame_alloc_reserve(&fa, RAM_BASE + 16 * MIB - FRAME_SIZE, 2), FRAME_ALLOC_E_RANGE);
	CHECK_EQ(frame_alloc_free_frames(&fa), free0 - 16);

	CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE, &a), 0);
	CHECK_EQ(frame_alloc_reserve(&fa, a, 1), FRAME_ALLOC_E_STATE);
	CHECK_EQ(frame_alloc_free(&fa, a, 1), 0);

	uint64_t got = drain_singles(&fa, map, 1, seen);

	CHECK_EQ(got, free0 - 16);
	for (uint64_t i = 0; i < 16; i++)
		CHECK(!seen[frame_index(carve) + i]);
	/* A reserved range is released like an allocated one. */
	CHECK_EQ(frame_alloc_free(&fa, carve, 16), 0);
	CHECK_EQ(frame_alloc_free_frames(&fa), 16);
	fake_free(&fp);
}

UNIT_TEST(writes_only_its_metadata)
{
	struct fake_phys fp = {0};
	struct frame_alloc fa;
	const struct boot_mem_range map[] = {
		R(RAM_BASE, 8 * MIB, BOOT_MEM_USABLE),
		R(RAM_BASE + 32 * MIB, 32 * MIB, BOOT_MEM_USABLE),
		R(RAM_BASE + 40 * MIB, 1 * MIB, BOOT_MEM_RESERVED),
	};
	uint64_t pa[64];
	size_t changed_outside = 0;

	fake_add(&fp, RAM_BASE, RAM_SIZE);
	CHECK_EQ(frame_alloc_init(&fa, map, ARRAY_SIZE(map), fake_p2v, &fp), 0);
	/* Stand in for users of the frames: write into what we are given. */
	for (size_t i = 0; i < ARRAY_SIZE(pa); i++) {
		CHECK_EQ(frame_alloc_alloc(&fa, 1 + i % 3, FRAME_SIZE << (i % 4), &pa[i]), 0);
		memset(fp.win[0].mem + (pa[i] - RAM_BASE), 0x11, FRAME_SIZE);
	}
	for (size_t i = 0; i < ARRAY_SIZE(pa); i += 2)
		CHECK_EQ(frame_alloc_free(&fa, pa[i], 1 + i % 3), 0);
	for (size_t i = 0; i < 8; i++) {
		uint64_t x;

		CHECK_EQ(frame_alloc_alloc(&fa, 2, FRAME_SIZE, &x), 0);
	}
	for (uint64_t f = 0; f < RAM_FRAMES; f++) {
		const unsigned char *m = fp.win[0].mem + f * FRAME_SIZE;
		uint64_t frame_pa = RAM_BASE + f * FRAME_SIZE;
		bool ours = false;

		for (size_t i = 0; i < ARRAY_SIZE(pa); i++)
			ours |= frame_pa == pa[i];
		if (ours || frame_alloc_is_allocated(&fa, frame_pa))
			continue; /* metadata, or written by us above */
		for (uint64_t b = 0; b < FRAME_SIZE; b++)
			changed_outside += m[b] != FILL;
	}
	CHECK_EQ(changed_outside, 0);
	/* Our writes into frames we hold are untouched by the allocator. */
	for (size_t i = 1; i < ARRAY_SIZE(pa); i += 2)
		CHECK_EQ(fp.win[0].mem[pa[i] - RAM_BASE + FRAME_SIZE - 1], 0x11);
	CHECK_EQ(frame_alloc_metadata_frames(&fa), 1);
	fake_free(&fp);
}

UNIT_TEST(instances_are_independent)
{
	struct fake_phys fp1 = {0}, fp2 = {0};
	struct frame_alloc a, b;
	const struct boot_mem_range map[] = {R(RAM_BASE, 16 * MIB, BOOT_MEM_USABLE)};
	uint64_t pa, pb, free_b;

	fake_add(&fp1, RAM_BASE, 16 * MIB);
	fake_add(&fp2, RAM_BASE, 16 * MIB);
	CHECK_EQ(frame_alloc_init(&a, map, 1, fake_p2v, &fp1), 0);
	CHECK_EQ(frame_alloc_init(&b, map, 1, fake_p2v, &fp2), 0);
	free_b = frame_alloc_free_frames(&b);
	for (int i = 0; i < 100; i++)
		CHECK_EQ(frame_alloc_alloc(&a, 1, FRAME_SIZE, &pa), 0);
	CHECK_EQ(frame_alloc_free_frames(&b), free_b);
	CHECK_EQ(frame_alloc_alloc(&b, 1, FRAME_SIZE, &pb), 0);
	CHECK_EQ(pb, RAM_BASE); /* b's first frame is still its lowest */
	CHECK(!frame_alloc_is_allocated(&b, pa));
	CHECK_EQ(frame_alloc_free_frames(&a), frame_alloc_free_frames(&b) - 99);
	fake_free(&fp1);
	fake_free(&fp2);
}

UNIT_TEST(bitmaps_follow_a_new_mapping)
{
	struct fake_phys early = {0}, direct = {0};
	struct frame_alloc fa;
	const struct boot_mem_range map[] = {R(RAM_BASE, 16 * MIB, BOOT_MEM_USABLE)};
	uint64_t a, b, pa, free_before;

	fake_add(&early, RAM_BASE, 16 * MIB);
	fake_add(&direct, RAM_BASE, 16 * MIB);
	CHECK_EQ(frame_alloc_init(&fa, map, 1, fake_p2v, &early), 0);
	CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE, &a), 0);
	CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE, &b), 0);
	CHECK_EQ(frame_alloc_free(&fa, a, 1), 0);
	free_before = frame_alloc_free_frames(&fa);

	/* A refused switch keeps the old pointers. */
	direct.return_null = true;
	CHECK_EQ(frame_alloc_set_phys_to_virt(&fa, fake_p2v, &direct), FRAME_ALLOC_E_RANGE);
	CHECK(frame_alloc_is_allocated(&fa, b));
	direct.return_null = false;
	CHECK_EQ(frame_alloc_set_phys_to_virt(&fa, NULL, &direct), FRAME_ALLOC_E_INVAL);

	/* The same physical memory seen at a second address; then the first goes bad. */
	memcpy(direct.win[0].mem, early.win[0].mem, 16 * MIB);
	CHECK_EQ(frame_alloc_set_phys_to_virt(&fa, fake_p2v, &direct), 0);
	memset(early.win[0].mem, 0xff, 16 * MIB); /* all "used": any stale read would show */
	CHECK_EQ(frame_alloc_free_frames(&fa), free_before);
	CHECK(frame_alloc_is_allocated(&fa, b));
	CHECK(!frame_alloc_is_allocated(&fa, a));
	CHECK_EQ(frame_alloc_alloc(&fa, 1, FRAME_SIZE, &pa), 0);
	CHECK_EQ(pa, a);
	CHECK_EQ(frame_alloc_free(&fa, b, 1), 0);
	CHECK_EQ(frame_alloc_alloc(&fa, 2, FRAME_SIZE, &pa), 0);
	CHECK_EQ(pa, b);
	fake_free(&early);
	fake_free(&direct);
}

/* xorshift64*: fixed seed, so a failure reproduces exactly. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

enum { SH_UNMANAGED, SH_FREE, SH_USED, SH_META };

struct live {
	uint64_t pa;
	uint64_t count;
};

/* Whether the shadow holds any free run of `count` frames at `align`. */
static bool shadow_has_run(const unsigned char *sh, uint64_t count, uint64_t align)
{
	uint64_t step = align / FRAME_SIZE, run = 0;

	for (uint64_t f = 0; f < RAM_FRAMES; f++) {
		run = sh[f] == SH_FREE ? run + 1 : 0;
		/* run ends at f, so it starts at f + 1 - count */
		if (run >= count && ((RAM_BASE / FRAME_SIZE + f + 1 - count) % step) == 0)
			return true;
	}
	return false;
}

UNIT_TEST(random_stress_against_shadow)
{
	struct fake_phys fp = {0};
	struct frame_alloc fa;
	static unsigned char sh[RAM_FRAMES];
	static struct live live[RAM_FRAMES];
	size_t nlive = 0;
	const struct boot_mem_range map[] = {
		R(RAM_BASE, RAM_SIZE, BOOT_MEM_USABLE),
		R(0x40200000, 2 * MIB + 0x3000, BOOT_MEM_KERNEL),
		R(0x42345000, 0x3000, BOOT_MEM_RESERVED),
		R(0x43fff000, 0x1000, BOOT_MEM_BOOT_DATA),
	};
	uint64_t shadow_free = 0, nomem = 0, allocs = 0, frees = 0;
	int failures_before = unit_failures_in_test;

	rng_state = 0x9e3779b97f4a7c15ull;
	fake_add(&fp, RAM_BASE, RAM_SIZE);
	CHECK_EQ(frame_alloc_init(&fa, map, ARRAY_SIZE(map), fake_p2v, &fp), 0);
	for (uint64_t f = 0; f < RAM_FRAMES; f++) {
		uint64_t pa = RAM_BASE + f * FRAME_SIZE;

		if (!frame_is_usable(map, ARRAY_SIZE(map), pa))
			sh[f] = SH_UNMANAGED;
		else if (frame_alloc_is_allocated(&fa, pa))
			sh[f] = SH_META;
		else
			sh[f] = SH_FREE;
		shadow_free += sh[f] == SH_FREE;
	}
	CHECK_EQ(frame_alloc_free_frames(&fa), shadow_free);
	const uint64_t free0 = shadow_free;

	for (int op = 0; op < 100000 && unit_failures_in_test == failures_before; op++) {
		uint64_t r = rng() % 100;
		/* Lean towards freeing when nearly full, so both regimes get time. */
		bool full = shadow_free < free0 / 8;
		uint64_t alloc_pct = full ? 35 : 60;

		if (r < alloc_pct) {
			uint64_t count = 1, align = FRAME_SIZE, pa = 0;

			if (rng() % 3 == 0) {
				count = 1 + rng() % (rng() % 8 == 0 ? 1024 : 32);
				align = FRAME_SIZE << (rng() % 10);
			}
			int err = frame_alloc_alloc(&fa, count, align, &pa);

			if (err) {
				CHECK_EQ(err, FRAME_ALLOC_E_NOMEM);
				CHECK(!shadow_has_run(sh, count, align));
				nomem++;
				continue;
			}
			allocs++;
			CHECK_EQ(pa % align, 0);
			CHECK(pa >= RAM_BASE && frame_index(pa) + count <= RAM_FRAMES);
			if (!(pa >= RAM_BASE && frame_index(pa) + count <= RAM_FRAMES))
				break;
			for (uint64_t i = 0; i < count; i++) {
				CHECK_EQ(sh[frame_index(pa) + i], SH_FREE); /* never handed out twice */
				sh[frame_index(pa) + i] = SH_USED;
			}
			shadow_free -= count;
			live[nlive++] = (struct live){pa, count};
		} else if (r < 97 && nlive) {
			size_t k = rng() % nlive;
			struct live l = live[k];

			CHECK_EQ(frame_alloc_free(&fa, l.pa, l.count), 0);
			for (uint64_t i = 0; i < l.count; i++)
				sh[frame_index(l.pa) + i] = SH_FREE;
			shadow_free += l.count;
			live[k] = live[--nlive];
			frees++;
		} else {
			/* A bad free: a range that is not entirely in use must change nothing. */
			uint64_t f = rng() % RAM_FRAMES, n = 1 + rng() % 4, used = 0, managed = 0;
			int expect;

			for (uint64_t i = f; i < f + n && i < RAM_FRAMES; i++) {
				used += sh[i] == SH_USED;
				managed += sh[i] != SH_UNMANAGED;
			}
			if (used == n)
				continue; /* that would be a valid free */
			int err = frame_alloc_free(&fa, RAM_BASE + f * FRAME_SIZE, n);

			if (f + n > RAM_FRAMES || managed != n)
				expect = FRAME_ALLOC_E_RANGE;
			else
				expect = FRAME_ALLOC_E_STATE;
			/* Regions are separated by unmanaged frames, so all-managed means one region. */
			CHECK_EQ(err, expect);
		}
		CHECK_EQ(frame_alloc_free_frames(&fa), shadow_free);
		if (op % 4096 == 0)
			for (uint64_t f = 0; f < RAM_FRAMES; f++)
				CHECK_EQ(frame_alloc_is_allocated(&fa, RAM_BASE + f * FRAME_SIZE),
					 sh[f] == SH_USED || sh[f] == SH_META);
	}
	/* Both regimes happened, or the test proved less than it claims. */
	CHECK(allocs > 20000 && frees > 20000 && nomem > 100);

	while (nlive) {
		nlive--;
		CHECK_EQ(frame_alloc_free(&fa, live[nlive].pa, live[nlive].count), 0);
	}
	CHECK_EQ(frame_alloc_free_frames(&fa), free0);
	/* Everything coalesced again: the largest run below the kernel hole is whole. */
	uint64_t pa;

	CHECK_EQ(frame_alloc_alloc(&fa, 512, 2 * MIB, &pa), 0);
	CHECK_EQ(pa, RAM_BASE);
	CHECK_EQ(frame_alloc_free(&fa, pa, 512), 0);
	CHECK_EQ(frame_alloc_free_frames(&fa), frame_alloc_total_frames(&fa) -
							frame_alloc_metadata_frames(&fa));
	fake_free(&fp);
}
