// SPDX-License-Identifier: BSD-2-Clause
// The physical frame allocator; see frame_alloc.h and docs/memory.md.
#include "frame_alloc.h"

/*
 * All internal arithmetic is in frame numbers (pfns), not byte addresses:
 * the end of a range touching 2^64 is pfn 2^52, which a uint64_t holds,
 * while its byte address would wrap to 0.
 */
#define PFN_LIMIT (1ull << (64 - FRAME_SHIFT))
#define FRAME_MASK (FRAME_SIZE - 1)
#define WORD_BITS 64u
#define WORD_FULL (~0ull)

static uint64_t frame_alloc_div_up(uint64_t n, uint64_t d)
{
	return n / d + (n % d != 0);
}

/*
 * pow2 must be a power of two. Callers pass x < 2^53 and pow2 <= 2^51 (an
 * alignment of at most 2^63 bytes), so the sum cannot wrap.
 */
static uint64_t frame_alloc_align_up(uint64_t x, uint64_t pow2)
{
	return (x + pow2 - 1) & ~(pow2 - 1);
}

/* An entry's first and end frame, each rounded both ways; the end cannot wrap. */
static void frame_alloc_entry_bounds(const struct boot_mem_range *e, uint64_t *first_pfn_down,
				     uint64_t *first_pfn_up, uint64_t *end_pfn_down,
				     uint64_t *end_pfn_up)
{
	uint64_t base = e->base;
	uint64_t size = e->size;

	*first_pfn_down = base >> FRAME_SHIFT;
	*first_pfn_up = *first_pfn_down + ((base & FRAME_MASK) != 0);
	if (size > UINT64_MAX - base) {
		/* Cut at 2^64 rather than wrap to a low address. */
		*end_pfn_down = PFN_LIMIT;
		*end_pfn_up = PFN_LIMIT;
	} else {
		uint64_t end = base + size;

		*end_pfn_down = end >> FRAME_SHIFT;
		*end_pfn_up = *end_pfn_down + ((end & FRAME_MASK) != 0);
	}
}

/* Unknown types count as not usable: handing out firmware memory is the worse mistake. */
static bool frame_alloc_entry_usable(const struct boot_mem_range *e)
{
	return e->type == BOOT_MEM_USABLE;
}

/*
 * Usable entries shrink to the whole frames inside them (a partial frame may
 * share its other bytes with something else); every other type grows to the
 * whole frames it touches. Empty ranges come back as start >= end.
 */
static void frame_alloc_entry_pfns(const struct boot_mem_range *e, uint64_t *start,
				   uint64_t *end)
{
	uint64_t down, up, end_down, end_up;

	if (e->size == 0) {
		*start = 0;
		*end = 0;
		return;
	}
	frame_alloc_entry_bounds(e, &down, &up, &end_down, &end_up);
	if (frame_alloc_entry_usable(e)) {
		*start = up;
		*end = end_down;
	} else {
		*start = down;
		*end = end_up;
	}
}

static bool frame_alloc_map_is_free(const struct boot_mem_range *map, size_t count, uint64_t pfn)
{
	bool usable = false;

	for (size_t i = 0; i < count; i++) {
		uint64_t s, e;

		frame_alloc_entry_pfns(&map[i], &s, &e);
		if (pfn < s || pfn >= e)
			continue;
		if (!frame_alloc_entry_usable(&map[i]))
			return false;
		usable = true;
	}
	return usable;
}

/*
 * Finds the lowest maximal free run starting at or after `from`. A run can
 * only start where a usable range starts or a blocking range ends, and only
 * end where a usable range ends or a blocking range starts, so only those
 * points are tried. O(count^2) per run; it runs once, at boot, on a few
 * hundred entries at most. Returns false when there is none.
 */
static bool frame_alloc_map_next_run(const struct boot_mem_range *map, size_t count, uint64_t from,
				     uint64_t *run_start, uint64_t *run_end)
{
	uint64_t best = PFN_LIMIT;

	for (size_t i = 0; i < count; i++) {
		uint64_t s, e, p;

		frame_alloc_entry_pfns(&map[i], &s, &e);
		if (s >= e)
			continue;
		p = frame_alloc_entry_usable(&map[i]) ? s : e;
		if (p >= from && p < best && frame_alloc_map_is_free(map, count, p))
			best = p;
	}
	if (best == PFN_LIMIT)
		return false;

	uint64_t end = PFN_LIMIT;

	for (size_t i = 0; i < count; i++) {
		uint64_t s, e, p;

		frame_alloc_entry_pfns(&map[i], &s, &e);
		if (s >= e)
			continue;
		p = frame_alloc_entry_usable(&map[i]) ? e : s;
		if (p > best && p < end && !frame_alloc_map_is_free(map, count, p))
			end = p;
	}
	*run_start = best;
	*run_end = end;
	return true;
}

