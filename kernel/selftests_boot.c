// SPDX-License-Identifier: BSD-2-Clause
// Self-tests of the bring-up: memory, W^X, CPUs, interrupts, locks.
#include <arch/sysreg.h>

#include "arch/mmu.h"
#include "arch/smp.h"
#include "cpu.h"
#include "memory.h"
#include "printk.h"
#include "selftest.h"
#include "smp.h"
#include "spinlock.h"

extern const char __text_start[];
extern const char __rodata_start[];

/* A `ret` instruction in writable data: executable only if W^X is broken. */
static uint32_t data_ret_insn = 0xd65f03c0;
static const uint32_t rodata_word = 0x12345678;

static int expect_permission_fault(int faulted, unsigned expected_ec, const char *what)
{
	uint64_t esr = cpu_self()->fault_esr;
	unsigned ec = (esr >> ESR_EC_SHIFT) & 0x3f;
	unsigned fsc = esr & ESR_FSC_MASK;

	if (!faulted)
		return selftest_fail("%s did not fault", what);
	if (ec != expected_ec)
		return selftest_fail("%s faulted with class 0x%x, expected 0x%x", what, ec, expected_ec);
	if ((fsc & 0x3c) != 0x0c) /* 0b0011xx: permission fault, any level */
		return selftest_fail("%s faulted with status 0x%x, not a permission fault", what, fsc);
	return 0;
}

SELFTEST(wx_text_not_writable, "a write to .text faults with a permission fault")
{
	int faulted = arch_probe_write((volatile char *)(uintptr_t)__text_start + 64);
	return expect_permission_fault(faulted, ESR_EC_DABT_CUR, "write to .text");
}

SELFTEST(wx_rodata_not_writable, "a write to .rodata faults with a permission fault")
{
	int faulted = arch_probe_write((volatile uint32_t *)(uintptr_t)&rodata_word);
	return expect_permission_fault(faulted, ESR_EC_DABT_CUR, "write to .rodata");
}

SELFTEST(wx_data_not_executable, "a jump into .data faults with a permission fault")
{
	int faulted = arch_probe_exec(&data_ret_insn);
	return expect_permission_fault(faulted, ESR_EC_IABT_CUR, "jump into .data");
}

SELFTEST(wx_probe_sanity, "the probes report success where access is allowed")
{
	static volatile uint32_t scratch;
	if (arch_probe_write(&scratch))
		return selftest_fail("write to .bss faulted");
	if (arch_probe_write((volatile uint32_t *)(uintptr_t)&rodata_word) == 0)
		return selftest_fail("write to .rodata went through");
	return 0;
}

SELFTEST(wx_page_tables, "no kernel mapping is writable and executable")
{
	struct mmu_wx_report r;
	arch_mmu_check_wx(&r);
	if (r.leaves == 0)
		return selftest_fail("the walk found no mappings at all");
	if (r.writable_exec)
		return selftest_fail("%lu W+X mappings, first at 0x%lx", r.writable_exec,
				     (unsigned long)r.first_bad_va);
	return 0;
}

/* Allocates every free frame (chained through their first word), frees one
 * in the middle, and checks the next allocation returns exactly that one:
 * only an allocator that reuses freed frames can pass. */
SELFTEST(frame_alloc_reuse, "the frame allocator hands out freed frames again")
{
	uint64_t free_before = memory_free_frame_count();
	uint64_t head = 0, count = 0, victim = 0, victim_prev = 0, pa;

	while (memory_alloc_frames(1, 4096, &pa) == 0) {
		*(uint64_t *)arch_phys_to_virt(pa) = head;
		if (count == free_before / 2) {
			victim = pa;
			victim_prev = head;
		}
		head = pa;
		count++;
	}
	int result = 0;
	if (count != free_before)
		result = selftest_fail("allocated %lu frames, %lu were free", (unsigned long)count,
				       (unsigned long)free_before);
	else if (memory_free_frame_count() != 0)
		result = selftest_fail("free count %lu after allocating everything",
				       (unsigned long)memory_free_frame_count());
	/* Take the victim out of the chain, free it, and allocate again. */
	uint64_t *link = &head;
	while (*link && *link != victim)
		link = (uint64_t *)arch_phys_to_virt(*link);
	if (*link == victim) {
		*link = victim_prev;
		if (memory_free_frames(victim, 1))
			result = selftest_fail("freeing frame 0x%lx failed", (unsigned long)victim);
		else if (memory_alloc_frames(1, 4096, &pa) || pa != victim)
			result = selftest_fail("freed frame 0x%lx, got 0x%lx back", (unsigned long)victim,
					       (unsigned long)pa);
		else if (memory_free_frames(victim, 1) == 0 && memory_free_frames(victim, 1) == 0)
			result = selftest_fail("double free of 0x%lx accepted", (unsigned long)victim);
	} else if (!result) {
		result = selftest_fail("lost track of frame 0x%lx", (unsigned long)victim);
	}
	while (head) {
		uint64_t next = *(uint64_t *)arch_phys_to_virt(head);
		if (memory_free_frames(head, 1) && !result)
			result = selftest_fail("freeing frame 0x%lx failed", (unsigned long)head);
		head = next;
	}
	if (!result && memory_free_frame_count() != free_before)
		result = selftest_fail("free frames %lu after freeing all, %lu before",
				       (unsigned long)memory_free_frame_count(), (unsigned long)free_before);
	return result;
}

