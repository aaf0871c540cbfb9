/* SPDX-License-Identifier: BSD-2-Clause */
/* The register frame every EL2 exception entry saves (vectors.S). */
#ifndef ARCH_TRAP_FRAME_H
#define ARCH_TRAP_FRAME_H

#define TRAP_SYNC_SP0 0
#define TRAP_IRQ_SP0 1
#define TRAP_FIQ_SP0 2
#define TRAP_SERROR_SP0 3
#define TRAP_SYNC 4
#define TRAP_IRQ 5
#define TRAP_FIQ 6
#define TRAP_SERROR 7
#define TRAP_SYNC_LOWER 8
#define TRAP_IRQ_LOWER 9
#define TRAP_FIQ_LOWER 10
#define TRAP_SERROR_LOWER 11
#define TRAP_SYNC_LOWER32 12
#define TRAP_IRQ_LOWER32 13
#define TRAP_FIQ_LOWER32 14
#define TRAP_SERROR_LOWER32 15

#define TRAP_FRAME_X30 (30 * 8)
#define TRAP_FRAME_SP (31 * 8)
#define TRAP_FRAME_ELR (32 * 8)
#define TRAP_FRAME_SPSR (33 * 8)
#define TRAP_FRAME_ESR (34 * 8)
#define TRAP_FRAME_FAR (35 * 8)
#define TRAP_FRAME_SIZE (36 * 8)

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

struct trap_frame {
	uint64_t x[31];
	uint64_t sp; /* stack pointer at the time of the exception */
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
};

_Static_assert(offsetof(struct trap_frame, x[30]) == TRAP_FRAME_X30, "trap_frame layout");
_Static_assert(offsetof(struct trap_frame, elr) == TRAP_FRAME_ELR, "trap_frame layout");
_Static_assert(offsetof(struct trap_frame, esr) == TRAP_FRAME_ESR, "trap_frame layout");
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "trap_frame layout");
_Static_assert(TRAP_FRAME_SIZE % 16 == 0, "stack alignment");
#endif

#endif
