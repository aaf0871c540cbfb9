// SPDX-License-Identifier: BSD-2-Clause
// Two threads create and destroy a VM of one name at the same time, from
// two CPUs: every answer must be one the contract allows at that moment
// (create: success or EEXIST; destroy: success or ENOENT), and at the end
// no VM and no memory is left.
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <cv/runtime.h>
#include <uapi/start.h>

#include "vmmctltest.h"

#define ROUNDS 150

struct racer {
	cv_slot_t thread, handle;
	unsigned created, destroyed, wrong;
	int first_wrong;
	atomic_int done;
};

static struct racer racers[2];
static uint64_t racer_stack[2][2048] __attribute__((aligned(16)));
static uint64_t racer_buffer[CV_IPC_BUFFER_WORDS] __attribute__((aligned(4096)));

static void race(struct racer *r)
{
	for (unsigned i = 0; i < ROUNDS; i++) {
		(void)cv_cap_delete(r->handle);
		int err = vmctl_create(s.user, "race", VMMCTL_CREATE_DESTROY_ON_CLOSE, 1, 2 * MIB, r->handle);
		if (err == VMMCTL_OK)
			r->created++;
		else if (err != VMMCTL_EEXIST && !r->wrong++)
			r->first_wrong = err;
		err = vmctl_destroy(s.user, "race");
		if (err == VMMCTL_OK)
			r->destroyed++;
		else if (err != VMMCTL_ENOENT && !r->wrong++)
			r->first_wrong = err;
	}
	(void)cv_cap_delete(r->handle);
	atomic_store(&r->done, 1);
}

static _Noreturn void second_thread(void *arg)
{
	struct racer *r = arg;

	if (vmctl_thread_init(r->thread, racer_buffer) == VMMCTL_OK)
		race(r);
	atomic_store(&r->done, 1);
	cv_thread_exit();
}

void cases_race(void)
{
	uint64_t before = free_frames();
	void *tls = aligned_alloc(cv_tls_area_align(),
				  (cv_tls_area_size() + cv_tls_area_align() - 1) & ~(cv_tls_area_align() - 1));
	struct racer *two = &racers[1];

	racers[0].handle = slot_new();
	two->handle = slot_new();
	two->thread = slot_new();
	if (!check("race_thread", tls && cv_thread_create(CV_SLOT_SELF_TASK, CV_SLOT_SELF_QUOTA, two->thread,
							   (uint64_t)(uintptr_t)second_thread,
							   (uint64_t)(uintptr_t)(racer_stack[1] + 2048),
							   (uint64_t)(uintptr_t)two, 20, 2) == CV_OK,
		   "cannot make the second thread"))
		return;
	/* The new thread's TPIDR_EL0 must point at its own TLS area. */
	struct cv_regs regs;
	if (cv_thread_read_regs(two->thread, &regs) == CV_OK) {
		regs.tpidr = (uint64_t)(uintptr_t)cv_tls_init(tls);
		(void)cv_thread_write_regs(two->thread, &regs);
	}
	(void)cv_thread_start(two->thread);
	race(&racers[0]);
	while (!atomic_load(&two->done))
		(void)cv_yield();
	unsigned created = racers[0].created + two->created, destroyed = racers[0].destroyed + two->destroyed;
	check("concurrent_create_destroy_answers", racers[0].wrong + two->wrong == 0,
	      "%u unexpected answers, first %d (%s)", racers[0].wrong + two->wrong,
	      racers[0].wrong ? racers[0].first_wrong : two->first_wrong,
	      vmctl_strerror(racers[0].wrong ? racers[0].first_wrong : two->first_wrong));
	check("concurrent_create_destroy_balanced", created == destroyed && created > 0,
	      "%u created, %u destroyed", created, destroyed);
	struct vmmctl_vm_info info;
	expect_err("concurrent_none_left", vmctl_info(s.user, "race", &info), VMMCTL_ENOENT);
	(void)cv_cap_delete(two->thread);
	free(tls);
	uint64_t after = await_free(before);
	check("concurrent_memory_back", after == before, "%lu frames free before, %lu after",
	      (unsigned long)before, (unsigned long)after);
}
