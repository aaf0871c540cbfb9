/* SPDX-License-Identifier: BSD-2-Clause */
/* Console output. Lines from different CPUs never interleave. */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>

#include "kernel.h"

void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap) __printf(1, 0);
/* For panic: writes without taking the console lock (the holder may be the
 * CPU that died). */
void printk_unlocked(const char *fmt, ...) __printf(1, 2);

#endif
