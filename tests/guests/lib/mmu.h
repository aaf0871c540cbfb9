/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An optional identity map for guests: 4 KiB granule, 32-bit VA space,
 * two 1 GiB blocks: 0..1 GiB Device-nGnRnE (GIC, UART; never executable)
 * and 1..2 GiB Normal write-back (RAM). Gives cached RAM and working
 * exclusives; secondaries started later turn it on too (start.S).
 */
#ifndef GUEST_MMU_H
#define GUEST_MMU_H

#include <stdbool.h>
#include <stdint.h>

void mmu_enable(void);
bool mmu_is_on(void);

/* Cleans [start, start + size) to the point of coherency. */
void dcache_clean(const volatile void *start, uint64_t size);
/* Cleans and invalidates. */
void dcache_clean_inval(const volatile void *start, uint64_t size);

#endif
