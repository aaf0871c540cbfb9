// SPDX-License-Identifier: BSD-2-Clause
// The shell's free capability slots: a bitmap above what its start
// information lists.
#include "shell.h"

#define SLOT_FIRST 64
#define SLOT_COUNT 448 /* slots 64..511: the configuration gives slots=512 */

static uint64_t used[SLOT_COUNT / 64];

cv_slot_t slot_get(void)
{
	for (unsigned i = 0; i < SLOT_COUNT; i++)
		if (!(used[i / 64] & (1ull << (i % 64)))) {
			used[i / 64] |= 1ull << (i % 64);
			return SLOT_FIRST + i;
		}
	return 0;
}

void slot_put(cv_slot_t slot)
{
	if (slot < SLOT_FIRST || slot >= SLOT_FIRST + SLOT_COUNT)
		return;
	(void)cv_cap_delete(slot);
	unsigned i = slot - SLOT_FIRST;
	used[i / 64] &= ~(1ull << (i % 64));
}
