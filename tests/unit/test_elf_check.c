// SPDX-License-Identifier: BSD-2-Clause
// Kernel ELF validation: a synthetic kernel built here, then broken in
// every way the loader must refuse.
#include "unit.h"

#include <stdint.h>
#include <string.h>

#include "elf/elf_check.h"

#define VBASE 0x0000ffffc0000000ull
#define MAX_SPAN (64ull << 20)
#define PT_LOAD 1
#define PT_NOTE 4
#define PF_X 1
#define PF_W 2
#define PF_R 4

struct seg {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz;
};

/* The file being built. */
struct elf {
	unsigned char bytes[64 * 1024];
	size_t size;
};

static void put(unsigned char *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/*
 * Writes an ELF64 header for machine with the program headers at 64, and
 * sizes the file to hold them and every segment's bytes (capped at the
 * buffer; a test that wants a short file says so).
 */
static void build(struct elf *e, uint16_t machine, uint64_t entry, const struct seg *segs,
		  unsigned n)
{
	unsigned char *h = e->bytes;

	memset(e->bytes, 0, sizeof(e->bytes));
	memcpy(h, "\x7f" "ELF", 4);
	h[4] = 2; /* ELFCLASS64 */
	h[5] = 1; /* ELFDATA2LSB */
	h[6] = 1; /* EV_CURRENT */
	put(h + 16, 2, 2); /* ET_EXEC */
	put(h + 18, machine, 2);
	put(h + 20, 1, 4);
	put(h + 24, entry, 8);
	put(h + 32, 64, 8);
	put(h + 52, 64, 2);
	put(h + 54, 56, 2);
	put(h + 56, n, 2);
	e->size = 64 + 56 * (size_t)n;
	for (unsigned i = 0; i < n; i++) {
		unsigned char *p = h + 64 + 56 * i;
		put(p, segs[i].type, 4);
		put(p + 4, segs[i].flags, 4);
		put(p + 8, segs[i].offset, 8);
		put(p + 16, segs[i].vaddr, 8);
		put(p + 24, segs[i].vaddr, 8);
		put(p + 32, segs[i].filesz, 8);
		put(p + 40, segs[i].memsz, 8);
		put(p + 48, 0x1000, 8);
		if (segs[i].offset + segs[i].filesz > e->size &&
		    segs[i].offset + segs[i].filesz <= sizeof(e->bytes))
			e->size = segs[i].offset + segs[i].filesz;
	}
}

/* A kernel like ours: text (RX) and, 64 KiB further, data with bss (RW). */
static void build_valid(struct elf *e)
{
	static const struct seg segs[] = {
		{PT_LOAD, PF_R | PF_X, 0x1000, VBASE, 0x2000, 0x2000},
		{PT_NOTE, PF_R, 0x200, 0, 0x20, 0},
		{PT_LOAD, PF_R | PF_W, 0x3000, VBASE + 0x10000, 0x100, 0x5000},
	};

	build(e, ELF_MACHINE_AARCH64, VBASE + 0x10, segs, 3);
}

/*
 * Checks an exact-size heap copy (ASan sees reads past the end) placed at
 * an odd address (UBSan sees misaligned loads).
 */
static enum elf_check_status check_bytes(const unsigned char *bytes, size_t size, uint16_t machine,
					 uint64_t max_span, struct elf_load_plan *plan)
{
	unsigned char *copy = malloc(size + 1);
	enum elf_check_status st;

	memcpy(copy + 1, bytes, size);
	st = elf_check(copy + 1, size, machine, max_span, plan);
	free(copy);
	return st;
}

static enum elf_check_status check(const struct elf *e, struct elf_load_plan *plan)
{
	return check_bytes(e->bytes, e->size, ELF_MACHINE_AARCH64, MAX_SPAN, plan);
}

static struct elf e;
static struct elf_load_plan plan;

static void set_phdr(struct elf *f, unsigned i, unsigned field_offset, uint64_t v)
{
	put(f->bytes + 64 + 56 * i + field_offset, v, field_offset < 8 ? 4 : 8);
}
#define PH_TYPE 0
#define PH_FLAGS 4
#define PH_OFFSET 8
#define PH_VADDR 16
#define PH_FILESZ 32
#define PH_MEMSZ 40

static void expect(enum elf_check_status want)
{
	CHECK_EQ(check(&e, &plan), want);
	if (want != ELF_CHECK_OK) {
		/* A refused file leaves no plan a caller could use by mistake. */
		CHECK_EQ(plan.span, 0);
		CHECK_EQ(plan.segment_count, 0);
		CHECK(strlen(elf_check_strerror(want)) > 0);
	}
}

UNIT_TEST(elf_valid_kernel_plan)
{
	build_valid(&e);
	expect(ELF_CHECK_OK);
	CHECK_EQ(plan.vaddr_base, VBASE);
	CHECK_EQ(plan.span, 0x15000);
	CHECK_EQ(plan.entry_offset, 0x10);
	CHECK_EQ(plan.segment_count, 2);
	CHECK_EQ(plan.segments[0].file_offset, 0x1000);
	CHECK_EQ(plan.segments[0].file_size, 0x2000);
	CHECK_EQ(plan.segments[0].image_offset, 0);
	CHECK_EQ(plan.segments[0].zero_size, 0);
	CHECK_EQ(plan.segments[1].file_offset, 0x3000);
	CHECK_EQ(plan.segments[1].file_size, 0x100);
	CHECK_EQ(plan.segments[1].image_offset, 0x10000);
	CHECK_EQ(plan.segments[1].zero_size, 0x4f00);
}

UNIT_TEST(elf_base_rounds_down_and_span_rounds_up)
{
	static const struct seg segs[] = {
		{PT_LOAD, PF_R | PF_X, 0x1800, VBASE + 0x800, 0x100, 0x101},
	};

	build(&e, ELF_MACHINE_AARCH64, VBASE + 0x800, segs, 1);
	expect(ELF_CHECK_OK);
	CHECK_EQ(plan.vaddr_base, VBASE);
	CHECK_EQ(plan.segments[0].image_offset, 0x800);
	CHECK_EQ(plan.entry_offset, 0x800);
	CHECK_EQ(plan.span, 0x1000);
}

UNIT_TEST(elf_machine_is_a_parameter)
{
	build_valid(&e);
	CHECK_EQ(check_bytes(e.bytes, e.size, ELF_MACHINE_X86_64, MAX_SPAN, &plan),
		 ELF_CHECK_BAD_MACHINE);
	put(e.bytes + 18, ELF_MACHINE_X86_64, 2);
	CHECK_EQ(check_bytes(e.bytes, e.size, ELF_MACHINE_X86_64, MAX_SPAN, &plan), ELF_CHECK_OK);
	expect(ELF_CHECK_BAD_MACHINE);
}

UNIT_TEST(elf_truncated_header)
{
	build_valid(&e);
	CHECK_EQ(check_bytes(e.bytes, 63, ELF_MACHINE_AARCH64, MAX_SPAN, &plan),
		 ELF_CHECK_TRUNCATED_HEADER);
	CHECK_EQ(check_bytes(e.bytes, 4, ELF_MACHINE_AARCH64, MAX_SPAN, &plan),
		 ELF_CHECK_TRUNCATED_HEADER);
	CHECK_EQ(elf_check(NULL, 0, ELF_MACHINE_AARCH64, MAX_SPAN, &plan),
		 ELF_CHECK_TRUNCATED_HEADER);
}

UNIT_TEST(elf_truncated_program_headers)
{
	build_valid(&e);
	/* Three headers end at 64 + 3 * 56 = 232. */
	CHECK_EQ(check_bytes(e.bytes, 231, ELF_MACHINE_AARCH64, MAX_SPAN, &plan),
		 ELF_CHECK_TRUNCATED_PHDRS);
	put(e.bytes + 32, e.size - 56, 8);
	expect(ELF_CHECK_TRUNCATED_PHDRS);
	/* phoff + phnum * 56 wraps: must not pass as a small number. */
	put(e.bytes + 32, UINT64_MAX - 100, 8);
	expect(ELF_CHECK_TRUNCATED_PHDRS);
}

UNIT_TEST(elf_wrong_ident_and_header_fields)
{
	static const struct {
		unsigned offset, bytes;
		uint64_t value;
		enum elf_check_status want;
	} cases[] = {
		{0, 1, 0x7e, ELF_CHECK_BAD_MAGIC},
		{3, 1, 'G', ELF_CHECK_BAD_MAGIC},
		{4, 1, 1, ELF_CHECK_BAD_CLASS},  /* ELFCLASS32 */
		{5, 1, 2, ELF_CHECK_BAD_ENDIAN}, /* ELFDATA2MSB */
		{6, 1, 0, ELF_CHECK_BAD_VERSION},
		{20, 4, 2, ELF_CHECK_BAD_VERSION},
		{18, 2, 40, ELF_CHECK_BAD_MACHINE}, /* EM_ARM */
		{16, 2, 3, ELF_CHECK_BAD_TYPE},     /* ET_DYN */
		{16, 2, 1, ELF_CHECK_BAD_TYPE},     /* ET_REL */
		{54, 2, 32, ELF_CHECK_BAD_PHENTSIZE},
		{54, 2, 64, ELF_CHECK_BAD_PHENTSIZE},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		build_valid(&e);
		put(e.bytes + cases[i].offset, cases[i].value, cases[i].bytes);
		expect(cases[i].want);
	}
}

UNIT_TEST(elf_segment_past_end_of_file)
{
	build_valid(&e);
	set_phdr(&e, 2, PH_FILESZ, 0x101);
	set_phdr(&e, 2, PH_MEMSZ, 0x5000);
	expect(ELF_CHECK_SEGMENT_PAST_EOF);

	build_valid(&e);
	set_phdr(&e, 0, PH_OFFSET, e.size);
	expect(ELF_CHECK_SEGMENT_PAST_EOF);
}

UNIT_TEST(elf_segment_offset_plus_size_overflows)
{
	build_valid(&e);
	set_phdr(&e, 0, PH_OFFSET, UINT64_MAX - 0xfff);
	expect(ELF_CHECK_SEGMENT_PAST_EOF);

	build_valid(&e);
	set_phdr(&e, 2, PH_FILESZ, UINT64_MAX - 0x2000);
	set_phdr(&e, 2, PH_MEMSZ, UINT64_MAX);
	expect(ELF_CHECK_SEGMENT_PAST_EOF);
}

UNIT_TEST(elf_filesz_greater_than_memsz)
{
	build_valid(&e);
	set_phdr(&e, 2, PH_MEMSZ, 0xff);
	expect(ELF_CHECK_FILESZ_GT_MEMSZ);
}

UNIT_TEST(elf_segment_wrapping_the_address_space)
{
	build_valid(&e);
	set_phdr(&e, 2, PH_VADDR, UINT64_MAX - 0xfff);
	expect(ELF_CHECK_SEGMENT_WRAPS);
}

UNIT_TEST(elf_overlapping_segments)
{
	build_valid(&e);
	/* Data starting inside text. */
	set_phdr(&e, 2, PH_VADDR, VBASE + 0x1fff);
	expect(ELF_CHECK_SEGMENTS_OVERLAP);
	/* Data's bss reaching into text from below. */
	build_valid(&e);
	set_phdr(&e, 2, PH_VADDR, VBASE - 0x4000);
	expect(ELF_CHECK_SEGMENTS_OVERLAP);
	/* Touching is not overlapping. */
	build_valid(&e);
	set_phdr(&e, 2, PH_VADDR, VBASE + 0x2000);
	expect(ELF_CHECK_OK);
	CHECK_EQ(plan.span, 0x7000);
	/* Neither is data placed below text. */
	build_valid(&e);
	set_phdr(&e, 2, PH_VADDR, VBASE - 0x5000);
	expect(ELF_CHECK_OK);
	CHECK_EQ(plan.vaddr_base, VBASE - 0x5000);
	CHECK_EQ(plan.entry_offset, 0x5010);
	CHECK_EQ(plan.segments[0].image_offset, 0x5000);
}

UNIT_TEST(elf_huge_sizes)
{
	build_valid(&e);
	set_phdr(&e, 2, PH_MEMSZ, 1ull << 40);
	expect(ELF_CHECK_TOO_BIG);

	build_valid(&e);
	set_phdr(&e, 2, PH_MEMSZ, 1ull << 62);
	expect(ELF_CHECK_TOO_BIG);

	/* Segments far apart make a huge span even if each is small. */
	build_valid(&e);
	set_phdr(&e, 2, PH_VADDR, VBASE + MAX_SPAN);
	expect(ELF_CHECK_TOO_BIG);

	/* Exactly max_span is allowed, a byte more is not. */
	build_valid(&e);
	set_phdr(&e, 2, PH_MEMSZ, MAX_SPAN - 0x10000);
	expect(ELF_CHECK_OK);
	CHECK_EQ(plan.span, MAX_SPAN);
	set_phdr(&e, 2, PH_MEMSZ, MAX_SPAN - 0x10000 + 1);
	expect(ELF_CHECK_TOO_BIG);
}

UNIT_TEST(elf_entry_must_be_in_loaded_code)
{
	build_valid(&e);
	put(e.bytes + 24, VBASE + 0x1fff, 8); /* last byte of text */
	expect(ELF_CHECK_OK);
	put(e.bytes + 24, VBASE + 0x2000, 8); /* just past text */
	expect(ELF_CHECK_BAD_ENTRY);
	put(e.bytes + 24, VBASE - 4, 8);
	expect(ELF_CHECK_BAD_ENTRY);
	put(e.bytes + 24, VBASE + 0x10000, 8); /* data is not executable */
	expect(ELF_CHECK_BAD_ENTRY);
	put(e.bytes + 24, 0, 8);
	expect(ELF_CHECK_BAD_ENTRY);

	/* Executable bss is still not code from the file. */
	build_valid(&e);
	set_phdr(&e, 0, PH_MEMSZ, 0x3000);
	put(e.bytes + 24, VBASE + 0x2800, 8);
	expect(ELF_CHECK_BAD_ENTRY);
}

UNIT_TEST(elf_without_load_segments)
{
	static const struct seg note_only[] = {{PT_NOTE, PF_R, 0x100, 0, 0x10, 0}};
	static const struct seg empty_load[] = {{PT_LOAD, PF_R | PF_X, 0x100, VBASE, 0, 0}};

	build(&e, ELF_MACHINE_AARCH64, VBASE, NULL, 0);
	expect(ELF_CHECK_NO_LOAD_SEGMENT);
	build(&e, ELF_MACHINE_AARCH64, VBASE, note_only, 1);
	expect(ELF_CHECK_NO_LOAD_SEGMENT);
	build(&e, ELF_MACHINE_AARCH64, VBASE, empty_load, 1);
	expect(ELF_CHECK_NO_LOAD_SEGMENT);
}

UNIT_TEST(elf_too_many_load_segments)
{
	struct seg segs[ELF_LOAD_SEGMENTS_MAX + 1];

	for (unsigned i = 0; i < ELF_LOAD_SEGMENTS_MAX + 1; i++)
		segs[i] = (struct seg){PT_LOAD, PF_R | PF_X, 0x2000 + 0x100 * i,
				       VBASE + 0x1000 * i, 0x100, 0x100};
	build(&e, ELF_MACHINE_AARCH64, VBASE, segs, ELF_LOAD_SEGMENTS_MAX);
	expect(ELF_CHECK_OK);
	CHECK_EQ(plan.segment_count, ELF_LOAD_SEGMENTS_MAX);
	build(&e, ELF_MACHINE_AARCH64, VBASE, segs, ELF_LOAD_SEGMENTS_MAX + 1);
	expect(ELF_CHECK_TOO_MANY_SEGMENTS);
}
