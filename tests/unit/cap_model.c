// SPDX-License-Identifier: BSD-2-Clause
// The reference model of the capability semantics; see cap_model.h. Each
// operation checks its errors in the order docs/capabilities.md gives, then
// edits the flat state directly, then settle() recomputes what follows from
// it (which objects died, which watches fired or were cancelled).
#include "cap_model.h"

#include <stdlib.h>
#include <string.h>

static int loc(int space, uint32_t slot)
{
	return space * MODEL_SLOTS + (int)slot;
}

static uint32_t model_valid_rights(uint8_t type)
{
	return type == CV_OBJ_ENDPOINT ? 0xffffu : 0xffu;
}

static void model_clear(struct model_cap *c)
{
	memset(c, 0, sizeof(*c));
	c->parent = MODEL_NONE;
	c->obj = MODEL_NONE;
}

void model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
	for (int i = 0; i < MODEL_LOCS; i++)
		model_clear(&m->cap[i]);
}

int model_new_object(struct model *m, uint8_t type)
{
	if (m->nobj == MODEL_MAX_OBJS)
		abort();
	m->obj_type[m->nobj] = type;
	m->obj_state[m->nobj] = MODEL_OBJ_UNBORN;
	return m->nobj++;
}

static uint64_t count_outside(const struct model *m, int obj, cv_badge_t badge, int server)
{
	uint64_t n = 0;

	for (int i = 0; i < MODEL_LOCS; i++) {
		const struct model_cap *c = &m->cap[i];

		if (c->used && c->obj == obj && c->badge == badge && i / MODEL_SLOTS != server)
			n++;
	}
	return n;
}

uint64_t model_watch_count(const struct model *m, int id)
{
	const struct model_watch *w = &m->watch[id];

	return count_outside(m, w->obj, w->badge, w->server);
}

static void end_watch(struct model *m, int k, enum model_watch_state st)
{
	int id = m->pend[k];

	m->watch[id].state = st;
	if (st == MODEL_WATCH_FIRED)
		m->fired_total++;
	if (st == MODEL_WATCH_CANCELLED)
		m->cancelled_total++;
	if (st != MODEL_WATCH_UNWATCHED)
		m->ended[m->nended++] = id;
	memmove(&m->pend[k], &m->pend[k + 1], (size_t)(m->npend - k - 1) * sizeof(int));
	m->npend--;
}

/* After every operation: objects without capabilities die; watches fire or end. */
static void settle(struct model *m)
{
	for (int k = 0; k < m->nalive;) {
		int obj = m->alive[k];
		bool held = false;

		for (int i = 0; i < MODEL_LOCS; i++)
			held |= m->cap[i].used && m->cap[i].obj == obj;
		if (held) {
			k++;
			continue;
		}
		m->obj_state[obj] = MODEL_OBJ_DESTROYED;
		m->destroyed_total++;
		m->died[m->ndied++] = obj;
		m->alive[k] = m->alive[--m->nalive];
	}
	for (int k = 0; k < m->npend;) {
		struct model_watch *w = &m->watch[m->pend[k]];
		uint64_t now = count_outside(m, w->obj, w->badge, w->server);

		if (w->last_count >= 1 && now == 0) {
			end_watch(m, k, MODEL_WATCH_FIRED);
		} else if (m->obj_state[w->obj] == MODEL_OBJ_DESTROYED) {
			end_watch(m, k, MODEL_WATCH_CANCELLED);
		} else {
			w->last_count = now;
			k++;
		}
	}
}

static void begin(struct model *m)
{
	m->ndied = 0;
	m->nended = 0;
}

static int check_full(const struct model *m, int space, uint32_t slot)
{
	if (slot >= MODEL_SLOTS)
		return CV_E_BAD_SLOT;
	if (!m->cap[loc(space, slot)].used)
		return CV_E_EMPTY_SLOT;
	return CV_OK;
}

static int check_free(const struct model *m, int space, uint32_t slot)
{
	if (slot >= MODEL_SLOTS)
		return CV_E_BAD_SLOT;
	if (m->cap[loc(space, slot)].used)
		return CV_E_SLOT_IN_USE;
	if (m->dying[space])
		return CV_E_DEAD;
	return CV_OK;
}

