/* SPDX-License-Identifier: BSD-2-Clause */
/* Multiprocessor bring-up, interrupts and inter-processor signals. */
#ifndef KERNEL_ARCH_SMP_H
#define KERNEL_ARCH_SMP_H

#include <stdbool.h>
#include <stdint.h>

struct boot_info;

/* Inter-processor interrupts the core kernel sends. */
enum ipi {
	IPI_WORK = 0,  /* run the work posted for this CPU (smp_call) */
	IPI_STOP = 1,  /* stop: another CPU panicked */
	IPI_PING = 2,  /* self-tests: count the ping, by sender */
	IPI_RESCHED = 3, /* a thread became ready here: reconsider what runs */
};

/* Discovers the CPUs, the interrupt controller and the timer; fills
 * cpus[].hwid and cpu_count. */
int arch_platform_init(const struct boot_info *bi) __attribute__((warn_unused_result));
/* This CPU's interrupt controller interface and tick. */
int arch_cpu_init(void) __attribute__((warn_unused_result));
/* Starts CPU index (it will call kernel_main_secondary(index)). */
int arch_cpu_start(unsigned index) __attribute__((warn_unused_result));
void arch_ipi_send(unsigned cpu_index, enum ipi ipi);

/* Monotonic time since boot and the counter behind it. */
uint64_t arch_time_ns(void);
uint64_t arch_counter_read(void);
uint64_t arch_counter_frequency(void);

/* This CPU's timer interrupts no later than counter value `when` (and
 * still at its next periodic tick): for deadlines between ticks. Called
 * with interrupts masked. */
void arch_timer_wake_at(uint64_t when);

/* Called by the architecture from interrupt context: the timer fired,
 * for the periodic tick (tick) or for a deadline of arch_timer_wake_at. */
void smp_handle_ipi(enum ipi ipi, unsigned from_cpu);
void timer_interrupt(bool tick);

#endif
