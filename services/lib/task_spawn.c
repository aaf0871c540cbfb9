// SPDX-License-Identifier: BSD-2-Clause
// Starting a task with a start page (include/uapi/start.h), for launchers.
#include <string.h>

#include <cv/syscall.h>
#include <cv/task.h>
#include <uapi/start.h>

#define FIRST_GIVEN_SLOT 16

static enum cv_status fill(const struct cv_task_spawn *sp, struct cv_start_info *si)
{
	enum cv_status st = CV_OK;

	memset(si, 0, sizeof(*si));
	si->magic = CV_START_INFO_MAGIC;
	si->version = CV_START_INFO_VERSION;
	si->cpu_count = sp->cpu_count;
	strncpy(si->name, sp->name ? sp->name : "", sizeof(si->name) - 1);
	strncpy(si->args, sp->args ? sp->args : "", sizeof(si->args) - 1);
	if (sp->give_count > CV_START_CAPS_MAX)
		return CV_E_BAD_ARG;
	st = cv_task_cap_copy(sp->task_slot, sp->task_slot, CV_SLOT_SELF_TASK, CV_RIGHTS_ALL);
	if (st == CV_OK)
		st = cv_task_cap_copy(sp->task_slot, sp->thread_slot, CV_SLOT_SELF_THREAD, CV_RIGHTS_ALL);
	if (st == CV_OK)
		st = cv_task_cap_copy(sp->task_slot, sp->quota_slot, CV_SLOT_SELF_QUOTA, CV_RIGHTS_ALL);
	for (unsigned i = 0; st == CV_OK && i < sp->give_count; i++) {
		const struct cv_task_give *g = &sp->gives[i];
		struct cv_start_cap *c = &si->caps[si->cap_count++];
		st = cv_task_cap_copy(sp->task_slot, g->from, FIRST_GIVEN_SLOT + i, g->rights);
		strncpy(c->name, g->name, sizeof(c->name) - 1);
		c->slot = FIRST_GIVEN_SLOT + i;
		c->type = g->type;
		c->size = g->size;
	}
	if (st == CV_OK)
		st = cv_task_map_new(sp->task_slot, CV_START_INFO_VA, 1, CV_MAP_READ);
	if (st == CV_OK)
		st = cv_task_copy_in(sp->task_slot, CV_START_INFO_VA, si, sizeof(*si));
	return st;
}

enum cv_status cv_task_spawn(const struct cv_task_spawn *sp)
{
	static struct cv_start_info si; /* a page: not on the stack */
	enum cv_status st = cv_quota_split(sp->quota, sp->quota_slot, sp->frames);

	if (st != CV_OK)
		return st;
	struct cv_task_spec spec = {
		.image = sp->image,
		.size = sp->size,
		.quota = sp->quota_slot,
		.task_slot = sp->task_slot,
		.thread_slot = sp->thread_slot,
		.max_priority = sp->priority,
		.cap_slots = sp->cap_slots,
		.priority = sp->priority,
		.cpu = sp->cpu,
		.arg = CV_START_INFO_VA,
	};
	st = cv_task_load(&spec);
	if (st == CV_OK)
		st = fill(sp, &si);
	if (st == CV_OK)
		st = cv_thread_start(sp->thread_slot);
	if (st != CV_OK) {
		/* The task may hold a capability to itself (slot 1): revoke
		 * takes that copy too, so the delete really ends it. */
		(void)cv_cap_delete(sp->thread_slot);
		(void)cv_cap_revoke_all(sp->task_slot);
		(void)cv_cap_delete(sp->task_slot);
		(void)cv_cap_revoke_all(sp->quota_slot);
		(void)cv_cap_delete(sp->quota_slot);
	}
	return st;
}
