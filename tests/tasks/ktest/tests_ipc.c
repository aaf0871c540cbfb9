// SPDX-License-Identifier: BSD-2-Clause
// Capability operations and their errors; endpoint IPC on one CPU and
// across CPUs with badges and user rights; FP/SIMD state kept across IPC;
// capability transfer.
#include <stdio.h>
#include <string.h>

#include <uapi/root.h>

#include "ktest.h"

#define CAP_ALL_USER CV_RIGHTS_USER_MASK

static int info_is(cv_slot_t slot, enum cv_obj_type type, uint32_t rights, cv_badge_t badge)
{
	struct cv_cap_info ci = {0};

	if (!EXPECT_ST(cv_cap_info(slot, &ci), CV_OK))
		return 0;
	return CHECK(ci.type == type && ci.rights == rights && ci.badge == badge,
		     "slot %u: type %d rights 0x%x badge 0x%llx, expected type %d rights 0x%x badge 0x%llx",
		     slot, ci.type, ci.rights, (unsigned long long)ci.badge, type, rights,
		     (unsigned long long)badge);
}

void test_caps(void)
{
	struct cv_cap_info ci = {0};

	/* What the kernel gave the root task. */
	info_is(CV_ROOT_SLOT_TASK, CV_OBJ_TASK, CV_RIGHTS_KERNEL_MASK, 0);
	info_is(CV_ROOT_SLOT_THREAD, CV_OBJ_THREAD, CV_RIGHTS_KERNEL_MASK, 0);
	info_is(CV_ROOT_SLOT_QUOTA, CV_OBJ_QUOTA, CV_RIGHTS_KERNEL_MASK, 0);

	/* Each kind of bad slot has its own error. */
	cv_slot_t empty = slot_new();
	EXPECT_ST(cv_cap_info(999999, &ci), CV_E_BAD_SLOT);
	EXPECT_ST(cv_cap_info(CV_ROOT_SLOTS, &ci), CV_E_BAD_SLOT);
	EXPECT_ST(cv_cap_info(empty, &ci), CV_E_EMPTY_SLOT);
	EXPECT_ST(cv_cap_delete(999999), CV_E_BAD_SLOT);
	EXPECT_ST(cv_cap_delete(empty), CV_E_EMPTY_SLOT);
	EXPECT_ST(cv_cap_copy(empty, slot_new(), CV_RIGHTS_ALL), CV_E_EMPTY_SLOT);
	EXPECT_ST(cv_cap_copy(CV_ROOT_SLOT_QUOTA, 0x7fffffff, CV_RIGHTS_ALL), CV_E_BAD_SLOT);
	EXPECT_ST(cv_cap_copy(CV_ROOT_SLOT_QUOTA, CV_ROOT_SLOT_TASK, CV_RIGHTS_ALL), CV_E_SLOT_IN_USE);
	EXPECT_ST(cv_endpoint_create(CV_ROOT_SLOT_QUOTA, CV_ROOT_SLOT_THREAD), CV_E_SLOT_IN_USE);
	EXPECT_ST(cv_cap_move(CV_ROOT_SLOT_QUOTA, CV_ROOT_SLOT_QUOTA), CV_E_SLOT_IN_USE);
	EXPECT_ST(cv_cap_revoke(empty), CV_E_EMPTY_SLOT);

	uint64_t free0 = free_frames();
	cv_slot_t ep = ep_new();
	if (!ep)
		return;
	info_is(ep, CV_OBJ_ENDPOINT, CV_RIGHTS_ALL, 0);
	CHECK(free_frames() == free0 - 1, "an endpoint took %lld frames, not 1",
	      (long long)(free0 - free_frames()));

	/* Wrong object types. */
	struct cv_msg m = {.info = CV_IPC_NONBLOCK};
	EXPECT_ST(cv_call(CV_ROOT_SLOT_QUOTA, &m), CV_E_BAD_TYPE);
	m.info = CV_IPC_NONBLOCK;
	EXPECT_ST(cv_recv(CV_ROOT_SLOT_TASK, &m), CV_E_BAD_TYPE);
	EXPECT_ST(cv_endpoint_create(ep, slot_new()), CV_E_BAD_TYPE);
	EXPECT_ST(cv_cap_mint(CV_ROOT_SLOT_QUOTA, slot_new(), CV_RIGHTS_ALL, 5), CV_E_BAD_TYPE);
	EXPECT_ST(cv_thread_start(ep), CV_E_BAD_TYPE);
	EXPECT_ST(cv_endpoint_watch(CV_ROOT_SLOT_QUOTA), CV_E_BAD_TYPE);

	/* Missing rights: a copy with no rights can neither call nor receive. */
	cv_slot_t none = slot_new();
	if (EXPECT_ST(cv_cap_copy(ep, none, 0), CV_OK)) {
		info_is(none, CV_OBJ_ENDPOINT, 0, 0);
		m = (struct cv_msg){.info = CV_IPC_NONBLOCK};
		EXPECT_ST(cv_call(none, &m), CV_E_NO_RIGHTS);
		m = (struct cv_msg){.info = CV_IPC_NONBLOCK};
		EXPECT_ST(cv_send(none, &m), CV_E_NO_RIGHTS);
		m = (struct cv_msg){.info = CV_IPC_NONBLOCK};
		EXPECT_ST(cv_recv(none, &m), CV_E_NO_RIGHTS);
	}
	cv_slot_t rd = slot_new();
	if (EXPECT_ST(cv_cap_copy(ep, rd, CV_RIGHT_READ), CV_OK)) {
		m = (struct cv_msg){.info = CV_IPC_NONBLOCK};
		EXPECT_ST(cv_call(rd, &m), CV_E_NO_RIGHTS);
		m = (struct cv_msg){.info = CV_IPC_NONBLOCK};
		EXPECT_ST(cv_recv(rd, &m), CV_E_WOULD_BLOCK);
	}
	/* A quota without the write right pays for nothing. */
	cv_slot_t q_ro = slot_new();
	if (EXPECT_ST(cv_cap_copy(CV_ROOT_SLOT_QUOTA, q_ro, CV_RIGHT_READ), CV_OK)) {
		EXPECT_ST(cv_endpoint_create(q_ro, slot_new()), CV_E_NO_RIGHTS);
		EXPECT_ST(cv_cap_delete(q_ro), CV_OK);
	}

	/* Badges: set once, never 0, and only on unbadged capabilities. */
	cv_slot_t b1 = slot_new(), b2 = slot_new(), b3 = slot_new();
	EXPECT_ST(cv_cap_mint(ep, b1, CV_RIGHT_WRITE | CV_RIGHT_USER(1), 0x1234), CV_OK);
	info_is(b1, CV_OBJ_ENDPOINT, CV_RIGHT_WRITE | CV_RIGHT_USER(1), 0x1234);
	EXPECT_ST(cv_cap_mint(b1, b2, CV_RIGHTS_ALL, 0x5678), CV_E_BUSY);
	EXPECT_ST(cv_cap_mint(ep, b2, CV_RIGHTS_ALL, 0), CV_E_BAD_ARG);
	EXPECT_ST(cv_cap_info(b2, &ci), CV_E_EMPTY_SLOT); /* failed: nothing made */
	/* A copy of a badged capability keeps its badge. */
	EXPECT_ST(cv_cap_copy(b1, b3, CV_RIGHTS_ALL), CV_OK);
	info_is(b3, CV_OBJ_ENDPOINT, CV_RIGHT_WRITE | CV_RIGHT_USER(1), 0x1234);
	/* The same badge may be minted twice from the unbadged capability. */
	EXPECT_ST(cv_cap_mint(ep, b2, CV_RIGHT_READ, 0x1234), CV_OK);
	info_is(b2, CV_OBJ_ENDPOINT, CV_RIGHT_READ, 0x1234);

	/* Rights only shrink, user rights too. */
	cv_slot_t r1 = slot_new(), r2 = slot_new(), r3 = slot_new();
	uint32_t mask = CV_RIGHT_READ | CV_RIGHT_GRANT | CV_RIGHT_USER(0) | CV_RIGHT_USER(7);
	EXPECT_ST(cv_cap_copy(ep, r1, mask), CV_OK);
	info_is(r1, CV_OBJ_ENDPOINT, mask, 0);
	EXPECT_ST(cv_cap_copy(r1, r2, CV_RIGHTS_ALL), CV_OK);
	info_is(r2, CV_OBJ_ENDPOINT, mask, 0);
	EXPECT_ST(cv_cap_copy(r2, r3, CV_RIGHT_READ | CV_RIGHT_WRITE | CV_RIGHT_USER(7) | CV_RIGHT_USER(3)),
		  CV_OK);
	info_is(r3, CV_OBJ_ENDPOINT, CV_RIGHT_READ | CV_RIGHT_USER(7), 0);
	/* Other types hold no user rights. */
	cv_slot_t qc = slot_new();
	EXPECT_ST(cv_cap_copy(CV_ROOT_SLOT_QUOTA, qc, CV_RIGHTS_ALL), CV_OK);
	info_is(qc, CV_OBJ_QUOTA, CV_RIGHTS_KERNEL_MASK, 0);

	/* Move keeps everything; the source is empty afterwards. */
	cv_slot_t mv = slot_new();
	EXPECT_ST(cv_cap_move(r3, mv), CV_OK);
	EXPECT_ST(cv_cap_info(r3, &ci), CV_E_EMPTY_SLOT);
	info_is(mv, CV_OBJ_ENDPOINT, CV_RIGHT_READ | CV_RIGHT_USER(7), 0);

	/* Deleting a capability leaves the others (and the object) alone. */
	EXPECT_ST(cv_cap_delete(ep), CV_OK);
	EXPECT_ST(cv_cap_delete(ep), CV_E_EMPTY_SLOT);
	info_is(r1, CV_OBJ_ENDPOINT, mask, 0);
	m = (struct cv_msg){.info = CV_IPC_NONBLOCK};
	EXPECT_ST(cv_recv(r1, &m), CV_E_WOULD_BLOCK);

	const cv_slot_t all[] = {none, rd, b1, b2, b3, r1, r2, mv, qc};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		EXPECT_ST(cv_cap_delete(all[i]), CV_OK);
	/* With its last capability the endpoint itself went. */
	uint64_t now = wait_free_frames(free0, 1000);
	CHECK(now == free0, "%lld frames not freed after the endpoint's last capability went",
	      (long long)(free0 - now));
}

