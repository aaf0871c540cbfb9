/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot manifest (\capvisor\boot.cfg): which kernel, which command line,
 * which modules. The format is in docs/boot.md. The parser is pure C with no
 * firmware types so the host unit tests can feed it any bytes.
 */
#ifndef BOOT_MANIFEST_H
#define BOOT_MANIFEST_H

#include <boot/boot_info.h>
#include <stddef.h>

/* Longest path, in bytes, including the NUL. Paths are ASCII. */
#define MANIFEST_PATH_MAX 256

enum manifest_status {
	MANIFEST_OK = 0,
	MANIFEST_ERR_UNKNOWN_KEYWORD,
	MANIFEST_ERR_MISSING_ARGUMENT,
	MANIFEST_ERR_EXTRA_ARGUMENT,
	MANIFEST_ERR_DUPLICATE_KERNEL,
	MANIFEST_ERR_DUPLICATE_CMDLINE,
	MANIFEST_ERR_DUPLICATE_MODULE,
	MANIFEST_ERR_PATH_TOO_LONG,
	MANIFEST_ERR_NAME_TOO_LONG,
	MANIFEST_ERR_CMDLINE_TOO_LONG,
	MANIFEST_ERR_TOO_MANY_MODULES,
	MANIFEST_ERR_BAD_CHARACTER,
	MANIFEST_ERR_NO_KERNEL,
};

struct manifest_module {
	char name[BOOT_MODULE_NAME_MAX]; /* NUL-terminated */
	char path[MANIFEST_PATH_MAX];    /* NUL-terminated, '\' separators */
};

struct manifest {
	char kernel[MANIFEST_PATH_MAX]; /* NUL-terminated, '\' separators */
	char cmdline[BOOT_CMDLINE_MAX]; /* NUL-terminated, "" when absent */
	unsigned module_count;
	struct manifest_module modules[BOOT_MODULES_MAX];
};

/*
 * Parses len bytes at buf (no NUL terminator needed; bytes past len are
 * never read) into *out. On error returns the reason and sets *line to the
 * 1-based line at fault, or 0 when the fault is the file as a whole
 * (MANIFEST_ERR_NO_KERNEL). *out is fully written either way.
 */
__attribute__((warn_unused_result)) enum manifest_status
manifest_parse(const char *buf, size_t len, struct manifest *out, unsigned *line);

/* A short English description of status, never NULL. */
const char *manifest_strerror(enum manifest_status status);

#endif
