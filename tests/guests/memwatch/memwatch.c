// SPDX-License-Identifier: BSD-2-Clause
// Lives until it is stopped: fills 4 MiB after its image with a pattern
// and checks it over and over, printing "memwatch: round N ok" every 16
// rounds, or "FAIL memwatch: ..." (and stops checking) at the first word
// that changed. Run next to VMs that are created and destroyed by the
// thousand, it shows that none of them ever touches its memory (or gets
// its stage-2 translations wrong after VMIDs are recycled).
#include "guest.h"
#include "mmu.h"

#define REGION_BASE 0x40200000ul
#define REGION_WORDS ((4ul << 20) / 8)

static uint64_t pattern(uint64_t i)
{
	return (i * 0x9e3779b97f4a7c15ull) ^ 0x6d656d7761746368ull;
}

void guest_main(void)
{
	volatile uint64_t *mem = (volatile uint64_t *)REGION_BASE;

	mmu_enable();
	for (uint64_t i = 0; i < REGION_WORDS; i++)
		mem[i] = pattern(i);
	for (unsigned int round = 1;; round++) {
		for (uint64_t i = 0; i < REGION_WORDS; i++) {
			if (mem[i] != pattern(i)) {
				printf("FAIL memwatch: word %lu is 0x%lx, want 0x%lx (round %u)\n", i,
				       mem[i], pattern(i), round);
				for (;;)
					__asm__ volatile("wfi");
			}
		}
		if (round % 16 == 0)
			printf("memwatch: round %u ok\n", round);
	}
}
