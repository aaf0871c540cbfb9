// SPDX-License-Identifier: BSD-2-Clause
// The capability system's core; see cap.h and docs/capabilities.md.
//
// Every public operation is a check_* (validates, changes nothing, returns a
// status) followed by a do_* (changes state, cannot fail). The derivation
// tree is kept as rings of children without parent pointers, which is what
// makes delete O(1): a deleted capability's children are spliced, as one
// block, into the place it held in its parent's ring, and none of them has a
// parent pointer to rewrite.
#include "cap.h"

/*
 * Test hook, documented in docs/capabilities.md: the unit program
 * cap_model_planted builds this file with CAP_PLANTED_BUG=1 (revoke lets
 * grandchildren escape) or 2 (copy keeps user rights the mask removes) and
 * passes only if the model-based test notices. Constant 0 otherwise, so
 * both uses below compile away.
 */
#ifndef CAP_PLANTED_BUG
#define CAP_PLANTED_BUG 0
#endif

#define CAP_SLOT_OF(link, member) \
	((struct cap_slot *)(void *)((char *)(link) - offsetof(struct cap_slot, member)))
#define CAP_WATCH_OF(link, member) \
	((struct cap_watch *)(void *)((char *)(link) - offsetof(struct cap_watch, member)))

/* ---- rings ---- */

static void cap_link_init(struct cap_link *l, bool head)
{
	l->next = l;
	l->prev = l;
	l->head = head;
}

static bool cap_link_alone(const struct cap_link *l)
{
	return l->next == l;
}

static void cap_link_insert_before(struct cap_link *pos, struct cap_link *l)
{
	l->prev = pos->prev;
	l->next = pos;
	pos->prev->next = l;
	pos->prev = l;
}

static void cap_link_remove(struct cap_link *l)
{
	l->prev->next = l->next;
	l->next->prev = l->prev;
	l->next = l;
	l->prev = l;
}

/* Moves every member of the ring headed by h, in order, to just before pos. */
static void cap_link_splice_before(struct cap_link *pos, struct cap_link *h)
{
	struct cap_link *first = h->next;
	struct cap_link *last = h->prev;

	if (first == h)
		return;
	first->prev = pos->prev;
	pos->prev->next = first;
	last->next = pos;
	pos->prev = last;
	h->next = h;
	h->prev = h;
}

/* Puts `to` where `from` is in its ring (or alone if `from` was); `from` ends alone. */
static void cap_link_relocate(struct cap_link *from, struct cap_link *to)
{
	if (cap_link_alone(from)) {
		to->next = to;
		to->prev = to;
		return;
	}
	to->next = from->next;
	to->prev = from->prev;
	to->next->prev = to;
	to->prev->next = to;
	from->next = from;
	from->prev = from;
}

/* ---- small helpers ---- */

static bool cap_type_valid(uint8_t type)
{
	return type > CV_OBJ_NONE && type < CV_OBJ_TYPE_COUNT;
}

static bool cap_type_badgeable(uint8_t type)
{
	return type == CV_OBJ_ENDPOINT || type == CV_OBJ_NOTIFICATION;
}

uint32_t cap_rights_valid(uint8_t type)
{
	/* User rights are a server's vocabulary, so only endpoints carry them. */
	return type == CV_OBJ_ENDPOINT ? CV_RIGHTS_ALL : CV_RIGHTS_KERNEL_MASK;
}

static bool cap_slot_empty(const struct cap_slot *s)
{
	return s->obj == NULL;
}

/* The slot, or the status saying why there is no capability there. */
static int cap_check_full(struct cap_space *space, cv_slot_t slot, struct cap_slot **out)
{
	if (slot >= space->count)
		return CV_E_BAD_SLOT;
	if (cap_slot_empty(&space->slots[slot]))
		return CV_E_EMPTY_SLOT;
	*out = &space->slots[slot];
	return CV_OK;
}

/* The slot, or the status saying why nothing can be put there. */
static int cap_check_free(struct cap_space *space, cv_slot_t slot, struct cap_slot **out)
{
	if (slot >= space->count)
		return CV_E_BAD_SLOT;
	if (!cap_slot_empty(&space->slots[slot]))
		return CV_E_SLOT_IN_USE;
	if (space->dying)
		return CV_E_DEAD;
	*out = &space->slots[slot];
	return CV_OK;
}

static void cap_slot_clear(struct cap_slot *s)
{
	s->obj = NULL;
	s->badge = 0;
	s->rights = 0;
	s->type = CV_OBJ_NONE;
	cap_link_init(&s->sib, false);
	cap_link_init(&s->children, true);
	cap_link_init(&s->obj_link, false);
}

/* ---- close watches ---- */

