// SPDX-License-Identifier: BSD-2-Clause
// kernel/boot_mem.c: targeted cases, then a randomized comparison with a
// unit-granular shadow model of a small address space.
#include "unit.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot_mem.h"

#define U BOOT_MEM_USABLE
#define R BOOT_MEM_RESERVED
#define K BOOT_MEM_KERNEL
#define M BOOT_MEM_MODULE
#define D BOOT_MEM_BOOT_DATA
#define A BOOT_MEM_ACPI

static struct boot_info *new_bi(void)
{
	struct boot_info *bi = calloc(1, sizeof(*bi));
	if (!bi)
		abort();
	return bi;
}

/* The map is exactly want[0..n). */
static void expect_map_at(const char *file, int line, const struct boot_info *bi,
			  const struct boot_mem_range *want, uint32_t n)
{
	char msg[256];

	if (bi->mem_count != n) {
		snprintf(msg, sizeof(msg), "mem_count %u, want %u", bi->mem_count, n);
		unit_fail(file, line, msg);
	}
	for (uint32_t i = 0; i < n && i < bi->mem_count; i++) {
		const struct boot_mem_range *g = &bi->mem[i];
		if (g->base != want[i].base || g->size != want[i].size || g->type != want[i].type) {
			snprintf(msg, sizeof(msg),
				 "mem[%u] = {0x%llx, 0x%llx, %u}, want {0x%llx, 0x%llx, %u}", i,
				 (unsigned long long)g->base, (unsigned long long)g->size, g->type,
				 (unsigned long long)want[i].base, (unsigned long long)want[i].size,
				 want[i].type);
			unit_fail(file, line, msg);
		}
	}
}

#define EXPECT_MAP(bi, ...)                                                               \
	do {                                                                              \
		static const struct boot_mem_range want_[] = {__VA_ARGS__};               \
		expect_map_at(__FILE__, __LINE__, (bi), want_,                            \
			      (uint32_t)(sizeof(want_) / sizeof(want_[0])));              \
	} while (0)
#define EXPECT_EMPTY(bi) expect_map_at(__FILE__, __LINE__, (bi), NULL, 0)

#define RANGE(b, s, t) {.base = (b), .size = (s), .type = (t)}

UNIT_TEST(boot_mem_single_and_empty)
{
	struct boot_info *bi = new_bi();

	CHECK_EQ(boot_mem_add(bi, 0x1000, 0, U), 0);
	EXPECT_EMPTY(bi);
	CHECK_EQ(boot_mem_add(bi, 0x40000000, 0x10000000, U), 0);
	EXPECT_MAP(bi, RANGE(0x40000000, 0x10000000, U));
	/* Size 0 is a no-op even inside or next to existing ranges. */
	CHECK_EQ(boot_mem_add(bi, 0x48000000, 0, R), 0);
	CHECK_EQ(boot_mem_add(bi, 0x50000000, 0, R), 0);
	EXPECT_MAP(bi, RANGE(0x40000000, 0x10000000, U));
	free(bi);
}

UNIT_TEST(boot_mem_sorted_disjoint_and_merged)
{
	struct boot_info *bi = new_bi();

	CHECK_EQ(boot_mem_add(bi, 0x30000, 0x10000, U), 0);
	CHECK_EQ(boot_mem_add(bi, 0x10000, 0x10000, U), 0);
	CHECK_EQ(boot_mem_add(bi, 0x50000, 0x10000, R), 0);
	EXPECT_MAP(bi, RANGE(0x10000, 0x10000, U), RANGE(0x30000, 0x10000, U),
		   RANGE(0x50000, 0x10000, R));
	/* Filling the gap joins three usable ranges into one. */
	CHECK_EQ(boot_mem_add(bi, 0x20000, 0x10000, U), 0);
	EXPECT_MAP(bi, RANGE(0x10000, 0x30000, U), RANGE(0x50000, 0x10000, R));
	/* Adjacent, same type, on either side. */
	CHECK_EQ(boot_mem_add(bi, 0x0, 0x10000, U), 0);
	CHECK_EQ(boot_mem_add(bi, 0x60000, 0x8000, R), 0);
	EXPECT_MAP(bi, RANGE(0x0, 0x40000, U), RANGE(0x50000, 0x18000, R));
	/* Adjacent, different type: no merge. */
	CHECK_EQ(boot_mem_add(bi, 0x40000, 0x10000, K), 0);
	EXPECT_MAP(bi, RANGE(0x0, 0x40000, U), RANGE(0x40000, 0x10000, K),
		   RANGE(0x50000, 0x18000, R));
	free(bi);
}

