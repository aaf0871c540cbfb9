/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Guest entry. The boot CPU enters at _start, every other CPU at
 * guest_secondary_entry through PSCI CPU_ON (psci.c); both arrive at EL1h
 * with the MMU off. Each CPU takes the stack slot of its MPIDR Aff0, so
 * no CPU needs to know which one booted first.
 */
#define STACK_SIZE 0x4000
#define MAX_CPUS 8
#define CPACR_FPEN_ALL (3 << 20)
#define SCTLR_M (1 << 0)

	.section .text.start, "ax"
	.globl _start
_start:
	msr	daifset, #0xf
	mov	x19, #0
	b	common_entry

	.text
	.globl guest_secondary_entry
guest_secondary_entry:
	msr	daifset, #0xf
	mov	x19, #1
	mov	x20, x0			/* CPU_ON's context id */

common_entry:
	msr	spsel, #1
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	cmp	x1, #MAX_CPUS
	b.hs	no_slot
	ldr	x2, =__stacks_start
	add	x1, x1, #1
	mov	x3, #STACK_SIZE
	madd	x2, x1, x3, x2
	mov	sp, x2
	ldr	x0, =guest_vectors
	msr	vbar_el1, x0

	/* guest_fpsimd is weak: its address is 0 unless the guest defined it
	 * (GUEST_USES_FPSIMD in guest.h). */
	.weak	guest_fpsimd
	ldr	x0, =guest_fpsimd
	cbz	x0, 1f
	mov	x0, #CPACR_FPEN_ALL
	msr	cpacr_el1, x0
1:	isb
	cbnz	x19, secondary

	/* Zeroed with the MMU off, so no stale cache line can hide it later
	 * (the image is loaded the same way). */
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
2:	cmp	x0, x1
	b.hs	3f
	str	xzr, [x0], #8
	b	2b
3:	bl	guest_main
	bl	finish

	/* A secondary turns the MMU on before it touches its stack if the
	 * boot CPU did: with the boot CPU caching RAM, a secondary writing
	 * around the cache could be overtaken by a stale line (mmu.c cleans
	 * guest_mmu_boot to memory for this read). */
secondary:
	ldr	x1, =guest_mmu_boot
	ldr	x2, [x1]		/* ttbr0, 0 if the MMU stays off */
	cbz	x2, 4f
	ldr	x3, [x1, #8]		/* mair */
	ldr	x4, [x1, #16]		/* tcr */
	ldr	x5, [x1, #24]		/* sctlr */
	msr	mair_el1, x3
	msr	tcr_el1, x4
	msr	ttbr0_el1, x2
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	msr	sctlr_el1, x5
	isb
4:	mov	x0, x20
	bl	guest_secondary_main	/* psci.c, does not return */

no_slot:
	wfi
	b	no_slot
