/* SPDX-License-Identifier: BSD-2-Clause */
/* The first link's empty symbol table; see tools/gen-ksyms.sh. */
	.section .ksyms, "a"
	.balign 8
	.globl ksyms_count, ksyms_addrs, ksyms_offsets, ksyms_names
ksyms_count: .quad 0
ksyms_addrs:
ksyms_offsets:
ksyms_names: .byte 0
