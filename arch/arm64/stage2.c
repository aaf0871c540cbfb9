// SPDX-License-Identifier: BSD-2-Clause
// Stage-2 translation: the address spaces of tasks and VMs. 39-bit
// intermediate addresses, 4 KiB pages and 2 MiB level-2 blocks, walks start
// at level 1, so a space's root is one page. Every space has its own VMID,
// so switching spaces needs no TLB flush. Tables are never freed before
// their space: an emptied one stays for later pages.
#include <uapi/status.h>

#include <arch/layout.h>
#include <arch/pte.h>
#include <arch/sysreg.h>

#include "arch/mmu.h"
#include "arch/vspace.h"
#include "arm64_private.h"
#include "kernel.h"
#include "panic.h"
#include "printk.h"
#include "cpu.h"
#include "spinlock.h"
#include "string.h"

#define S2_IPA_BITS 39
#define S2_START_LEVEL 1

#define S2_VALID BIT(0)
#define S2_TABLE BIT(1) /* levels 1-2: table (clear: block) */
#define S2_PAGE BIT(1)  /* level 3: page */
#define S2_MEMATTR_NORMAL_WB (0xful << 2)
#define S2_MEMATTR_DEVICE_nGnRE (0x1ul << 2)
#define S2_AP_R (1ul << 6)
#define S2_AP_W (2ul << 6)
#define S2_SH_INNER (3ul << 8)
#define S2_AF BIT(10)
#define S2_XN BIT(54)
#define S2_SW_OWNED BIT(55) /* software bit: VSPACE_OWNED */
#define S2_ADDR_MASK 0x0000fffffffff000ul
#define S2_BLOCK_SIZE ARCH_VSPACE_BLOCK_SIZE /* a level-2 block */
#define S2_BLOCK_PAGES (S2_BLOCK_SIZE / PAGE_SIZE)

#define VTCR_RES1 BIT(31)
#define VTCR_VS_16BIT BIT(19)
#define VTCR_PS_SHIFT 16
#define VTCR_SH0_INNER (3ul << 12)
#define VTCR_ORGN0_WBWA (1ul << 10)
#define VTCR_IRGN0_WBWA (1ul << 8)
#define VTCR_SL0_LEVEL1 (1ul << 6)

/*
 * VMIDs are handed out per generation (like ASIDs in Linux and VMIDs in
 * KVM): a space gets one when it is first activated in a generation; when
 * none is left, a new generation starts, every TLB entry of every VMID is
 * invalidated on all CPUs, and the space each CPU runs keeps its VMID into
 * the new generation, so running spaces need nothing. With 8-bit VMIDs (cortex-a57) any number of
 * tasks and VMs thus come and go while at most 255 run at once. All under
 * vmid_lock; activation (the scheduler) also holds the kernel lock.
 */
static struct spinlock vmid_lock = SPINLOCK_INIT;
static uint64_t vmid_bitmap[65536 / 64];
static unsigned vmid_count; /* 256 or 65536 */
static uint32_t vmid_generation = 1;
static struct arch_vspace *active_space[CPU_MAX_COUNT]; /* in VTTBR_EL2 of each CPU */
static unsigned vmid_next = 1; /* where the search for a free one starts */
static uint64_t vmid_rollovers;
static uint64_t vtcr_value;

static void vmid_take(uint16_t v)
{
	vmid_bitmap[v / 64] |= 1ul << (v % 64);
}

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
		vmid_take(0); /* VMID 0 is nobody's */
	}
	sysreg_write(vtcr_el2, vtcr_value);
	sysreg_write(vttbr_el2, 0);
	isb();
}

