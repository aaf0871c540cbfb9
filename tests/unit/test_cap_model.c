// SPDX-License-Identifier: BSD-2-Clause
// Model-based test of kernel/cap.c: long seeded random sequences of every
// capability operation run on the kernel code and on the reference model
// (cap_model.c), comparing after every step the whole visible state: every
// slot's object, type, rights, badge and parent; which objects were
// destroyed (and that each was destroyed once); which close watches fired or
// were cancelled, and the counts of those still pending.
//
// Built twice (tests/unit/cap.mk.inc): as cap_model, which must see no
// difference, and with CAP_PLANTED_BUG set as cap_model_planted*, which
// passes only if the comparison catches the bug planted in cap.c.
//
// Replay: CAP_MODEL_SEED=<seed> [CAP_MODEL_STEPS=<n>] build/host/unit/cap_model
#include "unit.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "cap.h"
#include "cap_model.h"

#define SEEDS 20
#define STEPS 20000

enum op {
	OP_INSERT,
	OP_COPY,
	OP_MINT,
	OP_MOVE,
	OP_DELETE,
	OP_REVOKE,
	OP_DESTROY,
	OP_WATCH,
	OP_UNWATCH,
	OP_LOOKUP,
	OP_COUNT
};

static const char *const op_names[OP_COUNT] = {
	"insert_new", "copy", "mint", "move", "delete", "revoke", "space_destroy",
	"watch", "unwatch", "lookup",
};
/* Relative frequencies: creation and deletion roughly balance, so the
 * spaces stay about half full and most operations are valid. */
static const unsigned op_weight[OP_COUNT] = {8, 20, 10, 10, 12, 12, 2, 6, 2, 4};

/* ---- the kernel side ---- */

struct world {
	struct cap_system sys;
	struct cap_space space[MODEL_SPACES];
	struct cap_slot slots[MODEL_SPACES][MODEL_SLOTS];
	struct kobj *objs;          /* id = index */
	int *destroyed;             /* per object: obj_destroy calls */
	struct cap_watch *watches;  /* id = index */
	int *fired, *cancelled;     /* per watch: callback calls */
	long destroyed_total, fired_total, cancelled_total;
	struct model *m;
};

static void w_destroy(struct kobj *obj, void *ctx)
{
	struct world *w = ctx;

	w->destroyed[obj - w->objs]++;
	w->destroyed_total++;
}

static void w_close(struct cap_watch *cw, void *ctx)
{
	struct world *w = ctx;

	w->fired[cw - w->watches]++;
	w->fired_total++;
}

static void w_cancel(struct cap_watch *cw, void *ctx)
{
	struct world *w = ctx;

	w->cancelled[cw - w->watches]++;
	w->cancelled_total++;
}

static const struct cap_ops w_ops = {
	.obj_destroy = w_destroy,
	.close_event = w_close,
	.watch_cancelled = w_cancel,
};

static struct world *world_new(void)
{
	struct world *w = calloc(1, sizeof(*w));

	if (!w)
		abort();
	w->objs = calloc(MODEL_MAX_OBJS, sizeof(*w->objs));
	w->destroyed = calloc(MODEL_MAX_OBJS, sizeof(int));
	w->watches = calloc(MODEL_MAX_WATCHES, sizeof(*w->watches));
	w->fired = calloc(MODEL_MAX_WATCHES, sizeof(int));
	w->cancelled = calloc(MODEL_MAX_WATCHES, sizeof(int));
	w->m = malloc(sizeof(*w->m));
	if (!w->objs || !w->destroyed || !w->watches || !w->fired || !w->cancelled || !w->m)
		abort();
	cap_system_init(&w->sys, &w_ops, w);
	for (int s = 0; s < MODEL_SPACES; s++)
		cap_space_init(&w->space[s], &w->sys, w->slots[s], MODEL_SLOTS, NULL);
	model_init(w->m);
	return w;
}

static void world_free(struct world *w)
{
	free(w->objs);
	free(w->destroyed);
	free(w->watches);
	free(w->fired);
	free(w->cancelled);
	free(w->m);
	free(w);
}

/* ---- comparison ---- */

static char mismatch[512];

__attribute__((format(printf, 1, 2))) static bool differ(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(mismatch, sizeof(mismatch), fmt, ap);
	va_end(ap);
	return false;
}