static void cap_watch_unlink(struct cap_watch *w)
{
	cap_link_remove(&w->obj_link);
	cap_link_remove(&w->server_link);
	w->pending = false;
}

/*
 * A capability (obj, badge) left space `from` (NULL: it was created) and
 * arrived in `to` (NULL: it was deleted). Runs after the slots are
 * consistent, so close_event sees a finished state. O(watches of obj).
 */
static void cap_watch_account(struct cap_system *sys, struct kobj *obj, cv_badge_t badge,
			      const struct cap_space *from, const struct cap_space *to)
{
	struct cap_link *l = obj->watches.next;

	while (l != &obj->watches) {
		struct cap_watch *w = CAP_WATCH_OF(l, obj_link);
		bool was = from != NULL && from != w->server;
		bool is = to != NULL && to != w->server;

		/* Saved first: close_event may free w. */
		l = l->next;
		if (w->badge != badge || was == is)
			continue;
		if (is) {
			w->count++;
			continue;
		}
		w->count--;
		if (w->count == 0) {
			cap_watch_unlink(w);
			sys->ops->close_event(w, sys->ctx);
		}
	}
}

/*
 * The last capability to obj is gone: end its remaining watches (all at
 * count 0, or they would have fired) and hand the object back. After this
 * the object is never touched again.
 */
static void cap_obj_die(struct cap_system *sys, struct kobj *obj)
{
	while (!cap_link_alone(&obj->watches)) {
		struct cap_watch *w = CAP_WATCH_OF(obj->watches.next, obj_link);

		cap_watch_unlink(w);
		sys->ops->watch_cancelled(w, sys->ctx);
	}
	sys->ops->obj_destroy(obj, sys->ctx);
}

/* ---- the state-changing primitives (cannot fail) ---- */

static void cap_do_fill(struct cap_slot *dst, struct kobj *obj, uint32_t rights, cv_badge_t badge)
{
	dst->obj = obj;
	dst->type = obj->type;
	dst->rights = rights & cap_rights_valid(obj->type);
	dst->badge = badge;
	cap_link_insert_before(&obj->caps, &dst->obj_link);
	obj->cap_count++;
}

/*
 * Removes one capability. Its children take its place in its parent's ring,
 * in order, or become roots when it had no parent (a ring without a head).
 */
static void cap_do_remove(struct cap_slot *s)
{
	struct cap_system *sys = s->space->sys;
	struct kobj *obj = s->obj;
	cv_badge_t badge = s->badge;

	cap_link_splice_before(&s->sib, &s->children);
	cap_link_remove(&s->sib);
	cap_link_remove(&s->obj_link);
	cap_slot_clear(s);
	obj->cap_count--;
	if (badge != 0 && !cap_link_alone(&obj->watches))
		cap_watch_account(sys, obj, badge, s->space, NULL);
	if (cap_link_alone(&obj->caps))
		cap_obj_die(sys, obj);
}

static void cap_do_derive(struct cap_slot *src, struct cap_slot *dst, uint32_t rights,
			  cv_badge_t badge)
{
	struct kobj *obj = src->obj;

	cap_do_fill(dst, obj, rights, badge);
	/* Last among src's children: children stay in creation order. */
	cap_link_insert_before(&src->children, &dst->sib);
	if (badge != 0 && !cap_link_alone(&obj->watches))
		cap_watch_account(dst->space->sys, obj, badge, NULL, dst->space);
}

static void cap_do_move(struct cap_slot *src, struct cap_slot *dst)
{
	struct kobj *obj = src->obj;

	dst->obj = obj;
	dst->type = src->type;
	dst->rights = src->rights;
	dst->badge = src->badge;
	cap_link_relocate(&src->sib, &dst->sib);
	cap_link_relocate(&src->children, &dst->children);
	cap_link_relocate(&src->obj_link, &dst->obj_link);
	cap_slot_clear(src);
	if (dst->badge != 0 && src->space != dst->space && !cap_link_alone(&obj->watches))
		cap_watch_account(dst->space->sys, obj, dst->badge, src->space, dst->space);
}

/* ---- public API ---- */

void cap_system_init(struct cap_system *sys, const struct cap_ops *ops, void *ctx)
{
	sys->ops = ops;
	sys->ctx = ctx;
}

void cap_obj_init(struct kobj *obj, enum cv_obj_type type)
{
	obj->type = (uint8_t)type;
	obj->cap_count = 0;
	cap_link_init(&obj->caps, false);
	cap_link_init(&obj->watches, false);
}

void cap_space_init(struct cap_space *space, struct cap_system *sys, struct cap_slot *slots,
		    uint32_t count, void *owner)
{
	space->sys = sys;
	space->slots = slots;
	space->count = count;
	space->owner = owner;
	space->dying = false;
	space->destroy_cursor = 0;
	cap_link_init(&space->watches, false);
	for (uint32_t i = 0; i < count; i++) {
		slots[i].space = space;
		cap_slot_clear(&slots[i]);
	}
}

