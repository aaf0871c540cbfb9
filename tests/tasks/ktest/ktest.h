/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ktest: the kernel-core test task (tests/scenario/kernel_core.sh). One
 * program in two roles: booted as the root task it runs the checks and
 * prints "ktest: NAME ok" or "ktest: NAME FAIL: reason" per check, then
 * "ktest: done N passed, M failed"; loaded again by itself as a child task
 * (argument KTEST_CHILD_ARG) it obeys commands its parent sends (child.c).
 */
#ifndef KTEST_H
#define KTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cv/runtime.h>
#include <cv/syscall.h>

/* ---- checks (main.c) ---- */

/* Records the current check's first failure; returns 0. */
int ktest_fail_at(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Compares a status; records a failure naming the expression. Returns 1 if equal. */
int ktest_expect_st_at(int line, const char *what, enum cv_status got, enum cv_status want);
/* Whether the current check has failed so far. */
bool ktest_failed(void);
/* Tells the watchdog the main thread is still making progress. */
void ktest_progress(void);

#define CHECK(cond, ...) ((cond) ? 1 : ktest_fail_at(__LINE__, __VA_ARGS__))
#define EXPECT_ST(expr, want) ktest_expect_st_at(__LINE__, #expr, (expr), (want))

/* ---- time ---- */

static inline uint64_t ktest_now(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v) : : "memory");
	return v;
}

static inline uint64_t ktest_ticks_per_ms(void)
{
	uint64_t f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return f / 1000 ? f / 1000 : 1;
}

static inline uint64_t ktest_deadline_ms(uint64_t ms)
{
	return ktest_now() + ms * ktest_ticks_per_ms();
}

/* Sleeps (WFI until the next interrupt, again and again) for about ms. */
void ktest_sleep_ms(uint64_t ms);

/* ---- capability slots of the root task ---- */

cv_slot_t slot_new(void);
/* A fresh endpoint from the root quota in a new slot (0 on failure, recorded). */
cv_slot_t ep_new(void);

/* ---- threads in the root task (threads.c) ---- */

/* Creates and starts a thread of the root task running fn(arg) on cpu at
 * priority prio, with its own stack and TLS; returns its capability slot,
 * 0 on failure (recorded). When fn returns, the thread exits. */
cv_slot_t thread_spawn(void (*fn)(void *), void *arg, unsigned prio, unsigned cpu);
/* Creates the thread without starting it. */
cv_slot_t thread_make(void (*fn)(void *), void *arg, unsigned prio, unsigned cpu);
/* The trampoline's C half (entry.S sets TPIDR_EL0 first). */
struct ktest_start;
_Noreturn void ktest_thread_body(struct ktest_start *s);
void ktest_thread_entry(void);
/* Stack for another thread: top of fresh pages of the root task. */
uint64_t stack_new(void);

/* Polls a NONBLOCK receive until something arrives or ms pass
 * (CV_E_TIMEOUT then); yields in between. */
enum cv_status recv_timeout(uint64_t ep_arg, struct cv_msg *m, uint64_t ms);
/* Polls a NONBLOCK send until a receiver takes it or ms pass. */
enum cv_status send_timeout(uint64_t ep_arg, struct cv_msg *m, uint64_t ms);
/* Polls the free-frame count until it equals want or ms pass; returns the last count. */
uint64_t wait_free_frames(uint64_t want, uint64_t ms);
/* Free frames once the count has held still for 100 ms (at most 2 s):
 * frees a previous test left to other CPUs land before a test counts. */
uint64_t settled_free_frames(void);
uint64_t free_frames(void);
uint64_t root_quota_used(void);

/* ---- child tasks (child.c) ---- */

#define KTEST_CHILD_ARG 0x4b54455354434844ull /* "KTESTCHD" */
#define CHILD_SLOT_CMD 1   /* endpoint it receives commands on (READ) */
#define CHILD_SLOT_REP 2   /* endpoint it sends reports to (WRITE) */
#define CHILD_SLOT_FREE 3  /* first slot for test capabilities */
#define CHILD_SLOTS 64
#define CHILD_CPU 1
#define CHILD_PRIO 32
#define CHILD_FAULT_VA 0x100000000ull /* never mapped in a child */

enum child_cmd {
	CMD_PING = 1,   /* report at once */
	CMD_INFO,       /* mr1 slot: report status, type, rights, badge */
	CMD_DELETE,     /* mr1 slot: report status */
	CMD_COPY,       /* mr1 src, mr2 dst, mr3 rights: report status */
	CMD_CALL,       /* mr1 slot: call it (mr2 as MR1, mr3 the receive slot), report status and reply MR0 */
	CMD_FAULT,      /* write to CHILD_FAULT_VA: the kernel kills the task */
	CMD_EXIT,       /* the thread exits; the task lives on while capabilities name it */
};

#define REPORT_HELLO 0x48454c4cull
#define REPORT_DONE 0x444f4e45ull

struct child {
	cv_slot_t task, thread, cmd, rep;
	bool alive;
};

/* Loads ktest again as a child task (from the root quota), gives it its
 * command endpoints and starts it; waits for its hello. Returns 1 on success. */
int child_spawn(struct child *c);
/* Sends a command; unless it is CMD_FAULT, CMD_CALL or CMD_EXIT waits for
 * the report (mr1 = status, mr2.. = results). Returns 1 on success. */
int child_do(struct child *c, uint64_t cmd, uint64_t a1, uint64_t a2, uint64_t a3, struct cv_msg *report);
/* Shorthands: the status of a command on one slot (or ~0 if no report). */
uint64_t child_info(struct child *c, cv_slot_t slot, struct cv_cap_info *info);
uint64_t child_delete(struct child *c, cv_slot_t slot);
/* Deletes the task, its thread and the command endpoints: the task dies. */
void child_kill(struct child *c);
/* The child role: main() of a child task. */
_Noreturn void child_main(void);

/* The root task's own image, to load children from. */
extern const void *ktest_image;
extern size_t ktest_image_size;
extern unsigned ktest_cpu_count;

/* ---- the checks (tests_*.c) ---- */

void test_caps(void);
void test_ipc_same_cpu(void);
void test_ipc_cross_cpu(void);
void test_ipc_fp(void);
void test_cap_transfer(void);
void test_revoke(void);
void test_close_delete(void);
void test_close_revoke(void);
void test_close_kill(void);
void test_close_fault(void);
void test_reply_to_dead_caller(void);
void test_close_unwatch(void);
void test_ipc_timeouts(void);
void test_memory_back(void);
void test_quota_exhaustion(void);
void test_priority_limit(void);
void test_priority_preemption(void);
void test_equal_priority_share(void);
void test_vm_irq_bind(void);
void test_vm_reset_running(void);
void test_vm_reset_waiting(void);
void test_vcpu_stats(void);
void test_vm_reset_errors(void);

#endif
