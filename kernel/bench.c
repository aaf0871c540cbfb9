// SPDX-License-Identifier: BSD-2-Clause
#include "bench.h"

#include "arch/mmu.h"
#include "arch/smp.h"
#include "cmdline.h"
#include "cpu.h"
#include "memory.h"
#include "printk.h"
#include "smp.h"

#define BENCH_ROUNDS 1000

/* Counter ticks to nanoseconds: instructions under -icount shift=0. */
static uint64_t ticks_to_ns(uint64_t ticks)
{
	uint64_t freq = arch_counter_frequency();
	return ticks / freq * 1000000000ull + ticks % freq * 1000000000ull / freq;
}

static void report(const char *name, uint64_t ticks, uint64_t rounds)
{
	printk("bench %s %lu insns\n", name, (unsigned long)(ticks_to_ns(ticks) / rounds));
}

static void bench_frame_alloc(void)
{
	uint64_t pa, start = arch_counter_read();

	for (int i = 0; i < BENCH_ROUNDS; i++) {
		if (memory_alloc_frames(1, 4096, &pa) || memory_free_frames(pa, 1)) {
			printk("bench frame_alloc_free_pair: allocation failed\n");
			return;
		}
	}
	report("frame_alloc_free_pair", arch_counter_read() - start, BENCH_ROUNDS);
}

static const uint32_t read_only_word = 1;

static void bench_el2_fault(void)
{
	uint64_t start = arch_counter_read();

	for (int i = 0; i < BENCH_ROUNDS; i++)
		if (!arch_probe_write((volatile uint32_t *)(uintptr_t)&read_only_word)) {
			printk("bench el2_fault_round_trip: the write did not fault\n");
			return;
		}
	report("el2_fault_round_trip", arch_counter_read() - start, BENCH_ROUNDS);
}

static void bench_ipi(void)
{
	if (smp_online_count() < 2) {
		printk("bench ipi_delivery: needs 2 CPUs\n");
		return;
	}
	uint64_t start = arch_counter_read();
	for (int i = 0; i < BENCH_ROUNDS; i++) {
		uint64_t before = smp_pings(1, 0);
		arch_ipi_send(1, IPI_PING);
		while (smp_pings(1, 0) == before)
			arch_cpu_relax();
	}
	/* Under icount every CPU runs in one thread: this counts the
	 * instructions of all of them, the sender's spinning included. */
	report("ipi_delivery_all_cpus", arch_counter_read() - start, BENCH_ROUNDS);
}

void bench_run(const char *cmdline)
{
	if (!cmdline_has(cmdline, "bench"))
		return;
	bench_frame_alloc();
	bench_el2_fault();
	bench_ipi();
	printk("bench: done\n");
}
