// SPDX-License-Identifier: BSD-2-Clause
// Guest memory. Writes a seeded pattern over MEMCHECK_SIZE bytes of RAM
// after the image and reads it back twice (pattern_0 and pattern_1 with
// the MMU off, where every access is a Device access; pattern_2 and
// pattern_3 through the identity map, cached). Then touches
// MEMCHECK_OUTSIDE, which is not RAM: a load, a store and a branch there
// must each raise exactly one synchronous abort at EL1, which the guest
// catches and survives. Under capvisor the VMM is told of the stage-2
// fault and injects the abort; on plain QEMU it is an external abort.
#include "guest.h"
#include "mmu.h"
#include "timer.h"

#define MIB (1ull << 20)
#define PATTERNS 4
#define READS 2
#define ESR_FNV (1ull << 10) /* FAR not valid */

static uint64_t *region;
static uint64_t seed;

/* One word of pattern `n` for the word at `addr`: differs from word to
 * word, pattern to pattern and run to run. */
static uint64_t pattern_word(unsigned int n, uint64_t addr)
{
	uint64_t z = addr ^ (seed + n * 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 31)) * 0xbf58476d1ce4e5b9ull;
	return z ^ (z >> 29);
}

static void check_pattern(unsigned int n)
{
	volatile uint64_t *w = region;
	uint64_t words = MEMCHECK_SIZE / 8, bad = 0, first_addr = 0, first_got = 0, first_want = 0;

	for (uint64_t i = 0; i < words; i++)
		w[i] = pattern_word(n, (uintptr_t)&w[i]);
	for (unsigned int pass = 0; pass < READS; pass++) {
		for (uint64_t i = 0; i < words; i++) {
			uint64_t want = pattern_word(n, (uintptr_t)&w[i]), got = w[i];
			if (got != want && !bad++) {
				first_addr = (uintptr_t)&w[i];
				first_got = got;
				first_want = want;
			}
		}
	}
	char name[] = "pattern_0";
	name[8] = (char)('0' + n);
	check(name, bad == 0, "%lu of %lu words wrong; first at 0x%lx: 0x%lx, expected 0x%lx",
	      bad, words * READS, first_addr, first_got, first_want);
}

static bool is_abort(const struct fault_record *r, unsigned int ec, uint64_t addr)
{
	return r->count == 1 && ESR_EC(r->esr) == ec && ((r->esr & ESR_FNV) || r->far == addr);
}

static void report_abort(const char *name, const struct fault_record *r, unsigned int ec,
			 uint64_t addr)
{
	printf("memcheck: %s: ESR 0x%lx (FSC 0x%lx) FAR 0x%lx\n", name, r->esr, ESR_FSC(r->esr),
	       r->far);
	check(name, is_abort(r, ec, addr),
	      "%u exceptions, ESR 0x%lx, FAR 0x%lx (expected EC 0x%x at 0x%lx)", r->count, r->esr,
	      r->far, ec, addr);
}

static void check_outside(bool cached)
{
	volatile uint64_t *outside = (volatile uint64_t *)MEMCHECK_OUTSIDE;

	fault_catch_begin();
	(void)*outside;
	struct fault_record r = fault_catch_end();
	report_abort(cached ? "outside_access_aborted_cached" : "outside_access_aborted", &r,
		     EC_DABT_CUR, MEMCHECK_OUTSIDE);
	if (cached)
		return;

	fault_catch_begin();
	*outside = 0x5a5a5a5a5a5a5a5aull;
	r = fault_catch_end();
	report_abort("outside_write_aborted", &r, EC_DABT_CUR, MEMCHECK_OUTSIDE);

	// The abort handler returns to LR, i.e. right after this call.
	void (*nowhere)(void) = (void (*)(void))MEMCHECK_OUTSIDE;
	fault_catch_begin();
	nowhere();
	r = fault_catch_end();
	report_abort("outside_fetch_aborted", &r, EC_IABT_CUR, MEMCHECK_OUTSIDE);
}

void guest_main(void)
{
	uint64_t start = ((uintptr_t)__guest_end + MIB - 1) & ~(MIB - 1);

	region = (uint64_t *)start;
	seed = timer_now() ^ read_sysreg(mpidr_el1) << 48;
	printf("memcheck: 0x%lx bytes at 0x%lx, outside address 0x%lx, seed 0x%lx\n",
	       MEMCHECK_SIZE, start, MEMCHECK_OUTSIDE, seed);

	for (unsigned int n = 0; n < PATTERNS / 2; n++)
		check_pattern(n);
	check_outside(false);

	mmu_enable();
	for (unsigned int n = PATTERNS / 2; n < PATTERNS; n++)
		check_pattern(n);
	check_outside(true);
}