UNIT_TEST(boot_mem_reserved_carved_from_usable)
{
	struct boot_info *bi = new_bi();

	CHECK_EQ(boot_mem_add(bi, 0x40000000, 0x8000000, U), 0);
	CHECK_EQ(boot_mem_add(bi, 0x41000000, 0x200000, R), 0);
	EXPECT_MAP(bi, RANGE(0x40000000, 0x1000000, U), RANGE(0x41000000, 0x200000, R),
		   RANGE(0x41200000, 0x6e00000, U));
	/* At the very start and the very end of a usable range. */
	CHECK_EQ(boot_mem_add(bi, 0x40000000, 0x1000, K), 0);
	CHECK_EQ(boot_mem_add(bi, 0x47fff000, 0x1000, D), 0);
	EXPECT_MAP(bi, RANGE(0x40000000, 0x1000, K), RANGE(0x40001000, 0xfff000, U),
		   RANGE(0x41000000, 0x200000, R), RANGE(0x41200000, 0x6dff000, U),
		   RANGE(0x47fff000, 0x1000, D));
	/* Covering a whole usable range exactly. */
	CHECK_EQ(boot_mem_add(bi, 0x40001000, 0xfff000, M), 0);
	EXPECT_MAP(bi, RANGE(0x40000000, 0x1000, K), RANGE(0x40001000, 0xfff000, M),
		   RANGE(0x41000000, 0x200000, R), RANGE(0x41200000, 0x6dff000, U),
		   RANGE(0x47fff000, 0x1000, D));
	free(bi);
}

UNIT_TEST(boot_mem_reserved_keeps_first_type)
{
	struct boot_info *bi = new_bi();

	CHECK_EQ(boot_mem_add(bi, 0x1000, 0x3000, K), 0);
	/* Reserved over the kernel: the kernel stays, the rest is reserved. */
	CHECK_EQ(boot_mem_add(bi, 0x0, 0x6000, R), 0);
	EXPECT_MAP(bi, RANGE(0x0, 0x1000, R), RANGE(0x1000, 0x3000, K), RANGE(0x4000, 0x2000, R));
	/* Kernel over reserved: reserved stays. */
	CHECK_EQ(boot_mem_add(bi, 0x5000, 0x2000, K), 0);
	EXPECT_MAP(bi, RANGE(0x0, 0x1000, R), RANGE(0x1000, 0x3000, K), RANGE(0x4000, 0x2000, R),
		   RANGE(0x6000, 0x1000, K));
	/* ACPI over all of it changes only the gap after it. */
	CHECK_EQ(boot_mem_add(bi, 0x0, 0x8000, A), 0);
	EXPECT_MAP(bi, RANGE(0x0, 0x1000, R), RANGE(0x1000, 0x3000, K), RANGE(0x4000, 0x2000, R),
		   RANGE(0x6000, 0x1000, K), RANGE(0x7000, 0x1000, A));
	free(bi);
}

