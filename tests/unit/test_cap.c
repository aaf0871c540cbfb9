// SPDX-License-Identifier: BSD-2-Clause
// Targeted host tests of kernel/cap.c: every operation and every error,
// derivation shapes, rights and badges, preemptible revoke and space
// destruction, object lifetime and close notification. The random
// cross-check against a reference model is test_cap_model.c.
#include "unit.h"

#include <string.h>

#include "cap.h"

#define NSPACES 4
#define NSLOTS 16
#define NOBJS 32
#define NWATCH 8

static struct {
	struct cap_system sys;
	struct cap_space sp[NSPACES];
	struct cap_slot slots[NSPACES][NSLOTS];
	struct kobj obj[NOBJS];
	int destroyed[NOBJS];
	struct cap_watch w[NWATCH];
	int fired[NWATCH], cancelled[NWATCH];
	bool destroy_saw_caps; /* obj_destroy called while a capability remained */
} t;

static void on_destroy(struct kobj *obj, void *ctx)
{
	(void)ctx;
	if (obj->cap_count != 0 || obj->caps.next != &obj->caps)
		t.destroy_saw_caps = true;
	/* Poison it: the capability code must never touch it again (ASan
	 * does not see this, but a comparison below would go wrong). */
	t.destroyed[obj - t.obj]++;
	memset(obj, 0xa5, sizeof(*obj));
}

static void on_close(struct cap_watch *w, void *ctx)
{
	(void)ctx;
	CHECK(!w->pending);
	t.fired[w - t.w]++;
}

static void on_cancel(struct cap_watch *w, void *ctx)
{
	(void)ctx;
	CHECK(!w->pending);
	t.cancelled[w - t.w]++;
}

static const struct cap_ops ops = {
	.obj_destroy = on_destroy,
	.close_event = on_close,
	.watch_cancelled = on_cancel,
};

static struct cap_space *A, *B, *C, *S;

static void setup(void)
{
	memset(&t, 0, sizeof(t));
	cap_system_init(&t.sys, &ops, NULL);
	for (int i = 0; i < NSPACES; i++)
		cap_space_init(&t.sp[i], &t.sys, t.slots[i], NSLOTS, NULL);
	A = &t.sp[0];
	B = &t.sp[1];
	C = &t.sp[2];
	S = &t.sp[3]; /* the server, in close-notification tests */
}

/* A fresh object of `type` with one root capability in space:slot. */
static struct kobj *make(int id, enum cv_obj_type type, struct cap_space *sp, cv_slot_t slot,
			 uint32_t rights)
{
	cap_obj_init(&t.obj[id], type);
	CHECK_EQ(cap_insert_new(sp, slot, &t.obj[id], rights, 0), CV_OK);
	return &t.obj[id];
}

static const struct cap_slot *at(struct cap_space *sp, cv_slot_t slot)
{
	return cap_slot_at(sp, slot);
}

static bool full(struct cap_space *sp, cv_slot_t slot)
{
	return at(sp, slot)->obj != NULL;
}

