/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * void hvc_state_echo(uint64_t fn, uint64_t out[31]): HVC #0 with x0 = fn
 * and x1..x30 = TEST_STATE_PATTERN + n (tests/guests/lib/test_hvc.h);
 * stores x0..x30 as the call left them into out. Every register is an
 * argument here, so the results go to the stack first, through SP.
 */
	.text
	.globl	hvc_state_echo
hvc_state_echo:
	stp	x29, x30, [sp, #-112]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	str	x1, [sp, #96]
	.irp	n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, \
		23, 24, 25, 26, 27, 28, 29, 30
	movz	x\n, #(0x5e1f), lsl #48
	add	x\n, x\n, #\n
	.endr
	hvc	#0
	sub	sp, sp, #256
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	ldr	x0, [sp, #256 + 96]
	mov	x1, sp
	mov	x2, #31
1:	ldr	x3, [x1], #8
	str	x3, [x0], #8
	subs	x2, x2, #1
	b.ne	1b
	add	sp, sp, #256
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #112
	ret
