/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Probes for the W^X self-tests: try one access with cpu->fault_fixup set,
 * so a fault resumes at the fixup instead of panicking. Return 0 if the
 * access went through, 1 if it faulted.
 */
#include <arch/asm_offsets.h>

	.text
/* int arch_probe_write(volatile void *addr): rewrites the byte it reads. */
	.globl arch_probe_write
arch_probe_write:
	mrs	x3, tpidr_el2
	adr	x2, 1f
	str	x2, [x3, #CPU_FAULT_FIXUP]
	ldrb	w1, [x0]
	strb	w1, [x0]
	str	xzr, [x3, #CPU_FAULT_FIXUP]
	mov	x0, #0
	ret
1:	mov	x0, #1
	ret

/* int arch_probe_exec(const void *addr): calls addr, which must hold a
 * `ret` if it is executable at all. */
	.globl arch_probe_exec
arch_probe_exec:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	mrs	x3, tpidr_el2
	adr	x2, 2f
	str	x2, [x3, #CPU_FAULT_FIXUP]
	blr	x0
	mrs	x3, tpidr_el2
	str	xzr, [x3, #CPU_FAULT_FIXUP]
	mov	x0, #0
	ldp	x29, x30, [sp], #16
	ret
2:	mov	x0, #1
	ldp	x29, x30, [sp], #16
	ret
