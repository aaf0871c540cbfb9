// SPDX-License-Identifier: BSD-2-Clause
// A guest that misbehaves, for tests that the hypervisor and other VMs
// survive it: it floods hypercalls, touches memory it was not given,
// sends SGIs to targets that do not exist, pokes at registers a
// hypervisor traps (the physical timer, debug, PMU, set/way cache
// maintenance, IMPLEMENTATION DEFINED registers), executes SMC and
// undefined instructions, and finally spins forever with every exception
// masked. Every exception it takes on the way is caught and counted, not
// fatal. It prints "hostile: started", a summary line and "hostile:
// looping", and never "done".
#include <uapi/hypercall.h>

#include "gic.h"
#include "guest.h"
#include "psci.h"

#define HVC_FLOOD 100000
#define UNKNOWN_EVERY 32

static unsigned int caught, undefined, aborts, others;

static void tally(struct fault_record r)
{
	if (!r.count)
		return;
	caught += r.count;
	switch (ESR_EC(r.esr)) {
	case EC_UNKNOWN:
	case EC_SYSREG:
		undefined += r.count;
		break;
	case EC_DABT_CUR:
	case EC_IABT_CUR:
		aborts += r.count;
		break;
	default:
		others += r.count;
		break;
	}
}

/* Runs `stmt` with synchronous exceptions caught and counted. */
#define TRY(stmt) \
	do { \
		fault_catch_begin(); \
		stmt; \
		tally(fault_catch_end()); \
	} while (0)

/* A system register read the compiler cannot drop. */
#define TOUCH(reg) TRY((void)read_sysreg(reg))

static void flood_hypercalls(void)
{
	unsigned int answered = 0, made = 0;
	bool undef;

	for (unsigned int i = 0; i < HVC_FLOOD; i++) {
		hvc_call_catch(CV_HVC_NULL, i, i, i, &undef);
		answered += !undef;
		made++;
		// Unknown IDs in every SMCCC owner range; each is a round trip
		// to the monitor, so fewer (the suite's time is bounded).
		if (i % UNKNOWN_EVERY)
			continue;
		hvc_call_catch(0xc0000000u | (i & 0x3f) << 24 | (i * 7919u & 0xffff), i, 0, 0,
			       &undef);
		answered += !undef;
		made++;
	}
	printf("hostile: %u of %u hypercalls answered\n", answered, made);
}

static void touch_unmapped(void)
{
	static const uint64_t addrs[] = { 0x50000000, 0x7ffff000, 0x60000008, 0x44000000 };

	for (unsigned int i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		volatile uint64_t *p = (volatile uint64_t *)addrs[i];
		TRY((void)*p);
		TRY(*p = 0xdeadbeefdeadbeefull);
	}
	// Unaligned with the MMU off (Device memory): an alignment fault on
	// hardware; QEMU lets it through.
	TRY((void)*(volatile uint64_t *)(uintptr_t)0x40000ffdul);
}

static void bogus_sgis(void)
{
	static const uint64_t values[] = {
		0xffff,				     /* CPUs 0..15 of Aff1 = 0 */
		0xffull << 16 | 0xffff,		     /* Aff1 = 0xff */
		0xffull << 48 | 0xffull << 32 | 0xffff, /* Aff3 = Aff2 = 0xff */
		1ull << 40 | 15ull << 24,	     /* IRM: all others, INTID 15 */
		0xfull << 44 | 0xffff,		     /* RS = 15 */
		~0ull,				     /* every bit */
	};

	for (unsigned int i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		TRY(gic_write_sgi1r(values[i]));
}

static void trapped_registers(void)
{
	// The EL1 physical timer: may be UNDEFINED under capvisor.
	TOUCH(cntp_ctl_el0);
	TOUCH(cntp_cval_el0);
	TRY(write_sysreg(cntp_ctl_el0, 0));
	TOUCH(cntpct_el0);
	// Debug: OS lock on and off, a disabled breakpoint and watchpoint.
	TRY(write_sysreg(oslar_el1, 1));
	TRY(write_sysreg(oslar_el1, 0));
	TRY(write_sysreg(osdlr_el1, 0));
	TRY(write_sysreg(dbgbvr0_el1, 0x40080000));
	TRY(write_sysreg(dbgbcr0_el1, 0));
	TRY(write_sysreg(dbgwvr0_el1, 0x40080000));
	TRY(write_sysreg(dbgwcr0_el1, 0));
	TRY(write_sysreg(mdccint_el1, 0));
	TOUCH(mdrar_el1);
	TOUCH(oslsr_el1);
	// PMU.
	TOUCH(pmcr_el0);
	TOUCH(pmccntr_el0);
	TRY(write_sysreg(pmcntenclr_el0, ~0ull));
	// Registers a hypervisor traps with HCR_EL2.TACR, TID3, TVM, TSW.
	TOUCH(actlr_el1);
	TOUCH(id_aa64pfr0_el1);
	TOUCH(id_aa64mmfr0_el1);
	TRY(write_sysreg(sctlr_el1, read_sysreg(sctlr_el1)));
	TRY(__asm__ volatile("dc cisw, xzr" : : : "memory"));
	TRY(__asm__ volatile("dc isw, xzr" : : : "memory"));
	// An IMPLEMENTATION DEFINED register (CPUECTLR on Cortex-A57).
	TOUCH(s3_1_c15_c2_1);
	// The GIC CPU interface: try to leave system-register mode.
	TRY(write_sysreg(icc_sre_el1, 0));
	TRY(isb());
}

static void bad_instructions(void)
{
	TRY(__asm__ volatile("smc #0" : : : "memory"));
	TRY(__asm__ volatile("udf #0" : : : "memory"));
	TRY(__asm__ volatile(".inst 0xffffffff" : : : "memory"));
	TRY(__asm__ volatile("brk #0x123" : : : "memory"));
	// An HVC immediate other than 0, with an unknown function ID.
	register uint64_t x0 __asm__("x0") = 0xc6005678;
	TRY(__asm__ volatile("hvc #0x1234" : "+r"(x0) : : "x1", "x2", "x3", "memory"));
}

void guest_main(void)
{
	printf("hostile: started\n");
	gic_init_dist();
	gic_init_cpu();
	flood_hypercalls();
	touch_unmapped();
	bogus_sgis();
	trapped_registers();
	bad_instructions();
	printf("hostile: caught %u exceptions (%u undefined, %u aborts, %u others)\n", caught,
	       undefined, aborts, others);
	printf("hostile: looping\n");
	// Never yields: masked, no WFI, no hypercall. Only the hypervisor's
	// own timer can take the CPU back.
	__asm__ volatile("msr daifset, #0xf\n1:\tb 1b" : : : "memory");
}
