/* SPDX-License-Identifier: BSD-2-Clause */
/* libfdt's environment header includes <stdlib.h>; the kernel has no heap
 * and no need of anything else from it. */
#ifndef KERNEL_LIBC_STDLIB_H
#define KERNEL_LIBC_STDLIB_H
#include <stddef.h>
#endif
