// SPDX-License-Identifier: BSD-2-Clause
// Quotas running out and recovering; priorities: limits, preemption of a
// spinning thread, round robin between equals.
#include <uapi/root.h>

#include "ktest.h"

static int quota_is(cv_slot_t q, uint64_t limit, uint64_t used)
{
	uint64_t l = ~0ull, u = ~0ull;

	if (!EXPECT_ST(cv_quota_info(q, &l, &u), CV_OK))
		return 0;
	return CHECK(l == limit && u == used, "quota %u: limit %llu used %llu, expected %llu and %llu", q,
		     (unsigned long long)l, (unsigned long long)u, (unsigned long long)limit,
		     (unsigned long long)used);
}

#define SMALL 20

void test_quota_exhaustion(void)
{
	uint64_t free0 = free_frames(), used0 = root_quota_used();
	cv_slot_t q = slot_new();
	cv_slot_t eps[SMALL + 8];
	unsigned made = 0;
	struct cv_cap_info ci = {0};

	if (!EXPECT_ST(cv_quota_split(CV_ROOT_SLOT_QUOTA, q, SMALL), CV_OK))
		return;
	quota_is(q, SMALL, 0);
	uint64_t used1 = root_quota_used();
	/* The child's limit, plus the frame of the quota object itself. */
	CHECK(used1 - used0 == SMALL || used1 - used0 == SMALL + 1, "splitting %u frames used %llu of the root quota",
	      SMALL, (unsigned long long)(used1 - used0));
	EXPECT_ST(cv_quota_split(q, slot_new(), 0), CV_E_BAD_ARG);
	EXPECT_ST(cv_quota_split(q, slot_new(), SMALL + 1), CV_E_NO_MEMORY);
	quota_is(q, SMALL, 0);

	/* Endpoints until the quota is spent. */
	uint64_t free1 = free_frames();
	enum cv_status st = CV_OK;
	cv_slot_t failed_slot = 0;
	while (made < sizeof(eps) / sizeof(eps[0])) {
		cv_slot_t s = slot_new();
		st = cv_endpoint_create(q, s);
		if (st != CV_OK) {
			failed_slot = s;
			break;
		}
		eps[made++] = s;
	}
	CHECK(st == CV_E_NO_MEMORY, "creating beyond the quota: %s", cv_strerror(st));
	CHECK(made == SMALL, "%u endpoints of one frame fit a quota of %u frames", made, SMALL);
	quota_is(q, SMALL, made);
	/* No partial object: the failed call took nothing. */
	CHECK(free_frames() == free1 - made, "%u endpoints took %lld frames", made,
	      (long long)(free1 - free_frames()));
	if (failed_slot)
		EXPECT_ST(cv_cap_info(failed_slot, &ci), CV_E_EMPTY_SLOT);
	/* Every kind of object fails cleanly when the quota is full. */
	EXPECT_ST(cv_endpoint_create(q, slot_new()), CV_E_NO_MEMORY);
	EXPECT_ST(cv_task_create(q, slot_new(), 10, 16), CV_E_NO_MEMORY);
	EXPECT_ST(cv_thread_create(CV_ROOT_SLOT_TASK, q, slot_new(), 0x400000, 0x3ff0000000ull, 0, 10, 0),
		  CV_E_NO_MEMORY);
	EXPECT_ST(cv_quota_split(q, slot_new(), 1), CV_E_NO_MEMORY);
	quota_is(q, SMALL, SMALL);
	CHECK(free_frames() == free1 - made, "failed creations took frames");

	/* Recovery: one freed, one made again; then all freed. */
	if (made) {
		EXPECT_ST(cv_cap_delete(eps[made - 1]), CV_OK);
		quota_is(q, SMALL, made - 1);
		EXPECT_ST(cv_endpoint_create(q, eps[made - 1]), CV_OK);
		quota_is(q, SMALL, made);
	}
	for (unsigned i = 0; i < made; i++)
		EXPECT_ST(cv_cap_delete(eps[i]), CV_OK);
	quota_is(q, SMALL, 0);
	CHECK(free_frames() == free1, "deleting the endpoints did not free their frames");
	cv_slot_t again = slot_new();
	EXPECT_ST(cv_endpoint_create(q, again), CV_OK);
	EXPECT_ST(cv_cap_delete(again), CV_OK);

	/* Objects of several frames (a task: descriptor, capability space,
	 * page tables): with every budget too small nothing is left over, and
	 * with one that is large enough it works and all comes back. */
	unsigned fits = 0;
	for (unsigned k = 1; k <= 12 && !fits && !ktest_failed(); k++) {
		cv_slot_t qk = slot_new(), t = slot_new();
		if (!EXPECT_ST(cv_quota_split(q, qk, k), CV_OK))
			break;
		st = cv_task_create(qk, t, 10, 64);
		if (st == CV_OK) {
			fits = k;
			EXPECT_ST(cv_cap_delete(t), CV_OK);
		} else {
			CHECK(st == CV_E_NO_MEMORY, "task in a %u-frame quota: %s", k, cv_strerror(st));
			EXPECT_ST(cv_cap_info(t, &ci), CV_E_EMPTY_SLOT);
		}
		quota_is(qk, k, 0);
		EXPECT_ST(cv_cap_delete(qk), CV_OK);
	}
	CHECK(fits, "no task fits in 12 frames");
	quota_is(q, SMALL, 0);

	/* A sub-quota's budget returns to its parent when it goes. */
	cv_slot_t sub = slot_new();
	if (EXPECT_ST(cv_quota_split(q, sub, 5), CV_OK)) {
		uint64_t l = 0, u = 0;
		if (EXPECT_ST(cv_quota_info(q, &l, &u), CV_OK))
			CHECK(u >= 5 && u <= 6, "a 5-frame sub-quota uses %llu of its parent", (unsigned long long)u);
		EXPECT_ST(cv_cap_delete(sub), CV_OK);
		quota_is(q, SMALL, 0);
	}

	EXPECT_ST(cv_cap_delete(q), CV_OK);
	uint64_t now = wait_free_frames(free0, 1000), used = root_quota_used();
	CHECK(now == free0 && used == used0, "after deleting the quota: free %llu (was %llu), root used %llu (was %llu)",
	      (unsigned long long)now, (unsigned long long)free0, (unsigned long long)used,
	      (unsigned long long)used0);
}

