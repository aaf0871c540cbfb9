/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The FP/SIMD register file, filled and compared from assembly: no C code
 * in this guest touches these registers (it is -mgeneral-regs-only), so
 * between fp_fill and fp_compare only a world switch can change them.
 * The value array must be 16-byte aligned (LDP of Q registers with the
 * MMU off).
 */
	.arch	armv8-a+fp+simd

	/* `op` (ldp or stp) of all 16 pairs of Q registers at x0. */
	.macro	qpairs op
	\op	q0, q1, [x0, #16 * 0]
	\op	q2, q3, [x0, #16 * 2]
	\op	q4, q5, [x0, #16 * 4]
	\op	q6, q7, [x0, #16 * 6]
	\op	q8, q9, [x0, #16 * 8]
	\op	q10, q11, [x0, #16 * 10]
	\op	q12, q13, [x0, #16 * 12]
	\op	q14, q15, [x0, #16 * 14]
	\op	q16, q17, [x0, #16 * 16]
	\op	q18, q19, [x0, #16 * 18]
	\op	q20, q21, [x0, #16 * 20]
	\op	q22, q23, [x0, #16 * 22]
	\op	q24, q25, [x0, #16 * 24]
	\op	q26, q27, [x0, #16 * 26]
	\op	q28, q29, [x0, #16 * 28]
	\op	q30, q31, [x0, #16 * 30]
	.endm

	.text

/* void fp_fill(const uint64_t vals[66]) */
	.globl	fp_fill
fp_fill:
	qpairs	ldp
	add	x3, x0, #16 * 32
	ldp	x1, x2, [x3]
	msr	fpcr, x1
	msr	fpsr, x2
	ret

/* void fp_read(uint64_t vals[66]) */
	.globl	fp_read
fp_read:
	qpairs	stp
	mrs	x1, fpcr
	mrs	x2, fpsr
	add	x3, x0, #16 * 32
	stp	x1, x2, [x3]
	ret

/* uint64_t fp_compare(const uint64_t vals[66]) */
	.globl	fp_compare
fp_compare:
	mov	x1, #0
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, \
		21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	fmov	x2, d\n
	mov	x3, v\n\().d[1]
	ldp	x4, x5, [x0, #16 * \n]
	cmp	x2, x4
	ccmp	x3, x5, #0, eq
	b.eq	1f
	orr	x1, x1, #(1 << \n)
1:
	.endr
	add	x6, x0, #16 * 32
	ldp	x4, x5, [x6]
	mrs	x2, fpcr
	cmp	x2, x4
	b.eq	2f
	orr	x1, x1, #(1 << 32)
2:	mrs	x2, fpsr
	cmp	x2, x5
	b.eq	3f
	orr	x1, x1, #(1 << 33)
3:	mov	x0, x1
	ret
