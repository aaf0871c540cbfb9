// SPDX-License-Identifier: BSD-2-Clause
// World-switch integrity. The guest fills every EL1 system register a
// hypervisor must switch (switch.h) and all of FP/SIMD with seeded
// values, then checks them all after each of 5000 null hypercalls, every
// fourth followed by a read of the UART's flag register (IRQs masked, so
// nothing at EL1 touches them), and after each of 50 virtual timer
// interrupts.
// Under capvisor every hypercall and interrupt is a world switch and every
// UART read an exit to the VMM, which runs in the meantime; on plain QEMU
// the hypercall is replaced by a YIELD.
//
// The seed mixes SWITCH_SEED, MPIDR and the counter at boot, so two
// copies of this guest hold different values and a register leaking from
// one VM into another shows up as a mismatch.
#include <uapi/hypercall.h>

#include "gic.h"
#include "guest.h"
#include "mmio.h"
#include "psci.h"
#include "switch.h"
#include "timer.h"

GUEST_USES_FPSIMD;

#define ITERATIONS 5000
#define IRQ_TICKS 50
#define TICK_HZ 2000
#define UART_FR 0x09000018ul

struct mismatch {
	unsigned int count, iteration, reg;
	uint64_t got, want;
};

static uint64_t want_sys[SR_COUNT], got_sys[SR_COUNT];
static uint64_t want_fp[FP_WORDS] __attribute__((aligned(16)));
static uint64_t got_fp[FP_WORDS] __attribute__((aligned(16)));
static struct mismatch sys_bad, fp_bad;
static volatile unsigned int ticks;
static volatile uint64_t deadline;
static uint64_t period;

static void tick_irq(uint32_t intid)
{
	if (intid != GIC_INTID_VTIMER)
		return;
	ticks++;
	if (ticks >= IRQ_TICKS) {
		timer_stop();
		return;
	}
	deadline += period;
	timer_arm(deadline);
}

/* Records the first mismatch; the count is of iterations with one. */
static void note(struct mismatch *m, unsigned int iteration, unsigned int reg, uint64_t got,
		 uint64_t want)
{
	if (!m->count)
		*m = (struct mismatch){ 0, iteration, reg, got, want };
}

/* Compares everything with the expected values; `after_irq` leaves out
 * what an interrupt at EL1 legitimately changes. */
static void compare(unsigned int iteration, bool after_irq)
{
	bool sys_wrong = false;

	sysregs_read(got_sys);
	for (unsigned int i = 0; i < SR_COUNT; i++) {
		if ((after_irq && !sysreg_kept_by_irq[i]) || got_sys[i] == want_sys[i])
			continue;
		note(&sys_bad, iteration, i, got_sys[i], want_sys[i]);
		sys_wrong = true;
	}
	sys_bad.count += sys_wrong;
	uint64_t fp = fp_compare(want_fp);
	if (fp) {
		unsigned int reg = (unsigned int)__builtin_ctzll(fp);
		fp_read(got_fp);
		// Registers 0..31 are Q registers (low halves shown), 32 FPCR, 33 FPSR.
		unsigned int word = reg < 32 ? reg * 2 : 64 + reg - 32;
		note(&fp_bad, iteration, reg, got_fp[word], want_fp[word]);
		fp_bad.count++;
	}
}

static void report(const char *name, const struct mismatch *m, bool fp, unsigned int total)
{
	char qname[4] = { 'q', 0, 0, 0 };
	const char *reg;

	if (!fp) {
		reg = sysreg_names[m->reg];
	} else if (m->reg >= 32) {
		reg = m->reg == 32 ? "fpcr" : "fpsr";
	} else {
		qname[1] = (char)('0' + m->reg / 10 % 10);
		qname[2] = (char)('0' + m->reg % 10);
		reg = qname;
	}
	check(name, m->count == 0, "wrong after %u of %u; first %s = 0x%lx, expected 0x%lx, at %u",
	      m->count, total, reg, m->got, m->want, m->iteration);
}