/* ---- a server thread in the root task ---- */

enum server_op {
	OP_ECHO = 1,  /* reply: badge, info seen, mr1 + mr2, mr3 ^ 0x5a5a, mr4, mr5 */
	OP_RECORD,    /* (a SEND) remember mr1 and the badge */
	OP_GET,       /* reply: recorded value, count, badge */
	OP_CAPS,      /* reply: info seen, what arrived in the receive slots; then deletes them */
	OP_EXIT,      /* reply, then the thread exits */
};

struct server {
	cv_slot_t ep;
	cv_slot_t rslot[2];
	volatile uint64_t recorded, record_count, record_badge;
	volatile enum cv_status error;
};

static uint64_t pack_info(enum cv_status st, const struct cv_cap_info *ci)
{
	return (uint64_t)st | (uint64_t)(ci->type & 0xff) << 8 | (uint64_t)ci->rights << 16;
}

static void server_main(void *p)
{
	struct server *s = p;
	uint64_t arg = cv_ipc_endpoint_arg(s->ep, s->rslot[0], s->rslot[1]);
	struct cv_msg m = {0};
	enum cv_status st = cv_recv(arg, &m);

	while (st == CV_OK) {
		struct cv_msg r = {.info = cv_ipc_info(6, 0, 0, 0)};

		switch (m.mr[0]) {
		case OP_ECHO:
			r.mr[0] = m.badge;
			r.mr[1] = m.info;
			r.mr[2] = m.mr[1] + m.mr[2];
			r.mr[3] = m.mr[3] ^ 0x5a5a;
			r.mr[4] = m.mr[4];
			r.mr[5] = m.mr[5];
			break;
		case OP_RECORD:
			s->recorded = m.mr[1];
			s->record_badge = m.badge;
			s->record_count++;
			break;
		case OP_GET:
			r.mr[0] = s->recorded;
			r.mr[1] = s->record_count;
			r.mr[2] = s->record_badge;
			break;
		case OP_CAPS:
			r.mr[0] = m.info;
			for (int i = 0; i < 2; i++) {
				struct cv_cap_info ci = {0};
				enum cv_status ist = cv_cap_info(s->rslot[i], &ci);
				r.mr[1 + 2 * i] = pack_info(ist, &ci);
				r.mr[2 + 2 * i] = ci.badge;
				if (ist == CV_OK)
					(void)cv_cap_delete(s->rslot[i]);
			}
			break;
		case OP_EXIT:
			(void)cv_reply(&r);
			return;
		default:
			r.mr[0] = ~0ull;
			break;
		}
		st = cv_reply_recv(arg, &r);
		m = r;
	}
	s->error = st;
}

