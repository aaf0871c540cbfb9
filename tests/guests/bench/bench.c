// SPDX-License-Identifier: BSD-2-Clause
// Benchmarks measured inside the guest with its virtual counter (under
// QEMU's -icount shift=0 one instruction is one nanosecond, so counter
// ticks convert to instructions through CNTFRQ). Prints
// "bench NAME N insns" per operation, averaged over many round trips:
//   hvc_null_roundtrip       CV_HVC_NULL and back
//   mmio_read_vmm_roundtrip  a read of the UART's flag register, which the
//                            monitor answers
//   vsgi_roundtrip           SGI 1 to vCPU 1, whose handler answers with
//                            SGI 2 to vCPU 0
#include <uapi/hypercall.h>

#include "gic.h"
#include "guest.h"
#include "mmio.h"
#include "mmu.h"
#include "psci.h"
#include "timer.h"

#define HVC_ROUNDS 65536
#define MMIO_ROUNDS 4096
#define SGI_ROUNDS 2048
#define UART_FR 0x09000018ul
#define SGI_PING 1
#define SGI_PONG 2
#define SGI_PRIORITY 0x80

static volatile unsigned int pongs;
static volatile bool secondary_ready;

static void report(const char *name, uint64_t ticks, unsigned int rounds)
{
	/* ns per tick = 1e9 / CNTFRQ; one instruction per ns under icount. */
	uint64_t insns = ticks * (1000000000ull / timer_freq()) / rounds;

	printf("bench %s %lu insns\n", name, insns);
}

static void bench_hvc(void)
{
	uint64_t start = timer_now();

	for (unsigned int i = 0; i < HVC_ROUNDS; i++)
		(void)hvc_call(CV_HVC_NULL, i, 0, 0);
	report("hvc_null_roundtrip", timer_now() - start, HVC_ROUNDS);
}

static void bench_mmio(void)
{
	uint64_t start = timer_now();

	for (unsigned int i = 0; i < MMIO_ROUNDS; i++)
		(void)mmio_read32(UART_FR);
	report("mmio_read_vmm_roundtrip", timer_now() - start, MMIO_ROUNDS);
}

static void sgi_irq(uint32_t intid)
{
	if (cpu_id() == 1 && intid == SGI_PING)
		gic_send_sgi(SGI_PONG, 1u << 0);
	else if (cpu_id() == 0 && intid == SGI_PONG)
		pongs++;
}

static void secondary(unsigned int cpu, uint64_t context)
{
	(void)cpu;
	(void)context;
	mmu_enable();
	if (gic_init_cpu()) {
		gic_set_priority(SGI_PING, SGI_PRIORITY);
		gic_enable(SGI_PING);
	}
	secondary_ready = true;
	for (;;) {
		wfi();
		irq_enable();
		irq_disable();
	}
}

static void bench_sgi(void)
{
	gic_init_dist();
	if (!gic_init_cpu() || smp_start_secondary(1, secondary) != 0) {
		printf("bench: vsgi_roundtrip needs a second vCPU\n");
		return;
	}
	gic_set_priority(SGI_PONG, SGI_PRIORITY);
	gic_enable(SGI_PONG);
	while (!secondary_ready)
		;
	uint64_t start = timer_now();
	for (unsigned int i = 0; i < SGI_ROUNDS; i++) {
		unsigned int want = pongs + 1;
		gic_send_sgi(SGI_PING, 1u << 1);
		while (pongs != want) {
			irq_enable();
			irq_disable();
		}
	}
	report("vsgi_roundtrip", timer_now() - start, SGI_ROUNDS);
}

void guest_main(void)
{
	if (!under_capvisor()) {
		printf("bench: not under capvisor\n");
		finish();
	}
	mmu_enable();
	irq_set_handler(sgi_irq);
	bench_hvc();
	bench_mmio();
	bench_sgi();
	finish();
}