const struct cap_slot *cap_slot_at(const struct cap_space *space, cv_slot_t slot)
{
	return slot < space->count ? &space->slots[slot] : NULL;
}

int cap_insert_new(struct cap_space *space, cv_slot_t slot, struct kobj *obj, uint32_t rights,
		   cv_badge_t badge)
{
	struct cap_slot *dst;
	int err = cap_check_free(space, slot, &dst);

	if (err != CV_OK)
		return err;
	if (obj == NULL)
		return CV_E_BAD_ARG;
	if (!cap_type_valid(obj->type))
		return CV_E_BAD_TYPE;
	if (badge != 0 && !cap_type_badgeable(obj->type))
		return CV_E_BAD_ARG;

	cap_do_fill(dst, obj, rights, badge);
	/* dst->sib is alone: a root. */
	if (badge != 0 && !cap_link_alone(&obj->watches))
		cap_watch_account(space->sys, obj, badge, NULL, space);
	return CV_OK;
}

int cap_lookup(struct cap_space *space, cv_slot_t slot, uint8_t expected_type,
	       uint32_t needed_rights, const struct cap_slot **out)
{
	struct cap_slot *s;
	int err = cap_check_full(space, slot, &s);

	if (err != CV_OK)
		return err;
	if (expected_type != CV_OBJ_NONE && s->type != expected_type)
		return CV_E_BAD_TYPE;
	if ((s->rights & needed_rights) != needed_rights)
		return CV_E_NO_RIGHTS;
	*out = s;
	return CV_OK;
}

int cap_info(struct cap_space *space, cv_slot_t slot, struct cap_info *out)
{
	struct cap_slot *s;
	int err = cap_check_full(space, slot, &s);

	if (err != CV_OK)
		return err;
	out->type = s->type;
	out->rights = s->rights;
	out->badge = s->badge;
	return CV_OK;
}

/* The checks cap_copy, cap_mint and cap_move share, in their documented order. */
static int cap_check_transfer(struct cap_space *src_space, cv_slot_t src_slot,
			      struct cap_space *dst_space, cv_slot_t dst_slot,
			      struct cap_slot **src, struct cap_slot **dst)
{
	int err = cap_check_full(src_space, src_slot, src);

	if (err != CV_OK)
		return err;
	return cap_check_free(dst_space, dst_slot, dst);
}

int cap_copy(struct cap_space *src_space, cv_slot_t src_slot, struct cap_space *dst_space,
	     cv_slot_t dst_slot, uint32_t rights_mask)
{
	struct cap_slot *src, *dst;
	int err = cap_check_transfer(src_space, src_slot, dst_space, dst_slot, &src, &dst);

	if (err != CV_OK)
		return err;
	if (CAP_PLANTED_BUG == 2)
		rights_mask |= CV_RIGHTS_USER_MASK; /* planted: user rights not masked */
	cap_do_derive(src, dst, src->rights & rights_mask, src->badge);
	return CV_OK;
}

int cap_mint(struct cap_space *src_space, cv_slot_t src_slot, struct cap_space *dst_space,
	     cv_slot_t dst_slot, uint32_t rights_mask, cv_badge_t badge)
{
	struct cap_slot *src, *dst;
	int err = cap_check_transfer(src_space, src_slot, dst_space, dst_slot, &src, &dst);

	if (err != CV_OK)
		return err;
	if (!cap_type_badgeable(src->type))
		return CV_E_BAD_TYPE;
	/* Set once: a badged capability is someone's identity and must not be re-badged. */
	if (src->badge != 0)
		return CV_E_BUSY;
	if (badge == 0)
		return CV_E_BAD_ARG;
	cap_do_derive(src, dst, src->rights & rights_mask, badge);
	return CV_OK;
}

int cap_move(struct cap_space *src_space, cv_slot_t src_slot, struct cap_space *dst_space,
	     cv_slot_t dst_slot)
{
	struct cap_slot *src, *dst;
	int err = cap_check_transfer(src_space, src_slot, dst_space, dst_slot, &src, &dst);

	if (err != CV_OK)
		return err;
	cap_do_move(src, dst);
	return CV_OK;
}

int cap_delete(struct cap_space *space, cv_slot_t slot)
{
	struct cap_slot *s;
	int err = cap_check_full(space, slot, &s);

	if (err != CV_OK)
		return err;
	cap_do_remove(s);
	return CV_OK;
}