SELFTEST(cpus_online, "every CPU the device tree lists is online")
{
	if (cpu_count < 2)
		return selftest_fail("only %u CPU described; the test needs -smp 2 or more", cpu_count);
	if (smp_online_count() != cpu_count)
		return selftest_fail("%u of %u CPUs online", smp_online_count(), cpu_count);
	return 0;
}

static uint64_t ticks_at_start[CPU_MAX_COUNT];

static void wait_ms(unsigned ms)
{
	uint64_t end = arch_time_ns() + (uint64_t)ms * 1000000;
	while (arch_time_ns() < end)
		arch_cpu_relax();
}

SELFTEST(timer_ticks_every_cpu, "each CPU takes its own timer ticks")
{
	for (unsigned i = 0; i < cpu_count; i++)
		ticks_at_start[i] = READ_ONCE(cpus[i].ticks);
	wait_ms(200); /* 20 periods at 100 Hz */
	for (unsigned i = 0; i < cpu_count; i++) {
		uint64_t delta = READ_ONCE(cpus[i].ticks) - ticks_at_start[i];
		if (!cpus[i].online)
			return selftest_fail("cpu %u is offline", i);
		if (delta < 5)
			return selftest_fail("cpu %u took %lu ticks in 200 ms", i, (unsigned long)delta);
		printk("selftest timer_ticks_every_cpu: cpu %u: %lu ticks in 200 ms\n", i,
		       (unsigned long)delta);
	}
	return 0;
}

static void ping_everyone(void *arg)
{
	(void)arg;
	unsigned self = cpu_self()->index;
	for (unsigned i = 0; i < cpu_count; i++)
		if (i != self)
			arch_ipi_send(i, IPI_PING);
}

SELFTEST(ipi_all_to_all, "every CPU pings every other CPU and each ping arrives")
{
	uint64_t before[CPU_MAX_COUNT][CPU_MAX_COUNT];

	for (unsigned to = 0; to < cpu_count; to++)
		for (unsigned from = 0; from < cpu_count; from++)
			before[to][from] = smp_pings(to, from);
	if (smp_call_all(ping_everyone, NULL, 2000))
		return selftest_fail("not every CPU ran the ping work");
	uint64_t deadline = arch_time_ns() + 2000000000ull;
	for (unsigned to = 0; to < cpu_count; to++) {
		for (unsigned from = 0; from < cpu_count; from++) {
			if (to == from)
				continue;
			while (smp_pings(to, from) == before[to][from] && arch_time_ns() < deadline)
				arch_cpu_relax();
			if (smp_pings(to, from) != before[to][from] + 1)
				return selftest_fail("cpu %u got %lu pings from cpu %u, expected 1", to,
						     (unsigned long)(smp_pings(to, from) - before[to][from]), from);
		}
	}
	printk("selftest ipi_all_to_all: %u x %u pings delivered\n", cpu_count, cpu_count - 1);
	return 0;
}

/* Few rounds: under emulation each lock hand-over may wait for the host to
 * schedule the next ticket's vCPU thread. The window between read and
 * write is widened instead, so a broken lock loses updates for sure. */
#define LOCK_ROUNDS 1000
#define LOCK_WINDOW 64
static struct spinlock counter_lock = SPINLOCK_INIT;
static uint64_t locked_counter;

static void increment_under_lock(void *arg)
{
	(void)arg;
	for (int i = 0; i < LOCK_ROUNDS; i++) {
		spin_lock(&counter_lock);
		/* A read-modify-write that loses updates without the lock. */
		uint64_t v = READ_ONCE(locked_counter);
		for (int d = 0; d < LOCK_WINDOW; d++)
			arch_cpu_relax();
		WRITE_ONCE(locked_counter, v + 1);
		spin_unlock(&counter_lock);
	}
}

SELFTEST(spinlock_counter, "a counter incremented under a spinlock by all CPUs ends exact")
{
	locked_counter = 0;
	if (smp_call_all(increment_under_lock, NULL, 60000))
		return selftest_fail("not every CPU finished");
	uint64_t expected = (uint64_t)LOCK_ROUNDS * smp_online_count();
	if (locked_counter != expected)
		return selftest_fail("counter %lu, expected %lu", (unsigned long)locked_counter,
				     (unsigned long)expected);
	printk("selftest spinlock_counter: %u CPUs x %d = %lu\n", smp_online_count(), LOCK_ROUNDS,
	       (unsigned long)locked_counter);
	return 0;
}
