/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's virtual address layout at EL2 (one translation regime,
 * TTBR0_EL2, 48-bit virtual addresses, 4 KiB granule). Used from C and
 * assembly. See docs/arm64.md.
 *
 *   0x0000_0000_0000_0000  identity map of the few pages that turn the MMU on
 *   0x0000_8000_0000_0000  PHYSMAP_VBASE: all RAM, physical address + base
 *   0x0000_fffe_0000_0000  DEVICE_VBASE: device registers, mapped on demand
 *   0x0000_ffff_c000_0000  KERNEL_VBASE: the kernel image (last GiB)
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define PAGE_SHIFT 12
#define PAGE_SIZE (1 << PAGE_SHIFT)
#define BLOCK_2M_SIZE 0x200000
#define BLOCK_1G_SIZE 0x40000000

#define KERNEL_VBASE 0x0000ffffc0000000
#define PHYSMAP_VBASE 0x0000800000000000
#define PHYSMAP_MAX_PA 0x0000400000000000 /* 64 TiB of physical address space */
#define DEVICE_VBASE 0x0000fffe00000000
#define DEVICE_VSIZE 0x0000000100000000

#define CPU_MAX 8
#define CPU_STACK_SIZE 16384

#endif
