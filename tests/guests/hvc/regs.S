/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * uint64_t hvc_clobbered(uint64_t fn): makes HVC #0 with function `fn`
 * and x1..x3 = 0, every other general register x4..x30 (and SP) holding a
 * value derived from its number, and returns a bit mask of the registers
 * the call changed (bit n for xn, bit 31 for SP). SMCCC 1.1 and later
 * keep x4..x17 for the caller; x18..x30 and SP always.
 */
#define PATTERN 0x5e1f000000000000

	.macro	fill n
	movz	x\n, #(0x5e1f), lsl #48
	add	x\n, x\n, #\n
	.endm

	.macro	test n
	movz	x0, #(0x5e1f), lsl #48
	add	x0, x0, #\n
	cmp	x0, x\n
	b.eq	1f
	orr	x1, x1, #(1 << \n)
1:
	.endm

	.text
	.globl	hvc_clobbered
hvc_clobbered:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	/* SP goes in x0's slot of the check: kept in a register the call may
	 * not touch would hide a changed SP, so save it to memory. */
	ldr	x1, =saved_sp
	mov	x2, sp
	str	x2, [x1]
	.irp	n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, \
		24, 25, 26, 27, 28, 29, 30
	fill	\n
	.endr
	mov	x1, #0
	mov	x2, #0
	mov	x3, #0
	hvc	#0
	mov	x1, #0
	.irp	n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, \
		24, 25, 26, 27, 28, 29, 30
	test	\n
	.endr
	ldr	x2, =saved_sp
	ldr	x2, [x2]
	mov	x3, sp
	cmp	x2, x3
	b.eq	2f
	orr	x1, x1, #(1 << 31)
	mov	sp, x2
2:	mov	x0, x1
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

	.bss
	.balign	8
saved_sp:
	.quad	0
