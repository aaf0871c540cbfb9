/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * FP/SIMD state of user threads: switched eagerly for threads that used it
 * lately, lazily for the others.
 *
 * Eager switching (a save and a load on every switch) costs threads that
 * never touch FP/SIMD as much as those that do; lazy switching alone (the
 * first use after a switch traps) lost to it, because compiled C uses SIMD
 * registers for copies and such threads then trap on every switch
 * (docs/performance.md). So each thread carries a hint: a use that traps
 * gives it FPU_EAGER_SWITCHES switches on which its state is loaded
 * unasked; a thread that stops using FP/SIMD runs out of them and is then
 * switched to for free.
 *
 * The registers hold cpu->fp_owner's state (NULL: nobody's worth keeping).
 * While a thread runs in user mode, FP/SIMD instructions trap unless it is
 * the owner (cpu->fp_trap), so no thread ever sees another's registers,
 * and the owner's state is saved before anyone else's is loaded.
 * Threads never change CPUs, and a thread that is freed stops owning
 * (thread_free), so its state is simply dropped. Kernel lock held
 * throughout: another CPU may free the owner.
 */
#ifndef KERNEL_FPU_H
#define KERNEL_FPU_H

#include "arch/context.h"
#include "cpu.h"
#include "thread.h"

/* Eager loads a trap buys: a thread that uses FP/SIMD on every run traps
 * once per this many switches to it, which costs about one eager switch
 * in total. */
#define FPU_EAGER_SWITCHES 32

static inline void fpu_set_trap(struct cpu *cpu, bool on)
{
	if (cpu->fp_trap != on) {
		arch_fp_trap(on);
		cpu->fp_trap = on;
	}
}

/* Makes t the owner of the registers (saving the old owner's state). */
void fpu_take(struct cpu *cpu, struct thread *t);

/*
 * next is about to run in user mode (or in its guest) on cpu. Without the
 * hint, FP/SIMD traps even for the owner (whose first use then only lifts
 * the trap): two threads that do not use it, one of them the owner, would
 * otherwise switch the trap on and off on every switch between them.
 * Virtual CPUs are switched the same way (the trap, CPTR_EL2.TFP, catches
 * a guest's use at EL1 and EL0 alike; the guest's own CPACR_EL1 traps go
 * to the guest first): a vCPU whose guest does not touch FP/SIMD between
 * exits leaves the registers to its monitor.
 */
static inline void fpu_switch_to(struct cpu *cpu, struct thread *next)
{
	if (next->fp_eager) {
		next->fp_eager--;
		if (cpu->fp_owner != next)
			fpu_take(cpu, next);
		else
			fpu_set_trap(cpu, false);
	} else {
		fpu_set_trap(cpu, true);
	}
}

/* The current thread t trapped on an FP/SIMD instruction: it gets its
 * state and the hint, and runs the instruction again. */
void fpu_trap(struct cpu *cpu, struct thread *t);

#endif
