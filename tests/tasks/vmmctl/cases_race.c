// SPDX-License-Identifier: BSD-2-Clause
// Two threads create and destroy a VM of one name at the same time, from
// two CPUs: every answer must be one the contract allows at that moment
// (create: success or EEXIST; destroy: success or ENOENT), and at the end
// no VM and no memory is left.
#include <stdatomic.h>
#include <string.h>

#include <cv/runtime.h>
#include <uapi/start.h>

#include "vmmctltest.h"

#define ROUNDS 150

struct racer {
	struct test_thread thread;
	cv_slot_t handle;
	unsigned created, destroyed, wrong;
	int first_wrong;
};

static struct racer racers[2];

static void race(void *arg)
{
	struct racer *r = arg;

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
}

void cases_race(void)
{
	uint64_t before = free_frames();
	struct racer *two = &racers[1];

	racers[0].handle = slot_new();
	two->handle = slot_new();
	two->thread.fn = race;
	two->thread.arg = two;
	if (!check("race_thread", thread_go(&two->thread, 2), "cannot make the second thread"))
		return;
	race(&racers[0]);
	while (!atomic_load(&two->thread.done))
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
	thread_end(&two->thread);
	uint64_t after = await_free(before);
	check("concurrent_memory_back", after == before, "%lu frames free before, %lu after",
	      (unsigned long)before, (unsigned long)after);
}
