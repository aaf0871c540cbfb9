// SPDX-License-Identifier: BSD-2-Clause
// Starting and killing the shell's tasks: as the root task starts its own
// (docs/config.md, "What a started task gets"), from a boot module mapped
// into the shell.
#include <string.h>

#include <cv/task.h>

#include "shell.h"

#define CHILD_SLOTS 128

bool proc_reserve(struct proc *p, cv_badge_t badge)
{
	memset(p, 0, sizeof(*p));
	p->quota = slot_get();
	p->task = slot_get();
	p->thread = slot_get();
	p->badge = badge;
	if (p->quota && p->task && p->thread)
		return true;
	proc_kill(p);
	return false;
}

enum cv_status proc_start(struct proc *p, const struct image *img, uint64_t frames, unsigned cpu,
			  const char *name, const char *args, const struct cv_task_give *gives, unsigned ngives,
			  cv_badge_t badge, cv_slot_t fault)
{
	if (!proc_reserve(p, badge))
		return CV_E_NO_MEMORY;
	struct cv_task_spawn sp = {
		.task = {
			.image = img->bytes,
			.size = img->size,
			.name = name,
			.args = args,
			.quota = CV_SLOT_SELF_QUOTA,
			.frames = frames,
			.quota_slot = p->quota,
			.task_slot = p->task,
			.thread_slot = p->thread,
			.priority = CHILD_PRIORITY,
			.cpu = cpu,
			.cap_slots = CHILD_SLOTS,
		},
		.gives = gives,
		.give_count = ngives,
		.fault_handler = fault,
	};
	enum cv_status st = cv_task_spawn(&sp);
	if (st != CV_OK)
		proc_kill(p);
	return st;
}

void proc_kill(struct proc *p)
{
	if (p->task)
		cv_task_discard(p->quota, p->task, p->thread);
	slot_put(p->task);
	slot_put(p->thread);
	slot_put(p->quota);
	memset(p, 0, sizeof(*p));
}

bool proc_ended(const struct proc *p)
{
	struct cv_regs regs;

	return cv_thread_read_regs(p->thread, &regs) == CV_E_DEAD;
}
