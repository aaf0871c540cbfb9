/* SPDX-License-Identifier: BSD-2-Clause */
/* PSCI through HVC #0, the SMCCC hypercall helper, secondary CPUs. */
#ifndef GUEST_PSCI_H
#define GUEST_PSCI_H

#include <stdbool.h>
#include <stdint.h>

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0xc4000003u
#define PSCI_AFFINITY_INFO 0xc4000004u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)

#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1
#define PSCI_AFF_ON_PENDING 2

struct hvc_result {
	uint64_t x0, x1, x2, x3;
};

/* HVC #0 with x0..x3; returns x0..x3. Registers x4..x17 are treated as
 * clobbered (SMCCC 1.0 allows it). */
struct hvc_result hvc_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

/* The same, but an HVC that is an undefined instruction (plain QEMU
 * without EL2 for a function that is not PSCI) is caught: *undef is set
 * and x0 reads as NOT_SUPPORTED. */
struct hvc_result hvc_call_catch(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3,
				 bool *undef);

/* True if CV_HVC_NULL answers like capvisor (include/uapi/hypercall.h). */
bool under_capvisor(void);

int64_t psci_version(void);
int64_t psci_features(uint32_t fn);
int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context);
int64_t psci_affinity_info(uint64_t mpidr);
__attribute__((noreturn)) void psci_cpu_off(void);
void psci_system_off(void);

/* Starts CPU `cpu` (MPIDR Aff0) with its stack and vectors, the MMU on if
 * this CPU turned it on (mmu.h), and calls fn(cpu, context) there, where
 * context is what CPU_ON passed in x0 (SMP_CONTEXT(cpu) if the VMM got
 * it right); when fn returns the CPU calls CPU_OFF. Returns CPU_ON's
 * result. */
#define SMP_CONTEXT(cpu) (0xc0de5eed00000000ull | (cpu))
typedef void (*secondary_fn)(unsigned int cpu, uint64_t context);
int64_t smp_start_secondary(unsigned int cpu, secondary_fn fn);

#endif
