/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ktest_thread_entry: where ktest's extra threads start (threads.c). A new
 * thread begins with TPIDR_EL0 = 0 (docs/runtime.md), so before any C code
 * can touch thread-local data (errno, the console's line buffer) the
 * thread pointer its creator prepared is installed here.
 *   x0 = struct ktest_start *: {fn, arg, tp} at offsets 0, 8, 16
 */
	.text
	.globl	ktest_thread_entry
	.type	ktest_thread_entry, %function
	.p2align 2
ktest_thread_entry:
	ldr	x1, [x0, #16]
	msr	tpidr_el0, x1
	mov	x29, #0
	mov	x30, #0
	bl	ktest_thread_body	/* never returns */
	udf	#0
	.size	ktest_thread_entry, . - ktest_thread_entry

	.section .note.GNU-stack, "", %progbits