static int loc_of(const struct world *w, const struct cap_slot *s)
{
	for (int sp = 0; sp < MODEL_SPACES; sp++)
		if (s >= w->slots[sp] && s < w->slots[sp] + MODEL_SLOTS)
			return sp * MODEL_SLOTS + (int)(s - w->slots[sp]);
	return -2;
}

static bool compare(const struct world *w)
{
	const struct model *m = w->m;

	for (int l = 0; l < MODEL_LOCS; l++) {
		const struct cap_slot *s = &w->slots[l / MODEL_SLOTS][l % MODEL_SLOTS];
		const struct model_cap *c = &m->cap[l];
		const struct cap_slot *p = cap_parent(s);

		if ((s->obj != NULL) != c->used)
			return differ("space %d slot %d: kernel %s, model %s", l / MODEL_SLOTS,
				      l % MODEL_SLOTS, s->obj ? "full" : "empty",
				      c->used ? "full" : "empty");
		if (!c->used)
			continue;
		if (s->obj - w->objs != c->obj || s->type != c->type || s->rights != c->rights ||
		    s->badge != c->badge || s->obj->type != c->type)
			return differ("space %d slot %d: kernel obj %td type %u rights 0x%x badge "
				      "%" PRIu64 ", model obj %d type %u rights 0x%x badge %" PRIu64,
				      l / MODEL_SLOTS, l % MODEL_SLOTS, s->obj - w->objs, s->type,
				      s->rights, s->badge, c->obj, c->type, c->rights, c->badge);
		if ((p ? loc_of(w, p) : MODEL_NONE) != c->parent)
			return differ("space %d slot %d: kernel parent loc %d, model %d",
				      l / MODEL_SLOTS, l % MODEL_SLOTS, p ? loc_of(w, p) : MODEL_NONE,
				      c->parent);
	}
	if (w->destroyed_total != m->destroyed_total)
		return differ("objects destroyed: kernel %ld, model %ld", w->destroyed_total,
			      m->destroyed_total);
	for (int k = 0; k < m->ndied; k++)
		if (w->destroyed[m->died[k]] != 1)
			return differ("object %d died in the model, kernel destroyed it %d times",
				      m->died[k], w->destroyed[m->died[k]]);
	for (int k = 0; k < m->nalive; k++)
		if (w->destroyed[m->alive[k]] != 0)
			return differ("object %d alive in the model, destroyed by kernel",
				      m->alive[k]);
	if (w->fired_total != m->fired_total || w->cancelled_total != m->cancelled_total)
		return differ("watches fired/cancelled: kernel %ld/%ld, model %ld/%ld",
			      w->fired_total, w->cancelled_total, m->fired_total,
			      m->cancelled_total);
	for (int k = 0; k < m->nended; k++) {
		int id = m->ended[k];
		int want_fired = m->watch[id].state == MODEL_WATCH_FIRED;

		if (w->fired[id] != want_fired || w->cancelled[id] != !want_fired)
			return differ("watch %d: kernel fired %d cancelled %d, model %s", id,
				      w->fired[id], w->cancelled[id],
				      want_fired ? "fired" : "cancelled");
	}
	for (int k = 0; k < m->npend; k++) {
		int id = m->pend[k];
		const struct cap_watch *cw = &w->watches[id];

		if (w->fired[id] || w->cancelled[id] || !cw->pending)
			return differ("watch %d pending in the model, ended in the kernel", id);
		if (cw->count != model_watch_count(m, id))
			return differ("watch %d: kernel count %" PRIu64 ", model %" PRIu64, id,
				      cw->count, model_watch_count(m, id));
	}
	return true;
}

/* ---- random operations ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* splitmix64: tiny, and every seed gives a good stream. */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

static bool chance(unsigned percent)
{
	return below(100) < percent;
}

