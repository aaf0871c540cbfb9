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

#endif
