// SPDX-License-Identifier: BSD-2-Clause
// kernel/boot_info_dtb.c: the boot_info built from a device tree. Trees come
// from dtc (tests/unit/data/*.dts, compiled by boot_info_dtb.mk.inc into
// UNIT_DATA_DIR) or are built here with libfdt's sequential-write API.
// Every tree is handed over in a heap buffer of exactly its size, so ASan
// sees any read past it.
#include "unit.h"

#include <libfdt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot_info_dtb.h"

#ifndef UNIT_DATA_DIR
#error "UNIT_DATA_DIR must name the directory of the compiled test device trees"
#endif

#define U BOOT_MEM_USABLE
#define R BOOT_MEM_RESERVED
#define K BOOT_MEM_KERNEL
#define M BOOT_MEM_MODULE
#define D BOOT_MEM_BOOT_DATA

#define PAGE 0x1000ull
#define ALIGN_UP_PAGE(x) (((x) + PAGE - 1) & ~(PAGE - 1))

#define SW_SIZE (64 * 1024)

/* ---- Helpers ---- */

static struct boot_info *new_bi(void)
{
	struct boot_info *bi = malloc(sizeof(*bi));
	if (!bi)
		abort();
	memset(bi, 0xa5, sizeof(*bi)); /* the code under test must clear it */
	return bi;
}

/* A copy of a finished tree in a buffer of exactly its size. */
static void *exact_copy(const void *fdt)
{
	size_t size = fdt_totalsize(fdt);
	void *p = malloc(size);
	if (!p)
		abort();
	memcpy(p, fdt, size);
	return p;
}

static void *load_dtb(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", UNIT_DATA_DIR, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("     cannot open %s\n", path);
		return NULL;
	}
	static char buf[SW_SIZE];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (n < sizeof(struct fdt_header) || fdt_check_header(buf) != 0 || fdt_totalsize(buf) != n) {
		printf("     %s is not a device tree\n", path);
		return NULL;
	}
	return exact_copy(buf);
}

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

#define RANGE(b, e, t) {.base = (b), .size = (e) - (b), .type = (t)}
#define EXPECT_MAP(bi, ...)                                                               \
	do {                                                                              \
		const struct boot_mem_range want_[] = {__VA_ARGS__};                      \
		expect_map_at(__FILE__, __LINE__, (bi), want_,                            \
			      (uint32_t)(sizeof(want_) / sizeof(want_[0])));              \
	} while (0)

/* The error string is there and says something about `about`. */
#define CHECK_ERROR(err, about) CHECK((err) != NULL && strstr((err), (about)) != NULL)

static void check_header_fields(const struct boot_info *bi, const void *dtb, uint64_t dtb_pa,
				uint64_t kernel_pa, uint64_t kernel_size)
{
	CHECK_EQ(bi->magic, BOOT_INFO_MAGIC);
	CHECK_EQ(bi->version, BOOT_INFO_VERSION);
	CHECK_EQ(bi->size, sizeof(struct boot_info));
	CHECK_EQ(bi->source, BOOT_SOURCE_DEVICE_TREE);
	CHECK_EQ(bi->dtb_base, dtb_pa);
	CHECK_EQ(bi->dtb_size, fdt_totalsize(dtb));
	CHECK_EQ(bi->kernel_base, kernel_pa);
	CHECK_EQ(bi->kernel_size, ALIGN_UP_PAGE(kernel_size));
	CHECK_EQ(bi->acpi_rsdp, 0);
	CHECK_EQ(bi->reserved0, 0);
}

/* Sequential-write building. The first libfdt error is kept in sw_err and
 * checked by sw_finish's caller. */
static int sw_err;

static void sw(int rc)
{
	if (rc != 0 && sw_err == 0)
		sw_err = rc;
}

struct rsv {
	uint64_t base, size;
};

/* Starts a tree with the given memory reservation block entries and opens
 * the root node, with #address-cells / #size-cells unless negative. */
static void *sw_begin(const struct rsv *rsv, int nrsv, int ac, int sc)
{
	void *fdt = calloc(1, SW_SIZE);
	if (!fdt)
		abort();
	sw_err = 0;
	sw(fdt_create(fdt, SW_SIZE));
	for (int i = 0; i < nrsv; i++)
		sw(fdt_add_reservemap_entry(fdt, rsv[i].base, rsv[i].size));
	sw(fdt_finish_reservemap(fdt));
	sw(fdt_begin_node(fdt, ""));
	if (ac >= 0)
		sw(fdt_property_u32(fdt, "#address-cells", (uint32_t)ac));
	if (sc >= 0)
		sw(fdt_property_u32(fdt, "#size-cells", (uint32_t)sc));
	return fdt;
}

/* A reg property of n (base, size) pairs in ac/sc cells. */
static void sw_reg(void *fdt, int ac, int sc, const uint64_t *pairs, int n)
{
	fdt32_t cells[2 * 4 * 512];
	int k = 0;

	if (n > 512)
		abort();
	for (int i = 0; i < n; i++) {
		for (int c = ac - 1; c >= 0; c--)
			cells[k++] = cpu_to_fdt32((uint32_t)(c >= 2 ? 0 : pairs[2 * i] >> (32 * c)));
		for (int c = sc - 1; c >= 0; c--)
			cells[k++] = cpu_to_fdt32((uint32_t)(c >= 2 ? 0 : pairs[2 * i + 1] >> (32 * c)));
	}
	sw(fdt_property(fdt, "reg", cells, k * (int)sizeof(fdt32_t)));
}

