/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tasks (protection domains): an address space, a capability space and
 * threads. A task is killed (threads stopped, memory and capabilities
 * released) when it faults without a handler or when its last capability
 * goes; its small descriptor lives on while capabilities still name it, so
 * they never dangle.
 */
#ifndef KERNEL_TASK_H
#define KERNEL_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/vspace.h"
#include "cap.h"
#include "kernel.h"

#define TASK_NAME_MAX 32
#define TASK_CSPACE_SLOTS_MAX 65536

struct thread;
struct quota;
struct vm;

struct task {
	struct kobj obj;
	struct cap_space cspace;
	char name[TASK_NAME_MAX];
	struct arch_vspace vspace;
	struct quota *quota;         /* pays for the task and all it holds */
	uint64_t pa;                 /* this descriptor's frame */
	uint64_t cspace_pa;
	uint32_t cspace_frames;
	unsigned max_priority;       /* no thread of this task may run above it */
	unsigned live_threads;
	unsigned next_thread_id;
	struct thread *thread_list;  /* its thread objects, live or stopped */
	uint64_t pages_owned;        /* pages allocated for it, freed with it */
	uint64_t frame_maps_pa;      /* its frame-mapping records (frame.c), or 0 */
	bool dying;                  /* killed: no new threads or mappings */
	bool released;               /* address and capability spaces freed */
	bool obj_dead;               /* its last capability is gone */
	struct task *reap_next;
	struct vm *vm;               /* non-NULL: the memory of a VM (kernel/vm.c) */
};

/* Creates a task with cspace_slots capability slots, paid from q. */
int task_create(struct quota *q, const char *name, unsigned max_priority, uint32_t cspace_slots,
		struct task **out) __must_check;
/* Allocates zeroed pages for the task and maps them at va with perms
 * (VSPACE_*); they are the task's and are freed with it. */
int task_map_new_pages(struct task *t, uint64_t va, size_t count, unsigned perms) __must_check;
/* Maps physical pages the task does not own (boot modules, devices). */
int task_map_physical(struct task *t, uint64_t va, uint64_t pa, size_t count, unsigned perms) __must_check;
/* Copies into / out of the task's memory; CV_E_BAD_ADDRESS unless every
 * byte is mapped (writable, for copy_to) normal memory. */
int task_copy_from(struct task *t, void *dst, uint64_t va, size_t len) __must_check;
int task_copy_to(struct task *t, uint64_t va, const void *src, size_t len) __must_check;
/* Like task_copy_to, for whoever controls the task (its loader): also into
 * pages the task itself may not write, keeping instruction fetch coherent. */
int task_copy_in(struct task *t, uint64_t va, const void *src, size_t len) __must_check;
/* Stops every thread and queues the release of the task's memory and
 * capabilities (reaper_run). Safe inside capability callbacks. */
void task_kill(struct task *t, const char *why);
/* The last capability to the task went (a capability callback). */
void task_obj_destroy(struct task *t);
/* The reaper's part: frees the address and capability spaces (the latter
 * already emptied), and the descriptor if no capability names it. */
void task_release_memory(struct task *t);
/* A thread of the task stopped for good. */
void task_thread_stopped(struct task *t);

#endif
