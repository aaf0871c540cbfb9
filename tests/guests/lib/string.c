// SPDX-License-Identifier: BSD-2-Clause
// The two functions GCC may call on its own even in freestanding code
// (struct copies and zeroing). Byte loops: with the MMU off all of RAM is
// Device memory, where an unaligned wide access would fault.
#include "guest.h"

void *memset(void *dst, int c, size_t n)
{
	volatile unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}
