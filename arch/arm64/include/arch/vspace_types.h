/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef ARCH_VSPACE_TYPES_H
#define ARCH_VSPACE_TYPES_H

#include <stdbool.h>
#include <stdint.h>

struct arch_vspace {
	uint64_t root_pa; /* level-1 stage-2 table */
	uint16_t vmid;    /* 0: none (never valid for a live space) */
	bool guest;       /* a VM's: writable and executable together allowed */
};

#endif
