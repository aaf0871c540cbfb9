/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel objects on top of the capability core (cap.h): the one capability
 * system, memory for objects charged to quotas, what happens when an
 * object's last capability goes, and the reaper for work too big for that
 * moment (a dying task's capability space).
 */
#ifndef KERNEL_KOBJECT_H
#define KERNEL_KOBJECT_H

#include <stddef.h>
#include <stdint.h>

#include "cap.h"
#include "kernel.h"
#include "quota.h"

struct task;

extern struct cap_system kernel_caps;

/* A quota object: memory a capability holder may spend. */
struct quota_obj {
	struct kobj obj;
	struct quota quota;
	struct quota *paid_from; /* the parent's quota, which paid this object */
	uint64_t pa;
	bool orphan; /* its last capability went while objects still used it */
};

void kobject_init(void);

/* Zeroed frames for an object, charged to q. Returns an enum cv_status. */
int kmem_alloc(struct quota *q, size_t frames, uint64_t *pa) __must_check;
/* The same, starting at a multiple of align (a power of two, >= 4096). */
int kmem_alloc_aligned(struct quota *q, size_t frames, uint64_t align, uint64_t *pa) __must_check;
/* Returns them (and frees q's own object if it was only waiting for this). */
void kmem_free(struct quota *q, uint64_t pa, size_t frames);

/* Queues a dying task whose capability space must be emptied. */
void reaper_queue(struct task *t);
/* Does the queued work; runs at the end of every system call. */
void reaper_run(void);

#endif
