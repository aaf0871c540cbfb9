/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef KERNEL_MODPACK_H
#define KERNEL_MODPACK_H

#include <boot/boot_info.h>
#include <stdint.h>

/*
 * If the only module is a module pack (include/boot/modpack.h), replaces it
 * by the modules it holds. pack is the pack's bytes (size of them), at
 * physical address pack_pa. Returns NULL (also when it is no pack), or why
 * the pack is unusable — then the map is unchanged.
 */
const char *modpack_split(struct boot_info *bi, const void *pack, uint64_t pack_pa, uint64_t size);

#endif
