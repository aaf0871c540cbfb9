/* SPDX-License-Identifier: BSD-2-Clause */
/* printf-style formatting without a C library (host-tested). */
#ifndef KERNEL_FORMAT_H
#define KERNEL_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Formats into buf (always NUL-terminated when size > 0) and returns the
 * length the full output would have had. Supports %d %i %u %x %X %o %p %s
 * %c %%, flags '-' '0', a field width (or '*'), a precision for %s, and the
 * length modifiers hh h l ll z t. Anything else is copied as it stands.
 */
int format_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int format_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
