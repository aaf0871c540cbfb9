/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel command line: space-separated words, NAME or NAME=VALUE. */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* True if the word NAME or NAME=... is present. */
bool cmdline_has(const char *cmdline, const char *name);
/* Copies the value of NAME=VALUE into buf (NUL-terminated); false if absent
 * or too long for buf. */
bool cmdline_get(const char *cmdline, const char *name, char *buf, size_t size);

#endif
