// SPDX-License-Identifier: BSD-2-Clause
// Hypercalls (HVC, and SMC, which always traps): capvisor's own
// (include/uapi/hypercall.h), PSCI for guests, and the rest to the
// monitor. docs/virtualization.md lists which PSCI calls the kernel
// handles.
#include <string.h>
#include <uapi/hypercall.h>
#include <uapi/vm.h>

#include "arch/guest.h"
#include "guest_private.h"
#include "thread.h"
#include "vcpu.h"

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND_32 0x84000001u
#define PSCI_CPU_SUSPEND_64 0xc4000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_CPU_ON_64 0xc4000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_AFFINITY_INFO_64 0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au
#define SMCCC_VERSION 0x80000000u

#define PSCI_NOT_SUPPORTED (-1l)
#define PSCI_INVALID_PARAMETERS (-2l)
#define PSCI_VERSION_1_1 0x10001ul
#define PSCI_TOS_NOT_PRESENT 2ul
#define SMCCC_VERSION_1_1 0x10001ul

static bool psci_known(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION: case PSCI_CPU_SUSPEND_32: case PSCI_CPU_SUSPEND_64: case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32: case PSCI_CPU_ON_64: case PSCI_AFFINITY_INFO_32: case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE: case PSCI_SYSTEM_OFF: case PSCI_SYSTEM_RESET: case PSCI_FEATURES:
		return true;
	default:
		return false;
	}
}

/* MPIDR affinity to a vCPU index: only Aff0 is used. */
static long target_index(uint64_t mpidr)
{
	return (mpidr & 0xff00ffff00ull) ? -1 : (long)(mpidr & 0xff);
}

/* Returns true when the monitor must see it (SYSTEM_OFF, SYSTEM_RESET). */
static bool psci(struct thread *th, uint32_t fid, struct vcpu_exit *e)
{
	uint64_t *x = th->ctx.x;
	long idx;

	switch (fid) {
	case PSCI_VERSION:
		x[0] = PSCI_VERSION_1_1;
		return false;
	case PSCI_FEATURES:
		x[0] = psci_known((uint32_t)x[1]) || (uint32_t)x[1] == SMCCC_VERSION ? 0 : (uint64_t)PSCI_NOT_SUPPORTED;
		return false;
	case PSCI_MIGRATE_INFO_TYPE:
		x[0] = PSCI_TOS_NOT_PRESENT;
		return false;
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
		/* A power-down state we do not have: behave like WFI. */
		x[0] = 0;
		if (!arch_vcpu_irq_pending(th))
			vcpu_wait_for_irq(th);
		return false;
	case PSCI_CPU_OFF:
		x[0] = 0;
		vcpu_power_off(th);
		return false;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		idx = target_index(x[1]);
		x[0] = idx < 0 ? (uint64_t)PSCI_INVALID_PARAMETERS
			       : (uint64_t)vcpu_power_on(th, (unsigned)idx, fid == PSCI_CPU_ON_32 ? (uint32_t)x[2] : x[2],
						       fid == PSCI_CPU_ON_32 ? (uint32_t)x[3] : x[3]);
		return false;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		idx = target_index(x[1]);
		x[0] = idx < 0 || x[2] != 0 ? (uint64_t)PSCI_INVALID_PARAMETERS
					    : (uint64_t)vcpu_affinity_info(th, (unsigned)idx);
		return false;
	default: /* SYSTEM_OFF, SYSTEM_RESET: the monitor's decision */
		e->mr[0] = CV_EXIT_PSCI;
		for (unsigned i = 0; i < 4; i++)
			e->mr[2 + i] = x[i];
		th->vcpu->arch.exit_kind = CV_EXIT_PSCI;
		return true;
	}
}

void guest_null_results(uint64_t *x)
{
	x[0] = 0;
	x[1] += 1;
	x[2] ^= CV_HVC_NULL_XOR;
	x[3] = CV_HVC_NULL_MAGIC;
}

bool guest_hypercall(struct thread *th, uint64_t esr, bool smc, struct vcpu_exit *e)
{
	uint64_t *x = th->ctx.x;
	uint32_t fid = (uint32_t)x[0];

	/* The exit names the calling instruction, which the pc is past now. */
	e->mr[1] = th->ctx.pc - 4;
	if (fid == CV_HVC_NULL && !smc) {
		guest_null_results(x);
		vcpu_count(&th->vcpu->stats.hvc_null);
		return false;
	}
	if (fid == SMCCC_VERSION) {
		x[0] = SMCCC_VERSION_1_1;
		vcpu_count(&th->vcpu->stats.psci);
		return false;
	}
	if (psci_known(fid)) {
		if (psci(th, fid, e))
			return true;
		vcpu_count(&th->vcpu->stats.psci);
		return false;
	}
	th->vcpu->arch.exit_kind = smc ? CV_EXIT_SMC : CV_EXIT_HVC;
	e->mr[0] = (smc ? CV_EXIT_SMC : CV_EXIT_HVC) | (esr << CV_EXIT_SYNDROME_SHIFT);
	for (unsigned i = 0; i < 4; i++)
		e->mr[2 + i] = x[i];
	return true;
}