static void sw_memory(void *fdt, const char *name, int ac, int sc, const uint64_t *pairs, int n)
{
	sw(fdt_begin_node(fdt, name));
	sw(fdt_property_string(fdt, "device_type", "memory"));
	sw_reg(fdt, ac, sc, pairs, n);
	sw(fdt_end_node(fdt));
}

static void sw_prop_u32(void *fdt, const char *name, uint32_t v)
{
	sw(fdt_property_u32(fdt, name, v));
}

static void sw_prop_u64(void *fdt, const char *name, uint64_t v)
{
	sw(fdt_property_u64(fdt, name, v));
}

/* Closes the root, finishes the tree, returns an exact-size copy. */
static void *sw_finish(void *fdt)
{
	sw(fdt_end_node(fdt));
	sw(fdt_finish(fdt));
	void *copy = sw_err == 0 ? exact_copy(fdt) : NULL;
	free(fdt);
	return copy;
}

/* The plain tree most cases start from: 2-cell root, memory
 * [0x40000000, 0x48000000), then whatever `chosen` adds to /chosen. */
static void *simple_tree(void (*chosen)(void *fdt))
{
	static const uint64_t mem[] = {0x40000000, 0x8000000};
	void *fdt = sw_begin(NULL, 0, 2, 2);
	sw_memory(fdt, "memory@40000000", 2, 2, mem, 1);
	if (chosen) {
		sw(fdt_begin_node(fdt, "chosen"));
		chosen(fdt);
		sw(fdt_end_node(fdt));
	}
	return sw_finish(fdt);
}

/* Kernel and device tree for simple_tree's memory. */
#define S_KPA 0x40080000ull
#define S_KSIZE 0x123401ull /* rounds up to 0x124000 */
#define S_KEND (S_KPA + 0x124000ull)
#define S_DTB_PA 0x47f00010ull /* not page-aligned */

static const char *from_simple(struct boot_info *bi, const void *dtb)
{
	return boot_info_from_dtb(bi, dtb, S_DTB_PA, S_KPA, S_KSIZE);
}

/* ---- Trees compiled by dtc ---- */

UNIT_TEST(dtb_virt_like_tree)
{
	void *dtb = load_dtb("virt.dtb");
	struct boot_info *bi = new_bi();
	const uint64_t dtb_pa = 0x5fe00100, kpa = 0x40200000, ksize = 0x2000001;

	CHECK(dtb != NULL);
	if (!dtb)
		goto out;
	const char *err = boot_info_from_dtb(bi, dtb, dtb_pa, kpa, ksize);
	CHECK(err == NULL);
	if (err)
		printf("     error: %s\n", err);
	check_header_fields(bi, dtb, dtb_pa, kpa, ksize);
	uint64_t dtb_end = ALIGN_UP_PAGE(dtb_pa + fdt_totalsize(dtb));
	EXPECT_MAP(bi, RANGE(0x40000000, kpa, U), RANGE(kpa, 0x42201000, K),
		   RANGE(0x42201000, 0x44000000, U), RANGE(0x44000000, 0x44124000, M),
		   RANGE(0x44124000, 0x48000000, U), RANGE(0x48000000, 0x48010000, R),
		   RANGE(0x48010000, 0x4e000000, U), RANGE(0x4e000000, 0x4e200000, R),
		   RANGE(0x4e200000, 0x5fe00000, U), RANGE(0x5fe00000, dtb_end, D),
		   RANGE(dtb_end, 0x60000000, U));
	CHECK(strcmp(bi->cmdline, "console=ttyAMA0 selftest") == 0);
	CHECK_EQ(bi->module_count, 1);
	CHECK_EQ(bi->modules[0].base, 0x44000000);
	CHECK_EQ(bi->modules[0].size, 0x123456);
	CHECK(strcmp(bi->modules[0].name, "initrd") == 0);
out:
	free(bi);
	free(dtb);
}