int model_insert_new(struct model *m, int space, uint32_t slot, int obj, uint32_t rights,
		     cv_badge_t badge)
{
	int err = check_free(m, space, slot);
	uint8_t type = m->obj_type[obj];

	begin(m);
	if (err)
		return err;
	if (type == CV_OBJ_NONE || type >= CV_OBJ_TYPE_COUNT)
		return CV_E_BAD_TYPE;
	if (badge != 0 && type != CV_OBJ_ENDPOINT && type != CV_OBJ_NOTIFICATION)
		return CV_E_BAD_ARG;
	struct model_cap *c = &m->cap[loc(space, slot)];
	c->used = true;
	c->obj = obj;
	c->type = type;
	c->rights = rights & model_valid_rights(type);
	c->badge = badge;
	c->parent = MODEL_NONE;
	c->nchild = 0;
	if (m->obj_state[obj] == MODEL_OBJ_UNBORN) {
		m->obj_state[obj] = MODEL_OBJ_ALIVE;
		m->alive[m->nalive++] = obj;
	}
	settle(m);
	return CV_OK;
}

static void derive(struct model *m, int src, int dst, uint32_t mask, cv_badge_t badge)
{
	struct model_cap *s = &m->cap[src];
	struct model_cap *d = &m->cap[dst];

	d->used = true;
	d->obj = s->obj;
	d->type = s->type;
	d->rights = s->rights & mask;
	d->badge = badge;
	d->parent = src;
	d->nchild = 0;
	s->child[s->nchild++] = dst;
}

int model_copy(struct model *m, int ss, uint32_t sslot, int ds, uint32_t dslot, uint32_t mask)
{
	int err;

	begin(m);
	if ((err = check_full(m, ss, sslot)) || (err = check_free(m, ds, dslot)))
		return err;
	derive(m, loc(ss, sslot), loc(ds, dslot), mask, m->cap[loc(ss, sslot)].badge);
	settle(m);
	return CV_OK;
}

int model_mint(struct model *m, int ss, uint32_t sslot, int ds, uint32_t dslot, uint32_t mask,
	       cv_badge_t badge)
{
	int err;

	begin(m);
	if ((err = check_full(m, ss, sslot)) || (err = check_free(m, ds, dslot)))
		return err;
	const struct model_cap *s = &m->cap[loc(ss, sslot)];
	if (s->type != CV_OBJ_ENDPOINT && s->type != CV_OBJ_NOTIFICATION)
		return CV_E_BAD_TYPE;
	if (s->badge != 0)
		return CV_E_BUSY;
	if (badge == 0)
		return CV_E_BAD_ARG;
	derive(m, loc(ss, sslot), loc(ds, dslot), mask, badge);
	settle(m);
	return CV_OK;
}

/* Renames location `from` to `to` everywhere it is mentioned. */
int model_move(struct model *m, int ss, uint32_t sslot, int ds, uint32_t dslot)
{
	int err;

	begin(m);
	if ((err = check_full(m, ss, sslot)) || (err = check_free(m, ds, dslot)))
		return err;
	int from = loc(ss, sslot), to = loc(ds, dslot);
	m->cap[to] = m->cap[from];
	model_clear(&m->cap[from]);
	for (int i = 0; i < MODEL_LOCS; i++) {
		struct model_cap *c = &m->cap[i];

		if (!c->used)
			continue;
		if (c->parent == from)
			c->parent = to;
		for (int k = 0; k < c->nchild; k++)
			if (c->child[k] == from)
				c->child[k] = to;
	}
	settle(m);
	return CV_OK;
}

/* Deletes one capability; its children take its place in its parent's list. */
static void remove_cap(struct model *m, int x)
{
	struct model_cap *c = &m->cap[x];
	int p = c->parent;

	for (int k = 0; k < c->nchild; k++)
		m->cap[c->child[k]].parent = p;
	if (p != MODEL_NONE) {
		struct model_cap *pc = &m->cap[p];
		int list[MODEL_LOCS], n = 0;

		for (int k = 0; k < pc->nchild; k++) {
			if (pc->child[k] != x) {
				list[n++] = pc->child[k];
				continue;
			}
			for (int j = 0; j < c->nchild; j++)
				list[n++] = c->child[j];
		}
		memcpy(pc->child, list, (size_t)n * sizeof(int));
		pc->nchild = n;
	}
	model_clear(c);
}

