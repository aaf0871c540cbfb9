// SPDX-License-Identifier: BSD-2-Clause
// ktest's main: the check runner of the root role, the watchdog, and the
// small helpers every check uses. Only the main thread prints with stdio;
// the watchdog writes its one message with cv_debug_write.
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cv/runtime.h>
#include <uapi/root.h>

#include "ktest.h"

const void *ktest_image;
size_t ktest_image_size;
unsigned ktest_cpu_count;

/* ---- the current check ---- */

static const char *volatile cur_name = "start";
static char cur_why[240];
static bool cur_failed;
static volatile uint64_t progress_seq;
static volatile bool all_done;
static unsigned passed, failed;

void ktest_progress(void)
{
	progress_seq++;
}

bool ktest_failed(void)
{
	return cur_failed;
}

int ktest_fail_at(int line, const char *fmt, ...)
{
	if (!cur_failed) {
		va_list ap;
		int n = snprintf(cur_why, sizeof(cur_why), "line %d: ", line);

		va_start(ap, fmt);
		if (n > 0 && (size_t)n < sizeof(cur_why))
			vsnprintf(cur_why + n, sizeof(cur_why) - (size_t)n, fmt, ap);
		va_end(ap);
		cur_failed = true;
	}
	return 0;
}

int ktest_expect_st_at(int line, const char *what, enum cv_status got, enum cv_status want)
{
	if (got == want)
		return 1;
	return ktest_fail_at(line, "%s = %s, expected %s", what, cv_strerror(got), cv_strerror(want));
}

static void run(const char *name, void (*fn)(void))
{
	cur_name = name;
	cur_failed = false;
	cur_why[0] = '\0';
	ktest_progress();
	fn();
	ktest_progress();
	if (cur_failed) {
		failed++;
		printf("ktest: %s FAIL: %s\n", name, cur_why);
	} else {
		passed++;
		printf("ktest: %s ok\n", name);
	}
}

/* ---- time ---- */

void ktest_sleep_ms(uint64_t ms)
{
	uint64_t end = ktest_deadline_ms(ms);

	/* WFI returns at the next interrupt: the CPU's tick at the latest. */
	while (ktest_now() < end)
		__asm__ volatile("wfi" ::: "memory");
}

/* ---- the watchdog: a check that hangs must not hang the whole run ---- */

#define WATCHDOG_MS 10000

static void watchdog(void *arg)
{
	(void)arg;
	uint64_t seen = progress_seq, since = ktest_now();

	while (!all_done) {
		__asm__ volatile("wfi" ::: "memory");
		if (progress_seq != seen) {
			seen = progress_seq;
			since = ktest_now();
			continue;
		}
		if (ktest_now() - since < WATCHDOG_MS * ktest_ticks_per_ms())
			continue;
		char buf[200];
		int n = snprintf(buf, sizeof(buf),
				 "ktest: %s FAIL: watchdog: no progress for %u s (hung)\n"
				 "ktest: done %u passed, %u failed\n",
				 cur_name, WATCHDOG_MS / 1000, passed, failed + 1);
		if (n > 0)
			(void)cv_debug_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
		return;
	}
}

/* ---- slots and memory ---- */

static cv_slot_t next_slot = CV_ROOT_SLOT_FIRST_FREE;

cv_slot_t slot_new(void)
{
	if (next_slot >= CV_ROOT_SLOTS) {
		ktest_fail_at(__LINE__, "out of capability slots");
		return CV_ROOT_SLOTS - 1;
	}
	return next_slot++;
}

cv_slot_t ep_new(void)
{
	cv_slot_t s = slot_new();

	if (!EXPECT_ST(cv_endpoint_create(CV_ROOT_SLOT_QUOTA, s), CV_OK))
		return 0;
	return s;
}

uint64_t free_frames(void)
{
	uint64_t free = 0, total = 0;

	if (cv_memory_info(&free, &total) != CV_OK)
		ktest_fail_at(__LINE__, "cv_memory_info failed");
	return free;
}

uint64_t root_quota_used(void)
{
	uint64_t limit = 0, used = 0;

	if (cv_quota_info(CV_ROOT_SLOT_QUOTA, &limit, &used) != CV_OK)
		ktest_fail_at(__LINE__, "cv_quota_info(root quota) failed");
	return used;
}

uint64_t wait_free_frames(uint64_t want, uint64_t ms)
{
	uint64_t end = ktest_deadline_ms(ms), now;

	/* A stopped thread's frame is freed when its CPU lets go of it. */
	while ((now = free_frames()) != want && ktest_now() < end)
		(void)cv_yield();
	return now;
}

