/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A task's or VM's address space as the architecture implements it (on
 * arm64: a stage-2 table and a VMID, see docs/arm64.md and
 * docs/virtualization.md). Page-table pages come from the allocator the
 * caller passes, which charges them to a quota.
 *
 * Mappings are made and removed a range at a time. Within a range the
 * architecture uses its large mappings (ARCH_VSPACE_BLOCK_SIZE: 2 MiB on
 * arm64) wherever the address and the physical address are both aligned to
 * one and the range covers it whole, and 4 KiB pages elsewhere. A block
 * therefore always lies inside the range of one map call, and unmapping any
 * range that was mapped (by one call or several) never splits one.
 */
#ifndef KERNEL_ARCH_VSPACE_H
#define KERNEL_ARCH_VSPACE_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/vspace_types.h>

#define VSPACE_READ 1u
#define VSPACE_WRITE 2u
#define VSPACE_EXEC 4u
#define VSPACE_DEVICE 8u /* device registers: uncached, never executable */
#define VSPACE_OWNED 16u /* the memory belongs to the space: freed with it (a mark only) */

struct vspace_alloc {
	int (*alloc_table)(void *ctx, uint64_t *pa); /* a zeroed page, or an error */
	void (*free_table)(void *ctx, uint64_t pa);
	void *ctx;
};

/* What a space holds, for tests and reports. */
struct vspace_count {
	uint64_t pages;  /* 4 KiB mappings */
	uint64_t blocks; /* ARCH_VSPACE_BLOCK_SIZE mappings */
	uint64_t tables; /* page-table pages, the root included */
};

/* Called for every mapping taken down by destroy: pages 4 KiB pages from
 * pa, with their perms (VSPACE_OWNED says whose memory it is). */
typedef void vspace_unmapped_fn(void *ctx, uint64_t pa, uint64_t pages, unsigned perms);

/* First address past what a task can map. */
uint64_t arch_vspace_limit(void);

/* All that return int return an enum cv_status. */
int arch_vspace_init(struct arch_vspace *vs, const struct vspace_alloc *a) __attribute__((warn_unused_result));
/*
 * Maps pages 4 KiB pages, va to pa, with perms. All or nothing: nothing is
 * mapped when it fails (tables allocated on the way stay, empty, until
 * destroy). Refuses writable+executable outside a VM, executable device
 * memory, no READ, zero pages, unaligned addresses (CV_E_BAD_ARG), a range
 * past arch_vspace_limit() (CV_E_BAD_ADDRESS), any page of the range
 * already mapped (CV_E_BUSY); passes on the table allocator's error.
 */
int arch_vspace_map(struct arch_vspace *vs, uint64_t va, uint64_t pa, uint64_t pages, unsigned perms,
		    const struct vspace_alloc *a) __attribute__((warn_unused_result));
/*
 * Unmaps pages 4 KiB pages from va and, before returning, invalidates them
 * in every CPU's TLB. All or nothing: CV_E_EMPTY_SLOT if a page of the
 * range is not mapped, CV_E_BAD_ARG if the range cuts a block (or is
 * unaligned or empty; CV_E_BAD_ADDRESS: out of range); nothing changes then.
 */
int arch_vspace_unmap(struct arch_vspace *vs, uint64_t va, uint64_t pages) __attribute__((warn_unused_result));
/* What va maps to (the byte's physical address, inside blocks too); false
 * if nothing. */
bool arch_vspace_lookup(const struct arch_vspace *vs, uint64_t va, uint64_t *pa, unsigned *perms);
/* Counts what vs holds by walking its tables. */
void arch_vspace_count(const struct arch_vspace *vs, struct vspace_count *c);
/* Frees every table and the address-space id, after invalidating its TLB
 * entries; calls unmapped(ctx, ...) for every mapping still there. */
void arch_vspace_destroy(struct arch_vspace *vs, const struct vspace_alloc *a, vspace_unmapped_fn *unmapped,
			 void *ctx);
/* Makes vs the one user code on this CPU runs in. */
void arch_vspace_activate(struct arch_vspace *vs);
/* How many times the address-space ids ran out and started again. */
uint64_t arch_vmid_rollovers(void);

#endif
