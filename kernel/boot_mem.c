// SPDX-License-Identifier: BSD-2-Clause
#include "boot_mem.h"

#include <string.h>

/* Which type a point covered by both old and new ranges ends up with. */
static uint32_t winner(uint32_t old_type, uint32_t new_type)
{
	if (old_type == BOOT_MEM_USABLE)
		return new_type;
	return old_type;
}

static int push(struct boot_mem_range *out, uint32_t *n, uint64_t base, uint64_t end, uint32_t type)
{
	if (end <= base)
		return 0;
	if (*n && out[*n - 1].type == type && out[*n - 1].base + out[*n - 1].size == base) {
		out[*n - 1].size += end - base;
		return 0;
	}
	if (*n == BOOT_MEM_MAX)
		return -1;
	out[*n] = (struct boot_mem_range){.base = base, .size = end - base, .type = type};
	(*n)++;
	return 0;
}

int boot_mem_add(struct boot_info *bi, uint64_t base, uint64_t size, uint32_t type)
{
	static struct boot_mem_range out[BOOT_MEM_MAX];
	uint32_t n = 0;
	uint64_t end = base + size;

	if (size == 0)
		return 0;
	if (end < base)
		return -1;

	/* Walk the sorted map; emit old pieces, the overlaps resolved, and the
	 * parts of the new range that fall in gaps. */
	uint64_t cursor = base; /* first byte of the new range not yet emitted */
	for (uint32_t i = 0; i < bi->mem_count; i++) {
		const struct boot_mem_range *r = &bi->mem[i];
		uint64_t rb = r->base, re = r->base + r->size;

		if (re <= base || rb >= end) {
			/* Before this old range, the new range may fill a gap. */
			if (rb >= end && cursor < end) {
				if (push(out, &n, cursor, end, type))
					return -1;
				cursor = end;
			}
			if (push(out, &n, rb, re, r->type))
				return -1;
			continue;
		}
		if (cursor < rb && push(out, &n, cursor, rb, type))
			return -1;
		if (rb < base && push(out, &n, rb, base, r->type))
			return -1;
		uint64_t ob = rb > base ? rb : base, oe = re < end ? re : end;
		if (push(out, &n, ob, oe, winner(r->type, type)))
			return -1;
		if (re > end && push(out, &n, end, re, r->type))
			return -1;
		cursor = oe > cursor ? oe : cursor;
	}
	if (cursor < end && push(out, &n, cursor, end, type))
		return -1;
	memcpy(bi->mem, out, n * sizeof(out[0]));
	bi->mem_count = n;
	return 0;
}
