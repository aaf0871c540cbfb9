// SPDX-License-Identifier: BSD-2-Clause
// Checks with child tasks: revoke across tasks, close notification (by
// delete, revoke, kill and fault), replying to a dead caller, and that a
// task's memory all comes back.
#include <uapi/root.h>

#include "ktest.h"

#define C3 (CHILD_SLOT_FREE + 0)
#define C4 (CHILD_SLOT_FREE + 1)
#define C5 (CHILD_SLOT_FREE + 2)
#define C6 (CHILD_SLOT_FREE + 3)

static int child_has(struct child *c, cv_slot_t slot, uint32_t rights)
{
	struct cv_cap_info ci = {0};
	uint64_t st = child_info(c, slot, &ci);

	return CHECK(st == CV_OK && ci.type == CV_OBJ_ENDPOINT && ci.rights == rights,
		     "child slot %u: status %llu type %d rights 0x%x, expected an endpoint with rights 0x%x", slot,
		     (unsigned long long)st, ci.type, ci.rights, rights);
}

static int child_lacks(struct child *c, cv_slot_t slot)
{
	uint64_t st = child_info(c, slot, NULL);

	return CHECK(st == CV_E_EMPTY_SLOT, "child slot %u: status %llu, expected it empty", slot,
		     (unsigned long long)st);
}

static int child_ok(struct child *c, uint64_t cmd, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct cv_msg r;

	if (!child_do(c, cmd, a1, a2, a3, &r))
		return 0;
	return CHECK(r.mr[1] == CV_OK, "child command %llu (%llu, %llu): status %llu", (unsigned long long)cmd,
		     (unsigned long long)a1, (unsigned long long)a2, (unsigned long long)r.mr[1]);
}

/* Everything a check made and let go of has come back. */
static void memory_is_back(uint64_t free0, uint64_t used0)
{
	uint64_t now = wait_free_frames(free0, 2000), used = root_quota_used();

	CHECK(now == free0, "%lld frames not free again (free %llu, was %llu)", (long long)(free0 - now),
	      (unsigned long long)now, (unsigned long long)free0);
	CHECK(used == used0, "root quota used %llu, was %llu", (unsigned long long)used, (unsigned long long)used0);
}

/* ---- revoke ---- */

#define CHAIN 150
#define FAN 100

void test_revoke(void)
{
	uint64_t free0 = free_frames(), used0 = root_quota_used();
	struct child c;

	if (!child_spawn(&c)) {
		child_kill(&c);
		return;
	}
	cv_slot_t e = ep_new(), d = slot_new(), d2 = slot_new(), s = slot_new();
	struct cv_cap_info ci = {0};

	EXPECT_ST(cv_cap_copy(e, d, CV_RIGHTS_ALL), CV_OK);
	EXPECT_ST(cv_cap_copy(d, d2, CV_RIGHT_WRITE), CV_OK);
	EXPECT_ST(cv_cap_copy(e, s, CV_RIGHTS_ALL), CV_OK);
	/* d's descendants: c3 in the child, and c4 the child derives from it. */
	EXPECT_ST(cv_task_cap_copy(c.task, d, C3, CV_RIGHTS_ALL), CV_OK);
	child_ok(&c, CMD_COPY, C3, C4, CV_RIGHT_READ);
	/* Not derived from d: survives. */
	EXPECT_ST(cv_task_cap_copy(c.task, s, C5, CV_RIGHT_WRITE), CV_OK);
	child_has(&c, C3, CV_RIGHTS_ALL);
	child_has(&c, C4, CV_RIGHT_READ);
	if (ktest_failed())
		goto out;

	EXPECT_ST(cv_cap_revoke(d), CV_OK);
	child_lacks(&c, C3);
	child_lacks(&c, C4);
	child_has(&c, C5, CV_RIGHT_WRITE);
	EXPECT_ST(cv_cap_info(d2, &ci), CV_E_EMPTY_SLOT);
	if (EXPECT_ST(cv_cap_info(d, &ci), CV_OK))
		CHECK(ci.type == CV_OBJ_ENDPOINT && ci.rights == CV_RIGHTS_ALL, "the revoked capability changed");
	EXPECT_ST(cv_cap_info(e, &ci), CV_OK);
	EXPECT_ST(cv_cap_info(s, &ci), CV_OK);

	/* More descendants than one kernel entry deletes: a deep chain and a
	 * wide fan, one of them in the child; revoke restarts until done. */
	cv_slot_t first = 0, prev = d, last = 0;
	for (unsigned i = 0; i < CHAIN + FAN && !ktest_failed(); i++) {
		cv_slot_t n = slot_new();
		if (!first)
			first = n;
		EXPECT_ST(cv_cap_copy(i < CHAIN ? prev : d, n, CV_RIGHTS_ALL), CV_OK);
		prev = n;
		last = n;
		if (i == CHAIN - 1)
			EXPECT_ST(cv_task_cap_copy(c.task, n, C6, CV_RIGHT_READ), CV_OK);
	}
	child_has(&c, C6, CV_RIGHT_READ);
	ktest_progress();
	EXPECT_ST(cv_cap_revoke(d), CV_OK);
	unsigned left = 0;
	for (cv_slot_t n = first; n && n <= last; n++)
		left += cv_cap_info(n, &ci) != CV_E_EMPTY_SLOT;
	CHECK(left == 0, "%u of %u descendants survived the long revoke", left, CHAIN + FAN);
	child_lacks(&c, C6);
	EXPECT_ST(cv_cap_info(d, &ci), CV_OK);

	/* Revoking s takes c5 and what the child derived from it. */
	child_ok(&c, CMD_COPY, C5, C4, CV_RIGHT_WRITE);
	EXPECT_ST(cv_cap_revoke(s), CV_OK);
	child_lacks(&c, C5);
	child_lacks(&c, C4);
	child_ok(&c, CMD_PING, 0, 0, 0);
out:
	child_kill(&c);
	(void)cv_cap_delete(e);
	(void)cv_cap_delete(d);
	(void)cv_cap_delete(d2);
	(void)cv_cap_delete(s);
	memory_is_back(free0, used0);
}