static uint64_t frame_alloc_words(uint64_t frames)
{
	return frame_alloc_div_up(frames, WORD_BITS);
}

/* Mask of bits [lo, hi) of one word, 0 <= lo < hi <= 64. */
static uint64_t frame_alloc_mask(unsigned lo, unsigned hi)
{
	uint64_t upto = hi == WORD_BITS ? WORD_FULL : (1ull << hi) - 1;

	return upto & ~((1ull << lo) - 1);
}

/*
 * First index in [from, to) whose bit equals `set`, or `to`. Whole words
 * that cannot match are skipped, which is what makes scans over full (or
 * empty) stretches cheap.
 */
static uint64_t frame_alloc_find(const uint64_t *bm, uint64_t from, uint64_t to, bool set)
{
	while (from < to) {
		uint64_t w = from / WORD_BITS;
		unsigned lo = (unsigned)(from % WORD_BITS);
		unsigned hi = to - w * WORD_BITS >= WORD_BITS ? WORD_BITS
							       : (unsigned)(to - w * WORD_BITS);
		uint64_t word = (set ? bm[w] : ~bm[w]) & frame_alloc_mask(lo, hi);

		if (word)
			return w * WORD_BITS + (uint64_t)__builtin_ctzll(word);
		from = (w + 1) * WORD_BITS;
	}
	return to;
}

static void frame_alloc_fill(uint64_t *bm, uint64_t from, uint64_t to, bool set)
{
	while (from < to) {
		uint64_t w = from / WORD_BITS;
		unsigned lo = (unsigned)(from % WORD_BITS);
		unsigned hi = to - w * WORD_BITS >= WORD_BITS ? WORD_BITS
							       : (unsigned)(to - w * WORD_BITS);
		uint64_t m = frame_alloc_mask(lo, hi);

		bm[w] = set ? bm[w] | m : bm[w] & ~m;
		from = (w + 1) * WORD_BITS;
	}
}

static void frame_alloc_clear_all(struct frame_alloc *fa)
{
	fa->region_count = 0;
	fa->total_frames = 0;
	fa->free_frames = 0;
	fa->metadata_pa = 0;
	fa->metadata_frames = 0;
	for (size_t i = 0; i < FRAME_ALLOC_MAX_REGIONS; i++) {
		struct frame_alloc_region *r = &fa->regions[i];

		r->base_pfn = 0;
		r->frames = 0;
		r->free_frames = 0;
		r->first_nonfull_word = 0;
		r->bitmap = NULL;
	}
}

/* Marks [idx, idx + n) of region r used or free and keeps the counters exact. */
static void frame_alloc_mark(struct frame_alloc *fa, struct frame_alloc_region *r, uint64_t idx,
			     uint64_t n, bool used)
{
	frame_alloc_fill(r->bitmap, idx, idx + n, used);
	if (used) {
		r->free_frames -= n;
		fa->free_frames -= n;
	} else {
		r->free_frames += n;
		fa->free_frames += n;
		if (idx / WORD_BITS < r->first_nonfull_word)
			r->first_nonfull_word = idx / WORD_BITS;
	}
}

/*
 * Where each region's bitmap is, through p2v: they lie back to back from
 * metadata_pa in region order. Nothing is written, so a failure leaves the
 * allocator as it was.
 */
static int frame_alloc_bitmap_ptrs(const struct frame_alloc *fa, frame_alloc_phys_to_virt_fn p2v,
				   void *ctx, uint64_t **out)
{
	uint64_t offset = 0;

	for (size_t i = 0; i < fa->region_count; i++) {
		void *p = p2v(fa->metadata_pa + offset * sizeof(uint64_t), ctx);

		if (!p || ((uintptr_t)p & (_Alignof(uint64_t) - 1)))
			return FRAME_ALLOC_E_RANGE;
		out[i] = p;
		offset += frame_alloc_words(fa->regions[i].frames);
	}
	return 0;
}

