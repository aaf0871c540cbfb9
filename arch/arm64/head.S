/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel entry on arm64. The kernel is entered at EL2 with the MMU and data
 * cache off, x0 = physical address of a boot_info (from the loader) or of a
 * device tree (direct boot), at any 2 MiB-aligned physical address. This
 * file builds boot page tables (identity map of the load GiB, the kernel at
 * KERNEL_VBASE, an empty physical-memory window that C fills as needed),
 * turns the MMU on and continues at the kernel's link address.
 *
 * The image starts with a Linux arm64 Image header, so QEMU's -kernel (and
 * any loader that speaks that protocol) can start the raw image directly.
 */
#include <arch/layout.h>
#include <arch/sysreg.h>

/* Block descriptor attributes: valid block, AttrIndx, inner shareable,
 * access flag set; AP = EL2 read/write. */
#define DESC_TABLE 0x3
#define DESC_BLOCK 0x1
#define DESC_AF (1 << 10)
#define DESC_SH_INNER (3 << 8)
#define BLOCK_NORMAL (DESC_BLOCK | DESC_AF | DESC_SH_INNER | (MAIR_IDX_NORMAL << 2))

	.section .text.head, "ax"
	.globl _start
_start:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: load at a 2 MiB boundary */
	.quad	__image_size		/* image_size, bss included */
	.quad	0xa			/* little-endian, 4 KiB pages, anywhere */
	.quad	0, 0, 0
	.ascii	"ARM\x64"		/* magic */
	.long	0

