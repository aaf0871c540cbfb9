/* SPDX-License-Identifier: BSD-2-Clause */
/* The vmmctl tests' shared pieces (tests/tasks/vmmctl). */
#ifndef VMMCTLTEST_H
#define VMMCTLTEST_H

#include <stdbool.h>
#include <stdint.h>

#include <cv/syscall.h>

#include "vmctl.h"

/* The sessions the configuration gives (tests/config/vmmctl.conf). */
struct sessions {
	cv_slot_t root, operator, operator_ro, user, nobody, web, web_ro, web2, closed;
};
extern struct sessions s;

#define MIB (1ull << 20)

/* Prints "ok NAME" or "FAIL NAME: why"; returns cond. */
bool check(const char *name, bool cond, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* check() that err is want, naming both. */
bool expect_err(const char *name, int err, int want);
/* A free capability slot of this task (they are never reused). */
cv_slot_t slot_new(void);
/* Frames free in the whole kernel. */
uint64_t free_frames(void);
/* INFO's answer for `name` once it is no longer OK, or OK if the VM is
 * still there after `ms` milliseconds. */
int await_gone(cv_slot_t session, const char *name, uint64_t ms);
/* Waits (a little) until free_frames() is `want`; returns what it is. */
uint64_t await_free(uint64_t want);

/* A second thread of this task calling libvmctl: fn(arg) runs on `cpu`
 * with its own stack, TLS and message buffer; `done` is set when fn
 * returns. Deleting `slot` (thread_end) kills it wherever it is. */
struct test_thread {
	cv_slot_t slot;
	void (*fn)(void *arg);
	void *arg;
	void *tls, *stack;
	uint64_t *buffer;
	_Atomic int done;
};
bool thread_go(struct test_thread *t, unsigned cpu);
void thread_end(struct test_thread *t);

void cases_access(void);
void cases_handles(void);
void cases_race(void);
void cases_lost(void);
struct cv_start_cap;
void cases_vmm(const struct cv_start_cap *vmm_module);
void cases_reset(const struct cv_start_cap *vmm_module);
/* cases_vmm.c: the launcher's part, a VMM task of ours (in q, task and
 * thread) with a copy of handle h; and the guest's console lines printed
 * as "[guest] ..." from byte *shown on until one contains `until` or time
 * runs out (returns whether it came; *shown moves past what was read). */
enum cv_status spawn_vmm(const struct cv_start_cap *vmm_module, cv_slot_t h, const char *vm_name, cv_slot_t q,
			 cv_slot_t task, cv_slot_t thread);
struct vmmctl_console;
bool console_until(const struct vmmctl_console *c, uint64_t *shown, const char *until, uint64_t seconds);
void cases_passthrough(const struct cv_start_cap *vmm_module, cv_slot_t rtc, cv_slot_t rtc_irq);

#endif