static void vmid_new_generation(void)
{
	vmid_generation++;
	vmid_rollovers++;
	vmid_next = 1;
	memset(vmid_bitmap, 0, sizeof(vmid_bitmap));
	vmid_take(0); /* VMID 0 is nobody's */
	for (unsigned i = 0; i < CPU_MAX_COUNT; i++) {
		struct arch_vspace *vs = active_space[i];
		if (vs && vs->vmid) {
			vmid_take(vs->vmid);
			vs->vmid_generation = vmid_generation;
		}
	}
	/* Stage 1 and 2, every VMID, every CPU (broadcast). */
	dsb_ishst();
	__asm__ volatile("tlbi alle1is" ::: "memory");
	dsb_ish();
	printk("stage2: VMIDs ran out, generation %u\n", vmid_generation);
}

/* A VMID of this generation for vs; under vmid_lock. */
static void vmid_assign(struct arch_vspace *vs)
{
	for (;;) {
		for (unsigned v = vmid_next; v < vmid_count; v++) {
			if (vmid_bitmap[v / 64] & (1ul << (v % 64)))
				continue;
			vmid_take((uint16_t)v);
			vmid_next = v + 1;
			vs->vmid = (uint16_t)v;
			vs->vmid_generation = vmid_generation;
			return;
		}
		vmid_new_generation();
	}
}

static bool vmid_current(const struct arch_vspace *vs)
{
	return vs->vmid && vs->vmid_generation == __atomic_load_n(&vmid_generation, __ATOMIC_RELAXED);
}

/* The space dies: no CPU may carry it into a new generation. Its VMID
 * stays taken until then. */
static void vmid_release(struct arch_vspace *vs)
{
	uint64_t flags = spin_lock_irqsave(&vmid_lock);
	for (unsigned i = 0; i < CPU_MAX_COUNT; i++)
		if (active_space[i] == vs)
			active_space[i] = NULL;
	spin_unlock_irqrestore(&vmid_lock, flags);
	vs->vmid = 0;
}

uint64_t arch_vmid_rollovers(void)
{
	return vmid_rollovers;
}

static uint64_t vttbr_of(const struct arch_vspace *vs)
{
	return vs->root_pa | ((uint64_t)vs->vmid << 48);
}

int arch_vspace_init(struct arch_vspace *vs, const struct vspace_alloc *a)
{
	vs->vmid = 0;
	vs->vmid_generation = 0;
	return a->alloc_table(a->ctx, &vs->root_pa);
}

static uint64_t *table_of(uint64_t pa)
{
	return arch_phys_to_virt(pa);
}

/* Levels 1-2: an entry that points to a table, or one that maps a block. */
static bool is_table(uint64_t e)
{
	return (e & (S2_VALID | S2_TABLE)) == (S2_VALID | S2_TABLE);
}

static bool is_block(uint64_t e)
{
	return (e & (S2_VALID | S2_TABLE)) == S2_VALID;
}

static int check_range(uint64_t va, uint64_t pages)
{
	if (!IS_ALIGNED(va, (uint64_t)PAGE_SIZE) || pages == 0)
		return CV_E_BAD_ARG;
	if (va >= arch_vspace_limit() || pages > (arch_vspace_limit() - va) / PAGE_SIZE)
		return CV_E_BAD_ADDRESS;
	return CV_OK;
}

/*
 * The entry for va in its table of the given level (2 or 3). A missing
 * table on the way is made with a if given; without a the result is NULL
 * with CV_E_EMPTY_SLOT. NULL with CV_E_BUSY: a block covers va higher up.
 */
