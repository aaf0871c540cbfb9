// SPDX-License-Identifier: BSD-2-Clause
// Extra threads of the root task: each gets fresh stack pages of its own
// (never reused: a stopped thread's CPU may still be leaving it) and a TLS
// area initialised from the program's template, installed by entry.S.
#include <stdlib.h>

#include <cv/runtime.h>
#include <uapi/root.h>

#include "ktest.h"

struct ktest_start {
	void (*fn)(void *); /* offsets used by entry.S */
	void *arg;
	void *tp;
};

_Static_assert(offsetof(struct ktest_start, tp) == 16, "entry.S reads tp at 16");

#define STACK_AREA 0x0000003000000000ull /* below the first thread's stack */
#define STACK_PAGES 8
#define STACK_STRIDE (2 * STACK_PAGES * 4096ull) /* unmapped guard between stacks */

static unsigned stacks_made;

uint64_t stack_new(void)
{
	uint64_t base = STACK_AREA + stacks_made++ * STACK_STRIDE;

	if (!EXPECT_ST(cv_task_map_new(CV_ROOT_SLOT_TASK, base, STACK_PAGES, CV_MAP_READ | CV_MAP_WRITE),
		       CV_OK))
		return 0;
	return base + STACK_PAGES * 4096ull;
}

_Noreturn void ktest_thread_body(struct ktest_start *s)
{
	s->fn(s->arg);
	cv_console_flush();
	cv_thread_exit();
}

cv_slot_t thread_make(void (*fn)(void *), void *arg, unsigned prio, unsigned cpu)
{
	struct ktest_start *s = malloc(sizeof(*s));
	void *area = aligned_alloc(cv_tls_area_align(), (cv_tls_area_size() + cv_tls_area_align() - 1) &
								 ~(cv_tls_area_align() - 1));
	uint64_t sp = stack_new();

	if (!CHECK(s && area, "out of heap") || !sp)
		return 0;
	s->fn = fn;
	s->arg = arg;
	s->tp = cv_tls_init(area);
	cv_slot_t slot = slot_new();
	if (!EXPECT_ST(cv_thread_create(CV_ROOT_SLOT_TASK, CV_ROOT_SLOT_QUOTA, slot,
					(uint64_t)(uintptr_t)ktest_thread_entry, sp, (uint64_t)(uintptr_t)s,
					prio, cpu),
		       CV_OK))
		return 0;
	return slot;
}

cv_slot_t thread_spawn(void (*fn)(void *), void *arg, unsigned prio, unsigned cpu)
{
	cv_slot_t slot = thread_make(fn, arg, prio, cpu);

	if (slot && !EXPECT_ST(cv_thread_start(slot), CV_OK))
		return 0;
	return slot;
}
