// SPDX-License-Identifier: BSD-2-Clause
// Starting a VMM (services/vmm, docs/vmm.md) for a VM: what a launcher
// does, and the vmmctl service for boot VMs, and the shell. One place
// says what a VMM gets: its handle as "vm", its memory and priority.
#include <cv/task.h>

#include "vmctl.h"

enum cv_status vmctl_vmm_spawn(const struct vmctl_vmm *v)
{
	struct cv_task_give gives[1 + VMCTL_VMM_MORE_MAX] = {
		{"vm", v->handle, VMCTL_VMM_HANDLE_RIGHTS, CV_OBJ_ENDPOINT, 0, 0},
	};

	if (v->more_count > VMCTL_VMM_MORE_MAX)
		return CV_E_BAD_ARG;
	for (unsigned i = 0; i < v->more_count; i++)
		gives[1 + i] = v->more[i];
	struct cv_task_spawn sp = {
		.task = {
			.image = v->image,
			.size = v->size,
			.name = "vmm",
			.args = v->vm_name,
			.quota = v->quota,
			.frames = VMCTL_VMM_FRAMES,
			.quota_slot = v->quota_slot,
			.task_slot = v->task_slot,
			.thread_slot = v->thread_slot,
			.priority = v->priority ? v->priority : VMCTL_VMM_PRIORITY,
			.cpu = v->cpu,
			.cap_slots = VMCTL_VMM_SLOTS,
			.cpu_count = v->cpu_count,
		},
		.gives = gives,
		.give_count = 1 + v->more_count,
		.fault_handler = v->fault_handler,
	};
	return cv_task_spawn(&sp);
}
