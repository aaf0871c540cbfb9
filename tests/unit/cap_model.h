/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A reference model of capvisor's capability semantics, for the
 * model-based test (test_cap_model.c). Written from docs/capabilities.md
 * without any kernel code: capabilities live in a flat array of locations
 * (space * MODEL_SLOTS + slot), the derivation tree is an explicit parent
 * index plus an ordered child list, and everything else (object liveness,
 * close-watch counts) is recomputed by brute force after every operation.
 * Slow and obviously right is the point.
 */
#ifndef TESTS_UNIT_CAP_MODEL_H
#define TESTS_UNIT_CAP_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <uapi/cap.h>
#include <uapi/status.h>

#define MODEL_SPACES 4
#define MODEL_SLOTS 16
#define MODEL_LOCS (MODEL_SPACES * MODEL_SLOTS)
#define MODEL_NONE (-1)
#define MODEL_MAX_OBJS 100000
#define MODEL_MAX_WATCHES 100000
#define MODEL_MAX_PENDING 64

enum model_obj_state { MODEL_OBJ_UNBORN, MODEL_OBJ_ALIVE, MODEL_OBJ_DESTROYED };
enum model_watch_state {
	MODEL_WATCH_PENDING,
	MODEL_WATCH_FIRED,
	MODEL_WATCH_CANCELLED,
	MODEL_WATCH_UNWATCHED
};

struct model_cap {
	bool used;
	int obj;
	uint8_t type;
	uint32_t rights;
	cv_badge_t badge;
	int parent;            /* location, or MODEL_NONE for a root */
	int nchild;
	int child[MODEL_LOCS]; /* locations, in order */
};

struct model_watch {
	int obj;
	cv_badge_t badge;
	int server;
	enum model_watch_state state;
	uint64_t last_count;
};

struct model {
	struct model_cap cap[MODEL_LOCS];
	bool dying[MODEL_SPACES];
	int cursor[MODEL_SPACES];
	int nobj;
	uint8_t obj_type[MODEL_MAX_OBJS];
	enum model_obj_state obj_state[MODEL_MAX_OBJS];
	long destroyed_total;
	int nwatch;
	struct model_watch watch[MODEL_MAX_WATCHES];
	int pend[MODEL_MAX_PENDING]; /* pending watch ids, registration order */
	int npend;
	int alive[MODEL_LOCS];       /* alive object ids (each holds a slot) */
	int nalive;
	long fired_total;
	long cancelled_total;
	/* What the last operation ended, for the comparison. */
	int died[MODEL_LOCS + 1];
	int ndied;
	int ended[MODEL_MAX_PENDING + 1];
	int nended;
};

void model_init(struct model *m);
/* A new object of this type, with no capability yet; returns its id. */
int model_new_object(struct model *m, uint8_t type);
int model_insert_new(struct model *m, int space, uint32_t slot, int obj, uint32_t rights,
		     cv_badge_t badge);
int model_copy(struct model *m, int ss, uint32_t sslot, int ds, uint32_t dslot, uint32_t mask);
int model_mint(struct model *m, int ss, uint32_t sslot, int ds, uint32_t dslot, uint32_t mask,
	       cv_badge_t badge);
int model_move(struct model *m, int ss, uint32_t sslot, int ds, uint32_t dslot);
int model_delete(struct model *m, int space, uint32_t slot);
int model_revoke(struct model *m, int space, uint32_t slot, uint32_t budget);
int model_space_destroy(struct model *m, int space, uint32_t budget);
/* Makes a completely destroyed space usable again (the kernel's re-init). */
void model_space_reset(struct model *m, int space);
/* On success *id is the new watch's id (they count up from 0). */
int model_watch(struct model *m, int space, uint32_t slot, int *id);
void model_unwatch(struct model *m, int id);
int model_lookup(const struct model *m, int space, uint32_t slot, uint8_t type, uint32_t rights);
/* Capabilities (obj, badge) outside `server`, counted afresh. */
uint64_t model_watch_count(const struct model *m, int id);
/* Ids of pending watches, in registration order; returns how many. */
int model_pending(const struct model *m, int *ids, int max);

#endif