UNIT_TEST(boot_mem_usable_never_overwrites)
{
	struct boot_info *bi = new_bi();

	CHECK_EQ(boot_mem_add(bi, 0x2000, 0x1000, R), 0);
	CHECK_EQ(boot_mem_add(bi, 0x5000, 0x1000, M), 0);
	CHECK_EQ(boot_mem_add(bi, 0x0, 0x8000, U), 0);
	EXPECT_MAP(bi, RANGE(0x0, 0x2000, U), RANGE(0x2000, 0x1000, R), RANGE(0x3000, 0x2000, U),
		   RANGE(0x5000, 0x1000, M), RANGE(0x6000, 0x2000, U));
	/* Entirely inside a reserved range: nothing changes. */
	CHECK_EQ(boot_mem_add(bi, 0x2400, 0x100, U), 0);
	EXPECT_MAP(bi, RANGE(0x0, 0x2000, U), RANGE(0x2000, 0x1000, R), RANGE(0x3000, 0x2000, U),
		   RANGE(0x5000, 0x1000, M), RANGE(0x6000, 0x2000, U));
	free(bi);
}

UNIT_TEST(boot_mem_straddles_several)
{
	struct boot_info *bi = new_bi();

	/* U [0,4) R [6,7) U [8,10) K [12,13) U [13,16)  (in 0x1000 units) */
	CHECK_EQ(boot_mem_add(bi, 0x0, 0x4000, U), 0);
	CHECK_EQ(boot_mem_add(bi, 0x6000, 0x1000, R), 0);
	CHECK_EQ(boot_mem_add(bi, 0x8000, 0x2000, U), 0);
	CHECK_EQ(boot_mem_add(bi, 0xc000, 0x4000, U), 0);
	CHECK_EQ(boot_mem_add(bi, 0xc000, 0x1000, K), 0);
	EXPECT_MAP(bi, RANGE(0x0, 0x4000, U), RANGE(0x6000, 0x1000, R), RANGE(0x8000, 0x2000, U),
		   RANGE(0xc000, 0x1000, K), RANGE(0xd000, 0x3000, U));
	/* Reserved [2, 14): partial usable, gap, reserved (merges), gap,
	 * usable, gap, kernel (kept), partial usable. */
	CHECK_EQ(boot_mem_add(bi, 0x2000, 0xc000, R), 0);
	EXPECT_MAP(bi, RANGE(0x0, 0x2000, U), RANGE(0x2000, 0xa000, R), RANGE(0xc000, 0x1000, K),
		   RANGE(0xd000, 0x1000, R), RANGE(0xe000, 0x2000, U));
	/* Usable over everything and beyond fills only the gaps. */
	CHECK_EQ(boot_mem_add(bi, 0x0, 0x20000, U), 0);
	EXPECT_MAP(bi, RANGE(0x0, 0x2000, U), RANGE(0x2000, 0xa000, R), RANGE(0xc000, 0x1000, K),
		   RANGE(0xd000, 0x1000, R), RANGE(0xe000, 0x12000, U));
	free(bi);
}

UNIT_TEST(boot_mem_unaligned_bytes)
{
	struct boot_info *bi = new_bi();

	CHECK_EQ(boot_mem_add(bi, 3, 10, U), 0);
	CHECK_EQ(boot_mem_add(bi, 5, 1, R), 0);
	CHECK_EQ(boot_mem_add(bi, 12, 3, R), 0);
	EXPECT_MAP(bi, RANGE(3, 2, U), RANGE(5, 1, R), RANGE(6, 6, U), RANGE(12, 3, R));
	free(bi);
}

