// SPDX-License-Identifier: BSD-2-Clause
// The smallest guest: checks what every other guest relies on — it runs
// at EL1 with the MMU off as the platform promises, and its BSS is zero.
#include "guest.h"

#define SCTLR_M (1ull << 0)

/* Zeroed by start.S; a VMM that loads the image would not zero it. Kept
 * volatile so the compiler cannot assume the zero. */
static volatile uint64_t bss_words[64];

void guest_main(void)
{
	printf("hello from guest\n");

	unsigned int el = current_el();
	check("el1", el == 1, "CurrentEL is EL%u", el);

	uint64_t sctlr = read_sysreg(sctlr_el1);
	check("mmu_off", !(sctlr & SCTLR_M), "SCTLR_EL1 0x%lx", sctlr);

	unsigned int nonzero = 0;
	for (unsigned int i = 0; i < 64; i++)
		nonzero += bss_words[i] != 0;
	check("bss_zero", nonzero == 0, "%u of 64 words not zero", nonzero);
}
