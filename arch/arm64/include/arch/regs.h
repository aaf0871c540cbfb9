/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A user thread's register state on arm64: what the EL0 entry saves and the
 * exit restores (general registers, SP_EL0, PC, PSTATE), and what is
 * switched only when the CPU changes threads (FP/SIMD, TPIDR_EL0).
 */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

#define CTX_X 0
#define CTX_SP (31 * 8)
#define CTX_PC (32 * 8)
#define CTX_PSTATE (33 * 8)
#define CTX_TPIDR (34 * 8)
#define CTX_FP (36 * 8)
#define CTX_FPCR (CTX_FP + 32 * 16)
#define CTX_FPSR (CTX_FPCR + 8)
#define CTX_SIZE (CTX_FPSR + 8)

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

struct arch_context {
	uint64_t x[31];
	uint64_t sp;     /* SP_EL0 */
	uint64_t pc;     /* ELR_EL2 */
	uint64_t pstate; /* SPSR_EL2 */
	uint64_t tpidr;  /* TPIDR_EL0 */
	uint64_t reserved;
	uint64_t v[64];  /* q0..q31, two words each */
	uint64_t fpcr;
	uint64_t fpsr;
} __attribute__((aligned(16)));

_Static_assert(offsetof(struct arch_context, sp) == CTX_SP, "context layout");
_Static_assert(offsetof(struct arch_context, pc) == CTX_PC, "context layout");
_Static_assert(offsetof(struct arch_context, tpidr) == CTX_TPIDR, "context layout");
_Static_assert(offsetof(struct arch_context, v) == CTX_FP, "context layout");
_Static_assert(offsetof(struct arch_context, fpsr) == CTX_FPSR, "context layout");
_Static_assert(sizeof(struct arch_context) == CTX_SIZE, "context layout");

/* System-call arguments and results (include/uapi/syscall.h): number in
 * x8, arguments in x0..x5, status in x0, results in x1..x5. */
static inline uint64_t arch_syscall_number(const struct arch_context *c) { return c->x[8]; }
static inline uint64_t arch_syscall_arg(const struct arch_context *c, unsigned n) { return c->x[n]; }
static inline void arch_syscall_set_status(struct arch_context *c, uint64_t status) { c->x[0] = status; }
/* Makes the thread issue the same `svc` again when it resumes. */
static inline void arch_syscall_restart(struct arch_context *c) { c->pc -= 4; }
static inline void arch_syscall_set_result(struct arch_context *c, unsigned n, uint64_t v) { c->x[n] = v; }
#endif

#endif
