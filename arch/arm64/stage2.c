// SPDX-License-Identifier: BSD-2-Clause
// Stage-2 translation: the address spaces of tasks (and later of VMs).
// 39-bit intermediate addresses, 4 KiB pages, walks start at level 1, so a
// space's root is one page. Every space has its own VMID, so switching
// spaces needs no TLB flush.
#include <uapi/status.h>

#include <arch/layout.h>
#include <arch/pte.h>
#include <arch/sysreg.h>

#include "arch/mmu.h"
#include "arch/vspace.h"
#include "arm64_private.h"
#include "kernel.h"
#include "panic.h"
#include "spinlock.h"

#define S2_IPA_BITS 39
#define S2_START_LEVEL 1

#define S2_VALID BIT(0)
#define S2_TABLE BIT(1) /* levels 1-2: table; level 3: page */
#define S2_MEMATTR_NORMAL_WB (0xful << 2)
#define S2_MEMATTR_DEVICE_nGnRE (0x1ul << 2)
#define S2_AP_R (1ul << 6)
#define S2_AP_W (2ul << 6)
#define S2_SH_INNER (3ul << 8)
#define S2_AF BIT(10)
#define S2_XN BIT(54)
#define S2_SW_OWNED BIT(55) /* software bit: VSPACE_OWNED */
#define S2_ADDR_MASK 0x0000fffffffff000ul

#define VTCR_RES1 BIT(31)
#define VTCR_VS_16BIT BIT(19)
#define VTCR_PS_SHIFT 16
#define VTCR_SH0_INNER (3ul << 12)
#define VTCR_ORGN0_WBWA (1ul << 10)
#define VTCR_IRGN0_WBWA (1ul << 8)
#define VTCR_SL0_LEVEL1 (1ul << 6)

static struct spinlock vmid_lock = SPINLOCK_INIT;
static uint64_t vmid_bitmap[65536 / 64];
static unsigned vmid_count; /* 256 or 65536 */
static uint64_t vtcr_value;

uint64_t arch_vspace_limit(void)
{
	return 1ul << S2_IPA_BITS;
}

/* Per CPU: the stage-2 controls every space shares. */
void stage2_init_cpu(void)
{
	if (!vtcr_value) {
		uint64_t mmfr0 = sysreg_read(id_aa64mmfr0_el1);
		uint64_t mmfr1 = sysreg_read(id_aa64mmfr1_el1);
		uint64_t ps = mmfr0 & 7;
		if (ps > 5)
			ps = 5;
		bool vmid16 = ((mmfr1 >> 4) & 0xf) == 2;
		vmid_count = vmid16 ? 65536 : 256;
		vtcr_value = VTCR_RES1 | (ps << VTCR_PS_SHIFT) | VTCR_SH0_INNER | VTCR_ORGN0_WBWA |
			     VTCR_IRGN0_WBWA | VTCR_SL0_LEVEL1 | (64 - S2_IPA_BITS) |
			     (vmid16 ? VTCR_VS_16BIT : 0);
		vmid_bitmap[0] |= 1; /* VMID 0 is nobody's */
	}
	sysreg_write(vtcr_el2, vtcr_value);
	sysreg_write(vttbr_el2, 0);
	isb();
}

static int vmid_alloc(uint16_t *vmid)
{
	uint64_t flags = spin_lock_irqsave(&vmid_lock);
	int err = CV_E_NO_MEMORY;

	for (unsigned w = 0; w < vmid_count / 64; w++) {
		if (vmid_bitmap[w] == ~0ul)
			continue;
		unsigned bit = __builtin_ctzl(~vmid_bitmap[w]);
		vmid_bitmap[w] |= 1ul << bit;
		*vmid = (uint16_t)(w * 64 + bit);
		err = CV_OK;
		break;
	}
	spin_unlock_irqrestore(&vmid_lock, flags);
	return err;
}

static void vmid_free(uint16_t vmid)
{
	uint64_t flags = spin_lock_irqsave(&vmid_lock);
	vmid_bitmap[vmid / 64] &= ~(1ul << (vmid % 64));
	spin_unlock_irqrestore(&vmid_lock, flags);
}

static uint64_t vttbr_of(const struct arch_vspace *vs)
{
	return vs->root_pa | ((uint64_t)vs->vmid << 48);
}

int arch_vspace_init(struct arch_vspace *vs, const struct vspace_alloc *a)
{
	int err = vmid_alloc(&vs->vmid);
	if (err)
		return err;
	err = a->alloc_table(a->ctx, &vs->root_pa);
	if (err) {
		vmid_free(vs->vmid);
		vs->vmid = 0;
		return err;
	}
	return CV_OK;
}

static uint64_t *table_of(uint64_t pa)
{
	return arch_phys_to_virt(pa);
}

static int check_va(uint64_t va)
{
	if (!IS_ALIGNED(va, (uint64_t)PAGE_SIZE))
		return CV_E_BAD_ARG;
	if (va >= arch_vspace_limit())
		return CV_E_BAD_ADDRESS;
	return CV_OK;
}