static struct server *server_start(struct server *s, unsigned cpu, cv_slot_t *thread)
{
	memset(s, 0, sizeof(*s));
	s->ep = ep_new();
	s->rslot[0] = slot_new();
	s->rslot[1] = slot_new();
	if (!s->ep)
		return NULL;
	*thread = thread_spawn(server_main, s, 40, cpu);
	return *thread ? s : NULL;
}

static void server_stop(struct server *s, cv_slot_t thread)
{
	struct cv_msg m = {.info = cv_ipc_info(1, 0, 0, 0), .mr = {OP_EXIT}};

	EXPECT_ST(cv_call(s->ep, &m), CV_OK);
	CHECK(s->error == CV_OK, "server: %s", cv_strerror(s->error));
	EXPECT_ST(cv_cap_delete(thread), CV_OK);
	EXPECT_ST(cv_cap_delete(s->ep), CV_OK);
}

static void ipc_test(unsigned cpu, unsigned rounds)
{
	struct server srv;
	cv_slot_t thread;

	if (!server_start(&srv, cpu, &thread))
		return;
	const cv_badge_t badge = 0xb0b0 + cpu;
	const uint32_t user = CV_RIGHT_USER(2) | CV_RIGHT_USER(5);
	cv_slot_t b = slot_new(), b_less = slot_new();
	EXPECT_ST(cv_cap_mint(srv.ep, b, CV_RIGHT_WRITE | user, badge), CV_OK);

	/* Calls with a badged, user-rights-restricted capability. */
	for (unsigned i = 0; i < rounds && !ktest_failed(); i++) {
		struct cv_msg m = {.info = cv_ipc_info(4, 0, 0, 0),
				   .mr = {OP_ECHO, i, 1000, 0xabc0 + i, 0xdead, 0xbeef}};
		if (!EXPECT_ST(cv_call(b, &m), CV_OK))
			break;
		uint64_t seen = m.mr[1];
		CHECK(m.mr[0] == badge, "round %u: server saw badge 0x%llx", i, (unsigned long long)m.mr[0]);
		CHECK((seen & CV_IPC_LEN_MASK) == 4 && (seen & CV_IPC_CAPS_MASK) == 0 &&
			      !(seen & CV_IPC_CLOSE_EVENT) &&
			      ((seen >> CV_IPC_USER_RIGHTS_SHIFT) & 0xff) == (user >> CV_RIGHTS_USER_SHIFT),
		      "round %u: server saw info 0x%llx", i, (unsigned long long)seen);
		CHECK(m.mr[2] == i + 1000 && m.mr[3] == ((0xabc0 + i) ^ 0x5a5a),
		      "round %u: wrong reply values %llu 0x%llx", i, (unsigned long long)m.mr[2],
		      (unsigned long long)m.mr[3]);
		CHECK(m.mr[4] == 0 && m.mr[5] == 0, "round %u: registers past the length arrived (0x%llx 0x%llx)", i,
		      (unsigned long long)m.mr[4], (unsigned long long)m.mr[5]);
		CHECK((m.info & CV_IPC_LEN_MASK) == 6 && m.badge == 0, "round %u: reply info 0x%llx badge 0x%llx", i,
		      (unsigned long long)m.info, (unsigned long long)m.badge);
		if ((i & 63) == 0)
			ktest_progress();
	}

	/* A copy with fewer user rights delivers fewer, the same badge. */
	EXPECT_ST(cv_cap_copy(b, b_less, CV_RIGHT_WRITE | CV_RIGHT_USER(2)), CV_OK);
	struct cv_msg m = {.info = cv_ipc_info(1, 0, 0, 0), .mr = {OP_ECHO}};
	if (EXPECT_ST(cv_call(b_less, &m), CV_OK))
		CHECK(m.mr[0] == badge && ((m.mr[1] >> CV_IPC_USER_RIGHTS_SHIFT) & 0xff) == (1u << 2),
		      "shrunk copy: badge 0x%llx info 0x%llx", (unsigned long long)m.mr[0],
		      (unsigned long long)m.mr[1]);
	/* The unbadged capability: badge 0, every user right. */
	m = (struct cv_msg){.info = cv_ipc_info(1, 0, 0, 0), .mr = {OP_ECHO}};
	if (EXPECT_ST(cv_call(srv.ep, &m), CV_OK))
		CHECK(m.mr[0] == 0 && ((m.mr[1] >> CV_IPC_USER_RIGHTS_SHIFT) & 0xff) == 0xff,
		      "unbadged: badge 0x%llx info 0x%llx", (unsigned long long)m.mr[0],
		      (unsigned long long)m.mr[1]);
	/* Too many message registers. */
	m = (struct cv_msg){.info = 7};
	EXPECT_ST(cv_call(b, &m), CV_E_BAD_ARG);

	/* SEND: no reply; the server got it (it answers the next call in order). */
	m = (struct cv_msg){.info = cv_ipc_info(2, 0, 0, 0), .mr = {OP_RECORD, 777}};
	EXPECT_ST(cv_send(b, &m), CV_OK);
	m = (struct cv_msg){.info = cv_ipc_info(1, 0, 0, 0), .mr = {OP_GET}};
	if (EXPECT_ST(cv_call(b, &m), CV_OK))
		CHECK(m.mr[0] == 777 && m.mr[1] == 1 && m.mr[2] == badge,
		      "after SEND: recorded %llu, %llu times, badge 0x%llx", (unsigned long long)m.mr[0],
		      (unsigned long long)m.mr[1], (unsigned long long)m.mr[2]);
	/* A NONBLOCK SEND reaches a waiting receiver. */
	m = (struct cv_msg){.info = cv_ipc_info(2, 0, 0, 0), .mr = {OP_RECORD, 778}};
	EXPECT_ST(send_timeout(b, &m, 2000), CV_OK);
	m = (struct cv_msg){.info = cv_ipc_info(1, 0, 0, 0), .mr = {OP_GET}};
	if (EXPECT_ST(cv_call(b, &m), CV_OK))
		CHECK(m.mr[0] == 778 && m.mr[1] == 2, "after NONBLOCK SEND: recorded %llu, %llu times",
		      (unsigned long long)m.mr[0], (unsigned long long)m.mr[1]);

	/* Nobody on the other side: NONBLOCK fails instead of waiting. */
	cv_slot_t lonely = ep_new();
	if (lonely) {
		m = (struct cv_msg){.info = CV_IPC_NONBLOCK};
		EXPECT_ST(cv_recv(lonely, &m), CV_E_WOULD_BLOCK);
		m = (struct cv_msg){.info = CV_IPC_NONBLOCK | cv_ipc_info(1, 0, 0, 0), .mr = {1}};
		EXPECT_ST(cv_call(lonely, &m), CV_E_WOULD_BLOCK);
		m = (struct cv_msg){.info = CV_IPC_NONBLOCK | cv_ipc_info(1, 0, 0, 0), .mr = {1}};
		EXPECT_ST(cv_send(lonely, &m), CV_E_WOULD_BLOCK);
		/* ...and the failed attempts left nothing queued. */
		m = (struct cv_msg){.info = CV_IPC_NONBLOCK};
		EXPECT_ST(cv_recv(lonely, &m), CV_E_WOULD_BLOCK);
		/* REPLY with nobody to answer. */
		m = (struct cv_msg){.info = 0};
		EXPECT_ST(cv_reply(&m), CV_E_DEAD);
		EXPECT_ST(cv_cap_delete(lonely), CV_OK);
	}

	server_stop(&srv, thread);
	EXPECT_ST(cv_cap_delete(b), CV_OK);
	EXPECT_ST(cv_cap_delete(b_less), CV_OK);
}

