/* SPDX-License-Identifier: BSD-2-Clause */
/* FP/SIMD state of user threads. The kernel itself never touches these
 * registers (-mgeneral-regs-only) except here; when they are switched,
 * eagerly or on a trapped first use, is kernel/fpu.h's business. */
#include <arch/regs.h>

	.arch armv8-a+fp+simd
	.text
/* fpsimd_save(struct arch_context *) */
	.globl fpsimd_save
fpsimd_save:
	add	x1, x0, #CTX_FP
	stp	q0, q1, [x1, #32 * 0]
	stp	q2, q3, [x1, #32 * 1]
	stp	q4, q5, [x1, #32 * 2]
	stp	q6, q7, [x1, #32 * 3]
	stp	q8, q9, [x1, #32 * 4]
	stp	q10, q11, [x1, #32 * 5]
	stp	q12, q13, [x1, #32 * 6]
	stp	q14, q15, [x1, #32 * 7]
	stp	q16, q17, [x1, #32 * 8]
	stp	q18, q19, [x1, #32 * 9]
	stp	q20, q21, [x1, #32 * 10]
	stp	q22, q23, [x1, #32 * 11]
	stp	q24, q25, [x1, #32 * 12]
	stp	q26, q27, [x1, #32 * 13]
	stp	q28, q29, [x1, #32 * 14]
	stp	q30, q31, [x1, #32 * 15]
	mrs	x2, fpcr
	mrs	x3, fpsr
	add	x1, x1, #32 * 16
	stp	x2, x3, [x1]
	ret

/* fpsimd_load(const struct arch_context *) */
	.globl fpsimd_load
fpsimd_load:
	add	x1, x0, #CTX_FP
	ldp	q0, q1, [x1, #32 * 0]
	ldp	q2, q3, [x1, #32 * 1]
	ldp	q4, q5, [x1, #32 * 2]
	ldp	q6, q7, [x1, #32 * 3]
	ldp	q8, q9, [x1, #32 * 4]
	ldp	q10, q11, [x1, #32 * 5]
	ldp	q12, q13, [x1, #32 * 6]
	ldp	q14, q15, [x1, #32 * 7]
	ldp	q16, q17, [x1, #32 * 8]
	ldp	q18, q19, [x1, #32 * 9]
	ldp	q20, q21, [x1, #32 * 10]
	ldp	q22, q23, [x1, #32 * 11]
	ldp	q24, q25, [x1, #32 * 12]
	ldp	q26, q27, [x1, #32 * 13]
	ldp	q28, q29, [x1, #32 * 14]
	ldp	q30, q31, [x1, #32 * 15]
	add	x1, x1, #32 * 16
	ldp	x2, x3, [x1]
	msr	fpcr, x2
	msr	fpsr, x3
	ret
