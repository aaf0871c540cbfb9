/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Validation of an ELF executable and the plan for loading it, in pure C so
 * the host unit tests can feed it malformed files. Shared by the loader
 * (the kernel image), the kernel (the root task) and the user runtime
 * (tasks it starts). The kernel is linked at a
 * high virtual address but runs from wherever the loader puts it, so the
 * plan is relative: segment i goes to base + seg[i].image_offset.
 */
#ifndef BOOT_ELF_CHECK_H
#define BOOT_ELF_CHECK_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MACHINE_AARCH64 183
#define ELF_MACHINE_X86_64 62

/* More PT_LOADs than this is not a kernel we build. */
#define ELF_LOAD_SEGMENTS_MAX 16

enum elf_check_status {
	ELF_CHECK_OK = 0,
	ELF_CHECK_TRUNCATED_HEADER,
	ELF_CHECK_BAD_MAGIC,
	ELF_CHECK_BAD_CLASS,
	ELF_CHECK_BAD_ENDIAN,
	ELF_CHECK_BAD_VERSION,
	ELF_CHECK_BAD_MACHINE,
	ELF_CHECK_BAD_TYPE,
	ELF_CHECK_BAD_PHENTSIZE,
	ELF_CHECK_TRUNCATED_PHDRS,
	ELF_CHECK_SEGMENT_PAST_EOF,
	ELF_CHECK_FILESZ_GT_MEMSZ,
	ELF_CHECK_SEGMENT_WRAPS,
	ELF_CHECK_SEGMENTS_OVERLAP,
	ELF_CHECK_TOO_MANY_SEGMENTS,
	ELF_CHECK_NO_LOAD_SEGMENT,
	ELF_CHECK_TOO_BIG,
	ELF_CHECK_BAD_ENTRY,
};

struct elf_load_segment {
	uint64_t file_offset;  /* where the bytes are in the file */
	uint64_t file_size;    /* bytes to copy */
	uint64_t image_offset; /* where they go, from the start of the image */
	uint64_t zero_size;    /* bytes to clear after them (bss) */
	uint32_t flags;        /* ELF_PF_R / ELF_PF_W / ELF_PF_X */
};

#define ELF_PF_X 1u
#define ELF_PF_W 2u
#define ELF_PF_R 4u

struct elf_load_plan {
	uint64_t vaddr_base;   /* lowest p_vaddr rounded down to 4 KiB */
	uint64_t span;         /* bytes from vaddr_base to the end of the
				  highest segment, rounded up to 4 KiB */
	uint64_t entry_offset; /* e_entry - vaddr_base */
	unsigned segment_count;
	struct elf_load_segment segments[ELF_LOAD_SEGMENTS_MAX];
};

/*
 * Checks the size bytes at image as a little-endian ELF64 executable for
 * the given e_machine whose loaded span is at most max_span bytes, and
 * fills *plan. Bytes past size are never read; image needs no alignment.
 * On error *plan is zeroed.
 */
__attribute__((warn_unused_result)) enum elf_check_status
elf_check(const void *image, size_t size, uint16_t machine, uint64_t max_span,
	  struct elf_load_plan *plan);

/* A short English description of status, never NULL. */
const char *elf_check_strerror(enum elf_check_status status);

#endif