void test_ipc_same_cpu(void)
{
	ipc_test(0, 500);
}

void test_ipc_cross_cpu(void)
{
	ipc_test(1, 500);
}

/* ---- FP/SIMD state across IPC ---- */

/* Several times the kernel's FPU_EAGER_SWITCHES (kernel/fpu.h): each
 * thread's hint runs out and is renewed by a trapped use many times. */
#define FP_ROUNDS 300
#define FP_ROUNDS_CROSS 40 /* past one hint still; slow on a loaded host: a wake-up per message */

struct fp_server {
	cv_slot_t ep;
	uint64_t rounds, wrong, last_seen, last_want;
};

/* One IPC trap (CALL or REPLY_RECV, one message register) with d16 set to
 * mine just before and read just after: the kernel must give this thread
 * its own d16 back, whoever ran and used d16 in between. Returns the
 * status; *mr0 goes out and comes back, *seen is d16 afterwards. */
static enum cv_status fp_ipc(uint64_t nr, cv_slot_t ep, uint64_t mine, uint64_t *mr0, uint64_t *seen)
{
	register uint64_t x0 __asm__("x0") = ep;
	register uint64_t x1 __asm__("x1") = cv_ipc_info(1, 0, 0, 0);
	register uint64_t x2 __asm__("x2") = *mr0;
	register uint64_t x8 __asm__("x8") = nr;
	uint64_t got;

