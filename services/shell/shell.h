/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The console shell (docs/shell.md): a prompt on the console, principals
 * to log in as, and vmctl run as a task per command, with the VMM tasks
 * it asks for.
 */
#ifndef SHELL_SHELL_H
#define SHELL_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cv/syscall.h>
#include <cv/task.h>
#include <uapi/start.h>

#define SHELL_LINE_MAX 200

/* A boot module the shell was given as a frame, mapped read-only. */
struct image {
	const char *name;
	const void *bytes;
	size_t size;
};

/* One task the shell started: its three capabilities. */
struct proc {
	cv_slot_t task, thread, quota;
	cv_badge_t badge; /* of its fault handler (and "parent" for a job) */
	char vm[33];      /* a VMM: its VM's name */
};

/* ---- slots.c ---- */
cv_slot_t slot_get(void);      /* 0 when the space is full */
void slot_put(cv_slot_t slot); /* deletes what it holds */

/* ---- proc.c ---- */
#define CHILD_PRIORITY 10 /* of its tasks: jobs and VMMs (the shell's own limit) */
/* Capability slots for a task's quota, task and thread in p (false when
 * the space is full); proc_kill gives them back. */
bool proc_reserve(struct proc *p, cv_badge_t badge);

/* Loads img as a task with its own task, thread and quota capabilities at
 * the usual slots and a start information page (name, args, gives, which
 * land at CV_TASK_FIRST_GIVEN on); its fault handler is its slot `fault`
 * (one of the gives: a copy of the job endpoint badged `badge`); then
 * starts it. */
enum cv_status proc_start(struct proc *p, const struct image *img, uint64_t frames, unsigned cpu,
			  const char *name, const char *args, const struct cv_task_give *gives, unsigned ngives,
			  cv_badge_t badge, cv_slot_t fault);

/* Kills it (its self-capability derived from ours goes with a revoke)
 * and gives back its quota. */
void proc_kill(struct proc *p);

/* Has its first thread ended (exited, or the task died)? */
bool proc_ended(const struct proc *p);

/* ---- jobs.c ---- */
/* console, vmm_console: the capabilities jobs and VMMs print through
 * (each a client of its own to the console service, so that their lines
 * never land in the shell's prompt or in each other's). */
void jobs_init(cv_slot_t job_endpoint, const struct image *vmctl, const struct image *vmm,
	       cv_slot_t console, cv_slot_t vmm_console, unsigned cpus);
/* Runs vmctl with `args` as the principal of `session`; in the foreground
 * it waits for it and returns its exit status, in the background -1. */
int jobs_run_vmctl(const char *args, cv_slot_t session, bool background);
/* Handles one thing that arrived for jobs, waiting up to `ms` (0: not at
 * all, negative: for ever); returns whether anything was handled. */
bool jobs_poll(int ms);
bool jobs_background(void); /* any background job running */
void jobs_list(void);
bool jobs_kill(unsigned id);
void jobs_reap(void);       /* deletes VMMs whose thread ended */

/* ---- line.c ---- */
/* What is typed, never waiting: bytes put back first, then the console's. */
size_t term_read(char *buf, size_t max);
/* Puts bytes back in front of what term_read gives next (type-ahead). */
void term_unread(const char *buf, size_t len);

/* Ends the prompt's line on the terminal before a message is printed
 * while a line is being read (a background job ended); the prompt and
 * what was typed are shown again after. */
void line_pause(void);

/* Shows the prompt and reads a line, echoing it; background jobs are
 * served meanwhile. Returns false when no input can come (no console). */
bool line_read(const char *prompt, char *buf, size_t max);

#endif