/* ---- close notification ---- */

struct watched {
	cv_slot_t ep, b;
	cv_badge_t badge;
};

static int watched_new(struct watched *w, cv_badge_t badge)
{
	w->ep = ep_new();
	w->b = slot_new();
	w->badge = badge;
	return w->ep && EXPECT_ST(cv_cap_mint(w->ep, w->b, CV_RIGHTS_ALL, badge), CV_OK) &&
	       EXPECT_ST(cv_endpoint_watch(w->b), CV_OK);
}

static void watched_delete(struct watched *w)
{
	(void)cv_cap_delete(w->b);
	(void)cv_cap_delete(w->ep);
}

static int no_event(const struct watched *w, const char *when)
{
	struct cv_msg m = {.info = CV_IPC_NONBLOCK};
	enum cv_status st = cv_recv(w->ep, &m);

	return CHECK(st == CV_E_WOULD_BLOCK, "%s: receive gave %s (info 0x%llx, badge 0x%llx), expected nothing",
		     when, cv_strerror(st), (unsigned long long)m.info, (unsigned long long)m.badge);
}

/* The close event arrives, once. */
static int one_event(const struct watched *w, const char *when)
{
	struct cv_msg m = {0};
	enum cv_status st = recv_timeout(w->ep, &m, 2000);

	if (!CHECK(st == CV_OK, "%s: no close event (%s)", when, cv_strerror(st)))
		return 0;
	CHECK(m.info == CV_IPC_CLOSE_EVENT && m.badge == w->badge && !m.mr[0] && !m.mr[5],
	      "%s: got info 0x%llx badge 0x%llx mr0 0x%llx, expected a close event for 0x%llx", when,
	      (unsigned long long)m.info, (unsigned long long)m.badge, (unsigned long long)m.mr[0],
	      (unsigned long long)w->badge);
	ktest_sleep_ms(20);
	return no_event(w, "a second receive after the event");
}

