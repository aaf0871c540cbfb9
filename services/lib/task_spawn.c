// SPDX-License-Identifier: BSD-2-Clause
// Starting a task with a start page (include/uapi/start.h): the root task,
// the shell and launchers all start their tasks through these.
#include <string.h>

#include <cv/syscall.h>
#include <cv/task.h>
#include <uapi/start.h>

void cv_task_discard(cv_slot_t quota_slot, cv_slot_t task_slot, cv_slot_t thread_slot)
{
	/* The task may hold a capability to itself (slot 1): revoke takes
	 * that copy too, so the delete really ends it. */
	(void)cv_cap_delete(thread_slot);
	(void)cv_cap_revoke_all(task_slot);
	(void)cv_cap_delete(task_slot);
	(void)cv_cap_revoke_all(quota_slot);
	(void)cv_cap_delete(quota_slot);
}

enum cv_status cv_task_prepare(const struct cv_task_new *n, struct cv_start_info *si)
{
	enum cv_status st = cv_quota_split(n->quota, n->quota_slot, n->frames);

	if (st != CV_OK)
		return st;
	struct cv_task_spec spec = {
		.image = n->image,
		.size = n->size,
		.quota = n->quota_slot,
		.task_slot = n->task_slot,
		.thread_slot = n->thread_slot,
		.max_priority = n->max_priority ? n->max_priority : n->priority,
		.cap_slots = n->cap_slots,
		.priority = n->priority,
		.cpu = n->cpu,
		.arg = CV_START_INFO_VA,
	};
	st = cv_task_load(&spec);
	/* Its own capabilities, at the slots every started task expects;
	 * derived from ours, so that revoking ours takes them too. */
	if (st == CV_OK)
		st = cv_task_cap_copy(n->task_slot, n->task_slot, CV_SLOT_SELF_TASK, CV_RIGHTS_ALL);
	if (st == CV_OK)
		st = cv_task_cap_copy(n->task_slot, n->thread_slot, CV_SLOT_SELF_THREAD, CV_RIGHTS_ALL);
	if (st == CV_OK)
		st = cv_task_cap_copy(n->task_slot, n->quota_slot, CV_SLOT_SELF_QUOTA, CV_RIGHTS_ALL);
	if (st == CV_OK)
		st = cv_task_map_new(n->task_slot, CV_START_INFO_VA, 1, CV_MAP_READ);
	if (st != CV_OK) {
		cv_task_discard(n->quota_slot, n->task_slot, n->thread_slot);
		return st;
	}
	memset(si, 0, sizeof(*si));
	si->magic = CV_START_INFO_MAGIC;
	si->version = CV_START_INFO_VERSION;
	si->cpu_count = n->cpu_count;
	si->memory = n->memory;
	strncpy(si->name, n->name ? n->name : "", sizeof(si->name) - 1);
	strncpy(si->args, n->args ? n->args : "", sizeof(si->args) - 1);
	return CV_OK;
}

enum cv_status cv_task_give_cap(cv_slot_t task, struct cv_start_info *si, const struct cv_task_give *g,
				cv_slot_t to)
{
	if (si->cap_count >= CV_START_CAPS_MAX)
		return CV_E_NO_MEMORY;
	enum cv_status st = cv_task_cap_copy(task, g->from, to, g->rights);
	if (st != CV_OK)
		return st;
	struct cv_start_cap *c = &si->caps[si->cap_count++];
	memset(c, 0, sizeof(*c));
	strncpy(c->name, g->name, sizeof(c->name) - 1);
	c->slot = to;
	c->type = g->type;
	c->base = g->base;
	c->size = g->size;
	return CV_OK;
}

enum cv_status cv_task_launch(cv_slot_t task, cv_slot_t thread, const struct cv_start_info *si,
			      cv_slot_t fault_handler)
{
	enum cv_status st = cv_task_copy_in(task, CV_START_INFO_VA, si, sizeof(*si));

	if (st == CV_OK && fault_handler)
		st = cv_thread_set_fault_handler(thread, fault_handler);
	if (st == CV_OK)
		st = cv_thread_start(thread);
	return st;
}

enum cv_status cv_task_spawn(const struct cv_task_spawn *sp)
{
	static struct cv_start_info si; /* a page: not on the stack */
	const struct cv_task_new *n = &sp->task;

	if (sp->give_count > CV_START_CAPS_MAX)
		return CV_E_BAD_ARG;
	enum cv_status st = cv_task_prepare(n, &si);
	if (st != CV_OK)
		return st;
	for (unsigned i = 0; st == CV_OK && i < sp->give_count; i++)
		st = cv_task_give_cap(n->task_slot, &si, &sp->gives[i], CV_TASK_FIRST_GIVEN + i);
	if (st == CV_OK)
		st = cv_task_launch(n->task_slot, n->thread_slot, &si, sp->fault_handler);
	if (st != CV_OK)
		cv_task_discard(n->quota_slot, n->task_slot, n->thread_slot);
	return st;
}
