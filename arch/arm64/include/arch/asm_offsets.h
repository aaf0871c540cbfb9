/* SPDX-License-Identifier: BSD-2-Clause */
/* Offsets into struct cpu for assembly; checked against the C layout in
 * arch/arm64/exception.c. */
#ifndef ARCH_ASM_OFFSETS_H
#define ARCH_ASM_OFFSETS_H

#define CPU_FAULT_FIXUP 40
#define CPU_USER_CONTEXT 72

#endif