/* A location satisfying `want` (most of the time), else anything, sometimes out of range. */
static void pick(const struct model *m, bool (*want)(const struct model *, int), int *space,
		 uint32_t *slot)
{
	int cand[MODEL_LOCS], n = 0;

	for (int l = 0; l < MODEL_LOCS; l++)
		if (want(m, l))
			cand[n++] = l;
	if (n > 0 && chance(88)) {
		int l = cand[below((uint32_t)n)];

		*space = l / MODEL_SLOTS;
		*slot = (uint32_t)(l % MODEL_SLOTS);
		return;
	}
	*space = (int)below(MODEL_SPACES);
	*slot = chance(20) ? MODEL_SLOTS + below(3) + (chance(10) ? 0xfffffff0u : 0) :
			     below(MODEL_SLOTS);
}

static bool want_full(const struct model *m, int l)
{
	return m->cap[l].used;
}

static bool want_free(const struct model *m, int l)
{
	return !m->cap[l].used && !m->dying[l / MODEL_SLOTS];
}

static bool want_mintable(const struct model *m, int l)
{
	const struct model_cap *c = &m->cap[l];

	return c->used && c->badge == 0 &&
	       (c->type == CV_OBJ_ENDPOINT || c->type == CV_OBJ_NOTIFICATION);
}

static bool want_watchable(const struct model *m, int l)
{
	const struct model_cap *c = &m->cap[l];

	return c->used && c->badge != 0 && c->type == CV_OBJ_ENDPOINT &&
	       (c->rights & CV_RIGHT_READ);
}

static bool want_parent(const struct model *m, int l)
{
	return m->cap[l].used && m->cap[l].nchild > 0;
}

static uint32_t random_mask(void)
{
	if (chance(30))
		return CV_RIGHTS_ALL;
	if (chance(10))
		return 0xffffffffu;
	return (uint32_t)rnd();
}

static cv_badge_t random_badge(void)
{
	/* Few distinct badges, so copies of one badge spread over spaces. */
	return chance(5) ? 0 : (chance(3) ? rnd() : 1 + below(3));
}

static uint8_t random_type(void)
{
	if (chance(50))
		return CV_OBJ_ENDPOINT;
	if (chance(30))
		return CV_OBJ_NOTIFICATION;
	return (uint8_t)(chance(2) ? 0 : 1 + below(CV_OBJ_TYPE_COUNT - 1));
}

/* cap_space_destroy of s has finished: every slot visited, no watch left. */
static bool first_dying_done(const struct model *m, int s)
{
	for (int k = 0; k < m->npend; k++)
		if (m->watch[m->pend[k]].server == s)
			return false;
	return true;
}

struct stats {
	long count[OP_COUNT][CV_STATUS_COUNT];
	long steps;
	long destroyed, fired, cancelled; /* kernel callbacks, all seeds */
};