static void set_up(uint64_t seed)
{
	sysregs_make(seed, want_sys);
	uint64_t s = seed ^ 0xf00dull;
	for (int i = 0; i < 64; i++)
		want_fp[i] = splitmix64(&s);
	// FPCR: AHP, DN, FZ, RMode (valid on every CPU; the trap enables may
	// be RAZ/WI). FPSR: the cumulative flags and QC.
	uint64_t r = splitmix64(&s);
	want_fp[64] = r & (0xfull << 22 | 1ull << 26);
	want_fp[65] = r & 0x0800009f;

	sysregs_write(want_sys);
	fp_fill(want_fp);

	// What the CPU made of the values is what must last; registers
	// that are plain storage must have taken them unchanged.
	uint64_t requested[SR_COUNT];
	memcpy(requested, want_sys, sizeof(requested));
	sysregs_read(want_sys);
	unsigned int bad = 0, first = 0;
	for (unsigned int i = 0; i < SR_COUNT; i++) {
		if (sysreg_exact[i] && want_sys[i] != requested[i] && !bad++)
			first = i;
	}
	check("sysregs_written", bad == 0,
	      "%u registers did not take their value; first %s = 0x%lx, wrote 0x%lx", bad,
	      sysreg_names[first], want_sys[first], requested[first]);
	uint64_t fpcr = want_fp[64], fpsr = want_fp[65];
	fp_read(got_fp);
	want_fp[64] = got_fp[64];
	want_fp[65] = got_fp[65];
	check("fpsimd_written", fp_compare(want_fp) == 0 && got_fp[64] == fpcr && got_fp[65] == fpsr,
	      "FPCR 0x%lx (wrote 0x%lx), FPSR 0x%lx (wrote 0x%lx)", got_fp[64], fpcr, got_fp[65],
	      fpsr);
}

static void hypercall_phase(bool capvisor)
{
	unsigned int hvc_bad = 0;

	for (unsigned int i = 0; i < ITERATIONS; i++) {
		if (capvisor) {
			struct hvc_result r = hvc_call(CV_HVC_NULL, i, 0, 0);
			hvc_bad += r.x0 != 0 || r.x1 != i + 1;
		} else {
			__asm__ volatile("yield" : : : "memory");
		}
		if (i % 4 == 0)
			(void)mmio_read32(UART_FR);
		compare(i, false);
	}
	if (capvisor)
		check("null_hypercalls", hvc_bad == 0, "%u of %u wrong", hvc_bad, ITERATIONS);
	else
		skip("null_hypercalls", "not under capvisor");
}

/* Sleeps through IRQ_TICKS timer interrupts, checking after each. The
 * deadline re-arming writes CNTV_CVAL, hence a separate phase. */
static void interrupt_phase(bool capvisor)
{
	// Afresh, so that a loss in the first phase is not reported twice.
	sysregs_write(want_sys);
	fp_fill(want_fp);
	gic_set_priority(GIC_INTID_VTIMER, 0x80);
	gic_enable(GIC_INTID_VTIMER);
	irq_set_handler(tick_irq);
	period = timer_freq() / TICK_HZ;
	deadline = timer_now() + period;
	timer_arm(deadline);
	for (unsigned int seen = 0; seen < IRQ_TICKS; seen++) {
		while (ticks == seen) {
			wfi();
			irq_enable();
			irq_disable();
		}
		if (capvisor)
			hvc_call(CV_HVC_NULL, seen, 0, 0);
		compare(seen, true);
	}
	timer_stop();
}

void guest_main(void)
{
	bool capvisor = under_capvisor();
	uint64_t seed = SWITCH_SEED + 0x5157c4ull * (read_sysreg(mpidr_el1) & 0xffffff) +
			timer_now() * 0x9e3779b97f4a7c15ull;

	printf("switch: seed 0x%lx, %s\n", seed,
	       capvisor ? "null hypercalls" : "not under capvisor, YIELD instead of hypercalls");
	gic_init_dist();
	if (!check("gic_init", gic_init_cpu(), "redistributor of cpu %u did not wake or match",
		   cpu_id()))
		return;
	irq_disable();
	timer_stop();
	set_up(seed);

	hypercall_phase(capvisor);
	printf("switch: %u iterations checked\n", ITERATIONS);
	report("sysregs_preserved", &sys_bad, false, ITERATIONS);
	report("fpsimd_preserved", &fp_bad, true, ITERATIONS);

	sys_bad = (struct mismatch){ 0 };
	fp_bad = (struct mismatch){ 0 };
	interrupt_phase(capvisor);
	printf("switch: %u timer interrupts checked\n", IRQ_TICKS);
	report("sysregs_preserved_irq", &sys_bad, false, IRQ_TICKS);
	report("fpsimd_preserved_irq", &fp_bad, true, IRQ_TICKS);
}
