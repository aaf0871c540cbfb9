/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Frames: physical memory as an object, paid from a quota, mapped into
 * tasks (CV_SYS_FRAME_MAP) with at most the rights of the capability used.
 * A mapping lives until it is unmapped, its task dies, or the frame's last
 * capability goes — then the memory disappears from every address space
 * before it is freed, so no task keeps memory nobody pays for.
 */
#ifndef KERNEL_FRAME_H
#define KERNEL_FRAME_H

#include <stdbool.h>
#include <stdint.h>

#include "cap.h"
#include "kernel.h"

#define FRAME_PAGES_MAX 4096 /* 16 MiB per frame object */

struct quota;
struct task;
struct frame_mapping;

struct frame {
	struct kobj obj;
	struct quota *quota;
	uint64_t hdr_pa;                 /* this descriptor's own frame */
	uint64_t pa;                     /* the memory */
	uint64_t pages;
	struct frame_mapping *mappings;  /* where it is mapped */
};

int frame_create(struct quota *q, uint64_t pages, struct frame **out) __must_check;
/* The last capability went: unmapped everywhere, then freed. */
void frame_destroy(struct frame *f);
/* Maps all of f at va in t (perms VSPACE_*, already checked against the
 * capability's rights). */
int frame_map(struct frame *f, struct task *t, uint64_t va, unsigned perms) __must_check;
/* Unmaps the frame mapped at va in t. */
int frame_unmap(struct task *t, uint64_t va) __must_check;
/* A dying task's mappings: dropped (its address space goes anyway). */
void frame_task_gone(struct task *t);

#endif
