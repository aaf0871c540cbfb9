// SPDX-License-Identifier: BSD-2-Clause
// Bringing up the other CPUs, and the small cross-CPU work mechanism the
// self-tests (and later the scheduler) use.
#include "smp.h"

#include "arch/context.h"
#include "arch/smp.h"
#include "endpoint.h"
#include "klock.h"
#include "sched.h"
#include "vcpu.h"
#include "main.h"
#include "panic.h"
#include "printk.h"

#define CPU_START_TIMEOUT_MS 2000

struct cpu cpus[CPU_MAX_COUNT];
struct spinlock kernel_lock = SPINLOCK_INIT;
unsigned cpu_count = 1;

struct work {
	void (*fn)(void *arg);
	void *arg;
	uint64_t generation; /* posted */
	uint64_t done;       /* finished */
};
static struct work work_of_cpu[CPU_MAX_COUNT];
static uint64_t ping_matrix[CPU_MAX_COUNT][CPU_MAX_COUNT];

unsigned smp_online_count(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < cpu_count; i++)
		n += READ_ONCE(cpus[i].online);
	return n;
}

static bool wait_until(volatile bool *flag, unsigned timeout_ms)
{
	uint64_t deadline = arch_time_ns() + (uint64_t)timeout_ms * 1000000;

	while (!*flag) {
		if (arch_time_ns() > deadline)
			return false;
		arch_cpu_relax();
	}
	return true;
}

void smp_boot(void)
{
	for (unsigned i = 1; i < cpu_count; i++) {
		int err = arch_cpu_start(i);
		if (err) {
			printk("smp: cpu %u (hwid 0x%lx) did not start: error %d\n", i,
			       (unsigned long)cpus[i].hwid, err);
			continue;
		}
		if (!wait_until(&cpus[i].online, CPU_START_TIMEOUT_MS))
			printk("smp: cpu %u did not come online within %u ms\n", i, CPU_START_TIMEOUT_MS);
	}
}

static void run_posted_work(void)
{
	struct work *w = &work_of_cpu[cpu_self()->index];
	uint64_t gen = __atomic_load_n(&w->generation, __ATOMIC_ACQUIRE);

	if (gen != w->done) {
		w->fn(w->arg);
		__atomic_store_n(&w->done, gen, __ATOMIC_RELEASE);
	}
}

void smp_idle(void)
{
	struct cpu *cpu = cpu_self();

	for (;;) {
		arch_irq_disable();
		/* Idle CPUs wake at every tick: only those with something to
		 * do take the kernel lock (whoever makes work for this CPU
		 * sends it an interrupt, which ends the WFI below). */
		if (sched_work_hint()) {
			klock();
			if (sched_has_work()) {
				cpu->holds_kernel_lock = true;
				struct arch_context *next = sched_next_context();
				cpu->holds_kernel_lock = false;
				kunlock();
				arch_user_resume(next, cpu->stack_top);
			}
			kunlock();
		}
		struct work *w = &work_of_cpu[cpu->index];
		if (__atomic_load_n(&w->generation, __ATOMIC_ACQUIRE) == w->done)
			arch_wait_for_interrupt(); /* an interrupt still wakes a masked WFI */
		arch_irq_enable();
		run_posted_work();
	}
}

void smp_idle_from_kernel(void)
{
	arch_call_on_stack(cpu_self()->stack_top, smp_idle);
}

int smp_call_all(void (*fn)(void *arg), void *arg, unsigned timeout_ms)
{
	unsigned self = cpu_self()->index;
	uint64_t gens[CPU_MAX_COUNT] = {0};

	for (unsigned i = 0; i < cpu_count; i++) {
		if (i == self || !cpus[i].online)
			continue;
		struct work *w = &work_of_cpu[i];
		if (w->generation != __atomic_load_n(&w->done, __ATOMIC_ACQUIRE))
			return -1; /* still busy with earlier work */
		w->fn = fn;
		w->arg = arg;
		gens[i] = w->generation + 1;
		__atomic_store_n(&w->generation, gens[i], __ATOMIC_RELEASE);
		arch_ipi_send(i, IPI_WORK);
	}
	fn(arg);
	uint64_t deadline = arch_time_ns() + (uint64_t)timeout_ms * 1000000;
	for (unsigned i = 0; i < cpu_count; i++) {
		if (!gens[i])
			continue;
		while (__atomic_load_n(&work_of_cpu[i].done, __ATOMIC_ACQUIRE) != gens[i]) {
			if (arch_time_ns() > deadline)
				return -1;
			arch_cpu_relax();
		}
	}
	return 0;
}

uint64_t smp_pings(unsigned to, unsigned from)
{
	return __atomic_load_n(&ping_matrix[to][from], __ATOMIC_ACQUIRE);
}

void smp_handle_ipi(enum ipi ipi, unsigned from_cpu)
{
	struct cpu *self = cpu_self();

	self->ipis_received++;
	switch (ipi) {
	case IPI_WORK:
		/* The idle loop runs it once this handler returns. */
		break;
	case IPI_STOP:
		arch_halt();
	case IPI_RESCHED:
		/* The sender set need_resched; the way out of this interrupt
		 * reconsiders what runs. */
		break;
	case IPI_PING:
		if (from_cpu < CPU_MAX_COUNT)
			__atomic_fetch_add(&ping_matrix[self->index][from_cpu], 1, __ATOMIC_RELEASE);
		break;
	}
}

void timer_interrupt(bool tick)
{
	struct cpu *cpu = cpu_self();

	if (tick) {
		cpu->ticks++;
		/* Only from user mode, under the kernel lock, is there a
		 * current thread to account. */
		if (cpu->current)
			sched_tick();
	}
	/* IPC timeouts, on whichever CPU's timer says one is due (the CPU a
	 * thread blocked on set its timer for its deadline); the kernel lock
	 * is taken only then. */
	if (endpoint_timeouts_due()) {
		bool lock = !cpu->holds_kernel_lock;
		if (lock)
			klock();
		endpoint_expire_timeouts();
		if (lock)
			kunlock();
	}
	/* Virtual timers of vCPUs whose state is not in this CPU's timer. */
	if (vcpu_tick_wanted()) {
		bool lock = !cpu->holds_kernel_lock;
		if (lock)
			klock();
		vcpu_tick();
		if (lock)
			kunlock();
	}
}

void kernel_main_secondary(unsigned cpu_index)
{
	if (arch_cpu_init())
		panic("cpu %u: interrupt controller or timer set-up failed", cpu_index);
	printk("cpu %u online (hwid 0x%lx)\n", cpu_index, (unsigned long)cpus[cpu_index].hwid);
	__atomic_store_n(&cpus[cpu_index].online, true, __ATOMIC_RELEASE);
	smp_idle();
}