uint64_t settled_free_frames(void)
{
	uint64_t end = ktest_deadline_ms(2000), last = free_frames(), still = ktest_deadline_ms(100), now;

	while (ktest_now() < end) {
		(void)cv_yield();
		if ((now = free_frames()) != last) {
			last = now;
			still = ktest_deadline_ms(100);
		} else if (ktest_now() >= still) {
			break;
		}
	}
	return last;
}

enum cv_status recv_timeout(uint64_t ep_arg, struct cv_msg *m, uint64_t ms)
{
	uint64_t end = ktest_deadline_ms(ms);

	for (;;) {
		struct cv_msg tmp = {.info = CV_IPC_NONBLOCK};
		enum cv_status st = cv_recv(ep_arg, &tmp);

		if (st != CV_E_WOULD_BLOCK) {
			if (st == CV_OK)
				*m = tmp;
			return st;
		}
		if (ktest_now() >= end)
			return CV_E_TIMEOUT;
		(void)cv_yield();
	}
}

enum cv_status send_timeout(uint64_t ep_arg, struct cv_msg *m, uint64_t ms)
{
	uint64_t end = ktest_deadline_ms(ms);
	struct cv_msg tmp = *m;

	tmp.info |= CV_IPC_NONBLOCK;
	for (;;) {
		enum cv_status st = cv_send(ep_arg, &tmp);

		if (st != CV_E_WOULD_BLOCK)
			return st;
		if (ktest_now() >= end)
			return CV_E_TIMEOUT;
		(void)cv_yield();
	}
}

/* ---- main ---- */

static const struct {
	const char *name;
	void (*fn)(void);
} checks[] = {
	{"caps", test_caps},
	{"ipc_same_cpu", test_ipc_same_cpu},
	{"ipc_fp", test_ipc_fp},
	{"ipc_cross_cpu", test_ipc_cross_cpu},
	{"cap_transfer", test_cap_transfer},
	{"ipc_timeouts", test_ipc_timeouts},
	{"revoke", test_revoke},
	{"close_delete", test_close_delete},
	{"close_revoke", test_close_revoke},
	{"close_kill", test_close_kill},
	{"close_fault", test_close_fault},
	{"reply_to_dead_caller", test_reply_to_dead_caller},
	{"close_unwatch", test_close_unwatch},
	{"memory_back", test_memory_back},
	{"quota_exhaustion", test_quota_exhaustion},
	{"priority_limit", test_priority_limit},
	{"priority_preemption", test_priority_preemption},
	{"equal_priority_share", test_equal_priority_share},
	{"vm_irq_bind", test_vm_irq_bind},
	{"vm_reset_running", test_vm_reset_running},
	{"vm_reset_waiting", test_vm_reset_waiting},
	{"vcpu_stats", test_vcpu_stats},
	{"vm_reset_errors", test_vm_reset_errors},
};

static int find_image(const struct cv_root_info *info)
{
	if (info->magic != CV_ROOT_INFO_MAGIC)
		return 0;
	for (uint32_t i = 0; i < info->module_count && i < CV_ROOT_MODULES_MAX; i++) {
		if (!strcmp(info->modules[i].name, "root")) {
			ktest_image = (const void *)(uintptr_t)info->modules[i].va;
			ktest_image_size = info->modules[i].size;
			return 1;
		}
	}
	return 0;
}

int main(void *arg)
{
	if ((uint64_t)(uintptr_t)arg == KTEST_CHILD_ARG)
		child_main();
	if ((uint64_t)(uintptr_t)arg != CV_ROOT_INFO_VA) {
		printf("ktest: unexpected argument %p\n", arg);
		return 1;
	}
	const struct cv_root_info *info = arg;

	printf("ktest: kernel core tests, %u CPUs\n", info->cpu_count);
	ktest_cpu_count = info->cpu_count;
	if (!find_image(info) || ktest_cpu_count < 4) {
		printf("ktest: setup FAIL: %s\n", ktest_cpu_count < 4 ? "needs 4 CPUs" : "no module \"root\"");
		printf("ktest: done 0 passed, 1 failed\n");
		return 1;
	}
	/* The watchdog sleeps at the lowest priority on CPU 1. */
	cur_name = "watchdog";
	if (!thread_spawn(watchdog, NULL, 1, 1)) {
		printf("ktest: setup FAIL: watchdog: %s\n", cur_why);
		printf("ktest: done 0 passed, 1 failed\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		run(checks[i].name, checks[i].fn);
	all_done = true;
	printf("ktest: done %u passed, %u failed\n", passed, failed);
	return 0;
}
