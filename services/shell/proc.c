// SPDX-License-Identifier: BSD-2-Clause
// Starting and killing the shell's tasks: as the root task starts its own
// (docs/config.md, "What a started task gets"), from a boot module mapped
// into the shell.
#include <string.h>

#include <cv/task.h>

#include "shell.h"

#define CHILD_PRIORITY 10
#define CHILD_SLOTS 128

enum cv_status proc_start(struct proc *p, const struct image *img, uint64_t frames, unsigned cpu,
			  const char *name, const char *args, const struct give *gives, unsigned ngives,
			  cv_badge_t badge, cv_slot_t fault)
{
	static struct cv_start_info si; /* one page: not on the stack */
	enum cv_status st;

	memset(p, 0, sizeof(*p));
	p->quota = slot_get();
	p->task = slot_get();
	p->thread = slot_get();
	p->badge = badge;
	if (!p->quota || !p->task || !p->thread) {
		st = CV_E_NO_MEMORY;
		goto fail;
	}
	st = cv_quota_split(CV_SLOT_SELF_QUOTA, p->quota, frames);
	if (st == CV_OK) {
		struct cv_task_spec spec = {
			.image = img->bytes,
			.size = img->size,
			.quota = p->quota,
			.task_slot = p->task,
			.thread_slot = p->thread,
			.max_priority = CHILD_PRIORITY,
			.cap_slots = CHILD_SLOTS,
			.priority = CHILD_PRIORITY,
			.cpu = cpu,
			.arg = CV_START_INFO_VA,
		};
		st = cv_task_load(&spec);
	}
	/* Its own capabilities: derived from ours, so a revoke of ours
	 * takes the self-capability too (proc_kill). */
	if (st == CV_OK)
		st = cv_task_cap_copy(p->task, p->task, CV_SLOT_SELF_TASK, CV_RIGHTS_ALL);
	if (st == CV_OK)
		st = cv_task_cap_copy(p->task, p->thread, CV_SLOT_SELF_THREAD, CV_RIGHTS_ALL);
	if (st == CV_OK)
		st = cv_task_cap_copy(p->task, p->quota, CV_SLOT_SELF_QUOTA, CV_RIGHTS_ALL);
	if (st == CV_OK)
		st = cv_task_map_new(p->task, CV_START_INFO_VA, 1, CV_MAP_READ);
	memset(&si, 0, sizeof(si));
	si.magic = CV_START_INFO_MAGIC;
	si.version = CV_START_INFO_VERSION;
	strncpy(si.name, name, sizeof(si.name) - 1);
	strncpy(si.args, args, sizeof(si.args) - 1);
	for (unsigned i = 0; st == CV_OK && i < ngives && si.cap_count < CV_START_CAPS_MAX; i++) {
		const struct give *g = &gives[i];
		st = cv_task_cap_copy(p->task, g->from, g->to, g->rights);
		struct cv_start_cap *c = &si.caps[si.cap_count++];
		strncpy(c->name, g->name, sizeof(c->name) - 1);
		c->slot = g->to;
		c->type = g->type;
	}
	/* Its faults come to us: `fault` is one of the gives, a badged copy
	 * of the job endpoint. */
	if (st == CV_OK && fault)
		st = cv_thread_set_fault_handler(p->thread, fault);
	if (st == CV_OK)
		st = cv_task_copy_in(p->task, CV_START_INFO_VA, &si, sizeof(si));
	if (st == CV_OK)
		st = cv_thread_start(p->thread);
	if (st == CV_OK)
		return CV_OK;
fail:
	proc_kill(p);
	return st;
}

void proc_kill(struct proc *p)
{
	if (p->task) {
		(void)cv_cap_revoke_all(p->task);
		slot_put(p->task);
	}
	slot_put(p->thread);
	slot_put(p->quota);
	memset(p, 0, sizeof(*p));
}

bool proc_ended(const struct proc *p)
{
	struct cv_regs regs;

	return cv_thread_read_regs(p->thread, &regs) == CV_E_DEAD;
}