int model_delete(struct model *m, int space, uint32_t slot)
{
	int err;

	begin(m);
	if ((err = check_full(m, space, slot)))
		return err;
	remove_cap(m, loc(space, slot));
	settle(m);
	return CV_OK;
}

int model_revoke(struct model *m, int space, uint32_t slot, uint32_t budget)
{
	int err;

	begin(m);
	if ((err = check_full(m, space, slot)))
		return err;
	if (budget == 0)
		return CV_E_BAD_ARG;
	struct model_cap *x = &m->cap[loc(space, slot)];
	while (budget > 0 && x->nchild > 0) {
		remove_cap(m, x->child[0]);
		budget--;
	}
	settle(m);
	return x->nchild > 0 ? CV_E_PREEMPTED : CV_OK;
}

static int first_pending_of_server(const struct model *m, int space)
{
	for (int k = 0; k < m->npend; k++)
		if (m->watch[m->pend[k]].server == space)
			return k;
	return -1;
}

int model_space_destroy(struct model *m, int space, uint32_t budget)
{
	begin(m);
	if (budget == 0)
		return CV_E_BAD_ARG;
	m->dying[space] = true;
	for (; budget > 0; budget--) {
		int k = first_pending_of_server(m, space);

		if (k >= 0) {
			end_watch(m, k, MODEL_WATCH_CANCELLED);
		} else if (m->cursor[space] < MODEL_SLOTS) {
			int x = loc(space, (uint32_t)m->cursor[space]++);

			if (m->cap[x].used)
				remove_cap(m, x);
		} else {
			break;
		}
	}
	settle(m);
	return first_pending_of_server(m, space) < 0 && m->cursor[space] == MODEL_SLOTS
		       ? CV_OK
		       : CV_E_PREEMPTED;
}

void model_space_reset(struct model *m, int space)
{
	m->dying[space] = false;
	m->cursor[space] = 0;
}

int model_watch(struct model *m, int space, uint32_t slot, int *id)
{
	int err;

	begin(m);
	if ((err = check_full(m, space, slot)))
		return err;
	const struct model_cap *c = &m->cap[loc(space, slot)];
	if (c->type != CV_OBJ_ENDPOINT)
		return CV_E_BAD_TYPE;
	if (!(c->rights & CV_RIGHT_READ))
		return CV_E_NO_RIGHTS;
	if (c->badge == 0)
		return CV_E_BAD_ARG;
	if (m->dying[space])
		return CV_E_DEAD;
	if (m->nwatch == MODEL_MAX_WATCHES || m->npend == MODEL_MAX_PENDING)
		abort();
	struct model_watch *w = &m->watch[m->nwatch];
	w->obj = c->obj;
	w->badge = c->badge;
	w->server = space;
	w->state = MODEL_WATCH_PENDING;
	w->last_count = count_outside(m, w->obj, w->badge, space);
	m->pend[m->npend++] = m->nwatch;
	*id = m->nwatch++;
	return CV_OK;
}

void model_unwatch(struct model *m, int id)
{
	begin(m);
	for (int k = 0; k < m->npend; k++) {
		if (m->pend[k] == id) {
			end_watch(m, k, MODEL_WATCH_UNWATCHED);
			return;
		}
	}
	abort();
}

int model_lookup(const struct model *m, int space, uint32_t slot, uint8_t type, uint32_t rights)
{
	int err = check_full(m, space, slot);

	if (err)
		return err;
	const struct model_cap *c = &m->cap[loc(space, slot)];
	if (type != CV_OBJ_NONE && c->type != type)
		return CV_E_BAD_TYPE;
	if ((c->rights & rights) != rights)
		return CV_E_NO_RIGHTS;
	return CV_OK;
}

int model_pending(const struct model *m, int *ids, int max)
{
	int n = m->npend < max ? m->npend : max;

	memcpy(ids, m->pend, (size_t)n * sizeof(int));
	return n;
}
