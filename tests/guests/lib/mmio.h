/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Device register accesses as single plain loads and stores: an access a
 * hypervisor traps must carry its syndrome (no writeback addressing, no
 * pairs), which compiler-chosen addressing modes do not guarantee.
 */
#ifndef GUEST_MMIO_H
#define GUEST_MMIO_H

#include <stdint.h>

static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v;
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline uint64_t mmio_read64(uintptr_t addr)
{
	uint64_t v;
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" ::"rZ"(v), "r"(addr) : "memory");
}

#endif