	__asm__ volatile("fmov d16, %[mine]\n\tsvc #0\n\tfmov %[got], d16"
			 : [got] "=&r"(got), "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x8)
			 : [mine] "r"(mine)
			 : "x3", "x4", "x5", "x6", "x7", "v16", "memory");
	*mr0 = x2;
	*seen = got;
	return (enum cv_status)x0;
}

/* Answers each call with its MR0 plus one, checking its own d16 each time. */
static void fp_server_main(void *arg)
{
	struct fp_server *s = arg;
	struct cv_msg m = {0};

	if (cv_recv(s->ep, &m) != CV_OK)
		return;
	uint64_t mr0 = m.mr[0], seen;
	for (;;) {
		uint64_t mine = 0x5e5e000000000000ull | s->rounds;
		mr0++;
		if (fp_ipc(CV_SYS_REPLY_RECV, s->ep, mine, &mr0, &seen) != CV_OK)
			return;
		if (seen != mine) {
			s->wrong++;
			s->last_seen = seen;
			s->last_want = mine;
		}
		s->rounds++;
	}
}

static void fp_test(unsigned cpu, uint64_t rounds)
{
	static struct fp_server srv;
	uint64_t wrong = 0, last_seen = 0, last_want = 0;

	memset(&srv, 0, sizeof(srv));
	srv.ep = ep_new();
	cv_slot_t thread = srv.ep ? thread_spawn(fp_server_main, &srv, 40, cpu) : 0;
	if (!thread)
		return;
	for (uint64_t i = 0; i < rounds && !ktest_failed(); i++) {
		uint64_t mine = 0xc1c1000000000000ull | i, mr0 = i, seen;
		if (!EXPECT_ST(fp_ipc(CV_SYS_CALL, srv.ep, mine, &mr0, &seen), CV_OK))
			break;
		CHECK(mr0 == i + 1, "round %llu: reply 0x%llx", (unsigned long long)i, (unsigned long long)mr0);
		if (seen != mine) {
			wrong++;
			last_seen = seen;
			last_want = mine;
		}
		if ((i & 7) == 0)
			ktest_progress();
	}
	CHECK(!wrong, "caller: d16 wrong after %llu calls (0x%llx, expected 0x%llx)", (unsigned long long)wrong,
	      (unsigned long long)last_seen, (unsigned long long)last_want);
	CHECK(!srv.wrong, "server: d16 wrong after %llu replies (0x%llx, expected 0x%llx)",
	      (unsigned long long)srv.wrong, (unsigned long long)srv.last_seen, (unsigned long long)srv.last_want);
	CHECK(srv.rounds + 1 >= rounds, "the server answered %llu calls", (unsigned long long)srv.rounds);
	EXPECT_ST(cv_cap_delete(thread), CV_OK);
	EXPECT_ST(cv_cap_delete(srv.ep), CV_OK);
}

