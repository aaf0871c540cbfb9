/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * _start: where every user program begins (ENTRY in services/user.ld).
 *
 * Thread start contract (docs/runtime.md): PC = _start, SP = top of a
 * stack the creator provides, x0 = one argument, all other registers 0,
 * TPIDR_EL0 = 0. Everything else — TLS, constructors, main, exit — is
 * C, in start.c; this only makes the frame chain end here and makes sure
 * the stack is aligned as the AAPCS64 requires before the first call.
 */
	.section .text.cv_start, "ax", %progbits
	.globl	_start
	.type	_start, %function
	.p2align 2
_start:
	mov	x29, #0			/* no caller: backtraces end here */
	mov	x30, #0
	mov	x9, sp
	and	sp, x9, #~15
	bl	cv_runtime_start	/* x0 is still the argument */
	udf	#0			/* never returns; if it did, fault */
	.size	_start, . - _start

	.section .note.GNU-stack, "", %progbits
