// SPDX-License-Identifier: BSD-2-Clause
//
// boot_arch_enter(entry, boot_info, ranges, count): the last thing the
// loader does, after ExitBootServices. The kernel starts like Linux's arm64
// image does: EL2, MMU and data cache off, x0 = boot_info, x1-x3 = 0. With
// the cache off the kernel reads memory, not the cache, so every byte the
// loader wrote for it must first be cleaned to the point of coherency.
// UEFI maps memory 1:1, so this code keeps running when the MMU goes off.

#define SCTLR_M (1 << 0)
#define SCTLR_C (1 << 2)
#define SCTLR_I (1 << 12)

	.text
	.balign 64
	.global boot_arch_enter
	.type boot_arch_enter, %function
boot_arch_enter:
	// Nothing may interrupt us once the firmware's vectors are gone.
	msr	daifset, #0xf
	mov	x19, x0
	mov	x20, x1

	// x10 = smallest data cache line (CTR_EL0.DminLine is log2 words).
	mrs	x9, ctr_el0
	ubfx	x9, x9, #16, #4
	mov	x10, #4
	lsl	x10, x10, x9
	sub	x11, x10, #1

	// This routine is fetched from memory once the MMU is off: clean it too.
	adr	x4, boot_arch_enter
	adr	x5, .Lend
	bl	clean_range

.Lnext_range:
	cbz	x3, .Lcleaned
	ldp	x4, x5, [x2], #16
	add	x5, x4, x5
	bl	clean_range
	sub	x3, x3, #1
	b	.Lnext_range

.Lcleaned:
	dsb	sy
	mrs	x9, sctlr_el2
	bic	x9, x9, #SCTLR_M
	bic	x9, x9, #SCTLR_C
	bic	x9, x9, #SCTLR_I
	msr	sctlr_el2, x9
	isb
	// Instructions the firmware left in the I-cache are not the kernel's.
	ic	iallu
	dsb	sy
	isb

	mov	x0, x20
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x19

// Cleans and invalidates [x4, x5) to the point of coherency.
// x10 = line size, x11 = line size - 1. Clobbers x4.
clean_range:
	bic	x4, x4, x11
1:	cmp	x4, x5
	b.hs	2f
	dc	civac, x4
	add	x4, x4, x10
	b	1b
2:	ret
.Lend:
	.size boot_arch_enter, . - boot_arch_enter

	.section .note.GNU-stack, "", %progbits