UNIT_TEST(dtb_one_cell_tree)
{
	void *dtb = load_dtb("one_cell.dtb");
	struct boot_info *bi = new_bi();
	/* Kernel and device tree outside every memory node. */
	const uint64_t dtb_pa = 0x70000000, kpa = 0x60000000, ksize = 0x1000;

	CHECK(dtb != NULL);
	if (!dtb)
		goto out;
	const char *err = boot_info_from_dtb(bi, dtb, dtb_pa, kpa, ksize);
	CHECK(err == NULL);
	check_header_fields(bi, dtb, dtb_pa, kpa, ksize);
	uint64_t dtb_end = ALIGN_UP_PAGE(dtb_pa + fdt_totalsize(dtb));
	EXPECT_MAP(bi, RANGE(0x60000000, 0x60001000, K), RANGE(0x70000000, dtb_end, D),
		   RANGE(0x80000000, 0x80001000, U), RANGE(0x80001000, 0x80002000, R),
		   RANGE(0x80002000, 0x82000000, U), RANGE(0x82000000, 0x82101000, M),
		   RANGE(0x82101000, 0x83000000, U), RANGE(0x83000000, 0x83010000, R),
		   RANGE(0x83010000, 0x83800000, U), RANGE(0x83800000, 0x83800800, R),
		   RANGE(0x83800800, 0x84000000, U), RANGE(0x90000000, 0x90002000, R),
		   RANGE(0x90002000, 0x91000000, U), RANGE(0xa0000000, 0xa0100000, U));
	CHECK(strcmp(bi->cmdline, "root=/dev/ram0\tquiet") == 0);
	CHECK_EQ(bi->module_count, 1);
	CHECK_EQ(bi->modules[0].base, 0x82000000);
	CHECK_EQ(bi->modules[0].size, 0x100800);
	CHECK(strcmp(bi->modules[0].name, "initrd") == 0);
out:
	free(bi);
	free(dtb);
}

/* ---- Memory nodes ---- */

UNIT_TEST(dtb_single_memory_node_two_cells)
{
	void *dtb = simple_tree(NULL);
	struct boot_info *bi = new_bi();

	CHECK(dtb != NULL);
	if (!dtb)
		goto out;
	CHECK(from_simple(bi, dtb) == NULL);
	check_header_fields(bi, dtb, S_DTB_PA, S_KPA, S_KSIZE);
	uint64_t dtb_end = ALIGN_UP_PAGE(S_DTB_PA + fdt_totalsize(dtb));
	CHECK(dtb_end <= 0x48000000);
	EXPECT_MAP(bi, RANGE(0x40000000, S_KPA, U), RANGE(S_KPA, S_KEND, K),
		   RANGE(S_KEND, 0x47f00000, U), RANGE(0x47f00000, dtb_end, D),
		   RANGE(dtb_end, 0x48000000, U));
	CHECK_EQ(bi->cmdline[0], '\0');
	CHECK_EQ(bi->module_count, 0);
out:
	free(bi);
	free(dtb);
}

UNIT_TEST(dtb_several_memory_nodes_and_ranges)
{
	static const uint64_t mem0[] = {0x40000000, 0x1000000, 0x60000000, 0x1000000,
					0x50000000, 0x0 /* empty: ignored */};
	static const uint64_t mem1[] = {0x880000000ull, 0x80000000ull};
	static const uint64_t uart[] = {0x9000000, 0x1000};
	static const uint64_t cpu[] = {0x70000000, 0x1000};
	void *fdt = sw_begin(NULL, 0, 2, 2);
	struct boot_info *bi = new_bi();

	/* Devices and a CPU with reg properties must not become memory. */
	sw(fdt_begin_node(fdt, "pl011@9000000"));
	sw_reg(fdt, 2, 2, uart, 1);
	sw(fdt_end_node(fdt));
	sw(fdt_begin_node(fdt, "cpu@70000000"));
	sw(fdt_property_string(fdt, "device_type", "cpu"));
	sw_reg(fdt, 2, 2, cpu, 1);
	sw(fdt_end_node(fdt));
	sw_memory(fdt, "memory@880000000", 2, 2, mem1, 1);
	sw_memory(fdt, "memory@40000000", 2, 2, mem0, 3);
	void *dtb = sw_finish(fdt);
	CHECK(dtb != NULL);
	if (!dtb)
		goto out;
	const uint64_t kpa = 0x880000000ull, dtb_pa = 0x60fff000;
	CHECK(boot_info_from_dtb(bi, dtb, dtb_pa, kpa, 0x200000) == NULL);
	check_header_fields(bi, dtb, dtb_pa, kpa, 0x200000);
	EXPECT_MAP(bi, RANGE(0x40000000, 0x41000000, U), RANGE(0x60000000, 0x60fff000, U),
		   RANGE(0x60fff000, 0x61000000, D), RANGE(0x880000000ull, 0x880200000ull, K),
		   RANGE(0x880200000ull, 0x900000000ull, U));
out:
	free(bi);
	free(dtb);
}

UNIT_TEST(dtb_one_cell_addresses_and_sizes)
{
	static const uint64_t mem[] = {0x80000000, 0x10000000, 0x0, 0x100000};
	void *fdt = sw_begin(NULL, 0, 1, 1);
	struct boot_info *bi = new_bi();

	sw_memory(fdt, "memory", 1, 1, mem, 2);
	void *dtb = sw_finish(fdt);
	CHECK(dtb != NULL);
	if (!dtb)
		goto out;
	CHECK(boot_info_from_dtb(bi, dtb, 0x8ffff000, 0x80000000, 0x8000) == NULL);
	EXPECT_MAP(bi, RANGE(0x0, 0x100000, U), RANGE(0x80000000, 0x80008000, K),
		   RANGE(0x80008000, 0x8ffff000, U), RANGE(0x8ffff000, 0x90000000, D));
out:
	free(bi);
	free(dtb);
}

