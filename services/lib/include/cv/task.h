/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Starting an ELF module as a new task: the runtime's loader, usable by any
 * task that holds a quota (the root task now, launchers later).
 */
#ifndef CV_TASK_H
#define CV_TASK_H

#include <stddef.h>
#include <stdint.h>

#include <uapi/cap.h>
#include <uapi/status.h>

#define CV_TASK_STACK_TOP 0x0000004000000000ull /* like the root task's */
#define CV_TASK_STACK_PAGES 16

struct cv_task_spec {
	const void *image;       /* the ELF file, in the caller's memory */
	size_t size;
	cv_slot_t quota;         /* pays for everything */
	cv_slot_t task_slot;     /* where the new task's capability goes */
	cv_slot_t thread_slot;   /* and its first thread's */
	unsigned max_priority;
	uint32_t cap_slots;      /* size of its capability space */
	unsigned priority;       /* of the first thread */
	unsigned cpu;
	uint64_t arg;            /* the first thread's x0 */
};

/*
 * Checks the image, creates the task, maps and fills its segments (W^X, bss
 * zeroed) and a stack, and creates its first thread, not yet started (give
 * the task its capabilities first, then cv_thread_start). On failure
 * everything made so far is deleted again. Returns an enum cv_status;
 * CV_E_BAD_ARG for an image that is not a loadable AArch64 executable.
 */
enum cv_status cv_task_load(const struct cv_task_spec *spec);

/*
 * A task started the way the root task starts those of the boot
 * configuration (include/uapi/start.h): its own task, first thread and
 * quota at slots 1..3, the capabilities in gives[] at slots 16.. in order,
 * a start page with its name, args and that list. The new task's quota
 * (`frames`, split from `quota`), task and thread capabilities stay the
 * caller's, at quota_slot, task_slot and thread_slot: deleting the task
 * capability ends it — after revoking it, since the task holds a copy of
 * its own (slot 1). On failure nothing made is left. Not reentrant: one
 * spawn at a time per task.
 */
struct cv_task_give {
	const char *name;  /* the name the task sees */
	cv_slot_t from;    /* the caller's capability, copied */
	uint32_t rights;   /* of the copy */
	uint32_t type;     /* enum cv_obj_type, for the start page */
	uint64_t size;     /* for the start page (a module's bytes) */
};

struct cv_task_spawn {
	const void *image;
	size_t size;
	const char *name, *args;
	cv_slot_t quota;     /* the caller's, split */
	uint64_t frames;
	cv_slot_t quota_slot, task_slot, thread_slot;
	unsigned priority, cpu;
	uint32_t cap_slots;
	const struct cv_task_give *gives;
	unsigned give_count;
	uint32_t cpu_count;  /* for the start page */
};

enum cv_status cv_task_spawn(const struct cv_task_spawn *sp);

#endif