UNIT_TEST(boot_mem_top_of_address_space)
{
	struct boot_info *bi = new_bi();

	/* Ends at the last byte: fine. */
	CHECK_EQ(boot_mem_add(bi, UINT64_MAX - 0x1fff, 0x1fff, U), 0);
	CHECK_EQ(boot_mem_add(bi, UINT64_MAX - 0xfff, 0x100, R), 0);
	EXPECT_MAP(bi, RANGE(UINT64_MAX - 0x1fff, 0x1000, U), RANGE(UINT64_MAX - 0xfff, 0x100, R),
		   RANGE(UINT64_MAX - 0xeff, 0xeff, U));
	/* Wrapping around: -1 and unchanged. */
	CHECK_EQ(boot_mem_add(bi, UINT64_MAX - 0xfff, 0x2000, R), -1);
	CHECK_EQ(boot_mem_add(bi, UINT64_MAX, UINT64_MAX, R), -1);
	CHECK_EQ(boot_mem_add(bi, 0x1000, UINT64_MAX, U), -1);
	EXPECT_MAP(bi, RANGE(UINT64_MAX - 0x1fff, 0x1000, U), RANGE(UINT64_MAX - 0xfff, 0x100, R),
		   RANGE(UINT64_MAX - 0xeff, 0xeff, U));
	/* The lowest byte. */
	CHECK_EQ(boot_mem_add(bi, 0, 1, A), 0);
	CHECK_EQ(bi->mem_count, 4);
	CHECK_EQ(bi->mem[0].base, 0);
	CHECK_EQ(bi->mem[0].size, 1);
	free(bi);
}

UNIT_TEST(boot_mem_full_map)
{
	struct boot_info *bi = new_bi();

	/* BOOT_MEM_MAX reserved one-page ranges with one-page gaps. */
	for (uint64_t i = 0; i < BOOT_MEM_MAX; i++)
		CHECK_EQ(boot_mem_add(bi, 2 * i * 0x1000, 0x1000, R), 0);
	CHECK_EQ(bi->mem_count, BOOT_MEM_MAX);

	struct boot_info *saved = new_bi();
	memcpy(saved, bi, sizeof(*bi));

	/* A new entry anywhere: -1, map unchanged. */
	CHECK_EQ(boot_mem_add(bi, 0x10000000, 0x1000, R), -1);
	CHECK_EQ(boot_mem_add(bi, 0x1000, 0x1000, K), -1);
	CHECK_EQ(boot_mem_add(bi, 0, 0x400000, U), -1);
	CHECK(memcmp(saved, bi, sizeof(*bi)) == 0);

	/* Changes that need no new entry still work when full. */
	CHECK_EQ(boot_mem_add(bi, 0, 0x1000, K), 0);      /* loses to reserved */
	CHECK_EQ(boot_mem_add(bi, 0x100, 0x200, U), 0);   /* loses too */
	CHECK(memcmp(saved, bi, sizeof(*bi)) == 0);
	uint64_t last = 2 * (BOOT_MEM_MAX - 1) * 0x1000;
	CHECK_EQ(boot_mem_add(bi, last + 0x1000, 0x3000, R), 0); /* extends the last */
	CHECK_EQ(bi->mem_count, BOOT_MEM_MAX);
	CHECK_EQ(bi->mem[BOOT_MEM_MAX - 1].size, 0x4000);
	CHECK_EQ(boot_mem_add(bi, 0x1000, 0x1000, R), 0); /* joins the first two */
	CHECK_EQ(bi->mem_count, BOOT_MEM_MAX - 1);
	CHECK_EQ(bi->mem[0].base, 0);
	CHECK_EQ(bi->mem[0].size, 0x3000);
	/* Now there is room for exactly one more. */
	CHECK_EQ(boot_mem_add(bi, 0x20000000, 0x1000, A), 0);
	CHECK_EQ(bi->mem_count, BOOT_MEM_MAX);
	CHECK_EQ(boot_mem_add(bi, 0x30000000, 0x1000, A), -1);
	CHECK_EQ(bi->mem_count, BOOT_MEM_MAX);
	free(saved);
	free(bi);
}

/* ---- The randomized comparison with a shadow model. ---- */

#define SPACE 700 /* units of address space in the model */