int cap_revoke(struct cap_space *space, cv_slot_t slot, uint32_t budget)
{
	struct cap_slot *x;
	int err = cap_check_full(space, slot, &x);

	if (err != CV_OK)
		return err;
	if (budget == 0)
		return CV_E_BAD_ARG;

	/*
	 * Deleting the first child puts its children first, so this is a
	 * pre-order walk that needs no cursor: the next call simply starts
	 * again at x. x itself is never deleted here (a descendant's death
	 * cannot kill the object while x holds it), so x stays valid.
	 */
	while (budget > 0 && !cap_link_alone(&x->children)) {
		struct cap_slot *first = CAP_SLOT_OF(x->children.next, sib);

		if (CAP_PLANTED_BUG == 1) /* planted: grandchildren escape as x's siblings */
			cap_link_splice_before(&x->sib, &first->children);
		cap_do_remove(first);
		budget--;
	}
	return cap_link_alone(&x->children) ? CV_OK : CV_E_PREEMPTED;
}

int cap_space_destroy(struct cap_space *space, uint32_t budget)
{
	if (budget == 0)
		return CV_E_BAD_ARG;

	space->dying = true;
	while (budget > 0) {
		if (!cap_link_alone(&space->watches)) {
			/* The server is going away: nobody is left to tell. */
			struct cap_watch *w = CAP_WATCH_OF(space->watches.next, server_link);

			cap_watch_unlink(w);
			space->sys->ops->watch_cancelled(w, space->sys->ctx);
		} else if (space->destroy_cursor < space->count) {
			struct cap_slot *s = &space->slots[space->destroy_cursor++];

			if (!cap_slot_empty(s))
				cap_do_remove(s);
		} else {
			break;
		}
		budget--;
	}
	/* Nothing can arrive behind the cursor: a dying space accepts nothing. */
	return cap_link_alone(&space->watches) && space->destroy_cursor == space->count
		       ? CV_OK
		       : CV_E_PREEMPTED;
}

/* The capability a watch is about: a badged endpoint one the server may
 * receive on (out is non-NULL: where the result goes). */
static int cap_watched_slot(struct cap_space *server, cv_slot_t slot, const void *out, struct cap_slot **s)
{
	int err = cap_check_full(server, slot, s);

	if (err != CV_OK)
		return err;
	if ((*s)->type != CV_OBJ_ENDPOINT)
		return CV_E_BAD_TYPE;
	if (!((*s)->rights & CV_RIGHT_READ))
		return CV_E_NO_RIGHTS;
	if ((*s)->badge == 0 || out == NULL)
		return CV_E_BAD_ARG;
	return CV_OK;
}

int cap_watch(struct cap_space *server, cv_slot_t slot, struct cap_watch *w)
{
	struct cap_slot *s;
	int err = cap_watched_slot(server, slot, w, &s);

	if (err != CV_OK)
		return err;
	if (server->dying)
		return CV_E_DEAD;

	w->obj = s->obj;
	w->badge = s->badge;
	w->server = server;
	w->count = 0;
	w->pending = true;
	for (struct cap_link *l = s->obj->caps.next; l != &s->obj->caps; l = l->next) {
		const struct cap_slot *c = CAP_SLOT_OF(l, obj_link);

		if (c->badge == w->badge && c->space != server)
			w->count++;
	}
	cap_link_init(&w->obj_link, false);
	cap_link_init(&w->server_link, false);
	cap_link_insert_before(&s->obj->watches, &w->obj_link);
	cap_link_insert_before(&server->watches, &w->server_link);
	return CV_OK;
}

void cap_unwatch(struct cap_watch *w)
{
	cap_watch_unlink(w);
}

int cap_unwatch_slot(struct cap_space *server, cv_slot_t slot, unsigned *cancelled)
{
	struct cap_slot *s;
	int err = cap_watched_slot(server, slot, cancelled, &s);

	if (err != CV_OK)
		return err;

	struct kobj *obj = s->obj;
	struct cap_link *l = obj->watches.next;
	*cancelled = 0;
	while (l != &obj->watches) {
		struct cap_watch *w = CAP_WATCH_OF(l, obj_link);

		/* Saved first: watch_cancelled frees w. */
		l = l->next;
		if (w->server != server || w->badge != s->badge)
			continue;
		cap_watch_unlink(w);
		server->sys->ops->watch_cancelled(w, server->sys->ctx);
		(*cancelled)++;
	}
	return CV_OK;
}

const struct cap_slot *cap_parent(const struct cap_slot *s)
{
	if (cap_slot_empty(s))
		return NULL;
	for (const struct cap_link *l = s->sib.next; l != &s->sib; l = l->next) {
		if (l->head)
			return (const struct cap_slot *)(const void *)((const char *)l -
								offsetof(struct cap_slot,
									 children));
	}
	return NULL;
}