/* Both threads on this CPU (the IPC fast path, FP/SIMD switched with the
 * threads), then the server on another CPU (the generic path). */
void test_ipc_fp(void)
{
	fp_test(0, FP_ROUNDS);
	if (!ktest_failed())
		fp_test(1, FP_ROUNDS_CROSS);
}

/* ---- capability transfer ---- */

static int caps_call(cv_slot_t via, unsigned caps, cv_slot_t s0, cv_slot_t s1, struct cv_msg *m)
{
	*m = (struct cv_msg){.info = cv_ipc_info(1, caps, s0, s1), .mr = {OP_CAPS}};
	return EXPECT_ST(cv_call(via, m), CV_OK);
}

static void expect_arrived(const struct cv_msg *m, int i, enum cv_status st, enum cv_obj_type type,
			   uint32_t rights, cv_badge_t badge)
{
	uint64_t got = m->mr[1 + 2 * i];
	struct cv_cap_info want = {.type = type, .rights = rights};

	CHECK(got == pack_info(st, &want) && (st != CV_OK || m->mr[2 + 2 * i] == badge),
	      "receive slot %d: status %llu type %llu rights 0x%llx badge 0x%llx; expected %s type %d rights 0x%x "
	      "badge 0x%llx",
	      i, (unsigned long long)(got & 0xff), (unsigned long long)((got >> 8) & 0xff),
	      (unsigned long long)(got >> 16), (unsigned long long)m->mr[2 + 2 * i], cv_strerror(st), type, rights,
	      (unsigned long long)badge);
}

