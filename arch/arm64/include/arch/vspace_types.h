/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef ARCH_VSPACE_TYPES_H
#define ARCH_VSPACE_TYPES_H

#include <stdbool.h>
#include <stdint.h>

/* A level-2 stage-2 block: the large mapping arch_vspace_map uses where
 * addresses allow (kernel/arch/vspace.h). */
#define ARCH_VSPACE_BLOCK_SIZE (2ul << 20)

struct arch_vspace {
	uint64_t root_pa; /* level-1 stage-2 table */
	uint16_t vmid;    /* 0: none yet (stage2.c gives one at first use) */
	uint32_t vmid_generation; /* the VMID is valid only in this generation */
	bool guest;       /* a VM's: writable and executable together allowed */
};

#endif
