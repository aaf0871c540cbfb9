// SPDX-License-Identifier: BSD-2-Clause
// Kernel ELF validation: every field that decides where bytes are read from
// or written to is checked against the file and against each other before
// the loader touches memory. Fields are read byte by byte, little-endian,
// so neither the buffer's alignment nor the host's byte order matters.
#include "elf_check.h"

#include <stdbool.h>

#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define PT_LOAD 1
#define PF_X 1
#define ET_EXEC 2
#define PAGE_SIZE 4096ull

static uint64_t read_le(const unsigned char *p, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = bytes; i-- > 0;)
		v = (v << 8) | p[i];
	return v;
}

struct phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t filesz;
	uint64_t memsz;
};

static struct phdr read_phdr(const unsigned char *p)
{
	return (struct phdr){
		.type = (uint32_t)read_le(p, 4),
		.flags = (uint32_t)read_le(p + 4, 4),
		.offset = read_le(p + 8, 8),
		.vaddr = read_le(p + 16, 8),
		.filesz = read_le(p + 32, 8),
		.memsz = read_le(p + 40, 8),
	};
}

static enum elf_check_status check_header(const unsigned char *f, size_t size, uint16_t machine)
{
	if (size < EHDR_SIZE)
		return ELF_CHECK_TRUNCATED_HEADER;
	if (f[0] != 0x7f || f[1] != 'E' || f[2] != 'L' || f[3] != 'F')
		return ELF_CHECK_BAD_MAGIC;
	if (f[4] != 2)
		return ELF_CHECK_BAD_CLASS;
	if (f[5] != 1)
		return ELF_CHECK_BAD_ENDIAN;
	if (f[6] != 1 || read_le(f + 20, 4) != 1)
		return ELF_CHECK_BAD_VERSION;
	if (read_le(f + 18, 2) != machine)
		return ELF_CHECK_BAD_MACHINE;
	if (read_le(f + 16, 2) != ET_EXEC)
		return ELF_CHECK_BAD_TYPE;
	if (read_le(f + 54, 2) != PHDR_SIZE)
		return ELF_CHECK_BAD_PHENTSIZE;
	return ELF_CHECK_OK;
}

/* Checks one PT_LOAD on its own: its bytes are in the file, it does not wrap. */
static enum elf_check_status check_segment(const struct phdr *ph, size_t size)
{
	uint64_t file_end, mem_end;

	if (__builtin_add_overflow(ph->offset, ph->filesz, &file_end) || file_end > size)
		return ELF_CHECK_SEGMENT_PAST_EOF;
	if (ph->filesz > ph->memsz)
		return ELF_CHECK_FILESZ_GT_MEMSZ;
	if (__builtin_add_overflow(ph->vaddr, ph->memsz, &mem_end))
		return ELF_CHECK_SEGMENT_WRAPS;
	return ELF_CHECK_OK;
}

static bool overlaps(const struct phdr *a, const struct phdr *b)
{
	return a->vaddr < b->vaddr + b->memsz && b->vaddr < a->vaddr + a->memsz;
}

/*
 * Collects the PT_LOADs that occupy memory, checking each and every pair.
 * A PT_LOAD with p_memsz 0 occupies nothing and is skipped once its file
 * range has been checked.
 */
static enum elf_check_status collect_loads(const unsigned char *f, size_t size, uint64_t phoff,
					   unsigned phnum, struct phdr *loads, unsigned *count)
{
	*count = 0;
	for (unsigned i = 0; i < phnum; i++) {
		struct phdr ph = read_phdr(f + phoff + (uint64_t)i * PHDR_SIZE);
		enum elf_check_status st;

		if (ph.type != PT_LOAD)
			continue;
		st = check_segment(&ph, size);
		if (st != ELF_CHECK_OK)
			return st;
		if (ph.memsz == 0)
			continue;
		if (*count == ELF_LOAD_SEGMENTS_MAX)
			return ELF_CHECK_TOO_MANY_SEGMENTS;
		for (unsigned j = 0; j < *count; j++)
			if (overlaps(&ph, &loads[j]))
				return ELF_CHECK_SEGMENTS_OVERLAP;
		loads[(*count)++] = ph;
	}
	return *count == 0 ? ELF_CHECK_NO_LOAD_SEGMENT : ELF_CHECK_OK;
}

/* Code runs from bytes loaded from the file, never from bss. */
static bool entry_is_loaded_code(const struct phdr *loads, unsigned count, uint64_t entry)
{
	for (unsigned i = 0; i < count; i++)
		if ((loads[i].flags & PF_X) && entry >= loads[i].vaddr &&
		    entry - loads[i].vaddr < loads[i].filesz)
			return true;
	return false;
}

