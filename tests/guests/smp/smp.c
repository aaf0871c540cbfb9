// SPDX-License-Identifier: BSD-2-Clause
// Four vCPUs. CPU 0 starts CPUs 1..3 with PSCI CPU_ON (and checks that a
// second CPU_ON says ALREADY_ON and that AFFINITY_INFO says ON), all four
// increment one counter with exclusives, CPU 0 plays SGI ping-pong with
// each (SGI 1 there, SGI 2 back, 100 rounds), then the secondaries turn
// themselves off and AFFINITY_INFO must say OFF. The identity map is on
// (mmu.h), so shared memory is cacheable and exclusives work. Only CPU 0
// prints; secondaries report through per-CPU slots.
#include "gic.h"
#include "guest.h"
#include "mmu.h"
#include "psci.h"
#include "timer.h"

#define NCPUS 4
#define ROUNDS 100
#define ADDS 10000
#define SGI_PING 1
#define SGI_PONG 2
#define SGI_STOP 3
#define SGI_PRIORITY 0x80
#define WAIT_MS 1000
#define INVALID_MPIDR 0xff

struct cpu_slot {
	volatile bool online, gic_ok, adds_done;
	volatile uint64_t context, mpidr;
	volatile unsigned int pings, other_irqs;
};

static struct cpu_slot slots[NCPUS];
static volatile bool go, stop;
static volatile unsigned int pongs, cpu0_other_irqs;
static uint64_t counter;

static uint64_t ms_to_ticks(uint64_t ms)
{
	return ms * timer_freq() / 1000;
}

/* Polls `flag` until it is set or `ms` pass. */
static bool wait_flag(const volatile bool *flag, uint64_t ms)
{
	uint64_t start = timer_now(), limit = ms_to_ticks(ms);

	while (!*flag && timer_now() - start < limit)
		;
	return *flag;
}

static void add_many(void)
{
	for (unsigned int i = 0; i < ADDS; i++)
		__atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
}

static void sgi_irq(uint32_t intid)
{
	unsigned int cpu = cpu_id();

	if (cpu == 0) {
		if (intid == SGI_PONG)
			pongs++;
		else
			cpu0_other_irqs++;
		return;
	}
	if (intid == SGI_PING) {
		slots[cpu].pings++;
		gic_send_sgi(SGI_PONG, 1u << 0);
	} else if (intid != SGI_STOP) {
		slots[cpu].other_irqs++;
	}
}

static void secondary(unsigned int cpu, uint64_t context)
{
	struct cpu_slot *me = &slots[cpu];

	me->context = context;
	me->mpidr = read_sysreg(mpidr_el1);
	me->gic_ok = gic_init_cpu();
	gic_set_priority(SGI_PING, SGI_PRIORITY);
	gic_set_priority(SGI_STOP, SGI_PRIORITY);
	gic_enable(SGI_PING);
	gic_enable(SGI_STOP);
	dmb(ish);
	me->online = true;

	while (!go)
		;
	add_many();
	dmb(ish);
	me->adds_done = true;

	// WFI with IRQs masked wakes for a pending interrupt, which is then
	// taken in the window; so no SGI can slip in between test and sleep.
	irq_disable();
	while (!stop) {
		wfi();
		irq_enable();
		irq_disable();
	}
	// Returning calls CPU_OFF.
}

static void start_secondaries(void)
{
	int64_t ret[NCPUS] = { 0 };
	bool all = true;

	for (unsigned int cpu = 1; cpu < NCPUS; cpu++) {
		ret[cpu] = smp_start_secondary(cpu, secondary);
		all = all && ret[cpu] == PSCI_SUCCESS;
	}
	check("cpu_on", all, "CPU_ON returned %ld %ld %ld for cpus 1..3", ret[1], ret[2], ret[3]);

	unsigned int online = 0, gic_ok = 0, context_ok = 0, mpidr_ok = 0;
	for (unsigned int cpu = 1; cpu < NCPUS; cpu++) {
		if (!wait_flag(&slots[cpu].online, WAIT_MS))
			continue;
		online++;
		gic_ok += slots[cpu].gic_ok;
		context_ok += slots[cpu].context == SMP_CONTEXT(cpu);
		mpidr_ok += (slots[cpu].mpidr & 0xffffff) == cpu;
	}
	check("secondaries_online", online == NCPUS - 1, "%u of %u secondaries came up", online,
	      NCPUS - 1);
	check("secondary_gic_init", gic_ok == online, "%u of %u redistributors woke and matched",
	      gic_ok, online);
	check("cpu_on_context", context_ok == online, "%u of %u got their context id in x0",
	      context_ok, online);
	check("secondary_mpidr", mpidr_ok == online, "%u of %u have MPIDR Aff0 = their number",
	      mpidr_ok, online);
}

