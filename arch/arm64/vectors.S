/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * EL2 exception vectors. Every entry saves a full struct trap_frame on the
 * current stack and calls exception_dispatch(frame, kind); the C side may
 * change the frame (e.g. ELR for a fault fixup) before it is restored.
 */
#include <arch/asm_offsets.h>
#include <arch/regs.h>
#include <arch/layout.h>
#include <arch/trap_frame.h>

.macro save_frame
	sub	sp, sp, #TRAP_FRAME_SIZE
	stp	x0, x1, [sp, #16 * 0]
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
	add	x0, sp, #TRAP_FRAME_SIZE
	stp	x30, x0, [sp, #TRAP_FRAME_X30]
	mrs	x0, elr_el2
	mrs	x1, spsr_el2
	stp	x0, x1, [sp, #TRAP_FRAME_ELR]
	mrs	x0, esr_el2
	mrs	x1, far_el2
	stp	x0, x1, [sp, #TRAP_FRAME_ESR]
.endm

.macro restore_frame_eret
	ldp	x0, x1, [sp, #TRAP_FRAME_ELR]
	msr	elr_el2, x0
	msr	spsr_el2, x1
	ldp	x0, x1, [sp, #16 * 0]
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
	ldr	x30, [sp, #TRAP_FRAME_X30]
	add	sp, sp, #TRAP_FRAME_SIZE
	eret
.endm

/*
 * From EL0: the user's registers go straight into the running thread's
 * context (cpu->user_context), not onto the stack. SP_EL2 is this CPU's
 * kernel stack, empty whenever user code runs.
 */
.macro el0_vector kind
	.balign 128
	stp	x0, x1, [sp, #-16]!
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #CPU_USER_CONTEXT]
	mov	x1, #\kind
	b	el0_entry_common
.endm

.macro vector kind
	.balign 128
	save_frame
	mov	x0, sp
	mov	x1, #\kind
	b	exception_entry_common
.endm

	.text
	.balign 2048
	.globl exception_vectors
exception_vectors:
	vector TRAP_SYNC_SP0
	vector TRAP_IRQ_SP0
	vector TRAP_FIQ_SP0
	vector TRAP_SERROR_SP0
	vector TRAP_SYNC
	vector TRAP_IRQ
	vector TRAP_FIQ
	vector TRAP_SERROR
	el0_vector TRAP_SYNC_LOWER
	el0_vector TRAP_IRQ_LOWER
	el0_vector TRAP_FIQ_LOWER
	el0_vector TRAP_SERROR_LOWER
	el0_vector TRAP_SYNC_LOWER32
	el0_vector TRAP_IRQ_LOWER32
	el0_vector TRAP_FIQ_LOWER32
	el0_vector TRAP_SERROR_LOWER32

exception_entry_common:
	/* A frame record, so a backtrace walks from the handler into the
	 * interrupted code: [x29 at trap, ELR at trap]. */
	ldr	x2, [x0, #TRAP_FRAME_ELR]
	stp	x29, x2, [sp, #-16]!
	mov	x29, sp
	bl	exception_dispatch
	add	sp, sp, #16
	restore_frame_eret

/* x0 = context, x1 = kind, user x0/x1 on the stack. */
el0_entry_common:
	stp	x2, x3, [x0, #16 * 1]
	stp	x4, x5, [x0, #16 * 2]
	stp	x6, x7, [x0, #16 * 3]
	stp	x8, x9, [x0, #16 * 4]
	stp	x10, x11, [x0, #16 * 5]
	stp	x12, x13, [x0, #16 * 6]
	stp	x14, x15, [x0, #16 * 7]
	stp	x16, x17, [x0, #16 * 8]
	stp	x18, x19, [x0, #16 * 9]
	stp	x20, x21, [x0, #16 * 10]
	stp	x22, x23, [x0, #16 * 11]
	stp	x24, x25, [x0, #16 * 12]
	stp	x26, x27, [x0, #16 * 13]
	stp	x28, x29, [x0, #16 * 14]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #16 * 0]
	mrs	x2, sp_el0
	stp	x30, x2, [x0, #CTX_X + 30 * 8]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #CTX_PC]
	mrs	x2, tpidr_el0
	str	x2, [x0, #CTX_TPIDR]
	mov	x29, #0
	mov	x30, #0
	bl	el0_exception_dispatch
	/* fall through: x0 = the context to resume */

/* arch_user_resume(ctx): from an empty kernel stack into user code. */
	.globl el0_restore
el0_restore:
	ldp	x2, x3, [x0, #CTX_PC]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldr	x2, [x0, #CTX_SP]
	msr	sp_el0, x2
	ldr	x2, [x0, #CTX_TPIDR]
	msr	tpidr_el0, x2
	ldp	x2, x3, [x0, #16 * 1]
	ldp	x4, x5, [x0, #16 * 2]
	ldp	x6, x7, [x0, #16 * 3]
	ldp	x8, x9, [x0, #16 * 4]
	ldp	x10, x11, [x0, #16 * 5]
	ldp	x12, x13, [x0, #16 * 6]
	ldp	x14, x15, [x0, #16 * 7]
	ldp	x16, x17, [x0, #16 * 8]
	ldp	x18, x19, [x0, #16 * 9]
	ldp	x20, x21, [x0, #16 * 10]
	ldp	x22, x23, [x0, #16 * 11]
	ldp	x24, x25, [x0, #16 * 12]
	ldp	x26, x27, [x0, #16 * 13]
	ldp	x28, x29, [x0, #16 * 14]
	ldr	x30, [x0, #CTX_X + 30 * 8]
	ldp	x0, x1, [x0, #16 * 0]
	eret

/* arch_user_resume(ctx, stack_top): drops whatever the kernel stack held. */
	.globl arch_user_resume
arch_user_resume:
	mov	sp, x1
	b	el0_restore