UNIT_TEST(dtb_two_address_cells_one_size_cell)
{
	static const uint64_t mem[] = {0x100000000ull, 0x40000000, 0x40000000, 0x20000000};
	void *fdt = sw_begin(NULL, 0, 2, 1);
	struct boot_info *bi = new_bi();

	sw_memory(fdt, "memory", 2, 1, mem, 2);
	void *dtb = sw_finish(fdt);
	CHECK(dtb != NULL);
	if (!dtb)
		goto out;
	CHECK(boot_info_from_dtb(bi, dtb, 0x40000000, 0x13ff00000ull, 0x100000) == NULL);
	EXPECT_MAP(bi, RANGE(0x40000000, 0x40001000, D), RANGE(0x40001000, 0x60000000, U),
		   RANGE(0x100000000ull, 0x13ff00000ull, U),
		   RANGE(0x13ff00000ull, 0x140000000ull, K));
out:
	free(bi);
	free(dtb);
}

UNIT_TEST(dtb_default_cells)
{
	/* No #address-cells / #size-cells in the root: 2 and 1. */
	static const uint64_t mem[] = {0x200000000ull, 0x10000000};
	void *fdt = sw_begin(NULL, 0, -1, -1);
	struct boot_info *bi = new_bi();

	sw_memory(fdt, "memory", 2, 1, mem, 1);
	void *dtb = sw_finish(fdt);
	CHECK(dtb != NULL);
	if (!dtb)
		goto out;
	CHECK(boot_info_from_dtb(bi, dtb, 0x20f000000ull, 0x200000000ull, 0x1000) == NULL);
	EXPECT_MAP(bi, RANGE(0x200000000ull, 0x200001000ull, K),
		   RANGE(0x200001000ull, 0x20f000000ull, U),
		   RANGE(0x20f000000ull, 0x20f001000ull, D),
		   RANGE(0x20f001000ull, 0x210000000ull, U));
out:
	free(bi);
	free(dtb);
}

/* ---- Reserved memory ---- */

UNIT_TEST(dtb_memreserve_and_reserved_memory)
{
	static const struct rsv rsv[] = {
		{0x40100000, 0x3000},   /* inside memory */
		{0x40ffff00, 0x200},    /* straddles the end of memory */
		{0x90000000, 0x1000},   /* outside memory: still reserved */
	};
	static const uint64_t mem[] = {0x40000000, 0x1000000};
	static const uint64_t carve1[] = {0x40200000, 0x100000, 0x40400000, 0x1000};
	static const uint64_t carve2[] = {0x40800000ull, 0x10000};
	void *fdt = sw_begin(rsv, 3, 2, 2);
	struct boot_info *bi = new_bi();

	/* /reserved-memory in 2 cells, two children, one with two ranges. */
	sw_memory(fdt, "memory@40000000", 2, 2, mem, 1);
	sw(fdt_begin_node(fdt, "reserved-memory"));
	sw_prop_u32(fdt, "#address-cells", 2);
	sw_prop_u32(fdt, "#size-cells", 2);
	sw(fdt_property(fdt, "ranges", "", 0));
	sw(fdt_begin_node(fdt, "fw@40200000"));
	sw_reg(fdt, 2, 2, carve1, 2);
	sw(fdt_end_node(fdt));
	sw(fdt_begin_node(fdt, "tee@40800000"));
	sw_reg(fdt, 2, 2, carve2, 1);
	sw(fdt_end_node(fdt));
	sw(fdt_end_node(fdt));
	void *dtb = sw_finish(fdt);
	CHECK(dtb != NULL);
	if (!dtb)
		goto out;
	CHECK(boot_info_from_dtb(bi, dtb, 0x40f00000, 0x40000000, 0x80000) == NULL);
	EXPECT_MAP(bi, RANGE(0x40000000, 0x40080000, K), RANGE(0x40080000, 0x40100000, U),
		   RANGE(0x40100000, 0x40103000, R), RANGE(0x40103000, 0x40200000, U),
		   RANGE(0x40200000, 0x40300000, R), RANGE(0x40300000, 0x40400000, U),
		   RANGE(0x40400000, 0x40401000, R), RANGE(0x40401000, 0x40800000, U),
		   RANGE(0x40800000, 0x40810000, R), RANGE(0x40810000, 0x40f00000, U),
		   RANGE(0x40f00000, 0x40f01000, D), RANGE(0x40f01000, 0x40ffff00, U),
		   RANGE(0x40ffff00, 0x41000100, R), RANGE(0x90000000, 0x90001000, R));
out:
	free(bi);
	free(dtb);
}