static unsigned caps_seen(const struct cv_msg *m)
{
	return (unsigned)((m->mr[0] & CV_IPC_CAPS_MASK) >> CV_IPC_CAPS_SHIFT);
}

void test_cap_transfer(void)
{
	struct server srv;
	cv_slot_t thread;
	struct cv_msg m;

	if (!server_start(&srv, 1, &thread))
		return;
	cv_slot_t x = ep_new(), xb = slot_new(), y = ep_new();
	cv_slot_t grant = slot_new(), nogrant = slot_new();
	const uint32_t xb_rights = CV_RIGHT_READ | CV_RIGHT_WRITE | CV_RIGHT_USER(3);
	EXPECT_ST(cv_cap_mint(x, xb, xb_rights, 0x77), CV_OK);
	EXPECT_ST(cv_cap_mint(srv.ep, grant, CV_RIGHT_WRITE | CV_RIGHT_GRANT, 0x100), CV_OK);
	EXPECT_ST(cv_cap_mint(srv.ep, nogrant, CV_RIGHT_WRITE, 0x101), CV_OK);
	if (ktest_failed())
		return;

	/* With GRANT: both capabilities arrive, with their rights and badges. */
	if (caps_call(grant, 2, xb, y, &m)) {
		CHECK(caps_seen(&m) == 2, "with GRANT: info says %u capabilities", caps_seen(&m));
		expect_arrived(&m, 0, CV_OK, CV_OBJ_ENDPOINT, xb_rights, 0x77);
		expect_arrived(&m, 1, CV_OK, CV_OBJ_ENDPOINT, CV_RIGHTS_ALL, 0);
	}
	/* One capability: only the first receive slot is used. */
	if (caps_call(grant, 1, xb, 0, &m)) {
		CHECK(caps_seen(&m) == 1, "one capability: info says %u", caps_seen(&m));
		expect_arrived(&m, 0, CV_OK, CV_OBJ_ENDPOINT, xb_rights, 0x77);
		expect_arrived(&m, 1, CV_E_EMPTY_SLOT, CV_OBJ_NONE, 0, 0);
	}
	/* A transfer copies: the sender still holds it. */
	struct cv_cap_info ci = {0};
	if (EXPECT_ST(cv_cap_info(xb, &ci), CV_OK))
		CHECK(ci.badge == 0x77 && ci.rights == xb_rights, "sender's copy changed");
	/* Without GRANT nothing is transferred, the message still arrives. */
	if (caps_call(nogrant, 2, xb, y, &m)) {
		CHECK(caps_seen(&m) == 0, "without GRANT: info says %u capabilities", caps_seen(&m));
		expect_arrived(&m, 0, CV_E_EMPTY_SLOT, CV_OBJ_NONE, 0, 0);
		expect_arrived(&m, 1, CV_E_EMPTY_SLOT, CV_OBJ_NONE, 0, 0);
	}
	/* Sending from an empty slot transfers nothing. */
	cv_slot_t empty = slot_new();
	if (caps_call(grant, 1, empty, 0, &m)) {
		CHECK(caps_seen(&m) == 0, "empty slot sent: info says %u capabilities", caps_seen(&m));
		expect_arrived(&m, 0, CV_E_EMPTY_SLOT, CV_OBJ_NONE, 0, 0);
	}
	server_stop(&srv, thread);
	const cv_slot_t all[] = {x, xb, y, grant, nogrant};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		EXPECT_ST(cv_cap_delete(all[i]), CV_OK);
}

