/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * EL1 exception vectors: every entry saves x0..x30, ELR_EL1 and SPSR_EL1
 * in a struct exc_frame (guest.h) on the current stack and calls
 * guest_exception(frame, index) with the entry's index 0..15 (4 groups of
 * sync, IRQ, FIQ, SError). The C handler may change the frame's ELR.
 * FP/SIMD registers are not saved: the runtime's C code never uses them
 * (-mgeneral-regs-only), which is what lets the switch guest check them
 * across interrupts.
 */
#define FRAME_SIZE (34 * 8)

	.macro	vector index
	.balign	128
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #16 * 0]
	mov	x1, #\index
	b	vector_common
	.endm

	.text
	.balign	2048
	.globl	guest_vectors
guest_vectors:
	vector	0
	vector	1
	vector	2
	vector	3
	vector	4
	vector	5
	vector	6
	vector	7
	vector	8
	vector	9
	vector	10
	vector	11
	vector	12
	vector	13
	vector	14
	vector	15

vector_common:
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x30, x2, [sp, #16 * 15]
	str	x3, [sp, #16 * 16]
	mov	x0, sp
	bl	guest_exception
	ldp	x30, x2, [sp, #16 * 15]
	ldr	x3, [sp, #16 * 16]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldp	x0, x1, [sp, #16 * 0]
	add	sp, sp, #FRAME_SIZE
	eret
