// SPDX-License-Identifier: BSD-2-Clause
// The fuzzer's system-call trap: every argument register is the caller's
// choice, and everything the kernel promises to preserve is checked.
//
//   uint64_t fuzz_trap(uint64_t io[9], uint64_t pattern)
//
// io[0..7] go to x0..x7 and io[8] to x8 (the number); on return io[0..8]
// hold x0..x8 as the kernel left them. Before the `svc`, x9..x28 and the
// 128-bit v0..v31 are filled with values derived from pattern; afterwards
// they are compared. The result is a mask of what changed:
//   bit n (9..28)   xn
//   bit 29          sp or x29 (the frame pointer, which holds sp)
//   bit 30          x30 (which holds the io pointer across the trap)
//   bit 32+n        vn (either half)
// x0..x8 are the call's results (include/uapi/syscall.h, ipc.h); the
// caller decides which of them may change.

	.text
	.balign 16
	.global fuzz_trap
	.type fuzz_trap, %function
fuzz_trap:
	stp	x29, x30, [sp, #-256]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	stp	d8, d9, [sp, #96]
	stp	d10, d11, [sp, #112]
	stp	d12, d13, [sp, #128]
	stp	d14, d15, [sp, #144]
	str	x0, [sp, #160]		// io
	str	x1, [sp, #168]		// pattern

	// v_n = { ror(~pattern, n), ror(pattern, n) }
	mvn	x2, x1
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ror	x3, x2, #\n
	fmov	d\n, x3
	ror	x3, x1, #\n
	mov	v\n\().d[1], x3
	.endr
	// x_n = rol(pattern, n)
	.irp n, 9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28
	ror	x\n, x1, #(64 - \n)
	.endr

	mov	x30, x0
	ldp	x0, x1, [x30]
	ldp	x2, x3, [x30, #16]
	ldp	x4, x5, [x30, #32]
	ldp	x6, x7, [x30, #48]
	ldr	x8, [x30, #64]
	svc	#0

	str	x0, [sp, #184]
	stp	x1, x2, [sp, #192]
	stp	x3, x4, [sp, #208]
	stp	x5, x6, [sp, #224]
	stp	x7, x8, [sp, #240]

	mov	x0, #0
	ldr	x1, [sp, #168]
	.irp n, 9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28
	ror	x2, x1, #(64 - \n)
	cmp	x2, x\n
	cset	x3, ne
	orr	x0, x0, x3, lsl #\n
	.endr
	mov	x2, sp
	cmp	x2, x29
	cset	x3, ne
	orr	x0, x0, x3, lsl #29
	ldr	x2, [sp, #160]
	cmp	x2, x30
	cset	x3, ne
	orr	x0, x0, x3, lsl #30
	mvn	x4, x1
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fmov	x2, d\n
	ror	x3, x4, #\n
	cmp	x2, x3
	cset	x5, ne
	mov	x2, v\n\().d[1]
	ror	x3, x1, #\n
	cmp	x2, x3
	cset	x6, ne
	orr	x5, x5, x6
	orr	x0, x0, x5, lsl #(32 + \n)
	.endr

	ldr	x1, [sp, #160]
	ldr	x2, [sp, #184]
	str	x2, [x1]
	ldp	x2, x3, [sp, #192]
	stp	x2, x3, [x1, #8]
	ldp	x2, x3, [sp, #208]
	stp	x2, x3, [x1, #24]
	ldp	x2, x3, [sp, #224]
	stp	x2, x3, [x1, #40]
	ldp	x2, x3, [sp, #240]
	stp	x2, x3, [x1, #56]

	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	d8, d9, [sp, #96]
	ldp	d10, d11, [sp, #112]
	ldp	d12, d13, [sp, #128]
	ldp	d14, d15, [sp, #144]
	ldp	x29, x30, [sp], #256
	ret
	.size fuzz_trap, . - fuzz_trap

	.section .note.GNU-stack, "", %progbits
