/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest runtime (tests/guests/README.md): console, checks, CPU
 * identity, exceptions. A guest defines guest_main(); when it returns, the
 * runtime calls finish().
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysreg.h"

/* Stacks and per-CPU slots exist for vCPUs with MPIDR Aff0 below this. */
#define GUEST_MAX_CPUS 8

/* Defined by every guest. */
void guest_main(void);

/* A guest that uses FP/SIMD registers says so with GUEST_USES_FPSIMD at
 * file scope: start.S then enables them on every CPU (CPACR_EL1.FPEN).
 * Everywhere else they stay trapped, so an accidental use is reported. */
#define GUEST_USES_FPSIMD const int guest_fpsimd = 1

/* ---- console (uart.c, printf.c) ---- */
void uart_putc(char c);
void uart_puts(const char *s);
__attribute__((format(printf, 1, 2))) void printf(const char *fmt, ...);
void vprintf(const char *fmt, va_list ap);

/* ---- checks (check.c): one line per check, see README.md ---- */
__attribute__((format(printf, 3, 4))) bool check(const char *name, bool cond,
						  const char *fmt, ...);
void skip(const char *name, const char *why);
unsigned int failures(void);
__attribute__((noreturn)) void finish(void);

/* ---- this CPU ---- */
static inline unsigned int cpu_id(void)
{
	return (unsigned int)(read_sysreg(mpidr_el1) & 0xff);
}

static inline unsigned int current_el(void)
{
	return (unsigned int)(read_sysreg(CurrentEL) >> 2) & 3;
}

/* ---- exceptions (exception.c) ---- */
struct exc_frame {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t pad;
};

/* Called for every IRQ with its INTID, after acknowledging and before
 * ending it; NULL (the default) makes any IRQ a failure. */
typedef void (*irq_handler_fn)(uint32_t intid);
void irq_set_handler(irq_handler_fn fn);

/*
 * Catching synchronous exceptions that a check provokes on purpose. While
 * armed on this CPU, a synchronous exception from EL1 is recorded instead
 * of failing: the faulting instruction is skipped (ELR + 4), or for an
 * instruction abort the guest returns to the caller of the function it
 * branched to (ELR = LR).
 */
struct fault_record {
	unsigned int count;
	uint64_t esr, far, elr;
};
void fault_catch_begin(void);
/* Disarms and returns what was caught since fault_catch_begin(). */
struct fault_record fault_catch_end(void);

/* ---- helpers (string.c) ---- */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);

/* Image bounds from guest.ld. */
extern char __guest_start[], __guest_end[];

#endif
