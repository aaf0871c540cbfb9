/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The physical frame allocator: which 4 KiB frames of RAM are free. It is
 * pure logic with no global state and no calls out of itself, so the kernel
 * keeps one instance behind its own lock and the host unit tests make many.
 * It reaches its metadata (one bitmap per region, placed in usable memory it
 * finds at init) only through the phys_to_virt callback it is given.
 * Design, costs and counter definitions: docs/memory.md.
 *
 * Every fallible function returns 0 or a negative enum frame_alloc_error and
 * changes nothing when it fails.
 */
#ifndef KERNEL_FRAME_ALLOC_H
#define KERNEL_FRAME_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <boot/boot_info.h>

#define FRAME_SHIFT 12
#define FRAME_SIZE 4096ull

/*
 * Disjoint runs of usable memory the allocator tracks. Real boot maps have a
 * handful; the struct is embedded statically, so this bounds its size.
 */
#define FRAME_ALLOC_MAX_REGIONS 32

/* Local until the kernel has a shared error enum. */
enum frame_alloc_error {
	FRAME_ALLOC_E_NOMEM = -1, /* no run of free frames fits the request; no usable memory */
	FRAME_ALLOC_E_INVAL = -2, /* bad argument: zero count, bad alignment, misaligned address */
	FRAME_ALLOC_E_RANGE = -3, /* outside managed memory; too many regions; metadata unreachable */
	FRAME_ALLOC_E_STATE = -4, /* frames not all in the state the call needs (e.g. double free) */
};

struct frame_alloc_region {
	uint64_t base_pfn; /* first frame number */
	uint64_t frames;   /* length in frames, metadata included */
	uint64_t free_frames;
	/*
	 * Every bitmap word below this index is full, so searches start here.
	 * Frees lower it; that is what makes freed frames reused first.
	 */
	uint64_t first_nonfull_word;
	/* Bit set = frame in use. Bits past `frames` in the last word are set. */
	uint64_t *bitmap;
};

/* Definition public only so the kernel can embed it; use the functions. */
struct frame_alloc {
	struct frame_alloc_region regions[FRAME_ALLOC_MAX_REGIONS]; /* sorted by base */
	size_t region_count;
	uint64_t total_frames;
	uint64_t free_frames;
	uint64_t metadata_pa; /* one contiguous run holding every region's bitmap */
	uint64_t metadata_frames;
};

/*
 * Turns a physical address into a pointer the allocator can write through,
 * valid for the whole bitmap that starts there (the kernel's direct map).
 * May return NULL for memory it cannot reach; init then fails. The pointers
 * are kept and used by every later call, so they must stay valid until
 * frame_alloc_set_phys_to_virt() replaces them.
 */
typedef void *(*frame_alloc_phys_to_virt_fn)(uint64_t pa, void *ctx);

/*
 * Builds the allocator over the USABLE ranges of a boot memory map, sorted or
 * not. Any range of another type (or of an unknown type) wins over USABLE
 * where they overlap, and is widened to whole frames; USABLE ranges are
 * narrowed to whole frames. Entries that run past 2^64 are cut there. The
 * map is read completely before anything is written, so it may itself lie in
 * usable memory. The bitmaps are placed in usable memory and counted as used.
 * Returns 0, or NOMEM (no usable frame, or the bitmaps do not fit), RANGE
 * (more than FRAME_ALLOC_MAX_REGIONS disjoint runs, or p2v returned NULL or
 * a misaligned pointer), INVAL (NULL arguments). On failure the allocator is
 * left empty: every allocation fails and the counters read 0.
 */
int frame_alloc_init(struct frame_alloc *fa, const struct boot_mem_range *map, size_t count,
		     frame_alloc_phys_to_virt_fn p2v, void *ctx) __attribute__((warn_unused_result));

/*
 * Re-derives the bitmap pointers with a new callback, for when the mapping
 * the old ones came from goes away (the kernel leaving its early identity
 * map for the direct map). Reads and writes nothing through either mapping.
 * Returns 0, INVAL (NULL arguments) or RANGE (p2v returned NULL or a
 * misaligned pointer; the old pointers are kept).
 */
int frame_alloc_set_phys_to_virt(struct frame_alloc *fa, frame_alloc_phys_to_virt_fn p2v,
				 void *ctx) __attribute__((warn_unused_result));

/*
 * Allocates `count` contiguous frames whose first address is a multiple of
 * `align` bytes (a power of two >= FRAME_SIZE), lowest address first. Frame
 * contents are left as they were. Returns 0 and stores the address in *pa,
 * or INVAL (count 0, bad align, pa NULL) or NOMEM (no such run is free).
 */
int frame_alloc_alloc(struct frame_alloc *fa, size_t count, uint64_t align, uint64_t *pa)
	__attribute__((warn_unused_result));

/*
 * Returns frames to the pool. The whole range must be allocated or reserved
 * (the allocator does not tell those apart) or nothing is freed: INVAL
 * (misaligned pa, count 0), RANGE (not entirely inside one managed region),
 * STATE (some frame in it is already free, or holds the allocator's bitmaps).
 */
int frame_alloc_free(struct frame_alloc *fa, uint64_t pa, size_t count)
	__attribute__((warn_unused_result));

/*
 * Marks free frames used without handing them out, for memory the kernel
 * finds in use. All or nothing, with the same errors as frame_alloc_free
 * except STATE now means some frame in the range is already in use.
 * frame_alloc_free releases a reserved range later.
 */
int frame_alloc_reserve(struct frame_alloc *fa, uint64_t pa, size_t count)
	__attribute__((warn_unused_result));

/* Frames neither allocated, reserved nor holding metadata. */
uint64_t frame_alloc_free_frames(const struct frame_alloc *fa);
/* Every whole usable frame the allocator manages, metadata included; fixed after init. */
uint64_t frame_alloc_total_frames(const struct frame_alloc *fa);
/* Frames holding the allocator's bitmaps (part of total, never free). */
uint64_t frame_alloc_metadata_frames(const struct frame_alloc *fa);
/* Whether the frame containing pa is managed and in use. For tests and assertions. */
bool frame_alloc_is_allocated(const struct frame_alloc *fa, uint64_t pa);

#endif