int frame_alloc_init(struct frame_alloc *fa, const struct boot_mem_range *map, size_t count,
		     frame_alloc_phys_to_virt_fn p2v, void *ctx)
{
	if (!fa)
		return FRAME_ALLOC_E_INVAL;
	frame_alloc_clear_all(fa);
	if ((count && !map) || !p2v)
		return FRAME_ALLOC_E_INVAL;

	/* Regions first, entirely from the map, before any metadata is written. */
	size_t n = 0;
	uint64_t cursor = 0, start, end;

	while (cursor < PFN_LIMIT && frame_alloc_map_next_run(map, count, cursor, &start, &end)) {
		if (n == FRAME_ALLOC_MAX_REGIONS) {
			frame_alloc_clear_all(fa);
			return FRAME_ALLOC_E_RANGE;
		}
		fa->regions[n].base_pfn = start;
		fa->regions[n].frames = end - start;
		n++;
		cursor = end;
	}
	if (n == 0)
		return FRAME_ALLOC_E_NOMEM;

	uint64_t words = 0;

	for (size_t i = 0; i < n; i++)
		words += frame_alloc_words(fa->regions[i].frames);
	uint64_t meta_frames = frame_alloc_div_up(words * sizeof(uint64_t), FRAME_SIZE);

	/*
	 * All bitmaps go in one run at the top of the highest region that holds
	 * them: low memory is what devices with narrow DMA need, and the start
	 * of every region stays aligned for large allocations. One run instead
	 * of one bitmap per region keeps small regions from losing a whole frame
	 * to a few bytes of bitmap.
	 */
	size_t home = n;

	for (size_t i = n; i-- > 0;) {
		if (fa->regions[i].frames >= meta_frames) {
			home = i;
			break;
		}
	}
	if (home == n) {
		/* Cannot happen with 32 regions (bitmaps are 1/32768 of memory
		 * plus a word per region), but the bound is not checked here. */
		frame_alloc_clear_all(fa);
		return FRAME_ALLOC_E_NOMEM;
	}
	uint64_t meta_pfn = fa->regions[home].base_pfn + fa->regions[home].frames - meta_frames;
	uint64_t *bitmaps[FRAME_ALLOC_MAX_REGIONS];

	fa->region_count = n;
	fa->metadata_pa = meta_pfn << FRAME_SHIFT;
	if (frame_alloc_bitmap_ptrs(fa, p2v, ctx, bitmaps)) {
		frame_alloc_clear_all(fa);
		return FRAME_ALLOC_E_RANGE;
	}
	for (size_t i = 0; i < n; i++)
		fa->regions[i].bitmap = bitmaps[i];

	for (size_t i = 0; i < n; i++) {
		struct frame_alloc_region *r = &fa->regions[i];
		uint64_t w = frame_alloc_words(r->frames);

		for (uint64_t j = 0; j < w; j++)
			r->bitmap[j] = 0;
		/* Padding reads as used, so a full last word is skipped like any other. */
		frame_alloc_fill(r->bitmap, r->frames, w * WORD_BITS, true);
		r->free_frames = r->frames;
		r->first_nonfull_word = 0;
		fa->total_frames += r->frames;
		fa->free_frames += r->frames;
	}
	fa->metadata_frames = meta_frames;
	frame_alloc_mark(fa, &fa->regions[home], meta_pfn - fa->regions[home].base_pfn, meta_frames,
			 true);
	return 0;
}

int frame_alloc_set_phys_to_virt(struct frame_alloc *fa, frame_alloc_phys_to_virt_fn p2v,
				 void *ctx)
{
	uint64_t *bitmaps[FRAME_ALLOC_MAX_REGIONS];

	if (!fa || !p2v)
		return FRAME_ALLOC_E_INVAL;
	if (frame_alloc_bitmap_ptrs(fa, p2v, ctx, bitmaps))
		return FRAME_ALLOC_E_RANGE;
	for (size_t i = 0; i < fa->region_count; i++)
		fa->regions[i].bitmap = bitmaps[i];
	return 0;
}

/*
 * The common case: one frame, no alignment. Starts at the region's first
 * non-full word and skips full words, then takes the lowest clear bit.
 */
static bool frame_alloc_alloc_one(struct frame_alloc *fa, uint64_t *pa)
{
	for (size_t i = 0; i < fa->region_count; i++) {
		struct frame_alloc_region *r = &fa->regions[i];
		uint64_t words = frame_alloc_words(r->frames);
		uint64_t w = r->first_nonfull_word;

		if (r->free_frames == 0)
			continue;
		while (w < words && r->bitmap[w] == WORD_FULL)
			w++;
		r->first_nonfull_word = w;
		if (w == words)
			continue; /* counters disagree with the bitmap; never hand out a used frame */

		uint64_t idx = w * WORD_BITS + (uint64_t)__builtin_ctzll(~r->bitmap[w]);

		frame_alloc_mark(fa, r, idx, 1, true);
		*pa = (r->base_pfn + idx) << FRAME_SHIFT;
		return true;
	}
	return false;
}

/*
 * First fit for a run of n frames whose pfn is a multiple of align_frames.
 * Each candidate either fits or is abandoned at its first used frame, and
 * the next candidate is the first free frame after that, aligned up; so the
 * scan moves forward only and skips whole words on the way.
 */
static bool frame_alloc_find_run(const struct frame_alloc_region *r, uint64_t n,
				 uint64_t align_frames, uint64_t *idx)
{
	uint64_t cand = r->first_nonfull_word * WORD_BITS;

	for (;;) {
		cand = frame_alloc_find(r->bitmap, cand, r->frames, false);
		if (cand >= r->frames)
			return false;
		cand = frame_alloc_align_up(r->base_pfn + cand, align_frames) - r->base_pfn;
		if (cand >= r->frames || r->frames - cand < n)
			return false;

		uint64_t used = frame_alloc_find(r->bitmap, cand, cand + n, true);

		if (used == cand + n) {
			*idx = cand;
			return true;
		}
		cand = used + 1;
	}
}