UNIT_TEST(cap_insert_and_lookup)
{
	const struct cap_slot *c = NULL;
	struct cap_info info;

	setup();
	struct kobj *ep = make(0, CV_OBJ_ENDPOINT, A, 0, CV_RIGHTS_ALL);
	CHECK_EQ(cap_lookup(A, 0, CV_OBJ_ENDPOINT, CV_RIGHT_READ | CV_RIGHT_USER(7), &c), CV_OK);
	CHECK(c == at(A, 0) && c->obj == ep);
	CHECK_EQ(cap_lookup(A, 0, CV_OBJ_NONE, 0, &c), CV_OK);
	CHECK_EQ(cap_lookup(A, NSLOTS, CV_OBJ_ENDPOINT, 0, &c), CV_E_BAD_SLOT);
	CHECK_EQ(cap_lookup(A, 0xffffffffu, CV_OBJ_ENDPOINT, 0, &c), CV_E_BAD_SLOT);
	CHECK_EQ(cap_lookup(A, 1, CV_OBJ_ENDPOINT, 0, &c), CV_E_EMPTY_SLOT);
	CHECK_EQ(cap_lookup(A, 0, CV_OBJ_FRAME, 0, &c), CV_E_BAD_TYPE);
	CHECK_EQ(cap_info(A, 0, &info), CV_OK);
	CHECK_EQ(info.type, CV_OBJ_ENDPOINT);
	CHECK_EQ(info.rights, CV_RIGHTS_ALL);
	CHECK_EQ(info.badge, 0);
	CHECK_EQ(cap_info(A, 1, &info), CV_E_EMPTY_SLOT);
	CHECK_EQ(cap_info(A, NSLOTS, &info), CV_E_BAD_SLOT);

	/* User rights exist only on endpoints. */
	make(1, CV_OBJ_FRAME, A, 1, 0xffffffffu);
	CHECK_EQ(at(A, 1)->rights, CV_RIGHTS_KERNEL_MASK);
	CHECK_EQ(cap_lookup(A, 1, CV_OBJ_FRAME, CV_RIGHT_USER(0), &c), CV_E_NO_RIGHTS);
	make(2, CV_OBJ_ENDPOINT, A, 2, 0xffffffffu);
	CHECK_EQ(at(A, 2)->rights, CV_RIGHTS_ALL);

	/* insert_new errors, each changing nothing. */
	cap_obj_init(&t.obj[3], CV_OBJ_ENDPOINT);
	CHECK_EQ(cap_insert_new(A, NSLOTS, &t.obj[3], 0, 0), CV_E_BAD_SLOT);
	CHECK_EQ(cap_insert_new(A, 0, &t.obj[3], 0, 0), CV_E_SLOT_IN_USE);
	CHECK_EQ(cap_insert_new(A, 3, NULL, 0, 0), CV_E_BAD_ARG);
	cap_obj_init(&t.obj[4], CV_OBJ_TYPE_COUNT);
	CHECK_EQ(cap_insert_new(A, 3, &t.obj[4], 0, 0), CV_E_BAD_TYPE);
	cap_obj_init(&t.obj[5], CV_OBJ_NONE);
	CHECK_EQ(cap_insert_new(A, 3, &t.obj[5], 0, 0), CV_E_BAD_TYPE);
	cap_obj_init(&t.obj[6], CV_OBJ_FRAME);
	CHECK_EQ(cap_insert_new(A, 3, &t.obj[6], 0, 7), CV_E_BAD_ARG);
	CHECK(!full(A, 3));
	CHECK_EQ(t.obj[3].cap_count, 0);
	/* A badge is fine on a fresh notification. */
	cap_obj_init(&t.obj[7], CV_OBJ_NOTIFICATION);
	CHECK_EQ(cap_insert_new(A, 3, &t.obj[7], CV_RIGHT_WRITE, 9), CV_OK);
	CHECK_EQ(at(A, 3)->badge, 9);
}