UNIT_TEST(dtb_reserved_memory_one_cell_children)
{
	static const uint64_t mem[] = {0x40000000, 0x1000000};
	static const uint64_t carve[] = {0x40200000, 0x100000, 0x40400000, 0x1000};
	void *fdt = sw_begin(NULL, 0, 2, 2);
	struct boot_info *bi = new_bi();

	sw_memory(fdt, "memory@40000000", 2, 2, mem, 1);
	sw(fdt_begin_node(fdt, "reserved-memory"));
	sw_prop_u32(fdt, "#address-cells", 1);
	sw_prop_u32(fdt, "#size-cells", 1);
	sw(fdt_property(fdt, "ranges", "", 0));
	sw(fdt_begin_node(fdt, "fw@40200000"));
	sw_reg(fdt, 1, 1, carve, 2);
	sw(fdt_property(fdt, "no-map", "", 0));
	sw(fdt_end_node(fdt));
	sw(fdt_begin_node(fdt, "pool")); /* dynamic: no reg, nothing fixed */
	sw_prop_u32(fdt, "size", 0x100000);
	sw(fdt_end_node(fdt));
	sw(fdt_end_node(fdt));
	void *dtb = sw_finish(fdt);
	CHECK(dtb != NULL);
	if (!dtb)
		goto out;
	CHECK(boot_info_from_dtb(bi, dtb, 0x40f00000, 0x40000000, 0x80000) == NULL);
	EXPECT_MAP(bi, RANGE(0x40000000, 0x40080000, K), RANGE(0x40080000, 0x40200000, U),
		   RANGE(0x40200000, 0x40300000, R), RANGE(0x40300000, 0x40400000, U),
		   RANGE(0x40400000, 0x40401000, R), RANGE(0x40401000, 0x40f00000, U),
		   RANGE(0x40f00000, 0x40f01000, D), RANGE(0x40f01000, 0x41000000, U));
out:
	free(bi);
	free(dtb);
}

UNIT_TEST(dtb_reserved_memory_unsupported_cells_refused)
{
	/* /reserved-memory whose children cannot be read (3 address cells)
	 * must not be skipped silently: that would hand the firmware's memory
	 * out as usable. The tree is unusable. */
	static const uint64_t mem[] = {0x40000000, 0x1000000};
	static const uint64_t carve[] = {0x40200000, 0x100000};
	static const int cases[][2] = {{3, 1}, {1, 3}, {2, 0}};
	struct boot_info *bi = new_bi();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		void *fdt = sw_begin(NULL, 0, 2, 2);
		sw_memory(fdt, "memory@40000000", 2, 2, mem, 1);
		sw(fdt_begin_node(fdt, "reserved-memory"));
		sw_prop_u32(fdt, "#address-cells", (uint32_t)cases[i][0]);
		sw_prop_u32(fdt, "#size-cells", (uint32_t)cases[i][1]);
		sw(fdt_property(fdt, "ranges", "", 0));
		sw(fdt_begin_node(fdt, "fw@40200000"));
		sw_reg(fdt, cases[i][0], cases[i][1], carve, 1);
		sw(fdt_end_node(fdt));
		sw(fdt_end_node(fdt));
		void *dtb = sw_finish(fdt);
		CHECK(dtb != NULL);
		if (!dtb)
			continue;
		const char *err = boot_info_from_dtb(bi, dtb, 0x40f00000, 0x40000000, 0x80000);
		if (!err)
			printf("     /reserved-memory #address-cells %d #size-cells %d: accepted, "
			       "its child ignored\n", cases[i][0], cases[i][1]);
		CHECK(err != NULL);
		free(dtb);
	}
	free(bi);
}

UNIT_TEST(dtb_kernel_and_dtb_lose_to_reserved)
{
	/* Reserved memory stays reserved even under the kernel or the tree
	 * (the rule of boot_mem_add: only usable memory is overwritten). */
	static const struct rsv rsv[] = {{0x40000000, 0x1000}, {0x47f00000, 0x100000}};
	static const uint64_t mem[] = {0x40000000, 0x8000000};
	void *fdt = sw_begin(rsv, 2, 2, 2);
	struct boot_info *bi = new_bi();

	sw_memory(fdt, "memory@40000000", 2, 2, mem, 1);
	void *dtb = sw_finish(fdt);
	CHECK(dtb != NULL);
	if (!dtb)
		goto out;
	CHECK(boot_info_from_dtb(bi, dtb, 0x47f00000, 0x40000000, 0x3000) == NULL);
	EXPECT_MAP(bi, RANGE(0x40000000, 0x40001000, R), RANGE(0x40001000, 0x40003000, K),
		   RANGE(0x40003000, 0x47f00000, U), RANGE(0x47f00000, 0x48000000, R));
out:
	free(bi);
	free(dtb);
}

/* ---- /chosen/bootargs ---- */

static char bootargs_buf[BOOT_CMDLINE_MAX + 64];
static int bootargs_len;

static void chosen_bootargs(void *fdt)
{
	sw(fdt_property(fdt, "bootargs", bootargs_buf, bootargs_len));
}

/* Runs simple_tree with bootargs of `len` bytes as given in bootargs_buf. */
static const char *with_bootargs(struct boot_info *bi, int len)
{
	bootargs_len = len;
	void *dtb = simple_tree(chosen_bootargs);
	if (!dtb)
		return "(tree not built)";
	const char *err = from_simple(bi, dtb);
	free(dtb);
	return err;
}