int frame_alloc_alloc(struct frame_alloc *fa, size_t count, uint64_t align, uint64_t *pa)
{
	if (!fa || !pa || count == 0 || align < FRAME_SIZE || (align & (align - 1)))
		return FRAME_ALLOC_E_INVAL;
	if (count > fa->free_frames)
		return FRAME_ALLOC_E_NOMEM;
	if (count == 1 && align == FRAME_SIZE)
		return frame_alloc_alloc_one(fa, pa) ? 0 : FRAME_ALLOC_E_NOMEM;

	uint64_t align_frames = align >> FRAME_SHIFT;

	for (size_t i = 0; i < fa->region_count; i++) {
		struct frame_alloc_region *r = &fa->regions[i];
		uint64_t idx;

		if (r->free_frames < count)
			continue;
		if (!frame_alloc_find_run(r, count, align_frames, &idx))
			continue;
		frame_alloc_mark(fa, r, idx, count, true);
		*pa = (r->base_pfn + idx) << FRAME_SHIFT;
		return 0;
	}
	return FRAME_ALLOC_E_NOMEM;
}

/*
 * Checks an address range for free/reserve and finds its region. Regions
 * are maximal runs, so a valid range never spans two of them.
 */
static int frame_alloc_locate(const struct frame_alloc *fa, uint64_t pa, size_t count,
			      size_t *region, uint64_t *idx)
{
	if (!fa || count == 0 || (pa & FRAME_MASK))
		return FRAME_ALLOC_E_INVAL;
	if ((uint64_t)count > PFN_LIMIT)
		return FRAME_ALLOC_E_RANGE;

	uint64_t pfn = pa >> FRAME_SHIFT;
	uint64_t end = pfn + count; /* both below 2^53: no wrap */

	for (size_t i = 0; i < fa->region_count; i++) {
		const struct frame_alloc_region *r = &fa->regions[i];

		if (pfn >= r->base_pfn && end <= r->base_pfn + r->frames) {
			*region = i;
			*idx = pfn - r->base_pfn;
			return 0;
		}
	}
	return FRAME_ALLOC_E_RANGE;
}

int frame_alloc_free(struct frame_alloc *fa, uint64_t pa, size_t count)
{
	size_t ri;
	uint64_t idx;
	int err = frame_alloc_locate(fa, pa, count, &ri, &idx);

	if (err)
		return err;

	struct frame_alloc_region *r = &fa->regions[ri];
	uint64_t pfn = pa >> FRAME_SHIFT;
	uint64_t meta_pfn = fa->metadata_pa >> FRAME_SHIFT;

	/* Freeing the bitmaps would let them be handed out and overwritten. */
	if (pfn < meta_pfn + fa->metadata_frames && meta_pfn < pfn + count)
		return FRAME_ALLOC_E_STATE;
	if (frame_alloc_find(r->bitmap, idx, idx + count, false) != idx + count)
		return FRAME_ALLOC_E_STATE;
	frame_alloc_mark(fa, r, idx, count, false);
	return 0;
}

int frame_alloc_reserve(struct frame_alloc *fa, uint64_t pa, size_t count)
{
	size_t ri;
	uint64_t idx;
	int err = frame_alloc_locate(fa, pa, count, &ri, &idx);

	if (err)
		return err;

	struct frame_alloc_region *r = &fa->regions[ri];

	if (frame_alloc_find(r->bitmap, idx, idx + count, true) != idx + count)
		return FRAME_ALLOC_E_STATE;
	frame_alloc_mark(fa, r, idx, count, true);
	return 0;
}

uint64_t frame_alloc_free_frames(const struct frame_alloc *fa)
{
	return fa->free_frames;
}

uint64_t frame_alloc_total_frames(const struct frame_alloc *fa)
{
	return fa->total_frames;
}

uint64_t frame_alloc_metadata_frames(const struct frame_alloc *fa)
{
	return fa->metadata_frames;
}

bool frame_alloc_is_allocated(const struct frame_alloc *fa, uint64_t pa)
{
	uint64_t pfn = pa >> FRAME_SHIFT;

	for (size_t i = 0; i < fa->region_count; i++) {
		const struct frame_alloc_region *r = &fa->regions[i];

		if (pfn >= r->base_pfn && pfn - r->base_pfn < r->frames) {
			uint64_t idx = pfn - r->base_pfn;

			return (r->bitmap[idx / WORD_BITS] >> (idx % WORD_BITS)) & 1;
		}
	}
	return false;
}