/* ---- timeouts ---- */

#define TIMEOUT_ROUNDS 31

/* IPC timeouts end on time, not at the next tick (10 ms on each CPU): a
 * 1 ms wait never ends early, and the middle of thirty-one of them ends
 * within half a millisecond of its deadline. The median, so that a few
 * waits a loaded host makes late do not decide it; at the tick's
 * granularity, with four CPUs' ticks spread over 10 ms, it was 3.8 to 5 ms. */
void test_ipc_timeouts(void)
{
	cv_slot_t ep = ep_new();
	uint64_t per_ms = ktest_ticks_per_ms(), took[TIMEOUT_ROUNDS];
	unsigned n = 0;

	if (!ep)
		return;
	for (; n < TIMEOUT_ROUNDS; n++) {
		struct cv_msg m = {.info = CV_IPC_TIMEOUT_MS_LOG2(0)};
		uint64_t a = ktest_now();
		if (!EXPECT_ST(cv_recv(ep, &m), CV_E_TIMEOUT))
			break;
		took[n] = ktest_now() - a;
	}
	(void)cv_cap_delete(ep);
	if (n < TIMEOUT_ROUNDS)
		return;
	/* Sorted, for the shortest and the median. */
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && took[j - 1] > took[j]; j--) {
			uint64_t t = took[j];
			took[j] = took[j - 1];
			took[j - 1] = t;
		}
	uint64_t shortest = took[0], median = took[n / 2];
	printf("ktest: ipc_timeouts: 1 ms waits took %llu us at least, %llu us in the middle, %llu us at most\n",
	       (unsigned long long)(shortest * 1000 / per_ms), (unsigned long long)(median * 1000 / per_ms),
	       (unsigned long long)(took[n - 1] * 1000 / per_ms));
	CHECK(shortest >= per_ms, "a 1 ms timeout ended after %llu us", (unsigned long long)(shortest * 1000 / per_ms));
	CHECK(median < per_ms * 3 / 2, "the median 1 ms wait took %llu us: the tick's granularity, not the deadline's",
	      (unsigned long long)(median * 1000 / per_ms));
}
