// SPDX-License-Identifier: BSD-2-Clause
// Handles that never reach their client: the request named no receive
// slot, or one already taken. To the service this is also what a client
// that dies before the reply looks like. Nothing may stay behind: not the
// VM of a monitor-mode create, not the close watch the service made for
// the handle, not the service's table entry.
#include <string.h>

#include "vmmctltest.h"

#define MONITOR VMMCTL_CREATE_DESTROY_ON_CLOSE

static struct vmmctl_request named(const char *name, uint32_t flags)
{
	struct vmmctl_request req = {.flags = flags, .vcpus = 1, .memory = 2 * MIB};

	req.name_len = (uint32_t)strlen(name);
	memcpy(req.name, name, req.name_len);
	return req;
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
}
