// SPDX-License-Identifier: BSD-2-Clause
#include "format.h"

#include <stdbool.h>
#include <stdint.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

static void out_number(struct out *o, uint64_t v, bool negative, unsigned base, bool upper,
		       int width, bool left, bool zero)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int len = n + (negative ? 1 : 0);
	if (!left && !zero)
		out_pad(o, ' ', width - len);
	if (negative)
		out_char(o, '-');
	if (!left && zero)
		out_pad(o, '0', width - len);
	while (n)
		out_char(o, tmp[--n]);
	if (left)
		out_pad(o, ' ', width - len);
}

int format_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};

	while (*fmt) {
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		const char *start = fmt++;
		bool left = false, zero = false;
		int width = 0, precision = -1, lng = 0;

		for (;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				zero = true;
			else
				break;
		}
		if (*fmt == '*') {
			int star = va_arg(ap, int);
			if (star < 0)
				left = true;
			/* Negate as unsigned (INT_MIN has no positive int) and clamp
			 * like a written width. */
			unsigned mag = star < 0 ? 0u - (unsigned)star : (unsigned)star;
			width = mag > 1000 ? 1000 : (int)mag;
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9' && width < 1000)
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			precision = 0;
			if (*fmt == '*') {
				precision = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9' && precision < 100000)
					precision = precision * 10 + (*fmt++ - '0');
			}
		}
		/* lng: -2 hh, -1 h, 0 int, 1 long, 2 long long, 3 size_t, 4 ptrdiff_t */
		if (*fmt == 'h') {
			lng = -1;
			if (*++fmt == 'h') {
				lng = -2;
				fmt++;
			}
		} else if (*fmt == 'l') {
			lng = 1;
			if (*++fmt == 'l') {
				lng = 2;
				fmt++;
			}
		} else if (*fmt == 'z') {
			lng = 3;
			fmt++;
		} else if (*fmt == 't') {
			lng = 4;
			fmt++;
		}

		char conv = *fmt;
		if (conv)
			fmt++;
		switch (conv) {
		case 'd':
		case 'i': {
			int64_t v;
			switch (lng) {
			case 1: v = va_arg(ap, long); break;
			case 2: v = va_arg(ap, long long); break;
			case 3: v = (int64_t)va_arg(ap, size_t); break;
			case 4: v = va_arg(ap, ptrdiff_t); break;
			case -1: v = (short)va_arg(ap, int); break;
			case -2: v = (signed char)va_arg(ap, int); break;
			default: v = va_arg(ap, int); break;
			}
			uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
			out_number(&o, mag, v < 0, 10, false, width, left, zero);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uint64_t v;
			switch (lng) {
			case 1: v = va_arg(ap, unsigned long); break;
			case 2: v = va_arg(ap, unsigned long long); break;
			case 3: v = va_arg(ap, size_t); break;
			case 4: v = (uint64_t)va_arg(ap, ptrdiff_t); break;
			case -1: v = (unsigned short)va_arg(ap, unsigned); break;
			case -2: v = (unsigned char)va_arg(ap, unsigned); break;
			default: v = va_arg(ap, unsigned); break;
			}
			unsigned base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
			out_number(&o, v, false, base, conv == 'X', width, left, zero);
			break;
		}
		case 'p':
			out_char(&o, '0');
			out_char(&o, 'x');
			out_number(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, 16, false, true);
			break;
		case 'c':
			if (!left)
				out_pad(&o, ' ', width - 1);
			out_char(&o, (char)va_arg(ap, int));
			if (left)
				out_pad(&o, ' ', width - 1);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int len = 0;
			while (s[len] && (precision < 0 || len < precision))
				len++;
			if (!left)
				out_pad(&o, ' ', width - len);
			for (int i = 0; i < len; i++)
				out_char(&o, s[i]);
			if (left)
				out_pad(&o, ' ', width - len);
			break;
		}
		case '%':
			out_char(&o, '%');
			break;
		default:
			/* Unknown conversion: show it as written. */
			while (start < fmt)
				out_char(&o, *start++);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > INT32_MAX ? INT32_MAX : (int)o.len;
}

int format_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = format_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
