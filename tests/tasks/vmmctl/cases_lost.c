// SPDX-License-Identifier: BSD-2-Clause
// Handles that never reach their client: the request named no receive
// slot, or one already taken. To the service this is also what a client
// that dies before the reply looks like. Nothing may stay behind: not the
// VM of a monitor-mode create, not the close watch the service made for
// the handle, not the service's table entry.
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <cv/counter.h>

#include "vmmctltest.h"

#define MONITOR VMMCTL_CREATE_DESTROY_ON_CLOSE

static struct vmmctl_request named(const char *name, uint32_t flags)
{
	struct vmmctl_request req = {.flags = flags, .vcpus = 1, .memory = 2 * MIB};

	req.name_len = (uint32_t)strlen(name);
	memcpy(req.name, name, req.name_len);
	return req;
}

#define DYING_ROUNDS 24

struct dying {
	cv_slot_t handle;
	_Atomic unsigned calls;
};

/* A client that creates monitor-mode VMs until it is killed. */
static void create_forever(void *arg)
{
	struct dying *d = arg;

	for (;;) {
		(void)cv_cap_delete(d->handle);
		atomic_fetch_add(&d->calls, 1);
		(void)vmctl_create(s.user, "dying", MONITOR, 1, 2 * MIB, d->handle);
	}
}

/* Clients killed at every point of their requests: before the service
 * takes the call, while it serves it, after the reply. Whatever the
 * moment, the VM of a handle that got nowhere must go. */
static void dying_clients(void)
{
	uint64_t before = free_frames();
	unsigned killed = 0, ok = 0, calls = 0;

	for (unsigned round = 0; round < DYING_ROUNDS; round++) {
		struct dying d = {.handle = slot_new()};
		struct test_thread t = {.fn = create_forever, .arg = &d};
		if (!thread_go(&t, 1 + round % 3))
			break;
		/* A different moment each round: up to ~5 ms in. */
		uint64_t until = cv_counter() + (round * 200 + 50) * cv_counter_frequency() / 1000000;
		while (cv_counter() < until)
			;
		thread_end(&t);
		killed++;
		calls += atomic_load(&d.calls);
		/* A handle that did arrive is ours to close. */
		(void)cv_cap_delete(d.handle);
		if (await_gone(s.user, "dying", 500) == VMMCTL_ENOENT)
			ok++;
	}
	printf("vmmctltest: %u clients killed after %u CREATE calls between them\n", killed, calls);
	check("dying_clients_leave_no_vm", killed == DYING_ROUNDS && ok == killed, "%u of %u rounds left no VM",
	      ok, killed);
	struct vmmctl_vm_info info;
	expect_err("dying_clients_service_answers", vmctl_info(s.user, "dying", &info), VMMCTL_ENOENT);
	uint64_t after = await_free(before);
	check("dying_clients_memory_back", after == before, "%lu frames free before, %lu after",
	      (unsigned long)before, (unsigned long)after);
}

void cases_lost(void)
{
	uint64_t before = free_frames();
	struct vmmctl_request req = named("lost", MONITOR);
	struct vmmctl_vm_info info;

	/* No receive slot: the service answers yes, but the handle has
	 * nowhere to go, so the monitor-mode VM has no holder at all. */
	expect_err("lost_handle_create_answers", vmctl_request(s.user, VMMCTL_OP_CREATE, &req, 0, NULL, 0, NULL),
		   VMMCTL_OK);
	expect_err("lost_handle_monitor_vm_destroyed", await_gone(s.user, "lost", 500), VMMCTL_ENOENT);

	/* A receive slot already taken: libvmctl sees no handle come. */
	cv_slot_t busy = slot_new();
	struct cv_cap_info ci = {0};
	(void)cv_cap_copy(s.user, busy, CV_RIGHTS_ALL);
	expect_err("taken_slot_create", vmctl_request(s.user, VMMCTL_OP_CREATE, &req, busy, NULL, 0, NULL),
		   VMMCTL_EIO);
	expect_err("taken_slot_monitor_vm_destroyed", await_gone(s.user, "lost", 500), VMMCTL_ENOENT);
	check("taken_slot_kept", cv_cap_info(busy, &ci) == CV_OK && ci.type == CV_OBJ_ENDPOINT,
	      "what the slot held was replaced (type %d)", ci.type);
	(void)cv_cap_delete(busy);

	/* A persistent VM stays, and can be opened, closed and destroyed
	 * as usual after its first handle was lost. */
	req = named("kept", 0);
	expect_err("lost_handle_persistent_create", vmctl_request(s.root, VMMCTL_OP_CREATE, &req, 0, NULL, 0, NULL),
		   VMMCTL_OK);
	expect_err("lost_handle_persistent_stays", vmctl_info(s.root, "kept", &info), VMMCTL_OK);
	cv_slot_t h = slot_new();
	expect_err("lost_handle_then_open", vmctl_open(s.root, "kept", h), VMMCTL_OK);
	expect_err("lost_handle_opened_works", vmctl_vm_info(h, &info), VMMCTL_OK);
	(void)cv_cap_delete(h);
	/* And an OPEN whose handle is lost again, with no other copy out. */
	expect_err("lost_open_answers", vmctl_request(s.root, VMMCTL_OP_OPEN, &req, 0, NULL, 0, NULL), VMMCTL_OK);
	expect_err("lost_handle_destroy", vmctl_destroy(s.root, "kept"), VMMCTL_OK);
	expect_err("lost_handle_name_free", vmctl_info(s.root, "kept", &info), VMMCTL_ENOENT);

	/* The close watches went with them: a frame each. */
	uint64_t after = await_free(before);
	check("lost_handle_memory_back", after == before, "%lu frames free before, %lu after", (unsigned long)before,
	      (unsigned long)after);
	dying_clients();
}