/* Runs one operation on both sides; false with `desc` filled on a different status. */
static bool step(struct world *w, struct stats *st, char *desc, size_t len)
{
	struct model *m = w->m;
	unsigned total = 0, r;
	enum op op = OP_INSERT;
	int ks = 0, ms = 0;
	int ss, ds;
	uint32_t sl, dl;

	for (int i = 0; i < OP_COUNT; i++)
		total += op_weight[i];
	r = below(total);
	for (int i = 0; i < OP_COUNT; i++) {
		if (r < op_weight[i]) {
			op = (enum op)i;
			break;
		}
		r -= op_weight[i];
	}
	/* A space being destroyed is mostly driven to the end, then reused. */
	for (int s = 0; s < MODEL_SPACES; s++) {
		if (m->dying[s] && chance(15)) {
			if (m->cursor[s] == MODEL_SLOTS && first_dying_done(m, s)) {
				cap_space_init(&w->space[s], &w->sys, w->slots[s], MODEL_SLOTS, NULL);
				model_space_reset(m, s);
			} else {
				op = OP_DESTROY;
			}
			break;
		}
	}

	switch (op) {
	case OP_INSERT: {
		uint8_t type = random_type();
		int id = model_new_object(m, type);
		uint32_t rights = random_mask();
		cv_badge_t badge = chance(15) ? random_badge() : 0;

		pick(m, want_free, &ds, &dl);
		w->objs[id].type = 0xee; /* cap_obj_init must set everything */
		cap_obj_init(&w->objs[id], (enum cv_obj_type)type);
		snprintf(desc, len, "insert_new(space %d, slot %u, obj %d type %u, rights 0x%x, "
			 "badge %" PRIu64 ")", ds, dl, id, type, rights, badge);
		ks = cap_insert_new(&w->space[ds], dl, &w->objs[id], rights, badge);
		ms = model_insert_new(m, ds, dl, id, rights, badge);
		break;
	}
	case OP_COPY:
	case OP_MINT: {
		uint32_t mask = random_mask();
		cv_badge_t badge = random_badge();

		pick(m, op == OP_MINT && chance(80) ? want_mintable : want_full, &ss, &sl);
		pick(m, want_free, &ds, &dl);
		snprintf(desc, len, "%s(%d:%u -> %d:%u, mask 0x%x, badge %" PRIu64 ")",
			 op_names[op], ss, sl, ds, dl, mask, badge);
		if (op == OP_COPY) {
			ks = cap_copy(&w->space[ss], sl, &w->space[ds], dl, mask);
			ms = model_copy(m, ss, sl, ds, dl, mask);
		} else {
			ks = cap_mint(&w->space[ss], sl, &w->space[ds], dl, mask, badge);
			ms = model_mint(m, ss, sl, ds, dl, mask, badge);
		}
		break;
	}
	case OP_MOVE:
		pick(m, want_full, &ss, &sl);
		pick(m, want_free, &ds, &dl);
		snprintf(desc, len, "move(%d:%u -> %d:%u)", ss, sl, ds, dl);
		ks = cap_move(&w->space[ss], sl, &w->space[ds], dl);
		ms = model_move(m, ss, sl, ds, dl);
		break;
	case OP_DELETE:
		pick(m, want_full, &ss, &sl);
		snprintf(desc, len, "delete(%d:%u)", ss, sl);
		ks = cap_delete(&w->space[ss], sl);
		ms = model_delete(m, ss, sl);
		break;
	case OP_REVOKE: {
		uint32_t budget = chance(3) ? 0 : chance(60) ? 1 + below(3) : 1000;

		pick(m, want_parent, &ss, &sl);
		snprintf(desc, len, "revoke(%d:%u, budget %u)", ss, sl, budget);
		ks = cap_revoke(&w->space[ss], sl, budget);
		ms = model_revoke(m, ss, sl, budget);
		break;
	}
	case OP_DESTROY: {
		uint32_t budget = chance(3) ? 0 : 1 + below(10);

		ss = (int)below(MODEL_SPACES);
		for (int s = 0; s < MODEL_SPACES; s++)
			if (m->dying[s])
				ss = s;
		snprintf(desc, len, "space_destroy(%d, budget %u)", ss, budget);
		ks = cap_space_destroy(&w->space[ss], budget);
		ms = model_space_destroy(m, ss, budget);
		break;
	}
	case OP_WATCH: {
		int id = m->nwatch;

		if (m->npend == MODEL_MAX_PENDING || id == MODEL_MAX_WATCHES) {
			snprintf(desc, len, "(no watch: table full)");
			return true;
		}
		pick(m, want_watchable, &ss, &sl);
		snprintf(desc, len, "watch(%d:%u) -> id %d", ss, sl, id);
		ks = cap_watch(&w->space[ss], sl, &w->watches[id]);
		ms = model_watch(m, ss, sl, &id);
		break;
	}
	case OP_UNWATCH: {
		if (m->npend == 0) {
			snprintf(desc, len, "(no unwatch: none pending)");
			return true;
		}
		int id = m->pend[below((uint32_t)m->npend)];

		snprintf(desc, len, "unwatch(%d)", id);
		cap_unwatch(&w->watches[id]);
		model_unwatch(m, id);
		break;
	}
	case OP_LOOKUP: {
		uint8_t type = random_type();
		uint32_t rights = chance(50) ? 0 : 1u << below(16);
		const struct cap_slot *out = NULL;
		struct cap_info info;

		pick(m, want_full, &ss, &sl);
		snprintf(desc, len, "lookup(%d:%u, type %u, rights 0x%x)", ss, sl, type, rights);
		ks = cap_lookup(&w->space[ss], sl, type, rights, &out);
		ms = model_lookup(m, ss, sl, type, rights);
		if (ks == CV_OK && out != &w->slots[ss][sl])
			ks = -1;
		if (cap_info(&w->space[ss], sl, &info) == CV_OK) {
			const struct model_cap *c = &m->cap[ss * MODEL_SLOTS + (int)sl];

			if (info.type != c->type || info.rights != c->rights ||
			    info.badge != c->badge)
				ks = -2;
		}
		break;
	}
	case OP_COUNT:
		break;
	}
	st->steps++;
	if (ks >= 0 && ks < CV_STATUS_COUNT)
		st->count[op][ks]++;
	if (ks != ms) {
		snprintf(mismatch, sizeof(mismatch), "status: kernel %d, model %d", ks, ms);
		return false;
	}
	return true;
}