void test_close_delete(void)
{
	uint64_t free0 = free_frames(), used0 = root_quota_used();
	struct child c;
	struct watched w;

	if (!child_spawn(&c) || !watched_new(&w, 0xc1)) {
		child_kill(&c);
		return;
	}
	/* Watching needs a badge and the receive right. */
	cv_slot_t nr = slot_new();
	EXPECT_ST(cv_endpoint_watch(w.ep), CV_E_BAD_ARG);
	EXPECT_ST(cv_cap_mint(w.ep, nr, CV_RIGHT_WRITE, 0xc2), CV_OK);
	EXPECT_ST(cv_endpoint_watch(nr), CV_E_NO_RIGHTS);
	no_event(&w, "watched, held by nobody else");

	/* Two copies in the child: one from the server's badged capability,
	 * one minted separately with the same badge and no rights at all. */
	cv_slot_t other = slot_new(), own = slot_new();
	EXPECT_ST(cv_task_cap_copy(c.task, w.b, C3, CV_RIGHT_WRITE), CV_OK);
	EXPECT_ST(cv_cap_mint(w.ep, other, 0, w.badge), CV_OK);
	EXPECT_ST(cv_task_cap_copy(c.task, other, C4, CV_RIGHTS_ALL), CV_OK);
	EXPECT_ST(cv_cap_delete(other), CV_OK);
	/* The server's own copies never count. */
	EXPECT_ST(cv_cap_copy(w.b, own, CV_RIGHT_READ), CV_OK);
	EXPECT_ST(cv_cap_delete(own), CV_OK);
	no_event(&w, "two copies in the child");
	if (ktest_failed())
		goto out;

	CHECK(child_delete(&c, C3) == CV_OK, "child could not delete its first copy");
	no_event(&w, "one copy (no rights, minted separately) left in the child");
	child_ok(&c, CMD_PING, 0, 0, 0);
	CHECK(child_delete(&c, C4) == CV_OK, "child could not delete its last copy");
	one_event(&w, "the child deleted its last copy");

	/* The watch has fired: new copies come and go without an event. */
	EXPECT_ST(cv_task_cap_copy(c.task, w.b, C3, CV_RIGHT_WRITE), CV_OK);
	CHECK(child_delete(&c, C3) == CV_OK, "child could not delete a later copy");
	ktest_sleep_ms(10);
	no_event(&w, "a copy given and deleted after the watch fired");
out:
	child_kill(&c);
	no_event(&w, "after the child died holding nothing");
	(void)cv_cap_delete(nr);
	watched_delete(&w);
	memory_is_back(free0, used0);
}

void test_close_revoke(void)
{
	uint64_t free0 = free_frames(), used0 = root_quota_used();
	struct child c;
	struct watched w;

	if (!child_spawn(&c) || !watched_new(&w, 0xc3)) {
		child_kill(&c);
		return;
	}
	EXPECT_ST(cv_task_cap_copy(c.task, w.b, C3, CV_RIGHTS_ALL), CV_OK);
	EXPECT_ST(cv_task_cap_copy(c.task, w.b, C4, CV_RIGHT_READ), CV_OK);
	child_ok(&c, CMD_COPY, C3, C5, CV_RIGHT_WRITE);
	no_event(&w, "three copies in the child");
	if (ktest_failed())
		goto out;
	EXPECT_ST(cv_cap_revoke(w.b), CV_OK);
	one_event(&w, "the server revoked every copy");
	child_lacks(&c, C3);
	child_lacks(&c, C4);
	child_lacks(&c, C5);
	child_ok(&c, CMD_PING, 0, 0, 0);
out:
	child_kill(&c);
	no_event(&w, "after the child died");
	watched_delete(&w);
	memory_is_back(free0, used0);
}

void test_close_kill(void)
{
	uint64_t free0 = free_frames(), used0 = root_quota_used();
	struct child c;
	struct watched w;

	if (!child_spawn(&c) || !watched_new(&w, 0xc4)) {
		child_kill(&c);
		return;
	}
	EXPECT_ST(cv_task_cap_copy(c.task, w.b, C3, CV_RIGHT_WRITE), CV_OK);
	EXPECT_ST(cv_task_cap_copy(c.task, w.b, C4, CV_RIGHT_READ), CV_OK);
	child_ok(&c, CMD_COPY, C4, C5, 0);
	no_event(&w, "three copies in a live child");
	if (ktest_failed())
		goto out;
	/* Deleting the only task capability kills the child. */
	EXPECT_ST(cv_cap_delete(c.task), CV_OK);
	c.task = 0;
	one_event(&w, "the child task was killed");
out:
	child_kill(&c);
	watched_delete(&w);
	memory_is_back(free0, used0);
}