/* ---- priorities ---- */

void test_priority_limit(void)
{
	uint64_t free0 = free_frames();
	cv_slot_t t = slot_new(), th = slot_new(), x = slot_new();
	const uint64_t pc = 0x400000, sp = 0x10000;

	if (!EXPECT_ST(cv_task_create(CV_ROOT_SLOT_QUOTA, t, 20, 16), CV_OK))
		return;
	/* No thread above its task's maximum; no task above its creator's. */
	EXPECT_ST(cv_thread_create(t, CV_ROOT_SLOT_QUOTA, x, pc, sp, 0, 21, 0), CV_E_NO_RIGHTS);
	EXPECT_ST(cv_thread_create(t, CV_ROOT_SLOT_QUOTA, x, pc, sp, 0, 63, 0), CV_E_NO_RIGHTS);
	EXPECT_ST(cv_thread_create(CV_ROOT_SLOT_TASK, CV_ROOT_SLOT_QUOTA, x, pc, sp, 0, 64, 0), CV_E_NO_RIGHTS);
	EXPECT_ST(cv_task_create(CV_ROOT_SLOT_QUOTA, x, 64, 16), CV_E_NO_RIGHTS);
	/* Other bad arguments. */
	EXPECT_ST(cv_thread_create(t, CV_ROOT_SLOT_QUOTA, x, pc, sp, 0, 5, ktest_cpu_count), CV_E_BAD_ARG);
	EXPECT_ST(cv_thread_create(t, CV_ROOT_SLOT_QUOTA, x, pc, sp, 0, 5, 255), CV_E_BAD_ARG);
	EXPECT_ST(cv_thread_create(t, CV_ROOT_SLOT_QUOTA, x, pc, sp + 8, 0, 5, 0), CV_E_BAD_ADDRESS);
	EXPECT_ST(cv_thread_create(t, CV_ROOT_SLOT_QUOTA, x, pc + 2, sp, 0, 5, 0), CV_E_BAD_ADDRESS);
	EXPECT_ST(cv_task_create(CV_ROOT_SLOT_QUOTA, x, 10, 0), CV_E_BAD_ARG);
	EXPECT_ST(cv_task_map_new(t, 0x1000, 1, CV_MAP_READ | CV_MAP_WRITE | CV_MAP_EXEC), CV_E_BAD_ARG);
	EXPECT_ST(cv_task_map_new(t, 0x1001, 1, CV_MAP_READ), CV_E_BAD_ADDRESS);
	struct cv_cap_info ci = {0};
	EXPECT_ST(cv_cap_info(x, &ci), CV_E_EMPTY_SLOT);
	/* At the maximum it works. */
	EXPECT_ST(cv_thread_create(t, CV_ROOT_SLOT_QUOTA, th, pc, sp, 0, 20, 0), CV_OK);
	EXPECT_ST(cv_cap_delete(th), CV_OK);
	EXPECT_ST(cv_cap_delete(t), CV_OK);
	uint64_t now = wait_free_frames(free0, 1000);
	CHECK(now == free0, "%lld frames not freed", (long long)(free0 - now));
}