static uint64_t *entry_at(const struct arch_vspace *vs, uint64_t va, int level, const struct vspace_alloc *a,
			  int *err)
{
	uint64_t *table = table_of(vs->root_pa);

	for (int l = S2_START_LEVEL; l < level; l++) {
		uint64_t *e = &table[PT_INDEX_S2(va, l)];
		if (is_block(*e)) {
			*err = CV_E_BUSY;
			return NULL;
		}
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
	return &table[PT_INDEX_S2(va, level)];
}

/* The entry that maps va, a level-2 block or a level-3 page, and its
 * level; NULL if nothing does. */
static uint64_t *leaf_of(const struct arch_vspace *vs, uint64_t va, int *level)
{
	int err;
	uint64_t *e = entry_at(vs, va, 2, NULL, &err);

	if (!e || !(*e & S2_VALID))
		return NULL;
	if (is_block(*e)) {
		*level = 2;
		return e;
	}
	e = &table_of(*e & S2_ADDR_MASK)[PT_INDEX_S2(va, 3)];
	if (!(*e & S2_VALID))
		return NULL;
	*level = 3;
	return e;
}

/*
 * Whether the mapping at va (to pa, with pages left in the range) is a
 * block: both addresses aligned to one, the range covers it, and its
 * level-2 entry is empty (or its table not made yet: l2e NULL). A table
 * already there, even an empty one, is kept and filled with pages:
 * replacing it would need break-before-make and a walk-cache invalidation
 * for a case (remapping where pages were) that does not need to be fast.
 */
static bool block_fits(uint64_t va, uint64_t pa, uint64_t pages, const uint64_t *l2e)
{
	return IS_ALIGNED(va | pa, S2_BLOCK_SIZE) && pages >= S2_BLOCK_PAGES && (!l2e || *l2e == 0);
}

/* In MAP_WRITE every entry's table exists: MAP_TABLES made it. */
static uint64_t *made(uint64_t *e, uint64_t va)
{
	if (!e)
		panic("stage2: the table made for 0x%lx is gone", (unsigned long)va);
	return e;
}

enum map_step {
	MAP_CHECK,  /* finds anything in the way; changes nothing */
	MAP_TABLES, /* makes every table the mappings need; may fail */
	MAP_WRITE,  /* writes the entries; cannot fail */
};

/*
 * One pass over a range to map, a block or a page at a time. Every pass
 * decides block or page from the same state: MAP_TABLES adds level-3
 * tables only under pages, whose 2 MiB never holds a block of this range.
 */
static int map_pass(const struct arch_vspace *vs, uint64_t va, uint64_t pa, uint64_t pages, uint64_t attrs,
		    const struct vspace_alloc *a, enum map_step step)
{
	const struct vspace_alloc *alloc = step == MAP_TABLES ? a : NULL;
	int err;

	for (uint64_t done = 0; done < pages;) {
		uint64_t at = va + done * PAGE_SIZE, to = pa + done * PAGE_SIZE;
		uint64_t *l2e = entry_at(vs, at, 2, alloc, &err);
		if (!l2e && err != CV_E_EMPTY_SLOT)
			return err;
		if (block_fits(at, to, pages - done, l2e)) {
			if (step == MAP_WRITE)
				*made(l2e, at) = to | attrs;
			done += S2_BLOCK_PAGES;
			continue;
		}
		uint64_t *l3e = entry_at(vs, at, 3, alloc, &err);
		if (!l3e && err != CV_E_EMPTY_SLOT)
			return err; /* no memory for a table, or a block is there */
		if (l3e && (*l3e & S2_VALID))
			return CV_E_BUSY;
		if (step == MAP_WRITE)
			*made(l3e, at) = to | attrs | S2_PAGE;
		done++;
	}
	return CV_OK;
}

/* A leaf's attributes, without the bit that tells a page from a block. */
static uint64_t attrs_of(unsigned perms)
{
	uint64_t e = S2_VALID | S2_AF | S2_AP_R;

	e |= (perms & VSPACE_DEVICE) ? S2_MEMATTR_DEVICE_nGnRE : (S2_MEMATTR_NORMAL_WB | S2_SH_INNER);
	if (perms & VSPACE_WRITE)
		e |= S2_AP_W;
	if (!(perms & VSPACE_EXEC))
		e |= S2_XN;
	if (perms & VSPACE_OWNED)
		e |= S2_SW_OWNED;
	return e;
}

int arch_vspace_map(struct arch_vspace *vs, uint64_t va, uint64_t pa, uint64_t pages, unsigned perms,
		    const struct vspace_alloc *a)
{
	int err = check_range(va, pages);
	if (err)
		return err;
	if (!IS_ALIGNED(pa, (uint64_t)PAGE_SIZE) || pa > S2_ADDR_MASK ||
	    pages > (S2_ADDR_MASK - pa) / PAGE_SIZE + 1 || !(perms & VSPACE_READ) ||
	    ((perms & VSPACE_WRITE) && (perms & VSPACE_EXEC) && !vs->guest) ||
	    ((perms & VSPACE_DEVICE) && (perms & VSPACE_EXEC)))
		return CV_E_BAD_ARG;
	uint64_t attrs = attrs_of(perms);
	err = map_pass(vs, va, pa, pages, attrs, a, MAP_CHECK);
	if (!err)
		err = map_pass(vs, va, pa, pages, attrs, a, MAP_TABLES);
	if (err)
		return err;
	dsb_ishst(); /* tables are complete before any entry points into them */
	err = map_pass(vs, va, pa, pages, attrs, a, MAP_WRITE);
	dsb_ishst();
	return err;
}

/*
 * TLB maintenance by IPA uses the VMID in VTTBR_EL2, so a flush borrows
 * it (with interrupts masked). A space without a VMID of this generation
 * needs none: the generation's start invalidated everything.
 */
struct tlb_flush {
	bool needed;
	uint64_t irq_flags, saved_vttbr;
};

static void tlb_flush_begin(const struct arch_vspace *vs, struct tlb_flush *f)
{
	f->needed = vmid_current(vs);
	if (!f->needed)
		return;
	f->irq_flags = arch_irq_save();
	f->saved_vttbr = sysreg_read(vttbr_el2);
	sysreg_write(vttbr_el2, vttbr_of(vs));
	isb();
}

/* After the leaf mapping ipa was cleared: its stage-2 entries on every
 * CPU, at every level (not the last-level-only form), so no walk cache
 * keeps a path through the cleared entry either. */
static void tlb_flush_ipa(const struct tlb_flush *f, uint64_t ipa)
{
	if (!f->needed)
		return;
	dsb_ishst(); /* the cleared entry is visible to walkers first */
	__asm__ volatile("tlbi ipas2e1is, %0" ::"r"(ipa >> 12) : "memory");
}

/* by_ipa: each cleared leaf went through tlb_flush_ipa; the combined
 * stage-1+2 entries, which are tagged by VA and not by IPA, go next
 * (all of the VMID's, as the architecture requires). Otherwise everything
 * the VMID has, both stages, at once. */
static void tlb_flush_end(struct tlb_flush *f, bool by_ipa)
{
	if (!f->needed)
		return;
	if (by_ipa) {
		dsb_ish();
		__asm__ volatile("tlbi vmalle1is" ::: "memory");
	} else {
		dsb_ishst();
		__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	}
	dsb_ish();
	sysreg_write(vttbr_el2, f->saved_vttbr);
	isb();
	arch_irq_restore(f->irq_flags);
}

/* Past this many leaves one invalidation of the whole VMID costs less
 * than a broadcast per leaf (the VMID's other entries refill on demand):
 * a 16 MiB frame in blocks is 8 leaves, in pages 4096. */
#define S2_TLBI_BY_IPA_MAX 64

/* Every page of the range mapped, no block cut; counts its leaves. */
static int unmap_check(const struct arch_vspace *vs, uint64_t va, uint64_t pages, uint64_t *leaves)
{
	*leaves = 0;
	for (uint64_t done = 0; done < pages; (*leaves)++) {
		uint64_t at = va + done * PAGE_SIZE;
		int level;
		if (!leaf_of(vs, at, &level))
			return CV_E_EMPTY_SLOT;
		if (level == 3) {
			done++;
			continue;
		}
		if (!IS_ALIGNED(at, S2_BLOCK_SIZE) || pages - done < S2_BLOCK_PAGES)
			return CV_E_BAD_ARG;
		done += S2_BLOCK_PAGES;
	}
	return CV_OK;
}

int arch_vspace_unmap(struct arch_vspace *vs, uint64_t va, uint64_t pages)
{
	uint64_t leaves;
	int err = check_range(va, pages);

	if (!err)
		err = unmap_check(vs, va, pages, &leaves);
	if (err)
		return err;
	bool by_ipa = leaves <= S2_TLBI_BY_IPA_MAX;
	struct tlb_flush f;
	tlb_flush_begin(vs, &f);
	for (uint64_t done = 0; done < pages;) {
		uint64_t at = va + done * PAGE_SIZE;
		int level;
		uint64_t *e = leaf_of(vs, at, &level);
		*e = 0;
		if (by_ipa)
			tlb_flush_ipa(&f, at);
		done += level == 2 ? S2_BLOCK_PAGES : 1;
	}
	tlb_flush_end(&f, by_ipa);
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
	int level;

	if (va >= arch_vspace_limit())
		return false;
	uint64_t *e = leaf_of(vs, va, &level);
	if (!e)
		return false;
	uint64_t offset_mask = level == 2 ? S2_BLOCK_SIZE - 1 : PAGE_SIZE - 1;
	*pa = (*e & S2_ADDR_MASK & ~offset_mask) | (va & offset_mask);
	*perms = perms_of(*e);
	return true;
}

/* 4 KiB pages a leaf at this level maps. */
static uint64_t leaf_pages(int level)
{
	return 1ul << (9 * (3 - level));
}

static void count_table(uint64_t table_pa, int level, struct vspace_count *c)
{
	const uint64_t *t = table_of(table_pa);

	c->tables++;
	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		if (!(t[i] & S2_VALID))
			continue;
		if (level < 3 && is_table(t[i]))
			count_table(t[i] & S2_ADDR_MASK, level + 1, c);
		else if (level == 3)
			c->pages++;
		else
			c->blocks++;
	}
}

