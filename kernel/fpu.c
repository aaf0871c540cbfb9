// SPDX-License-Identifier: BSD-2-Clause
// FP/SIMD switching, eager for threads that used it lately (fpu.h).
#include "fpu.h"

void fpu_take(struct cpu *cpu, struct thread *t)
{
	fpu_set_trap(cpu, false);
	arch_fp_switch(cpu->fp_owner, t);
	cpu->fp_owner = t;
}

void fpu_trap(struct cpu *cpu, struct thread *t)
{
	t->fp_eager = FPU_EAGER_SWITCHES;
	if (cpu->fp_owner == t)
		fpu_set_trap(cpu, false); /* nothing to load: only the trap was stale */
	else
		fpu_take(cpu, t);
}