static enum elf_check_status make_plan(const struct phdr *loads, unsigned count, uint64_t entry,
				       uint64_t max_span, struct elf_load_plan *plan)
{
	uint64_t low = UINT64_MAX, high = 0;

	for (unsigned i = 0; i < count; i++) {
		if (loads[i].vaddr < low)
			low = loads[i].vaddr;
		if (loads[i].vaddr + loads[i].memsz > high)
			high = loads[i].vaddr + loads[i].memsz;
	}
	low &= ~(PAGE_SIZE - 1);
	/* Compared before rounding so that rounding cannot overflow. */
	if (high - low > max_span)
		return ELF_CHECK_TOO_BIG;
	plan->vaddr_base = low;
	plan->span = (high - low + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (plan->span > max_span)
		return ELF_CHECK_TOO_BIG;
	plan->entry_offset = entry - low;
	plan->segment_count = count;
	for (unsigned i = 0; i < count; i++) {
		plan->segments[i] = (struct elf_load_segment){
			.file_offset = loads[i].offset,
			.file_size = loads[i].filesz,
			.image_offset = loads[i].vaddr - low,
			.zero_size = loads[i].memsz - loads[i].filesz,
			.flags = loads[i].flags & (ELF_PF_R | ELF_PF_W | ELF_PF_X),
		};
	}
	return ELF_CHECK_OK;
}

static enum elf_check_status check(const unsigned char *f, size_t size, uint16_t machine,
				   uint64_t max_span, struct elf_load_plan *plan)
{
	struct phdr loads[ELF_LOAD_SEGMENTS_MAX];
	uint64_t phoff, phend, entry;
	unsigned phnum, count;
	enum elf_check_status st;

	st = check_header(f, size, machine);
	if (st != ELF_CHECK_OK)
		return st;
	entry = read_le(f + 24, 8);
	phoff = read_le(f + 32, 8);
	phnum = (unsigned)read_le(f + 56, 2);
	/* phnum is 16 bits, so phnum * PHDR_SIZE cannot overflow. */
	if (__builtin_add_overflow(phoff, (uint64_t)phnum * PHDR_SIZE, &phend) || phend > size)
		return ELF_CHECK_TRUNCATED_PHDRS;
	st = collect_loads(f, size, phoff, phnum, loads, &count);
	if (st != ELF_CHECK_OK)
		return st;
	if (!entry_is_loaded_code(loads, count, entry))
		return ELF_CHECK_BAD_ENTRY;
	return make_plan(loads, count, entry, max_span, plan);
}

enum elf_check_status elf_check(const void *image, size_t size, uint16_t machine,
				uint64_t max_span, struct elf_load_plan *plan)
{
	enum elf_check_status st;

	*plan = (struct elf_load_plan){0};
	st = check(image, size, machine, max_span, plan);
	if (st != ELF_CHECK_OK)
		*plan = (struct elf_load_plan){0};
	return st;
}

const char *elf_check_strerror(enum elf_check_status status)
{
	switch (status) {
	case ELF_CHECK_OK: return "no error";
	case ELF_CHECK_TRUNCATED_HEADER: return "file too short for an ELF header";
	case ELF_CHECK_BAD_MAGIC: return "not an ELF file (bad magic)";
	case ELF_CHECK_BAD_CLASS: return "not a 64-bit ELF file";
	case ELF_CHECK_BAD_ENDIAN: return "not a little-endian ELF file";
	case ELF_CHECK_BAD_VERSION: return "unknown ELF version";
	case ELF_CHECK_BAD_MACHINE: return "ELF file for another machine (e_machine)";
	case ELF_CHECK_BAD_TYPE: return "not an executable ELF file (e_type)";
	case ELF_CHECK_BAD_PHENTSIZE: return "bad program header size (e_phentsize)";
	case ELF_CHECK_TRUNCATED_PHDRS: return "program headers past the end of the file";
	case ELF_CHECK_SEGMENT_PAST_EOF: return "segment past the end of the file";
	case ELF_CHECK_FILESZ_GT_MEMSZ: return "segment with p_filesz > p_memsz";
	case ELF_CHECK_SEGMENT_WRAPS: return "segment wraps the address space";
	case ELF_CHECK_SEGMENTS_OVERLAP: return "segments overlap in memory";
	case ELF_CHECK_TOO_MANY_SEGMENTS: return "too many PT_LOAD segments";
	case ELF_CHECK_NO_LOAD_SEGMENT: return "no PT_LOAD segment";
	case ELF_CHECK_TOO_BIG: return "loaded image too big";
	case ELF_CHECK_BAD_ENTRY: return "entry point outside loaded executable code";
	}
	return "unknown error";
}