primary_entry:
	msr	daifset, #0xf
	mov	x19, x0				/* boot argument */
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	not_el2
	adrp	x20, __image_start		/* physical load address */
	ldr	x1, =HCR_EL2_HOST
	msr	hcr_el2, x1
	ldr	x1, =SCTLR_EL2_RES1
	msr	sctlr_el2, x1
	isb

	/* L0[pa >> 39] -> boot_l1_id; identity 1 GiB blocks for the load GiB
	 * and the next (the image may cross a GiB boundary). */
	adrp	x0, boot_l0
	adrp	x1, boot_l1_id
	lsr	x2, x20, #39
	orr	x3, x1, #DESC_TABLE
	str	x3, [x0, x2, lsl #3]
	ldr	x4, =BLOCK_NORMAL
	lsr	x2, x20, #30
	and	x2, x2, #511
	lsr	x3, x20, #30
	lsl	x3, x3, #30
	orr	x3, x3, x4
	str	x3, [x1, x2, lsl #3]
	cmp	x2, #511
	b.eq	1f
	add	x2, x2, #1
	mov	x5, #BLOCK_1G_SIZE
	add	x3, x3, x5
	str	x3, [x1, x2, lsl #3]
1:
	/* L0[256] -> boot_l1_phys: the physical-memory window, empty for now. */
	adrp	x1, boot_l1_phys
	orr	x3, x1, #DESC_TABLE
	str	x3, [x0, #((PHYSMAP_VBASE >> 39) * 8)]

	/* L0[511] -> boot_l1_kernel, [511] -> boot_l2_kernel: 2 MiB blocks
	 * from KERNEL_VBASE to the load address. */
	adrp	x1, boot_l1_kernel
	orr	x3, x1, #DESC_TABLE
	str	x3, [x0, #(511 * 8)]
	adrp	x2, boot_l2_kernel
	orr	x3, x2, #DESC_TABLE
	str	x3, [x1, #(511 * 8)]
	ldr	x5, =__image_size
	mov	x6, #(BLOCK_2M_SIZE - 1)
	add	x5, x5, x6
	lsr	x5, x5, #21			/* number of 2 MiB blocks */
	orr	x3, x20, x4
	mov	x6, #0
	mov	x7, #BLOCK_2M_SIZE
2:	str	x3, [x2, x6, lsl #3]
	add	x3, x3, x7
	add	x6, x6, #1
	cmp	x6, x5
	b.lo	2b

	/* The tables were written with the cache off: drop any stale lines. */
	adrp	x0, boot_page_tables_start
	adrp	x1, boot_page_tables_end
3:	dc	ivac, x0
	add	x0, x0, #64
	cmp	x0, x1
	b.lo	3b
	dsb	sy

	adrp	x0, boot_l0
	bl	mmu_setup_regs
	ldr	x1, =SCTLR_EL2_MMU_ON
	msr	sctlr_el2, x1
	isb
	ldr	x1, =primary_high
	br	x1

not_el2:
	/* Nothing can report this: the loader checks EL2 before entering. */
	wfe
	b	not_el2

/* mmu_setup_regs(x0 = TTBR0_EL2): MAIR, TCR (PS from the CPU's PARange),
 * TTBR0; invalidates the TLB and the instruction cache. Clobbers x1-x2. */
	.section .text.idmap, "ax"
mmu_setup_regs:
	ldr	x1, =MAIR_EL2_VALUE
	msr	mair_el2, x1
	mrs	x1, id_aa64mmfr0_el1
	and	x1, x1, #0x7
	cmp	x1, #5				/* the 48-bit regime caps at 48 bits */
	mov	x2, #5
	csel	x1, x1, x2, ls
	lsl	x1, x1, #TCR_PS_SHIFT
	ldr	x2, =TCR_EL2_BASE
	orr	x1, x1, x2
	msr	tcr_el2, x1
	msr	ttbr0_el2, x0
	isb
	tlbi	alle2
	dsb	ish
	ic	iallu
	dsb	ish
	isb
	ret

/*
 * Secondary CPUs start here through PSCI CPU_ON, MMU off, x0 = CPU index.
 * They go straight onto the final page tables, which identity-map this
 * page; secondary_boot (written and cleaned to PoC by the boot CPU) holds
 * the register values.
 */
	.globl secondary_entry
secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	ldr	x1, =HCR_EL2_HOST
	msr	hcr_el2, x1
	ldr	x1, =SCTLR_EL2_RES1
	msr	sctlr_el2, x1
	isb
	adrp	x2, secondary_boot
	add	x2, x2, :lo12:secondary_boot
	ldr	x0, [x2, #0]			/* ttbr0 */
	ldr	x3, [x2, #8]			/* sctlr */
	bl	mmu_setup_regs
	msr	sctlr_el2, x3
	isb
	ldr	x1, =secondary_high
	br	x1

/*
 * mmu_switch_tables(x0 = new TTBR0_EL2, x1 = new SCTLR_EL2), called through
 * its identity address: turns the MMU off, so no TLB ever holds entries of
 * both the boot and the final tables, switches, and turns it on again.
 * Touches no memory while the MMU is off.
 */
	.globl mmu_switch_tables
mmu_switch_tables:
	mrs	x2, sctlr_el2
	bic	x2, x2, #SCTLR_M
	bic	x2, x2, #SCTLR_C
	msr	sctlr_el2, x2
	isb
	msr	ttbr0_el2, x0
	isb
	tlbi	alle2
	dsb	ish
	ic	iallu
	dsb	ish
	isb
	msr	sctlr_el2, x1
	isb
	ret
	.ltorg

	.text
primary_high:
	ldr	x1, =cpu_stacks + CPU_STACK_SIZE
	mov	sp, x1
	mov	x29, #0
	ldr	x1, =exception_vectors
	msr	vbar_el2, x1
	isb
	mov	x0, x19
	mov	x1, x20
	bl	arch_entry_primary
3:	wfe
	b	3b

secondary_high:
	ldr	x1, =cpu_stacks
	add	x2, x19, #1
	mov	x3, #CPU_STACK_SIZE
	madd	x1, x2, x3, x1
	mov	sp, x1
	mov	x29, #0
	ldr	x1, =exception_vectors
	msr	vbar_el2, x1
	isb
	mov	x0, x19
	bl	arch_entry_secondary
4:	wfe
	b	4b
	.ltorg

	.text
/* arch_call_on_stack(x0 = stack top, x1 = function): never returns. */
	.globl arch_call_on_stack
arch_call_on_stack:
	mov	sp, x0
	mov	x29, #0
	mov	x30, #0
	br	x1

	.section .bss.boot_page_tables, "aw", %nobits
	.balign 4096
	.globl boot_l0, boot_l1_phys, boot_l1_kernel
boot_page_tables_start:
boot_l0:	.skip 4096
boot_l1_id:	.skip 4096
boot_l1_phys:	.skip 4096
boot_l1_kernel:	.skip 4096
boot_l2_kernel:	.skip 4096
boot_page_tables_end:

	.section .bss.cpu_stacks, "aw", %nobits
	.balign 4096
	.globl cpu_stacks
cpu_stacks:	.skip CPU_STACK_SIZE * CPU_MAX

	.data
	.balign 64
	.globl secondary_boot
secondary_boot:
	.quad 0		/* TTBR0_EL2 of the final tables */
	.quad 0		/* SCTLR_EL2 */
	.skip 48	/* keep the cache line to itself */
