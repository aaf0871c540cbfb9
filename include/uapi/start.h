/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * How the root task starts the tasks its boot configuration names: the
 * first thread gets x0 = CV_START_INFO_VA, a read-only page describing the
 * task, and the task's capability space holds its own task, first thread
 * and quota at the same slots as the root task's (include/uapi/root.h),
 * plus the capabilities the configuration gives it, listed in the page.
 * (Not a kernel ABI: an agreement between the root task and the tasks it
 * starts, documented in docs/config.md.)
 */
#ifndef UAPI_START_H
#define UAPI_START_H

#include <stdint.h>

#define CV_START_INFO_VA 0x0000004000010000ull
#define CV_START_INFO_MAGIC 0x4f464e4954524154ull /* "TASTINFO" */
#define CV_START_INFO_VERSION 1

#define CV_SLOT_SELF_TASK 1   /* the task itself (map memory, make threads) */
#define CV_SLOT_SELF_THREAD 2 /* its first thread */
#define CV_SLOT_SELF_QUOTA 3  /* the memory it was given */

#define CV_START_NAME_MAX 32
#define CV_START_ARGS_MAX 256
#define CV_START_CAPS_MAX 32

struct cv_start_cap {
	char name[CV_START_NAME_MAX]; /* what the configuration called it */
	uint32_t slot;
	uint32_t type; /* enum cv_obj_type */
	uint64_t base; /* a device: its registers' physical address; an irq: its INTID */
	uint64_t size; /* a device: bytes of registers; a module (a frame): bytes of the module */
};

struct cv_start_info {
	uint64_t magic;   /* CV_START_INFO_MAGIC */
	uint32_t version; /* CV_START_INFO_VERSION */
	uint32_t cap_count;
	uint32_t cpu_count; /* CPUs online */
	uint32_t reserved;
	uint64_t memory;    /* bytes of memory the root task had for tasks and guests at boot */
	char name[CV_START_NAME_MAX];  /* the task's name */
	char args[CV_START_ARGS_MAX];  /* its argument string from the configuration */
	struct cv_start_cap caps[CV_START_CAPS_MAX];
};

_Static_assert(sizeof(struct cv_start_info) <= 4096, "one page");

#endif