struct model {
	uint8_t type[SPACE]; /* 0 = not in the map */
};

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint32_t model_ranges(const struct model *m, struct boot_mem_range *out, uint64_t scale,
			     uint64_t offset)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < SPACE;) {
		if (!m->type[i]) {
			i++;
			continue;
		}
		uint32_t j = i;
		while (j < SPACE && m->type[j] == m->type[i])
			j++;
		if (n < 2 * SPACE)
			out[n] = (struct boot_mem_range){
				.base = offset + i * scale, .size = (j - i) * scale, .type = m->type[i]};
		n++;
		i = j;
	}
	return n;
}

static bool map_matches(const struct boot_info *bi, const struct boot_mem_range *want, uint32_t n)
{
	if (bi->mem_count != n)
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (bi->mem[i].base != want[i].base || bi->mem[i].size != want[i].size ||
		    bi->mem[i].type != want[i].type)
			return false;
	return true;
}

UNIT_TEST(boot_mem_random_against_model)
{
	static const uint64_t scales[] = {1, 0x1000, 0x200000};
	static const uint64_t offsets[] = {0, 0x40000000, 0xffff000000000000ull};
	static struct boot_mem_range want[2 * SPACE];
	struct boot_info *bi = new_bi();
	struct boot_info *saved = new_bi();
	struct model m, next;
	unsigned overflows = 0, adds = 0;

	rng_state = 0x9e3779b97f4a7c15ull;
	for (int round = 0; round < 1500; round++) {
		uint64_t scale = scales[round % 3], offset = offsets[(round / 3) % 3];
		/* Some rounds use many tiny ranges to reach BOOT_MEM_MAX. */
		bool tiny = round % 7 == 6;
		int ops = tiny ? 1500 : 1 + (int)(rng() % 40);

		memset(bi, 0, sizeof(*bi));
		memset(&m, 0, sizeof(m));
		for (int op = 0; op < ops; op++) {
			/* Usually in a 256-unit window (so ranges often overlap);
			 * tiny rounds spread one-unit ranges over all of it. */
			uint32_t space = tiny ? SPACE : 256;
			uint32_t b = (uint32_t)(rng() % space);
			uint32_t s = tiny ? 1 : (uint32_t)(rng() % (space - b + 1));
			if (!tiny && s > 64 && rng() % 2)
				s %= 16;
			uint32_t r = (uint32_t)(rng() % 12);
			/* U one third, R the next most common, then the others. */
			uint32_t type = r < 4 ? U : r < 7 ? R : r - 5;

			next = m;
			for (uint32_t i = b; i < b + s; i++)
				if (next.type[i] == 0 || next.type[i] == U)
					next.type[i] = (uint8_t)type;
			uint32_t n = model_ranges(&next, want, scale, offset);

			memcpy(saved, bi, sizeof(*bi));
			int rc = boot_mem_add(bi, offset + b * scale, (uint64_t)s * scale, type);
			adds++;
			if (n > BOOT_MEM_MAX) {
				overflows++;
				if (rc != -1 || memcmp(saved, bi, sizeof(*bi)) != 0) {
					printf("     round %d op %d: add [%u,+%u) type %u should fail\n",
					       round, op, b, s, type);
					CHECK_EQ(rc, -1);
					CHECK(memcmp(saved, bi, sizeof(*bi)) == 0);
					goto out;
				}
				continue;
			}
			m = next;
			if (rc != 0 || !map_matches(bi, want, n)) {
				printf("     round %d op %d: add [%u,+%u) type %u, scale 0x%llx\n", round,
				       op, b, s, type, (unsigned long long)scale);
				CHECK_EQ(rc, 0);
				expect_map_at(__FILE__, __LINE__, bi, want, n);
				goto out;
			}
		}
	}
	printf("     %u adds, %u over BOOT_MEM_MAX\n", adds, overflows);
	/* The test did exercise the interesting paths. */
	CHECK(overflows > 10);
	CHECK(adds > 50000);
out:
	free(saved);
	free(bi);
}
