// SPDX-License-Identifier: BSD-2-Clause
// PSCI and capvisor hypercalls (HVC #0, SMC Calling Convention) and the
// start of secondary CPUs.
#include <uapi/hypercall.h>

#include "guest.h"
#include "psci.h"

struct hvc_result hvc_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "memory");
	return (struct hvc_result){ x0, x1, x2, x3 };
}

struct hvc_result hvc_call_catch(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3,
				 bool *undef)
{
	fault_catch_begin();
	struct hvc_result r = hvc_call(fn, a1, a2, a3);
	struct fault_record rec = fault_catch_end();

	*undef = rec.count != 0;
	if (*undef)
		r.x0 = (uint64_t)PSCI_NOT_SUPPORTED;
	return r;
}

bool under_capvisor(void)
{
	static int known; // 0 not asked yet, 1 yes, -1 no
	bool undef;

	if (!known) {
		struct hvc_result r = hvc_call_catch(CV_HVC_NULL, 41, 0, 0, &undef);
		known = !undef && r.x0 == 0 && r.x1 == 42 && r.x2 == CV_HVC_NULL_XOR &&
				r.x3 == CV_HVC_NULL_MAGIC ?
			1 :
			-1;
	}
	return known > 0;
}

int64_t psci_version(void)
{
	return (int64_t)hvc_call(PSCI_VERSION, 0, 0, 0).x0;
}

int64_t psci_features(uint32_t fn)
{
	return (int64_t)hvc_call(PSCI_FEATURES, fn, 0, 0).x0;
}

int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
	return (int64_t)hvc_call(PSCI_CPU_ON, mpidr, entry, context).x0;
}

int64_t psci_affinity_info(uint64_t mpidr)
{
	// Lowest affinity level 0: the state of exactly this CPU.
	return (int64_t)hvc_call(PSCI_AFFINITY_INFO, mpidr, 0, 0).x0;
}

void psci_cpu_off(void)
{
	irq_disable();
	hvc_call(PSCI_CPU_OFF, 0, 0, 0);
	// CPU_OFF returns only on failure (DENIED); nothing sensible is left.
	for (;;)
		wfi();
}

void psci_system_off(void)
{
	hvc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
}

/* ---- secondary CPUs ---- */

static secondary_fn secondary_fns[GUEST_MAX_CPUS];

void guest_secondary_entry(void);
__attribute__((noreturn)) void guest_secondary_main(uint64_t context);

int64_t smp_start_secondary(unsigned int cpu, secondary_fn fn)
{
	if (cpu >= GUEST_MAX_CPUS)
		return PSCI_INVALID_PARAMETERS;
	secondary_fns[cpu] = fn;
	dsb(sy);
	return psci_cpu_on(cpu, (uint64_t)(uintptr_t)guest_secondary_entry, SMP_CONTEXT(cpu));
}

void guest_secondary_main(uint64_t context)
{
	unsigned int cpu = cpu_id();

	dmb(sy);
	if (secondary_fns[cpu])
		secondary_fns[cpu](cpu, context);
	psci_cpu_off();
}
