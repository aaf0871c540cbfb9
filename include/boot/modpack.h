/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A module pack: several boot modules in one file, so a direct boot (QEMU
 * -initrd, which passes one blob) can carry the root task, its
 * configuration and other modules like the UEFI loader does. The kernel
 * splits a pack given as the initrd into boot_info.modules[]. Written by
 * tools/modpack.sh. All integers little-endian.
 */
#ifndef BOOT_MODPACK_H
#define BOOT_MODPACK_H

#include <stdint.h>

#define MODPACK_MAGIC "CVMODPK1" /* 8 bytes, no NUL */
#define MODPACK_ALIGN 4096       /* every module's data starts page-aligned */

struct modpack_header {
	char magic[8];
	uint32_t count; /* entries that follow, at most BOOT_MODULES_MAX */
	uint32_t reserved; /* 0 */
};

struct modpack_entry {
	char name[48];   /* NUL-terminated, like boot_module.name */
	uint64_t offset; /* from the start of the pack; a multiple of MODPACK_ALIGN */
	uint64_t size;   /* bytes */
};

_Static_assert(sizeof(struct modpack_header) == 16, "modpack layout");
_Static_assert(sizeof(struct modpack_entry) == 64, "modpack layout");

#endif