/*
 * One seeded sequence. Returns the 1-based step of the first difference, or
 * 0 if there was none; prints the seed, step and operation on a difference.
 */
static long run(uint64_t seed, long steps, struct stats *st, bool quiet)
{
	struct world *w = world_new();
	char desc[256];
	long bad = 0;

	rng_state = seed;
	for (long i = 1; i <= steps; i++) {
		desc[0] = 0;
		if (!step(w, st, desc, sizeof(desc)) || !compare(w)) {
			if (!quiet)
				printf("  seed 0x%" PRIx64 " step %ld: %s: %s\n"
				       "  replay: CAP_MODEL_SEED=0x%" PRIx64 " CAP_MODEL_STEPS=%ld\n",
				       seed, i, desc, mismatch, seed, i);
			bad = i;
			break;
		}
	}
	st->destroyed += w->destroyed_total;
	st->fired += w->fired_total;
	st->cancelled += w->cancelled_total;
	world_free(w);
	return bad;
}

static void print_stats(const struct stats *st)
{
	static const char *const status_names[CV_STATUS_COUNT] = {
		"ok", "bad_syscall", "bad_slot", "empty_slot", "slot_in_use", "bad_type",
		"no_rights", "bad_arg", "no_memory", "bad_address", "timeout", "would_block",
		"dead", "busy", "preempted",
	};

	printf("  %ld steps compared; %ld objects destroyed, %ld close events, %ld watches "
	       "cancelled\n", st->steps, st->destroyed, st->fired, st->cancelled);
	for (int op = 0; op < OP_COUNT; op++) {
		printf("  %-14s", op_names[op]);
		for (int s = 0; s < CV_STATUS_COUNT; s++)
			if (st->count[op][s])
				printf(" %s=%ld", status_names[s], st->count[op][s]);
		printf("\n");
	}
}

#ifndef CAP_PLANTED_BUG

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : dflt;
}

UNIT_TEST(cap_model_matches_kernel)
{
	static struct stats st;
	long steps = (long)env_u64("CAP_MODEL_STEPS", STEPS);
	uint64_t one = env_u64("CAP_MODEL_SEED", 0);
	int seeds = one ? 1 : SEEDS;

	for (int i = 0; i < seeds; i++) {
		uint64_t seed = one ? one : 0x5eed0000u + (uint64_t)i;

		CHECK_EQ(run(seed, steps, &st, false), 0);
	}
	print_stats(&st);
	/* Not vacuous: every operation succeeded often, and the long paths ran. */
	for (int op = 0; op < OP_COUNT; op++)
		if (op != OP_LOOKUP || st.count[op][CV_OK] == 0)
			CHECK(st.count[op][CV_OK] > (one ? 0 : 100));
	CHECK(st.count[OP_REVOKE][CV_E_PREEMPTED] > 0);
	CHECK(st.count[OP_DESTROY][CV_E_PREEMPTED] > 0);
	CHECK(st.fired > 0 && st.cancelled > 0 && st.destroyed > 0);
}

#else

/*
 * The planted bug must be caught, and soon: within the first few seeds of
 * the same sequences cap_model runs.
 */
UNIT_TEST(cap_model_catches_planted_bug)
{
	static struct stats st;
	int caught = -1;
	long at = 0;

	for (int i = 0; i < SEEDS && caught < 0; i++) {
		at = run(0x5eed0000u + (uint64_t)i, STEPS, &st, true);
		if (at)
			caught = i;
	}
	if (caught >= 0)
		printf("  planted bug %d caught: seed 0x%" PRIx64 ", step %ld: %s\n",
		       CAP_PLANTED_BUG, 0x5eed0000u + (uint64_t)caught, at, mismatch);
	print_stats(&st);
	CHECK(caught >= 0);
}

#endif
