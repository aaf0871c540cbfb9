/* SPDX-License-Identifier: BSD-2-Clause */
/* Tasks: an address space, (soon) a capability space, and threads. */
#ifndef KERNEL_TASK_H
#define KERNEL_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/vspace.h"
#include "kernel.h"

#define TASK_NAME_MAX 32

struct thread;

struct task {
	char name[TASK_NAME_MAX];
	struct arch_vspace vspace;
	unsigned max_priority; /* no thread of this task may run above it */
	unsigned thread_count; /* threads not yet dead */
	unsigned next_thread_id;
	bool dying;
	uint64_t pages_owned; /* pages the kernel allocated for this task */
	struct thread *thread_list; /* live threads, through thread.task_next */
	uint64_t pa;          /* the frame the task lives in */
};

/* Creates an empty task. Returns an enum cv_status. */
int task_create(const char *name, unsigned max_priority, struct task **out) __must_check;
/* Allocates zeroed pages for the task and maps them at va with perms
 * (VSPACE_*); they are freed with the task. */
int task_map_new_pages(struct task *t, uint64_t va, size_t count, unsigned perms) __must_check;
/* Maps physical pages the task does not own (boot modules, devices). */
int task_map_physical(struct task *t, uint64_t va, uint64_t pa, size_t count, unsigned perms) __must_check;
/* Copies into / out of the task's memory; CV_E_BAD_ADDRESS unless every
 * byte is mapped (writable, for copy_to) normal memory. */
int task_copy_from(struct task *t, void *dst, uint64_t va, size_t len) __must_check;
int task_copy_to(struct task *t, uint64_t va, const void *src, size_t len) __must_check;
/* Stops every thread and frees everything the task holds. */
void task_destroy(struct task *t);
/* Called when one of the task's threads has finished dying. */
void task_thread_gone(struct task *t);

#endif