UNIT_TEST(dtb_bootargs)
{
	struct boot_info *bi = new_bi();

	strcpy(bootargs_buf, "console=ttyAMA0 selftest=all");
	CHECK(with_bootargs(bi, (int)strlen(bootargs_buf) + 1) == NULL);
	CHECK(strcmp(bi->cmdline, "console=ttyAMA0 selftest=all") == 0);
	/* Empty string. */
	bootargs_buf[0] = '\0';
	CHECK(with_bootargs(bi, 1) == NULL);
	CHECK_EQ(bi->cmdline[0], '\0');
	free(bi);
}

UNIT_TEST(dtb_bootargs_empty_property)
{
	/* A present but empty bootargs (length 0) is an empty command line. */
	struct boot_info *bi = new_bi();
	CHECK(with_bootargs(bi, 0) == NULL);
	CHECK_EQ(bi->cmdline[0], '\0');
	CHECK_EQ(bi->mem_count, 5);
	free(bi);
}

UNIT_TEST(dtb_bootargs_longest)
{
	struct boot_info *bi = new_bi();

	/* BOOT_CMDLINE_MAX - 1 characters and the NUL: fits exactly. */
	memset(bootargs_buf, 'a', BOOT_CMDLINE_MAX - 1);
	bootargs_buf[BOOT_CMDLINE_MAX - 1] = '\0';
	CHECK(with_bootargs(bi, BOOT_CMDLINE_MAX) == NULL);
	CHECK_EQ(strlen(bi->cmdline), BOOT_CMDLINE_MAX - 1);
	CHECK(memcmp(bi->cmdline, bootargs_buf, BOOT_CMDLINE_MAX) == 0);
	free(bi);
}

UNIT_TEST(dtb_bootargs_too_long)
{
	struct boot_info *bi = new_bi();

	memset(bootargs_buf, 'a', BOOT_CMDLINE_MAX);
	bootargs_buf[BOOT_CMDLINE_MAX] = '\0';
	CHECK_ERROR(with_bootargs(bi, BOOT_CMDLINE_MAX + 1), "bootargs");
	memset(bootargs_buf, 'b', BOOT_CMDLINE_MAX + 40);
	bootargs_buf[BOOT_CMDLINE_MAX + 40] = '\0';
	CHECK_ERROR(with_bootargs(bi, BOOT_CMDLINE_MAX + 41), "bootargs");
	free(bi);
}

UNIT_TEST(dtb_bootargs_not_terminated)
{
	struct boot_info *bi = new_bi();

	memcpy(bootargs_buf, "console=ttyAMA0", 15);
	CHECK_ERROR(with_bootargs(bi, 15), "bootargs");
	CHECK_ERROR(with_bootargs(bi, 1), "bootargs");
	free(bi);
}

/* ---- The initrd ---- */

static int initrd_mode;

static void chosen_initrd(void *fdt)
{
	switch (initrd_mode) {
	case 0: /* 32-bit cells, the end not page-aligned */
		sw_prop_u32(fdt, "linux,initrd-start", 0x44000000);
		sw_prop_u32(fdt, "linux,initrd-end", 0x44201001);
		break;
	case 1: /* 64-bit cells */
		sw_prop_u64(fdt, "linux,initrd-start", 0x44000000);
		sw_prop_u64(fdt, "linux,initrd-end", 0x44100000);
		break;
	case 2: /* one of each */
		sw_prop_u64(fdt, "linux,initrd-start", 0x44000000);
		sw_prop_u32(fdt, "linux,initrd-end", 0x44003000);
		break;
	case 3: /* end before start */
		sw_prop_u32(fdt, "linux,initrd-start", 0x44100000);
		sw_prop_u32(fdt, "linux,initrd-end", 0x44000000);
		break;
	case 4: /* empty */
		sw_prop_u32(fdt, "linux,initrd-start", 0x44000000);
		sw_prop_u32(fdt, "linux,initrd-end", 0x44000000);
		break;
	case 5: /* no end */
		sw_prop_u32(fdt, "linux,initrd-start", 0x44000000);
		break;
	case 6: { /* a 3-cell start: not a 32- or 64-bit value */
		static const fdt32_t three[3] = {0, 0, 0};
		sw(fdt_property(fdt, "linux,initrd-start", three, sizeof(three)));
		sw_prop_u32(fdt, "linux,initrd-end", 0x44000000);
		break;
	}
	case 7: /* above 4 GiB, outside memory */
		sw_prop_u64(fdt, "linux,initrd-start", 0x123456000ull);
		sw_prop_u64(fdt, "linux,initrd-end", 0x123457000ull);
		break;
	case 8: /* the start not page-aligned */
		sw_prop_u32(fdt, "linux,initrd-start", 0x44000800);
		sw_prop_u32(fdt, "linux,initrd-end", 0x44003000);
		break;
	}
}

static const char *with_initrd(struct boot_info *bi, int mode)
{
	initrd_mode = mode;
	void *dtb = simple_tree(chosen_initrd);
	if (!dtb)
		return "(tree not built)";
	const char *err = from_simple(bi, dtb);
	free(dtb);
	return err;
}

