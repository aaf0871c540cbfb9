/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ktest's guest (guest.h says what each command does). Data to ktest: it
 * lies in .rodata, is copied into a VM's RAM and runs there at EL1 with
 * the MMU off; ktest itself never executes it. Commands sit at fixed
 * offsets (GUEST_OFF_*) so a test can tell from a vCPU's pc where it is.
 */
#include "guest.h"

	.section .rodata.ktest_guest, "a"
	.p2align 2
	.globl	ktest_guest_start
ktest_guest_start:
	hvc	#0			/* the state at entry, untouched */
dispatch:
	cmp	x0, #GUEST_SPIN
	b.eq	spin
	cmp	x0, #GUEST_WFI
	b.eq	wfi_loop
	cmp	x0, #GUEST_STORE
	b.eq	store
	cmp	x0, #GUEST_LOAD
	b.eq	load
	cmp	x0, #GUEST_CALL
	b.eq	call
	cmp	x0, #GUEST_DIRTY
	b.eq	dirty
	cmp	x0, #GUEST_SYSREGS
	b.eq	sysregs
	cmp	x0, #GUEST_WFE
	b.eq	wfe_once
report:
	mov	x0, #0
	hvc	#0
	b	dispatch

call:
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, #0
	hvc	#0
	mov	x1, x0
	b	report

wfe_once:
	wfe
	b	report

sysregs:
	mrs	x1, cntv_ctl_el0
	mrs	x2, sctlr_el1
	mrs	x3, id_aa64pfr0_el1
	b	report

dirty:
	mrs	x4, sctlr_el1
	orr	x4, x4, #(1 << 12)
	orr	x4, x4, #(1 << 2)
	msr	sctlr_el1, x4
	msr	vbar_el1, x1
	mov	x4, #(1 << 62)		/* far off; UINT64_MAX would overflow QEMU's deadline */
	msr	cntv_cval_el0, x4
	mov	x4, #1
	msr	cntv_ctl_el0, x4
	msr	s3_0_c12_c11_5, x2	/* ICC_SGI1R_EL1 */
	isb
	mov	x4, x1
	mov	x5, x1
	mov	x6, x1
	mov	x7, x1
	mov	x8, x1
	mov	x9, x1
	mov	x10, x1
	mov	x11, x1
	mov	x12, x1
	mov	x13, x1
	mov	x14, x1
	mov	x15, x1
	mov	x16, x1
	mov	x17, x1
	mov	x18, x1
	mov	x19, x1
	mov	x20, x1
	mov	x21, x1
	mov	x22, x1
	mov	x23, x1
	mov	x24, x1
	mov	x25, x1
	mov	x26, x1
	mov	x27, x1
	mov	x28, x1
	mov	x29, x1
	mov	x30, x1
	b	report

	.org	ktest_guest_start + GUEST_OFF_SPIN
spin:
	b	spin

	.org	ktest_guest_start + GUEST_OFF_WFI
wfi_loop:
	wfi
	b	wfi_loop

	.org	ktest_guest_start + GUEST_OFF_STORE
store:
	str	w2, [x1]
	b	report

	.org	ktest_guest_start + GUEST_OFF_LOAD
load:
	ldr	w1, [x1]
	b	report

	.globl	ktest_guest_end
ktest_guest_end:

	.section .note.GNU-stack, "", %progbits
