/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's own symbol table (tools/gen-ksyms.sh), for backtraces. */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include <stdint.h>

/* Name of the function containing addr and the offset into it, or NULL. */
const char *ksyms_lookup(uintptr_t addr, uintptr_t *offset);

#endif