void arch_vspace_count(const struct arch_vspace *vs, struct vspace_count *c)
{
	*c = (struct vspace_count){0};
	if (vs->root_pa)
		count_table(vs->root_pa, S2_START_LEVEL, c);
}

static void free_tables(uint64_t table_pa, int level, const struct vspace_alloc *a,
			vspace_unmapped_fn *unmapped, void *ctx)
{
	uint64_t *t = table_of(table_pa);

	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		if (!(t[i] & S2_VALID))
			continue;
		if (level < 3 && is_table(t[i]))
			free_tables(t[i] & S2_ADDR_MASK, level + 1, a, unmapped, ctx);
		else if (unmapped)
			unmapped(ctx, t[i] & S2_ADDR_MASK, leaf_pages(level), perms_of(t[i]));
	}
	a->free_table(a->ctx, table_pa);
}

void arch_vspace_destroy(struct arch_vspace *vs, const struct vspace_alloc *a, vspace_unmapped_fn *unmapped,
			 void *ctx)
{
	if (!vs->root_pa)
		return;
	struct tlb_flush f;
	tlb_flush_begin(vs, &f);
	tlb_flush_end(&f, false);
	free_tables(vs->root_pa, S2_START_LEVEL, a, unmapped, ctx);
	vmid_release(vs);
	vs->root_pa = 0;
}

void arch_vspace_activate(struct arch_vspace *vs)
{
	unsigned cpu = cpu_self()->index;

	/* The scheduler holds the kernel lock, as does everything that starts
	 * a generation: a current VMID cannot go stale under our feet. */
	if (vmid_current(vs)) {
		active_space[cpu] = vs;
	} else {
		uint64_t flags = spin_lock_irqsave(&vmid_lock);
		if (!vmid_current(vs))
			vmid_assign(vs);
		active_space[cpu] = vs;
		spin_unlock_irqrestore(&vmid_lock, flags);
	}
	sysreg_write(vttbr_el2, vttbr_of(vs));
	isb();
}
