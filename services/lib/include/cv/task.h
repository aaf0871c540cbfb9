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
#include <uapi/start.h>
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
 * Starting a task the way the root task starts those of the boot
 * configuration (include/uapi/start.h): its own task, first thread and
 * quota at slots 1..3, the capabilities it is given, and a start page with
 * its name, args and the list of what it was given. In three steps, for
 * starters (like the root task) that give capabilities to several tasks
 * before starting any; cv_task_spawn() does all three.
 *
 * The new task's quota (`frames`, split from `quota`), task and thread
 * capabilities stay the caller's, at quota_slot, task_slot and thread_slot:
 * cv_task_discard() ends the task (revoking first: the task holds a copy
 * of its own).
 */
struct cv_task_new {
	const void *image;       /* the ELF file, in the caller's memory */
	size_t size;
	const char *name, *args; /* for the start page */
	cv_slot_t quota;         /* the caller's, split */
	uint64_t frames;
	cv_slot_t quota_slot, task_slot, thread_slot;
	unsigned max_priority;   /* of its threads; 0: `priority` */
	unsigned priority, cpu;  /* of the first thread */
	uint32_t cap_slots;      /* size of its capability space */
	uint32_t cpu_count;      /* for the start page */
	uint64_t memory;         /* for the start page (0: not told) */
};

/* One capability to give, as the start page names it. */
struct cv_task_give {
	const char *name;  /* the name the task sees */
	cv_slot_t from;    /* the caller's capability, copied */
	uint32_t rights;   /* of the copy */
	uint32_t type;     /* enum cv_obj_type, for the start page */
	uint64_t base;     /* for the start page (a device's address, an interrupt's number) */
	uint64_t size;     /* for the start page (a module's or device's bytes) */
};

/* Step 1: the task, loaded, with its own capabilities and a start page
 * mapped; si gets the page's header. Its thread is not started. On failure
 * nothing made is left. */
enum cv_status cv_task_prepare(const struct cv_task_new *n, struct cv_start_info *si);
/* Step 2, for each capability: a copy of g->from in the task's slot `to`,
 * listed in si. CV_E_NO_MEMORY when si's list is full. */
enum cv_status cv_task_give_cap(cv_slot_t task, struct cv_start_info *si, const struct cv_task_give *g,
				cv_slot_t to);
/* Step 3: the start page written, faults of the first thread sent to the
 * endpoint at slot fault_handler of the new task (0: none), and the thread
 * started. */
enum cv_status cv_task_launch(cv_slot_t task, cv_slot_t thread, const struct cv_start_info *si,
			      cv_slot_t fault_handler);
/* Ends a task made by cv_task_prepare (at whatever step) and frees its slots. */
void cv_task_discard(cv_slot_t quota_slot, cv_slot_t task_slot, cv_slot_t thread_slot);

/* All three steps: gives[i] lands at slot CV_TASK_FIRST_GIVEN + i. Not
 * reentrant (one start page buffer): one spawn at a time per task. */
#define CV_TASK_FIRST_GIVEN 16
struct cv_task_spawn {
	struct cv_task_new task;
	const struct cv_task_give *gives;
	unsigned give_count;
	cv_slot_t fault_handler; /* in the new task (one of the gives' slots), 0: none */
};

enum cv_status cv_task_spawn(const struct cv_task_spawn *sp);

/* In the started task: its start page, which its first thread gets as
 * its argument, or NULL if arg is none (a task started some other way;
 * the root task gets its struct cv_root_info at the same address). */
static inline const struct cv_start_info *cv_start_info_of(const void *arg)
{
	const struct cv_start_info *si = arg;

	if ((uintptr_t)arg != CV_START_INFO_VA || si->magic != CV_START_INFO_MAGIC ||
	    si->version != CV_START_INFO_VERSION)
		return NULL;
	return si;
}

#endif