void test_close_fault(void)
{
	uint64_t free0 = free_frames(), used0 = root_quota_used();
	struct child c;
	struct watched w;

	if (!child_spawn(&c) || !watched_new(&w, 0xc5)) {
		child_kill(&c);
		return;
	}
	EXPECT_ST(cv_task_cap_copy(c.task, w.b, C3, CV_RIGHT_WRITE), CV_OK);
	no_event(&w, "a copy in a live child");
	if (ktest_failed())
		goto out;
	/* The child writes to an unmapped address: the kernel kills it (the
	 * console shows why), and its copy goes with it. */
	child_do(&c, CMD_FAULT, 0, 0, 0, NULL);
	one_event(&w, "the child faulted");
	/* The task is dead, though its capability still names it. */
	EXPECT_ST(cv_task_cap_copy(c.task, w.b, C4, CV_RIGHT_WRITE), CV_E_DEAD);
	EXPECT_ST(cv_thread_start(c.thread), CV_E_DEAD);
	struct cv_cap_info ci = {0};
	if (EXPECT_ST(cv_cap_info(c.task, &ci), CV_OK))
		CHECK(ci.type == CV_OBJ_TASK, "the dead task's capability changed type");
	/* The parent is fine: its own IPC still works. */
	struct cv_msg m = {.info = CV_IPC_NONBLOCK};
	EXPECT_ST(cv_recv(c.rep, &m), CV_E_WOULD_BLOCK);
out:
	child_kill(&c);
	no_event(&w, "after the dead child's capabilities went");
	watched_delete(&w);
	memory_is_back(free0, used0);
}

/* A server's reply carrying a capability it watches: REPLY says whether
 * the copy arrived; if not, the watch is taken back (the vmmctl service's
 * case of a client that named no receive slot). */
static int reply_with(struct child *c, cv_slot_t server, cv_slot_t give, cv_slot_t recv_slot, unsigned want)
{
	struct cv_msg m = {0};

	child_do(c, CMD_CALL, C3, 7, recv_slot, NULL);
	if (!EXPECT_ST(recv_timeout(server, &m, 2000), CV_OK))
		return 0;
	m = (struct cv_msg){.info = cv_ipc_info(1, 1, give, 0), .mr = {0x5e}};
	if (!EXPECT_ST(cv_reply(&m), CV_OK))
		return 0;
	unsigned got = (unsigned)((m.info & CV_IPC_CAPS_MASK) >> CV_IPC_CAPS_SHIFT);
	CHECK(got == want && (m.info & CV_IPC_LEN_MASK) == 1,
	      "REPLY said info 0x%llx (%u capabilities arrived), expected %u and length 1", (unsigned long long)m.info,
	      got, want);
	struct cv_msg r;
	return EXPECT_ST(recv_timeout(c->rep, &r, 2000), CV_OK) &&
	       CHECK(r.mr[0] == REPORT_DONE && r.mr[1] == CV_OK && r.mr[2] == 0x5e, "the child's call ended wrong");
}

void test_close_unwatch(void)
{
	uint64_t free0 = free_frames(), used0 = root_quota_used();
	struct child c;
	struct watched w = {0};
	cv_slot_t s = ep_new(), nr = slot_new();
	unsigned n = 99;

	if (!s || !child_spawn(&c) || !watched_new(&w, 0xc6)) {
		child_kill(&c);
		goto out;
	}
	EXPECT_ST(cv_cap_mint(w.ep, nr, CV_RIGHT_WRITE, 0xc7), CV_OK);
	EXPECT_ST(cv_endpoint_unwatch(w.ep, &n), CV_E_BAD_ARG);
	EXPECT_ST(cv_endpoint_unwatch(nr, &n), CV_E_NO_RIGHTS);
	EXPECT_ST(cv_endpoint_unwatch(CV_ROOT_SLOT_QUOTA, &n), CV_E_BAD_TYPE);
	EXPECT_ST(cv_endpoint_unwatch(0xfffffff0u, &n), CV_E_BAD_SLOT);
	CHECK(n == 99, "a refused UNWATCH wrote its count");
	EXPECT_ST(cv_task_cap_copy(c.task, s, C3, CV_RIGHT_WRITE), CV_OK);

	/* No receive slot: nothing arrives, the watch waits in vain... */
	if (!reply_with(&c, s, w.b, 0, 0))
		goto out;
	child_lacks(&c, C5);
	/* ...until it is taken back, and its frame with it. */
	uint64_t used1 = root_quota_used();
	EXPECT_ST(cv_endpoint_unwatch(w.b, &n), CV_OK);
	CHECK(n == 1, "UNWATCH cancelled %u watches, expected 1", n);
	CHECK(root_quota_used() == used1 - 1, "the watch's frame did not come back (used %llu, was %llu)",
	      (unsigned long long)root_quota_used(), (unsigned long long)used1);
	EXPECT_ST(cv_endpoint_unwatch(w.b, &n), CV_OK);
	CHECK(n == 0, "a second UNWATCH cancelled %u", n);

	/* Watched again, and this time the copy arrives and its going is told. */
	EXPECT_ST(cv_endpoint_watch(w.b), CV_OK);
	if (!reply_with(&c, s, w.b, C5, 1))
		goto out;
	struct cv_cap_info ci = {0};
	CHECK(child_info(&c, C5, &ci) == CV_OK && ci.type == CV_OBJ_ENDPOINT && ci.badge == w.badge,
	      "the reply's capability did not arrive in C5");
	no_event(&w, "the copy is in the child");
	CHECK(child_delete(&c, C5) == CV_OK, "child could not delete the copy");
	one_event(&w, "the child deleted the copy it was replied");
	/* An UNWATCH after the event finds nothing. */
	EXPECT_ST(cv_endpoint_unwatch(w.b, &n), CV_OK);
	CHECK(n == 0, "UNWATCH after the event cancelled %u", n);
out:
	child_kill(&c);
	(void)cv_cap_delete(nr);
	(void)cv_cap_delete(s);
	watched_delete(&w);
	memory_is_back(free0, used0);
}

