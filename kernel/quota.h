/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Accounting of kernel memory in 4 KiB frames: every kernel object is paid
 * for from a quota, and quotas are carved out of their parent's free
 * budget. Pure arithmetic with no global state and no calls out of itself;
 * the kernel keeps each quota inside its quota object and calls these under
 * the capability lock (or its own). Docs: docs/capabilities.md, "Quotas".
 *
 * Fallible functions check first and change nothing when they fail.
 */
#ifndef KERNEL_QUOTA_H
#define KERNEL_QUOTA_H

#include <stdint.h>

#include <uapi/status.h>

/*
 * limit: frames this quota may ever have in use at once. used: frames
 * charged to it plus the limits of its live child quotas, so used <= limit
 * always holds, and a quota with children is never idle (used > 0).
 */
struct quota {
	uint64_t limit;
	uint64_t used;
	struct quota *parent; /* NULL for the root quota */
};

/* The root quota: all the memory the kernel hands out to tasks. */
void quota_init_root(struct quota *q, uint64_t limit);

/* Charges frames to q. NO_MEMORY if used + frames would exceed the limit. */
int quota_charge(struct quota *q, uint64_t frames) __attribute__((warn_unused_result));

/*
 * Returns frames charged earlier. BAD_ARG if more than q uses (a kernel bug
 * the caller should treat as one).
 */
int quota_uncharge(struct quota *q, uint64_t frames) __attribute__((warn_unused_result));

/*
 * Makes `child` a new quota of `frames` frames carved from parent's free
 * budget: parent's usage grows by frames. BAD_ARG for 0 frames or child ==
 * parent; NO_MEMORY if the parent has not that much free.
 */
int quota_split(struct quota *parent, uint64_t frames, struct quota *child)
	__attribute__((warn_unused_result));

/*
 * Gives an idle child's whole budget back to its parent. BUSY while the
 * child uses anything (objects or children of its own); BAD_ARG for the
 * root. On success the child is detached (limit 0) and may be freed.
 */
int quota_destroy_child(struct quota *child) __attribute__((warn_unused_result));

/* Limit and usage (usage includes the budgets of live children). */
void quota_info(const struct quota *q, uint64_t *limit, uint64_t *used);

#endif
