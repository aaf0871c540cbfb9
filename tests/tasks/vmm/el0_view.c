// SPDX-License-Identifier: BSD-2-Clause
// What this task sees of the EL1 registers that govern EL0, checked right
// after a guest ran on its CPU (the `checkregs` VM option). The kernel
// keeps a guest's EL1 state loaded while a task runs on the vCPU's CPU and
// switches only the registers a task uses (docs/virtualization.md, "World
// switch"): if one of those kept the guest's value, an instruction below
// traps and kills this task (SCTLR_EL1.UCT, CNTKCTL_EL1.EL0VCTEN,
// CPACR_EL1.FPEN), DCZID_EL0 reports DC ZVA prohibited (SCTLR_EL1.DZE, which
// tasks have set), TPIDRRO_EL0 shows the guest's value instead of 0, or
// the task's counter (cv_counter, the physical one) ran backwards, as the
// virtual one would with the guest's CNTVOFF still loaded.
#include <stdint.h>

#include <cv/counter.h>

#include "vmm.h"

#define DCZID_DZP 0x10u

static uint8_t zva_block[2048] __attribute__((aligned(2048)));

bool vmm_el0_view_ok(void)
{
	static uint64_t last;
	uint64_t ctr, dczid, cnt, ro, fp = 0x1234, now = cv_counter();

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	__asm__ volatile("mrs %0, dczid_el0" : "=r"(dczid));
	if ((dczid & DCZID_DZP) || (4u << (dczid & 0xf)) > sizeof(zva_block))
		return false;
	zva_block[0] = 1;
	__asm__ volatile("dc zva, %0" : : "r"(zva_block) : "memory");
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(cnt));
	__asm__ volatile("mrs %0, tpidrro_el0" : "=r"(ro));
	__asm__ volatile("fmov d16, %0; fmov %0, d16" : "+r"(fp) : : "v16");
	bool forward = now >= last;
	last = now;
	return ctr != 0 && zva_block[0] == 0 && cnt != 0 && ro == 0 && fp == 0x1234 && forward;
}