struct spinner {
	_Alignas(64) volatile uint64_t count;
	volatile bool stop;
};

static void spin_main(void *p)
{
	struct spinner *s = p;

	while (!s->stop)
		s->count++;
}

static void echo_main(void *p)
{
	cv_slot_t ep = *(cv_slot_t *)p;
	struct cv_msg m = {0};
	enum cv_status st = cv_recv(ep, &m);

	while (st == CV_OK && m.mr[0] != ~0ull) {
		m = (struct cv_msg){.info = cv_ipc_info(1, 0, 0, 0), .mr = {m.mr[0] + 1}};
		st = cv_reply_recv(ep, &m);
	}
	if (st == CV_OK)
		(void)cv_reply(&m);
}

static int wait_spinning(const struct spinner *s, uint64_t ms)
{
	uint64_t end = ktest_deadline_ms(ms);

	while (s->count == 0 && ktest_now() < end)
		ktest_sleep_ms(1);
	return s->count != 0;
}

#define PREEMPT_CALLS 20
/* Generous: wall time under emulation on a loaded host is noisy, and the
 * test is about the high-priority thread running at all while a spinner
 * never yields (without preemption it never would). Latency is a
 * benchmark, not a test. */
#define PREEMPT_MAX_MS 2000

void test_priority_preemption(void)
{
	static cv_slot_t ep;
	static struct spinner lo;
	ep = ep_new();
	if (!ep)
		return;
	/* The high-priority server first, blocked in its receive. */
	cv_slot_t hi = thread_spawn(echo_main, &ep, 50, 2);
	struct cv_msg m = {.info = cv_ipc_info(1, 0, 0, 0), .mr = {100}};
	if (!hi || !EXPECT_ST(cv_call(ep, &m), CV_OK))
		return;
	/* Then a low-priority thread that never blocks, on the same CPU. */
	cv_slot_t low = thread_spawn(spin_main, &lo, 10, 2);
	if (!low)
		return;
	CHECK(wait_spinning(&lo, 2000), "the low-priority thread never ran");
	uint64_t worst = 0, tpm = ktest_ticks_per_ms();
	for (unsigned i = 0; i < PREEMPT_CALLS && !ktest_failed(); i++) {
		m = (struct cv_msg){.info = cv_ipc_info(1, 0, 0, 0), .mr = {i}};
		uint64_t t0 = ktest_now();
		if (!EXPECT_ST(cv_call(ep, &m), CV_OK))
			break;
		uint64_t dt = ktest_now() - t0;
		worst = dt > worst ? dt : worst;
		CHECK(m.mr[0] == i + 1, "call %u: reply %llu", i, (unsigned long long)m.mr[0]);
	}
	CHECK(worst < PREEMPT_MAX_MS * tpm, "a call to the high-priority thread took %llu ms",
	      (unsigned long long)(worst / tpm));
	/* The spinner goes on once the high-priority thread blocks again. */
	uint64_t c0 = lo.count;
	ktest_sleep_ms(30);
	CHECK(lo.count > c0, "the low-priority thread stopped running");

	m = (struct cv_msg){.info = cv_ipc_info(1, 0, 0, 0), .mr = {~0ull}};
	EXPECT_ST(cv_call(ep, &m), CV_OK);
	lo.stop = true;
	ktest_sleep_ms(5);
	EXPECT_ST(cv_cap_delete(low), CV_OK);
	EXPECT_ST(cv_cap_delete(hi), CV_OK);
	EXPECT_ST(cv_cap_delete(ep), CV_OK);
}

void test_equal_priority_share(void)
{
	static struct spinner a, b;
	cv_slot_t ta = thread_spawn(spin_main, &a, 20, 3);
	cv_slot_t tb = thread_spawn(spin_main, &b, 20, 3);

	if (ta && tb) {
		/* Timeslices are a few ticks: in 300 ms each gets several turns. */
		ktest_sleep_ms(100);
		uint64_t a1 = a.count, b1 = b.count;
		ktest_sleep_ms(300);
		uint64_t a2 = a.count, b2 = b.count;
		CHECK(a2 > a1 && b2 > b1, "in 300 ms: thread A %llu -> %llu, thread B %llu -> %llu",
		      (unsigned long long)a1, (unsigned long long)a2, (unsigned long long)b1,
		      (unsigned long long)b2);
	}
	a.stop = b.stop = true;
	ktest_sleep_ms(5);
	if (ta)
		EXPECT_ST(cv_cap_delete(ta), CV_OK);
	if (tb)
		EXPECT_ST(cv_cap_delete(tb), CV_OK);
}