/* The level-3 entry for va, creating tables on the way if a is given. */
static uint64_t *walk(const struct arch_vspace *vs, uint64_t va, const struct vspace_alloc *a, int *err)
{
	uint64_t *table = table_of(vs->root_pa);

	for (int level = S2_START_LEVEL; level < 3; level++) {
		uint64_t *e = &table[PT_INDEX_S2(va, level)];
		if (!(*e & S2_VALID)) {
			uint64_t pa;
			if (!a) {
				*err = CV_E_EMPTY_SLOT;
				return NULL;
			}
			*err = a->alloc_table(a->ctx, &pa);
			if (*err)
				return NULL;
			dsb_ishst(); /* the zeroed table is visible before it is linked */
			*e = pa | S2_TABLE | S2_VALID;
		}
		table = table_of(*e & S2_ADDR_MASK);
	}
	*err = CV_OK;
	return &table[PT_INDEX_S2(va, 3)];
}

int arch_vspace_map(struct arch_vspace *vs, uint64_t va, uint64_t pa, unsigned perms,
		    const struct vspace_alloc *a)
{
	int err = check_va(va);
	if (err)
		return err;
	if (!IS_ALIGNED(pa, (uint64_t)PAGE_SIZE) || !(perms & VSPACE_READ) ||
	    ((perms & VSPACE_WRITE) && (perms & VSPACE_EXEC) && !vs->guest) ||
	    ((perms & VSPACE_DEVICE) && (perms & VSPACE_EXEC)))
		return CV_E_BAD_ARG;
	uint64_t *pte = walk(vs, va, a, &err);
	if (!pte)
		return err;
	if (*pte & S2_VALID)
		return CV_E_BUSY;
	uint64_t e = pa | S2_VALID | S2_TABLE | S2_AF | S2_AP_R;
	e |= (perms & VSPACE_DEVICE) ? S2_MEMATTR_DEVICE_nGnRE : (S2_MEMATTR_NORMAL_WB | S2_SH_INNER);
	if (perms & VSPACE_WRITE)
		e |= S2_AP_W;
	if (!(perms & VSPACE_EXEC))
		e |= S2_XN;
	if (perms & VSPACE_OWNED)
		e |= S2_SW_OWNED;
	dsb_ishst();
	*pte = e;
	dsb_ishst();
	return CV_OK;
}

/* TLB maintenance by IPA uses the VMID in VTTBR_EL2: borrow it. */
static void tlb_invalidate(const struct arch_vspace *vs, uint64_t va, bool whole_space)
{
	uint64_t flags = arch_irq_save();
	uint64_t saved = sysreg_read(vttbr_el2);

	sysreg_write(vttbr_el2, vttbr_of(vs));
	isb();
	dsb_ishst();
	if (whole_space) {
		__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	} else {
		__asm__ volatile("tlbi ipas2e1is, %0" ::"r"(va >> 12) : "memory");
		dsb_ish();
		/* Combined stage-1+2 entries are not tagged by IPA. */
		__asm__ volatile("tlbi vmalle1is" ::: "memory");
	}
	dsb_ish();
	sysreg_write(vttbr_el2, saved);
	isb();
	arch_irq_restore(flags);
}

int arch_vspace_unmap(struct arch_vspace *vs, uint64_t va, uint64_t *pa)
{
	int err = check_va(va);
	if (err)
		return err;
	uint64_t *pte = walk(vs, va, NULL, &err);
	if (!pte || !(*pte & S2_VALID))
		return CV_E_EMPTY_SLOT;
	*pa = *pte & S2_ADDR_MASK;
	*pte = 0;
	tlb_invalidate(vs, va, false);
	return CV_OK;
}

static unsigned perms_of(uint64_t pte)
{
	return VSPACE_READ | ((pte & S2_AP_W) ? VSPACE_WRITE : 0) | ((pte & S2_XN) ? 0 : VSPACE_EXEC) |
	       ((pte & (0xful << 2)) == S2_MEMATTR_DEVICE_nGnRE ? VSPACE_DEVICE : 0) |
	       ((pte & S2_SW_OWNED) ? VSPACE_OWNED : 0);
}

bool arch_vspace_lookup(const struct arch_vspace *vs, uint64_t va, uint64_t *pa, unsigned *perms)
{
	int err;

	if (va >= arch_vspace_limit())
		return false;
	uint64_t *pte = walk(vs, ALIGN_DOWN(va, (uint64_t)PAGE_SIZE), NULL, &err);
	if (!pte || !(*pte & S2_VALID))
		return false;
	*pa = (*pte & S2_ADDR_MASK) | (va & (PAGE_SIZE - 1));
	*perms = perms_of(*pte);
	return true;
}


static void free_tables(uint64_t table_pa, int level, const struct vspace_alloc *a,
			void (*page)(void *ctx, uint64_t pa, unsigned perms), void *ctx)
{
	uint64_t *t = table_of(table_pa);

	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		if (!(t[i] & S2_VALID))
			continue;
		if (level < 3)
			free_tables(t[i] & S2_ADDR_MASK, level + 1, a, page, ctx);
		else if (page)
			page(ctx, t[i] & S2_ADDR_MASK, perms_of(t[i]));
	}
	a->free_table(a->ctx, table_pa);
}

void arch_vspace_destroy(struct arch_vspace *vs, const struct vspace_alloc *a,
			 void (*page)(void *ctx, uint64_t pa, unsigned perms), void *ctx)
{
	if (!vs->vmid)
		return;
	tlb_invalidate(vs, 0, true);
	free_tables(vs->root_pa, S2_START_LEVEL, a, page, ctx);
	vmid_free(vs->vmid);
	vs->vmid = 0;
	vs->root_pa = 0;
}

void arch_vspace_activate(const struct arch_vspace *vs)
{
	sysreg_write(vttbr_el2, vttbr_of(vs));
	isb();
}