static void check_psci_states(void)
{
	int64_t again[NCPUS] = { 0 }, aff[NCPUS];
	bool already = true, on = true;

	for (unsigned int cpu = 0; cpu < NCPUS; cpu++) {
		if (cpu) {
			again[cpu] = smp_start_secondary(cpu, secondary);
			already = already && again[cpu] == PSCI_ALREADY_ON;
		}
		aff[cpu] = psci_affinity_info(cpu);
		on = on && aff[cpu] == PSCI_AFF_ON;
	}
	check("cpu_on_already_on", already, "second CPU_ON returned %ld %ld %ld for cpus 1..3",
	      again[1], again[2], again[3]);
	check("affinity_info_on", on, "AFFINITY_INFO returned %ld %ld %ld %ld for cpus 0..3",
	      aff[0], aff[1], aff[2], aff[3]);
	int64_t bad = psci_cpu_on(INVALID_MPIDR, 0, 0);
	check("cpu_on_invalid", bad == PSCI_INVALID_PARAMETERS,
	      "CPU_ON of MPIDR 0x%x returned %ld", INVALID_MPIDR, bad);
}

static void check_atomics(void)
{
	dmb(ish);
	go = true;
	add_many();
	unsigned int done = 1;
	for (unsigned int cpu = 1; cpu < NCPUS; cpu++)
		done += slots[cpu].online && wait_flag(&slots[cpu].adds_done, WAIT_MS);
	dmb(ish);
	check("atomic_counter", counter == (uint64_t)done * ADDS,
	      "counter %lu after %u CPUs added %u each", counter, done, ADDS);
}

static void check_ping_pong(void)
{
	/* Host time under emulation: generous, so only a lost SGI fails. */
	uint64_t limit = ms_to_ticks(WAIT_MS), start = timer_now();
	unsigned int lost = 0;

	irq_enable();
	for (unsigned int cpu = 1; cpu < NCPUS; cpu++) {
		if (!slots[cpu].online)
			continue;
		for (unsigned int round = 0; round < ROUNDS; round++) {
			unsigned int before = pongs;
			gic_send_sgi(SGI_PING, (uint16_t)(1u << cpu));
			uint64_t sent = timer_now();
			while (pongs == before && timer_now() - sent < limit)
				;
			lost += pongs == before;
		}
	}
	irq_disable();
	uint64_t elapsed = timer_now() - start;
	printf("smp: %u round trips in %lu us\n", pongs,
	       elapsed * 1000000 / timer_freq());

	bool pings_ok = true;
	for (unsigned int cpu = 1; cpu < NCPUS; cpu++)
		pings_ok = pings_ok && slots[cpu].pings == ROUNDS;
	check("sgi_ping_pong", lost == 0 && pings_ok && pongs == (NCPUS - 1) * ROUNDS,
	      "%u pongs, %u lost, pings %u %u %u", pongs, lost, slots[1].pings, slots[2].pings,
	      slots[3].pings);
}

static void check_cpu_off(void)
{
	dmb(ish);
	stop = true;
	gic_send_sgi(SGI_STOP, 0xe);

	int64_t aff[NCPUS] = { 0 };
	bool off = true;
	for (unsigned int cpu = 1; cpu < NCPUS; cpu++) {
		uint64_t start = timer_now(), limit = ms_to_ticks(WAIT_MS);
		do
			aff[cpu] = psci_affinity_info(cpu);
		while (aff[cpu] != PSCI_AFF_OFF && timer_now() - start < limit);
		off = off && aff[cpu] == PSCI_AFF_OFF;
	}
	check("affinity_info_off", off, "AFFINITY_INFO returned %ld %ld %ld for cpus 1..3",
	      aff[1], aff[2], aff[3]);
	int64_t self = psci_affinity_info(0);
	check("affinity_info_self_on", self == PSCI_AFF_ON, "AFFINITY_INFO(0) returned %ld", self);
}

void guest_main(void)
{
	mmu_enable();
	gic_init_dist();
	if (!check("gic_init", gic_init_cpu(), "redistributor of cpu 0 did not wake or match"))
		return;
	irq_set_handler(sgi_irq);
	gic_set_priority(SGI_PONG, SGI_PRIORITY);
	gic_enable(SGI_PONG);

	start_secondaries();
	check_psci_states();
	check_atomics();
	check_ping_pong();
	check_cpu_off();

	unsigned int other = cpu0_other_irqs;
	for (unsigned int cpu = 1; cpu < NCPUS; cpu++)
		other += slots[cpu].other_irqs;
	check("no_other_irqs", other == 0, "%u unexpected interrupts", other);
}
