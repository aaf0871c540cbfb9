/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A task's address space as the architecture implements it (on arm64: a
 * stage-2 table and a VMID, see docs/arm64.md). Page-table pages come from
 * the allocator the caller passes, which charges them to a quota.
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
#define VSPACE_OWNED 16u /* the page belongs to the space: freed with it (a mark only) */

struct vspace_alloc {
	int (*alloc_table)(void *ctx, uint64_t *pa); /* a zeroed page, or an error */
	void (*free_table)(void *ctx, uint64_t pa);
	void *ctx;
};

/* First address past what a task can map. */
uint64_t arch_vspace_limit(void);

/* All return an enum cv_status. */
int arch_vspace_init(struct arch_vspace *vs, const struct vspace_alloc *a) __attribute__((warn_unused_result));
/* Maps one page. Refuses writable+executable, unaligned or out-of-range
 * addresses (CV_E_BAD_ADDRESS/CV_E_BAD_ARG) and an already-mapped page
 * (CV_E_BUSY). */
int arch_vspace_map(struct arch_vspace *vs, uint64_t va, uint64_t pa, unsigned perms,
		    const struct vspace_alloc *a) __attribute__((warn_unused_result));
/* Unmaps one page and invalidates it in every CPU's TLB. */
int arch_vspace_unmap(struct arch_vspace *vs, uint64_t va, uint64_t *pa) __attribute__((warn_unused_result));
/* What va maps to; false if nothing. */
bool arch_vspace_lookup(const struct arch_vspace *vs, uint64_t va, uint64_t *pa, unsigned *perms);
/* Frees every table and the address-space id, after invalidating its TLB
 * entries; calls page(ctx, pa, perms) for every page still mapped. */
void arch_vspace_destroy(struct arch_vspace *vs, const struct vspace_alloc *a,
			 void (*page)(void *ctx, uint64_t pa, unsigned perms), void *ctx);
/* Makes vs the one user code on this CPU runs in. */
void arch_vspace_activate(struct arch_vspace *vs);
/* How many times the address-space ids ran out and started again. */
uint64_t arch_vmid_rollovers(void);

#endif