UNIT_TEST(dtb_initrd_32bit_cells)
{
	struct boot_info *bi = new_bi();

	CHECK(with_initrd(bi, 0) == NULL);
	CHECK_EQ(bi->module_count, 1);
	CHECK_EQ(bi->modules[0].base, 0x44000000);
	CHECK_EQ(bi->modules[0].size, 0x201001);
	CHECK(strcmp(bi->modules[0].name, "initrd") == 0);
	/* The module's memory is whole pages. */
	CHECK_EQ(bi->mem_count, 7);
	CHECK_EQ(bi->mem[3].base, 0x44000000);
	CHECK_EQ(bi->mem[3].size, 0x44202000 - 0x44000000);
	CHECK_EQ(bi->mem[3].type, M);
	free(bi);
}

UNIT_TEST(dtb_initrd_64bit_cells)
{
	struct boot_info *bi = new_bi();

	CHECK(with_initrd(bi, 1) == NULL);
	CHECK_EQ(bi->module_count, 1);
	CHECK_EQ(bi->modules[0].base, 0x44000000);
	CHECK_EQ(bi->modules[0].size, 0x100000);
	CHECK(strcmp(bi->modules[0].name, "initrd") == 0);
	uint64_t dtb_end = ALIGN_UP_PAGE(S_DTB_PA + bi->dtb_size);
	EXPECT_MAP(bi, RANGE(0x40000000, S_KPA, U), RANGE(S_KPA, S_KEND, K),
		   RANGE(S_KEND, 0x44000000, U), RANGE(0x44000000, 0x44100000, M),
		   RANGE(0x44100000, 0x47f00000, U), RANGE(0x47f00000, dtb_end, D),
		   RANGE(dtb_end, 0x48000000, U));

	CHECK(with_initrd(bi, 2) == NULL);
	CHECK_EQ(bi->module_count, 1);
	CHECK_EQ(bi->modules[0].base, 0x44000000);
	CHECK_EQ(bi->modules[0].size, 0x3000);

	CHECK(with_initrd(bi, 7) == NULL);
	CHECK_EQ(bi->module_count, 1);
	CHECK_EQ(bi->modules[0].base, 0x123456000ull);
	CHECK_EQ(bi->modules[0].size, 0x1000);
	CHECK_EQ(bi->mem_count, 6);
	CHECK_EQ(bi->mem[5].base, 0x123456000ull);
	CHECK_EQ(bi->mem[5].size, 0x1000);
	CHECK_EQ(bi->mem[5].type, M);
	free(bi);
}

UNIT_TEST(dtb_initrd_absent_or_invalid)
{
	struct boot_info *bi = new_bi();

	for (int mode = 3; mode <= 6; mode++) {
		CHECK(with_initrd(bi, mode) == NULL);
		CHECK_EQ(bi->module_count, 0);
		CHECK_EQ(bi->mem_count, 5);
		for (uint32_t i = 0; i < bi->mem_count; i++)
			CHECK(bi->mem[i].type != M);
	}
	free(bi);
}

UNIT_TEST(dtb_initrd_module_base_page_aligned)
{
	/* boot_info.h: struct boot_module's base is page-aligned. An initrd
	 * that does not start on a page boundary must not produce a module
	 * that breaks this: either the tree is refused, or the module
	 * starts on a page boundary. */
	struct boot_info *bi = new_bi();
	const char *err = with_initrd(bi, 8);

	if (err == NULL) {
		CHECK_EQ(bi->module_count, 1);
		CHECK_EQ(bi->modules[0].base % PAGE, 0);
	}
	free(bi);
}

/* ---- Unusable trees ---- */

UNIT_TEST(dtb_no_memory)
{
	static const uint64_t reg[] = {0x40000000, 0x8000000};
	struct boot_info *bi = new_bi();

	/* No memory node at all, only reservations and chosen. */
	static const struct rsv rsv[] = {{0x40000000, 0x1000}};
	void *fdt = sw_begin(rsv, 1, 2, 2);
	sw(fdt_begin_node(fdt, "chosen"));
	sw(fdt_property_string(fdt, "bootargs", "x"));
	sw(fdt_end_node(fdt));
	void *dtb = sw_finish(fdt);
	CHECK(dtb != NULL);
	if (dtb)
		CHECK_ERROR(from_simple(bi, dtb), "no memory");
	free(dtb);

	/* A memory node without reg. */
	fdt = sw_begin(NULL, 0, 2, 2);
	sw(fdt_begin_node(fdt, "memory@40000000"));
	sw(fdt_property_string(fdt, "device_type", "memory"));
	sw(fdt_end_node(fdt));
	dtb = sw_finish(fdt);
	CHECK(dtb != NULL);
	if (dtb)
		CHECK_ERROR(from_simple(bi, dtb), "no memory");
	free(dtb);

	/* A node with reg but another device_type, or none. */
	fdt = sw_begin(NULL, 0, 2, 2);
	sw(fdt_begin_node(fdt, "ram@40000000"));
	sw(fdt_property_string(fdt, "device_type", "memory-controller"));
	sw_reg(fdt, 2, 2, reg, 1);
	sw(fdt_end_node(fdt));
	sw(fdt_begin_node(fdt, "sram@0"));
	sw_reg(fdt, 2, 2, reg, 1);
	sw(fdt_end_node(fdt));
	dtb = sw_finish(fdt);
	CHECK(dtb != NULL);
	if (dtb)
		CHECK_ERROR(from_simple(bi, dtb), "no memory");
	free(dtb);

	/* A memory node whose reg is shorter than one (address, size). */
	fdt = sw_begin(NULL, 0, 2, 2);
	sw(fdt_begin_node(fdt, "memory@40000000"));
	sw(fdt_property_string(fdt, "device_type", "memory"));
	sw_reg(fdt, 2, 1, reg, 1);
	sw(fdt_end_node(fdt));
	dtb = sw_finish(fdt);
	CHECK(dtb != NULL);
	if (dtb)
		CHECK_ERROR(from_simple(bi, dtb), "no memory");
	free(dtb);
	free(bi);
}