UNIT_TEST(cap_copy_rights_only_shrink)
{
	setup();
	make(0, CV_OBJ_ENDPOINT, A, 0, CV_RIGHT_READ | CV_RIGHT_WRITE | CV_RIGHT_USER(1) |
						CV_RIGHT_USER(2));
	/* The mask cannot add rights, kernel or user. */
	CHECK_EQ(cap_copy(A, 0, B, 0, 0xffffffffu), CV_OK);
	CHECK_EQ(at(B, 0)->rights,
		 CV_RIGHT_READ | CV_RIGHT_WRITE | CV_RIGHT_USER(1) | CV_RIGHT_USER(2));
	CHECK_EQ(cap_copy(B, 0, C, 0, CV_RIGHT_WRITE | CV_RIGHT_USER(2) | CV_RIGHT_GRANT), CV_OK);
	CHECK_EQ(at(C, 0)->rights, CV_RIGHT_WRITE | CV_RIGHT_USER(2));
	CHECK_EQ(cap_copy(C, 0, C, 1, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(at(C, 1)->rights, CV_RIGHT_WRITE | CV_RIGHT_USER(2));
	CHECK_EQ(cap_copy(C, 1, C, 2, 0), CV_OK);
	CHECK_EQ(at(C, 2)->rights, 0);
	/* Derivation: each copy is a child of its source, in any space. */
	CHECK(cap_parent(at(A, 0)) == NULL);
	CHECK(cap_parent(at(B, 0)) == at(A, 0));
	CHECK(cap_parent(at(C, 0)) == at(B, 0));
	CHECK(cap_parent(at(C, 2)) == at(C, 1));
	CHECK_EQ(t.obj[0].cap_count, 5);

	/* Errors in their documented order. */
	CHECK_EQ(cap_copy(A, NSLOTS, B, NSLOTS, 0), CV_E_BAD_SLOT);
	CHECK_EQ(cap_copy(A, 5, B, NSLOTS, 0), CV_E_EMPTY_SLOT);
	CHECK_EQ(cap_copy(A, 0, B, NSLOTS, 0), CV_E_BAD_SLOT);
	CHECK_EQ(cap_copy(A, 0, B, 0, 0), CV_E_SLOT_IN_USE);
	CHECK_EQ(cap_copy(A, 0, A, 0, 0), CV_E_SLOT_IN_USE);
	CHECK_EQ(t.obj[0].cap_count, 5);
}

UNIT_TEST(cap_mint_badge_once)
{
	setup();
	make(0, CV_OBJ_ENDPOINT, A, 0, CV_RIGHTS_ALL);
	make(1, CV_OBJ_NOTIFICATION, A, 1, CV_RIGHTS_KERNEL_MASK);
	make(2, CV_OBJ_FRAME, A, 2, CV_RIGHTS_KERNEL_MASK);

	CHECK_EQ(cap_mint(A, 0, B, 0, CV_RIGHT_WRITE | CV_RIGHT_USER(3), 42), CV_OK);
	CHECK_EQ(at(B, 0)->badge, 42);
	CHECK_EQ(at(B, 0)->rights, CV_RIGHT_WRITE | CV_RIGHT_USER(3));
	CHECK(cap_parent(at(B, 0)) == at(A, 0));
	CHECK_EQ(cap_mint(A, 1, B, 1, CV_RIGHTS_ALL, 7), CV_OK);
	CHECK_EQ(at(B, 1)->badge, 7);
	CHECK_EQ(at(B, 1)->rights, CV_RIGHTS_KERNEL_MASK);

	/* Copies keep the badge; it can never be changed. */
	CHECK_EQ(cap_copy(B, 0, C, 0, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(at(C, 0)->badge, 42);
	CHECK_EQ(cap_mint(B, 0, C, 1, CV_RIGHTS_ALL, 43), CV_E_BUSY);
	CHECK_EQ(cap_mint(C, 0, C, 1, CV_RIGHTS_ALL, 42), CV_E_BUSY);
	CHECK_EQ(cap_mint(A, 2, C, 1, CV_RIGHTS_ALL, 1), CV_E_BAD_TYPE);
	CHECK_EQ(cap_mint(A, 0, C, 1, CV_RIGHTS_ALL, 0), CV_E_BAD_ARG);
	CHECK_EQ(cap_mint(A, 0, C, 0, CV_RIGHTS_ALL, 1), CV_E_SLOT_IN_USE);
	CHECK_EQ(cap_mint(A, 3, C, 1, CV_RIGHTS_ALL, 1), CV_E_EMPTY_SLOT);
	CHECK_EQ(cap_mint(A, NSLOTS, C, 1, CV_RIGHTS_ALL, 1), CV_E_BAD_SLOT);
	CHECK_EQ(cap_mint(A, 0, C, NSLOTS, CV_RIGHTS_ALL, 1), CV_E_BAD_SLOT);
	CHECK(!full(C, 1));
	/* The same badge may be minted twice: both carry it. */
	CHECK_EQ(cap_mint(A, 0, C, 1, CV_RIGHTS_ALL, 42), CV_OK);
	CHECK_EQ(at(C, 1)->badge, 42);
}

UNIT_TEST(cap_move_keeps_tree_place)
{
	setup();
	make(0, CV_OBJ_ENDPOINT, A, 0, CV_RIGHTS_ALL);
	CHECK_EQ(cap_copy(A, 0, A, 1, CV_RIGHTS_ALL), CV_OK); /* x = A1 */
	CHECK_EQ(cap_copy(A, 0, A, 2, CV_RIGHTS_ALL), CV_OK); /* sibling */
	CHECK_EQ(cap_copy(A, 1, B, 0, CV_RIGHT_READ), CV_OK); /* children of x */
	CHECK_EQ(cap_copy(A, 1, B, 1, CV_RIGHT_WRITE), CV_OK);

	CHECK_EQ(cap_move(A, 1, C, 5), CV_OK);
	CHECK(!full(A, 1));
	CHECK(cap_parent(at(C, 5)) == at(A, 0));
	CHECK(cap_parent(at(B, 0)) == at(C, 5));
	CHECK(cap_parent(at(B, 1)) == at(C, 5));
	CHECK(cap_parent(at(A, 2)) == at(A, 0));
	CHECK_EQ(at(C, 5)->rights, CV_RIGHTS_ALL);
	/* Revoking the moved capability still reaches its children. */
	CHECK_EQ(cap_revoke(C, 5, 100), CV_OK);
	CHECK(!full(B, 0) && !full(B, 1) && full(C, 5) && full(A, 2));
	/* A root with its children moves too. */
	CHECK_EQ(cap_move(A, 0, B, 9), CV_OK);
	CHECK(cap_parent(at(B, 9)) == NULL);
	CHECK(cap_parent(at(C, 5)) == at(B, 9));

	CHECK_EQ(cap_move(A, 0, B, 0), CV_E_EMPTY_SLOT);
	CHECK_EQ(cap_move(B, 9, B, 9), CV_E_SLOT_IN_USE);
	CHECK_EQ(cap_move(B, 9, B, NSLOTS), CV_E_BAD_SLOT);
	CHECK_EQ(cap_move(B, NSLOTS, B, 0), CV_E_BAD_SLOT);
	CHECK_EQ(t.destroyed[0], 0);
}

UNIT_TEST(cap_delete_reparents_children)
{
	setup();
	make(0, CV_OBJ_ENDPOINT, A, 0, CV_RIGHTS_ALL);
	CHECK_EQ(cap_copy(A, 0, A, 1, CV_RIGHTS_ALL), CV_OK); /* A1 child of A0 */
	CHECK_EQ(cap_copy(A, 0, A, 2, CV_RIGHTS_ALL), CV_OK); /* A2 child of A0 */
	CHECK_EQ(cap_copy(A, 1, B, 0, CV_RIGHTS_ALL), CV_OK); /* B0, B1 children of A1 */
	CHECK_EQ(cap_copy(A, 1, B, 1, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(cap_copy(B, 0, C, 0, CV_RIGHTS_ALL), CV_OK); /* C0 child of B0 */

	CHECK_EQ(cap_delete(A, 1), CV_OK);
	CHECK(!full(A, 1));
	CHECK(cap_parent(at(B, 0)) == at(A, 0));
	CHECK(cap_parent(at(B, 1)) == at(A, 0));
	CHECK(cap_parent(at(C, 0)) == at(B, 0));
	/* Deleting a root makes its children roots. */
	CHECK_EQ(cap_delete(A, 0), CV_OK);
	CHECK(cap_parent(at(B, 0)) == NULL && cap_parent(at(B, 1)) == NULL);
	CHECK(cap_parent(at(A, 2)) == NULL);
	CHECK(cap_parent(at(C, 0)) == at(B, 0));
	CHECK_EQ(t.destroyed[0], 0);
	CHECK_EQ(cap_delete(A, 0), CV_E_EMPTY_SLOT);
	CHECK_EQ(cap_delete(A, NSLOTS), CV_E_BAD_SLOT);
	CHECK(cap_parent(at(A, 0)) == NULL);
}

UNIT_TEST(cap_revoke_across_spaces)
{
	setup();
	make(0, CV_OBJ_ENDPOINT, A, 0, CV_RIGHTS_ALL);
	CHECK_EQ(cap_copy(A, 0, A, 1, CV_RIGHTS_ALL), CV_OK); /* x */
	CHECK_EQ(cap_copy(A, 0, A, 2, CV_RIGHTS_ALL), CV_OK); /* x's sibling: survives */
	CHECK_EQ(cap_copy(A, 1, B, 0, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(cap_mint(B, 0, C, 0, CV_RIGHTS_ALL, 5), CV_OK);
	CHECK_EQ(cap_copy(C, 0, A, 3, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(cap_copy(A, 3, B, 1, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(cap_copy(A, 1, C, 1, CV_RIGHTS_ALL), CV_OK);

	CHECK_EQ(cap_revoke(A, 1, 1000), CV_OK);
	CHECK(full(A, 0) && full(A, 1) && full(A, 2));
	CHECK(!full(B, 0) && !full(C, 0) && !full(A, 3) && !full(B, 1) && !full(C, 1));
	CHECK_EQ(t.obj[0].cap_count, 3);
	/* Nothing left: OK at once. */
	CHECK_EQ(cap_revoke(A, 1, 1), CV_OK);
	CHECK_EQ(cap_revoke(A, 1, 0), CV_E_BAD_ARG);
	CHECK_EQ(cap_revoke(A, 9, 1), CV_E_EMPTY_SLOT);
	CHECK_EQ(cap_revoke(A, NSLOTS, 1), CV_E_BAD_SLOT);
	/* Revoking the root leaves only the root. */
	CHECK_EQ(cap_revoke(A, 0, 1000), CV_OK);
	CHECK(full(A, 0) && !full(A, 1) && !full(A, 2));
	CHECK_EQ(t.destroyed[0], 0);
}

UNIT_TEST(cap_revoke_preemptible_budget_1)
{
	int calls = 0, status;

	setup();
	make(0, CV_OBJ_ENDPOINT, A, 0, CV_RIGHTS_ALL);
	/* A chain 12 deep and a fan, 20 descendants across three spaces. */
	CHECK_EQ(cap_copy(A, 0, B, 0, CV_RIGHTS_ALL), CV_OK);
	for (cv_slot_t i = 1; i < 12; i++)
		CHECK_EQ(cap_copy(i % 2 ? B : C, i - 1, i % 2 ? C : B, i, CV_RIGHTS_ALL), CV_OK);
	for (cv_slot_t i = 1; i < 9; i++)
		CHECK_EQ(cap_copy(A, 0, A, i, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(t.obj[0].cap_count, 21);
	do {
		uint64_t before = t.obj[0].cap_count;

		status = cap_revoke(A, 0, 1);
		CHECK_EQ(t.obj[0].cap_count, before - 1); /* progress every call */
		calls++;
		/* Between calls, someone derives more under what is left. */
		if (calls == 5)
			CHECK_EQ(cap_copy(A, 8, C, 15, CV_RIGHTS_ALL), CV_OK);
	} while (status == CV_E_PREEMPTED && calls < 100);
	CHECK_EQ(status, CV_OK);
	CHECK_EQ(calls, 21);
	CHECK_EQ(t.obj[0].cap_count, 1);
	CHECK(full(A, 0));
}

UNIT_TEST(cap_object_dies_with_last_cap)
{
	setup();
	make(0, CV_OBJ_ENDPOINT, A, 0, CV_RIGHTS_ALL);
	make(1, CV_OBJ_FRAME, A, 1, CV_RIGHTS_ALL);
	CHECK_EQ(cap_copy(A, 0, B, 0, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(cap_copy(B, 0, C, 0, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(cap_move(C, 0, C, 1), CV_OK);

	CHECK_EQ(cap_delete(A, 0), CV_OK);
	CHECK_EQ(cap_delete(C, 1), CV_OK);
	CHECK_EQ(t.destroyed[0], 0);
	CHECK_EQ(cap_delete(B, 0), CV_OK);
	CHECK_EQ(t.destroyed[0], 1);
	CHECK_EQ(t.destroyed[1], 0);
	/* Revoke never kills the object: the revoked capability still holds it. */
	make(2, CV_OBJ_NOTIFICATION, A, 2, CV_RIGHTS_ALL);
	CHECK_EQ(cap_copy(A, 2, B, 2, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(cap_revoke(A, 2, 10), CV_OK);
	CHECK_EQ(t.destroyed[2], 0);
	CHECK_EQ(cap_delete(A, 2), CV_OK);
	CHECK_EQ(t.destroyed[2], 1);
	CHECK(!t.destroy_saw_caps);
}

UNIT_TEST(cap_space_destroy_preemptible)
{
	int calls = 0, status;

	setup();
	make(0, CV_OBJ_ENDPOINT, A, 0, CV_RIGHTS_ALL);
	make(1, CV_OBJ_FRAME, B, 3, CV_RIGHTS_ALL);
	CHECK_EQ(cap_copy(A, 0, B, 0, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(cap_copy(B, 0, C, 0, CV_RIGHTS_ALL), CV_OK); /* child elsewhere survives */
	CHECK_EQ(cap_copy(B, 0, B, 1, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(cap_copy(B, 3, B, 15, CV_RIGHTS_ALL), CV_OK);

	do {
		status = cap_space_destroy(B, 3);
		calls++;
		/* Nothing can be put into a dying space. */
		CHECK_EQ(cap_copy(A, 0, B, 2, CV_RIGHTS_ALL), CV_E_DEAD);
		CHECK_EQ(cap_insert_new(B, 2, &t.obj[0], 0, 0), CV_E_DEAD);
	} while (status == CV_E_PREEMPTED && calls < 100);
	CHECK_EQ(status, CV_OK);
	CHECK_EQ(calls, (NSLOTS + 2) / 3);
	for (cv_slot_t i = 0; i < NSLOTS; i++)
		CHECK(!full(B, i));
	CHECK(full(A, 0) && full(C, 0));
	CHECK(cap_parent(at(C, 0)) == at(A, 0));
	CHECK_EQ(t.destroyed[0], 0);
	CHECK_EQ(t.destroyed[1], 1);
	CHECK_EQ(cap_space_destroy(B, 1), CV_OK);
	CHECK_EQ(cap_space_destroy(B, 0), CV_E_BAD_ARG);
}

/* ---- close notification ---- */

/*
 * The server S holds an unbadged endpoint capability (S0), mints badge 7
 * for itself (S1), watches it with record 0, and hands a copy with fewer
 * rights to client A.
 */
static void serve(void)
{
	setup();
	make(0, CV_OBJ_ENDPOINT, S, 0, CV_RIGHTS_ALL);
	CHECK_EQ(cap_mint(S, 0, S, 1, CV_RIGHTS_ALL, 7), CV_OK);
	CHECK_EQ(cap_watch(S, 1, &t.w[0]), CV_OK);
	CHECK_EQ(t.w[0].count, 0);
	CHECK_EQ(cap_copy(S, 1, A, 0, CV_RIGHT_WRITE | CV_RIGHT_USER(0)), CV_OK);
	CHECK_EQ(t.w[0].count, 1);
}

UNIT_TEST(cap_close_on_last_delete)
{
	serve();
	CHECK_EQ(cap_copy(A, 0, B, 0, CV_RIGHT_WRITE), CV_OK);
	CHECK_EQ(cap_copy(B, 0, B, 1, 0), CV_OK); /* no rights at all: still counts */
	CHECK_EQ(t.w[0].count, 3);
	CHECK_EQ(cap_delete(A, 0), CV_OK);
	CHECK_EQ(cap_delete(B, 0), CV_OK);
	CHECK_EQ(t.fired[0], 0);
	CHECK_EQ(cap_delete(B, 1), CV_OK);
	CHECK_EQ(t.fired[0], 1);
	CHECK(!t.w[0].pending);
	/* Finished: more copies and deletes do not fire it again. */
	CHECK_EQ(cap_copy(S, 1, A, 0, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(cap_delete(A, 0), CV_OK);
	CHECK_EQ(t.fired[0], 1);
	CHECK_EQ(t.cancelled[0], 0);
}

UNIT_TEST(cap_close_on_revoke)
{
	serve();
	CHECK_EQ(cap_copy(A, 0, B, 0, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(cap_revoke(S, 1, 1), CV_E_PREEMPTED);
	CHECK_EQ(t.fired[0], 0);
	CHECK_EQ(cap_revoke(S, 1, 1), CV_OK);
	CHECK_EQ(t.fired[0], 1);
	CHECK_EQ(t.destroyed[0], 0);
}

UNIT_TEST(cap_close_on_holder_space_destroyed)
{
	serve();
	CHECK_EQ(cap_copy(A, 0, A, 5, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(cap_space_destroy(A, 3), CV_E_PREEMPTED);
	CHECK_EQ(t.fired[0], 0);
	CHECK_EQ(cap_space_destroy(A, 100), CV_OK);
	CHECK_EQ(t.fired[0], 1);
}

UNIT_TEST(cap_close_not_while_a_copy_remains)
{
	serve();
	/* Fewer rights, another space, derived from the client: still a copy. */
	CHECK_EQ(cap_copy(A, 0, C, 3, 0), CV_OK);
	CHECK_EQ(cap_space_destroy(A, 100), CV_OK);
	CHECK_EQ(t.fired[0], 0);
	CHECK_EQ(t.w[0].count, 1);
	/* A copy of the same badge minted separately counts too. */
	CHECK_EQ(cap_mint(S, 0, B, 0, CV_RIGHT_READ, 7), CV_OK);
	CHECK_EQ(t.w[0].count, 2);
	CHECK_EQ(cap_delete(C, 3), CV_OK);
	CHECK_EQ(t.fired[0], 0);
	/* Other badges and unbadged copies do not. */
	CHECK_EQ(cap_mint(S, 0, C, 0, CV_RIGHTS_ALL, 8), CV_OK);
	CHECK_EQ(cap_copy(S, 0, C, 1, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(t.w[0].count, 1);
	CHECK_EQ(cap_delete(B, 0), CV_OK);
	CHECK_EQ(t.fired[0], 1);
}

UNIT_TEST(cap_close_server_copies_do_not_count)
{
	serve();
	CHECK_EQ(cap_copy(S, 1, S, 2, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(cap_copy(A, 0, S, 3, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(t.w[0].count, 1);
	CHECK_EQ(cap_delete(A, 0), CV_OK);
	CHECK_EQ(t.fired[0], 1);
	CHECK(full(S, 3)); /* held by the server itself: does not matter */
}

UNIT_TEST(cap_close_moves)
{
	serve();
	/* Between clients: never a spurious event. */
	CHECK_EQ(cap_move(A, 0, B, 4), CV_OK);
	CHECK_EQ(cap_move(B, 4, C, 4), CV_OK);
	CHECK_EQ(t.w[0].count, 1);
	/* IPC transfer done as copy into the receiver, then delete in the sender. */
	CHECK_EQ(cap_copy(C, 4, A, 1, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(cap_delete(C, 4), CV_OK);
	CHECK_EQ(t.fired[0], 0);
	CHECK_EQ(t.w[0].count, 1);
	/* Handed back to the server: no copy is left outside it. */
	CHECK_EQ(cap_move(A, 1, S, 9), CV_OK);
	CHECK_EQ(t.fired[0], 1);
}

UNIT_TEST(cap_close_watch_rules)
{
	serve();
	make(1, CV_OBJ_NOTIFICATION, S, 4, CV_RIGHTS_ALL);
	CHECK_EQ(cap_mint(S, 4, S, 5, CV_RIGHTS_ALL, 3), CV_OK);
	CHECK_EQ(cap_watch(S, NSLOTS, &t.w[1]), CV_E_BAD_SLOT);
	CHECK_EQ(cap_watch(S, 14, &t.w[1]), CV_E_EMPTY_SLOT);
	CHECK_EQ(cap_watch(S, 5, &t.w[1]), CV_E_BAD_TYPE);
	CHECK_EQ(cap_watch(A, 0, &t.w[1]), CV_E_NO_RIGHTS); /* a client cannot receive */
	CHECK_EQ(cap_watch(S, 0, &t.w[1]), CV_E_BAD_ARG);   /* unbadged */
	CHECK_EQ(cap_watch(S, 1, NULL), CV_E_BAD_ARG);
	CHECK(!t.w[1].pending);
	/* Registered late, the count starts from the copies out there. */
	CHECK_EQ(cap_copy(A, 0, B, 0, CV_RIGHTS_ALL), CV_OK);
	CHECK_EQ(cap_watch(S, 1, &t.w[1]), CV_OK);
	CHECK_EQ(t.w[1].count, 2);
	/* Withdrawn: never fires. */
	CHECK_EQ(cap_watch(S, 1, &t.w[2]), CV_OK);
	cap_unwatch(&t.w[2]);
	CHECK_EQ(cap_delete(A, 0), CV_OK);
	CHECK_EQ(cap_delete(B, 0), CV_OK);
	CHECK_EQ(t.fired[0], 1);
	CHECK_EQ(t.fired[1], 1);
	CHECK_EQ(t.fired[2] + t.cancelled[2], 0);
}

UNIT_TEST(cap_close_watch_ends_with_endpoint_or_server)
{
	/* Endpoint dies with a watch still at 0: cancelled, before obj_destroy. */
	serve();
	CHECK_EQ(cap_delete(A, 0), CV_OK);
	CHECK_EQ(t.fired[0], 1);
	CHECK_EQ(cap_watch(S, 1, &t.w[1]), CV_OK); /* count 0: waits */
	CHECK_EQ(cap_delete(S, 1), CV_OK);
	CHECK_EQ(cap_delete(S, 0), CV_OK);
	CHECK_EQ(t.cancelled[1], 1);
	CHECK_EQ(t.fired[1], 0);
	CHECK_EQ(t.destroyed[0], 1);

	/* Last capability anywhere is the client's: fires, then the endpoint dies. */
	serve();
	CHECK_EQ(cap_delete(S, 1), CV_OK);
	CHECK_EQ(cap_delete(S, 0), CV_OK);
	CHECK_EQ(t.destroyed[0], 0);
	CHECK_EQ(cap_delete(A, 0), CV_OK);
	CHECK_EQ(t.fired[0], 1);
	CHECK_EQ(t.destroyed[0], 1);

	/* The server's space is destroyed: its watches are cancelled first. */
	serve();
	CHECK_EQ(cap_watch(S, 1, &t.w[1]), CV_OK);
	CHECK_EQ(cap_space_destroy(S, 1), CV_E_PREEMPTED);
	CHECK_EQ(t.cancelled[0], 1);
	CHECK_EQ(t.cancelled[1], 0);
	CHECK_EQ(cap_watch(S, 1, &t.w[2]), CV_E_DEAD);
	CHECK_EQ(cap_space_destroy(S, 100), CV_OK);
	CHECK_EQ(t.cancelled[1], 1);
	CHECK_EQ(t.fired[0] + t.fired[1], 0);
	CHECK(full(A, 0));
	CHECK_EQ(cap_delete(A, 0), CV_OK);
	CHECK_EQ(t.fired[0] + t.fired[1], 0);
	CHECK_EQ(t.destroyed[0], 1);
}

UNIT_TEST(cap_unwatch_by_slot)
{
	unsigned n = 99;

	/* Two watches of (endpoint, 7) by S, one of badge 8, one by A's side
	 * of the same badge: only S's two of badge 7 go. */
	serve();
	CHECK_EQ(cap_mint(S, 0, S, 2, CV_RIGHTS_ALL, 8), CV_OK);
	CHECK_EQ(cap_watch(S, 1, &t.w[1]), CV_OK);
	CHECK_EQ(cap_watch(S, 2, &t.w[2]), CV_OK);
	CHECK_EQ(cap_copy(S, 1, B, 0, CV_RIGHTS_ALL), CV_OK); /* B can receive */
	CHECK_EQ(cap_watch(B, 0, &t.w[3]), CV_OK);
	CHECK_EQ(cap_unwatch_slot(S, NSLOTS, &n), CV_E_BAD_SLOT);
	CHECK_EQ(cap_unwatch_slot(S, 14, &n), CV_E_EMPTY_SLOT);
	CHECK_EQ(cap_unwatch_slot(A, 0, &n), CV_E_NO_RIGHTS);
	CHECK_EQ(cap_unwatch_slot(S, 0, &n), CV_E_BAD_ARG); /* unbadged */
	CHECK_EQ(cap_unwatch_slot(S, 1, NULL), CV_E_BAD_ARG);
	CHECK_EQ(n, 99u);
	CHECK_EQ(cap_unwatch_slot(S, 1, &n), CV_OK);
	CHECK_EQ(n, 2u);
	CHECK_EQ(t.cancelled[0] + t.cancelled[1], 2);
	CHECK(!t.w[0].pending && !t.w[1].pending);
	CHECK(t.w[2].pending && t.w[3].pending);
	CHECK_EQ(cap_unwatch_slot(S, 1, &n), CV_OK); /* nothing left: not an error */
	CHECK_EQ(n, 0u);
	/* The copies going fire only B's watch. */
	CHECK_EQ(cap_delete(A, 0), CV_OK);
	CHECK_EQ(t.fired[0] + t.fired[1], 0);
	CHECK_EQ(cap_delete(B, 0), CV_OK);
	CHECK_EQ(cap_delete(S, 1), CV_OK);
	CHECK_EQ(t.fired[3], 1);
	CHECK_EQ(cap_unwatch_slot(S, 2, &n), CV_OK);
	CHECK_EQ(n, 1u);
	CHECK_EQ(t.cancelled[2], 1);

	/* A notification is no endpoint. */
	CHECK_EQ(cap_unwatch_slot(S, 2, &n), CV_OK);
	make(1, CV_OBJ_NOTIFICATION, S, 4, CV_RIGHTS_ALL);
	CHECK_EQ(cap_mint(S, 4, S, 5, CV_RIGHTS_ALL, 3), CV_OK);
	CHECK_EQ(cap_unwatch_slot(S, 5, &n), CV_E_BAD_TYPE);
}
