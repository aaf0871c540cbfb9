/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef KERNEL_BOOT_INFO_DTB_H
#define KERNEL_BOOT_INFO_DTB_H

#include <boot/boot_info.h>

/*
 * Direct boot: builds the boot_info a loader would have passed from the
 * device tree — memory from /memory nodes, reserved memory (memory
 * reservation block, /reserved-memory), the kernel image, the device tree
 * itself, the initrd from /chosen as module "initrd", the command line from
 * /chosen/bootargs. Returns NULL, or why the device tree is unusable.
 */
const char *boot_info_from_dtb(struct boot_info *bi, const void *dtb, uint64_t dtb_pa,
			       uint64_t kernel_pa, uint64_t kernel_size);

#endif