UNIT_TEST(dtb_bad_header)
{
	struct boot_info *bi = new_bi();
	void *good = simple_tree(NULL);
	CHECK(good != NULL);
	if (!good)
		goto out;
	CHECK(from_simple(bi, good) == NULL);
	size_t size = fdt_totalsize(good);
	struct fdt_header *h = malloc(size);
	if (!h)
		abort();

	memset(h, 0, size);
	CHECK_ERROR(from_simple(bi, h), "header");

	memcpy(h, good, size);
	h->magic = cpu_to_fdt32(0xd00dfeee);
	CHECK_ERROR(from_simple(bi, h), "header");

	memcpy(h, good, size);
	h->version = cpu_to_fdt32(1);
	h->last_comp_version = cpu_to_fdt32(1);
	CHECK_ERROR(from_simple(bi, h), "header");

	memcpy(h, good, size);
	h->last_comp_version = cpu_to_fdt32(18); /* newer than libfdt reads */
	CHECK_ERROR(from_simple(bi, h), "header");

	memcpy(h, good, size);
	h->totalsize = cpu_to_fdt32(8); /* smaller than the header */
	CHECK_ERROR(from_simple(bi, h), "header");

	memcpy(h, good, size);
	h->off_dt_struct = cpu_to_fdt32(0x7fffff00); /* far outside the blob */
	CHECK_ERROR(from_simple(bi, h), "header");

	free(h);
out:
	free(good);
	free(bi);
}

static void *tree_with_root_cells(int ac, int sc)
{
	static const uint64_t mem[] = {0x40000000, 0x8000000};
	void *fdt = sw_begin(NULL, 0, ac, sc);
	sw_memory(fdt, "memory@40000000", ac < 0 ? 2 : ac, sc < 0 ? 1 : sc, mem, 1);
	return sw_finish(fdt);
}

UNIT_TEST(dtb_unsupported_root_cells)
{
	static const int cases[][2] = {{3, 2}, {2, 3}, {0, 2}, {2, 0}, {4, 1}, {1, 4}, {-1, 0}};
	struct boot_info *bi = new_bi();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		void *dtb = tree_with_root_cells(cases[i][0], cases[i][1]);
		CHECK(dtb != NULL);
		if (!dtb)
			continue;
		const char *err = from_simple(bi, dtb);
		if (err == NULL || strstr(err, "cells") == NULL)
			printf("     #address-cells %d #size-cells %d: %s\n", cases[i][0],
			       cases[i][1], err ? err : "(accepted)");
		CHECK_ERROR(err, "cells");
		free(dtb);
	}
	/* The supported combinations. */
	for (int ac = 1; ac <= 2; ac++) {
		for (int sc = 1; sc <= 2; sc++) {
			void *dtb = tree_with_root_cells(ac, sc);
			CHECK(dtb != NULL);
			if (!dtb)
				continue;
			CHECK(from_simple(bi, dtb) == NULL);
			CHECK_EQ(bi->mem_count, 5);
			free(dtb);
		}
	}
	free(bi);
}

UNIT_TEST(dtb_too_many_memory_ranges)
{
	static uint64_t mem[2 * (BOOT_MEM_MAX + 1)];
	struct boot_info *bi = new_bi();

	/* BOOT_MEM_MAX + 1 disjoint usable ranges. */
	for (int i = 0; i <= BOOT_MEM_MAX; i++) {
		mem[2 * i] = 0x40000000 + (uint64_t)i * 0x20000;
		mem[2 * i + 1] = 0x10000;
	}
	void *fdt = sw_begin(NULL, 0, 2, 2);
	sw_memory(fdt, "memory@40000000", 2, 2, mem, BOOT_MEM_MAX + 1);
	void *dtb = sw_finish(fdt);
	CHECK(dtb != NULL);
	if (dtb)
		CHECK_ERROR(from_simple(bi, dtb), "too many");
	free(dtb);

	/* Exactly BOOT_MEM_MAX usable ranges, then the kernel needs more. */
	fdt = sw_begin(NULL, 0, 2, 2);
	sw_memory(fdt, "memory@40000000", 2, 2, mem, BOOT_MEM_MAX);
	dtb = sw_finish(fdt);
	CHECK(dtb != NULL);
	if (dtb)
		CHECK_ERROR(boot_info_from_dtb(bi, dtb, 0x40000000, 0x40001000, 0x1000), "too many");
	free(dtb);
	free(bi);
}