/* ---- replies to callers that died ---- */

void test_reply_to_dead_caller(void)
{
	uint64_t free0 = free_frames(), used0 = root_quota_used();
	struct child c;
	cv_slot_t s = ep_new();
	struct cv_msg m = {0};

	if (!s)
		return;
	if (!child_spawn(&c))
		goto out;
	/* The child calls us; we take the call and do not answer yet. */
	EXPECT_ST(cv_task_cap_copy(c.task, s, C3, CV_RIGHT_WRITE), CV_OK);
	child_do(&c, CMD_CALL, C3, 42, 0, NULL);
	if (!EXPECT_ST(recv_timeout(s, &m, 2000), CV_OK))
		goto out;
	CHECK(m.mr[0] == 0xca11 && m.mr[1] == 42 && m.badge == 0, "the child's call arrived wrong");
	/* The caller's task dies while it waits for the reply. */
	child_kill(&c);
	m = (struct cv_msg){.info = cv_ipc_info(1, 0, 0, 0), .mr = {1}};
	EXPECT_ST(cv_reply(&m), CV_E_DEAD);
	EXPECT_ST(cv_reply(&m), CV_E_DEAD);

	/* A caller that dies while still queued leaves nothing behind. */
	if (!child_spawn(&c))
		goto out;
	EXPECT_ST(cv_task_cap_copy(c.task, s, C3, CV_RIGHT_WRITE), CV_OK);
	child_do(&c, CMD_CALL, C3, 43, 0, NULL);
	ktest_sleep_ms(30);
	child_kill(&c);
	m = (struct cv_msg){.info = CV_IPC_NONBLOCK};
	EXPECT_ST(cv_recv(s, &m), CV_E_WOULD_BLOCK);
	/* REPLY_RECV with no caller to answer still receives. */
	m = (struct cv_msg){.info = CV_IPC_NONBLOCK | cv_ipc_info(1, 0, 0, 0)};
	EXPECT_ST(cv_reply_recv(s, &m), CV_E_WOULD_BLOCK);
out:
	child_kill(&c);
	(void)cv_cap_delete(s);
	memory_is_back(free0, used0);
}

/* ---- memory comes back ---- */

void test_memory_back(void)
{
	uint64_t free0 = free_frames(), used0 = root_quota_used();

	for (int round = 0; round < 3 && !ktest_failed(); round++) {
		struct child c;
		cv_slot_t e = ep_new();

		if (child_spawn(&c)) {
			uint64_t free1 = free_frames(), used1 = root_quota_used();
			CHECK(free1 < free0 && used1 > used0, "a live child costs nothing? free %llu/%llu used %llu/%llu",
			      (unsigned long long)free1, (unsigned long long)free0, (unsigned long long)used1,
			      (unsigned long long)used0);
			EXPECT_ST(cv_task_cap_copy(c.task, e, C3, CV_RIGHTS_ALL), CV_OK);
			child_ok(&c, CMD_COPY, C3, C4, CV_RIGHT_READ);
			/* Round 1: the child's thread has ended before the task dies. */
			if (round == 1) {
				child_do(&c, CMD_EXIT, 0, 0, 0, NULL);
				ktest_sleep_ms(20);
			}
		}
		child_kill(&c);
		(void)cv_cap_delete(e);
		memory_is_back(free0, used0);
	}
}
