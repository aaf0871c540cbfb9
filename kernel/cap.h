/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The capability system's core: kernel object headers, capability spaces,
 * the derivation tree, and close notification. Pure logic with no global
 * state, no heap and no calls out of itself except through the callbacks in
 * struct cap_ops, so the kernel runs it behind one lock and the host tests
 * (tests/unit/test_cap.c, test_cap_model.c) run it unchanged.
 * Semantics, error codes, costs and locking: docs/capabilities.md.
 *
 * Every public function that can fail checks everything first and returns a
 * enum cv_status; when it returns anything but CV_OK (or CV_E_PREEMPTED,
 * which reports partial progress) it has changed nothing.
 *
 * Locking: the caller holds one lock covering every cap_system, cap_space,
 * cap_slot, cap_watch and the cap-system fields of every kobj, for the whole
 * call. Callbacks run with that lock held and must not call back into this
 * module.
 */
#ifndef KERNEL_CAP_H
#define KERNEL_CAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uapi/cap.h>
#include <uapi/status.h>

/*
 * A link in a circular doubly linked list. `head` marks the one link of a
 * ring that belongs to the list's owner rather than to a member; only the
 * derivation tree uses it (to find a capability's parent).
 */
struct cap_link {
	struct cap_link *next;
	struct cap_link *prev;
	bool head;
};

/*
 * The header every kernel object embeds, first or anywhere (the kernel gets
 * back to its object with container_of). The capability code owns every
 * field; read them only under the capability lock.
 */
struct kobj {
	uint8_t type;          /* enum cv_obj_type, fixed at cap_obj_init */
	uint64_t cap_count;    /* capabilities that refer to the object */
	struct cap_link caps;  /* every capability to it, any space, any order */
	struct cap_link watches; /* pending close watches (endpoints only) */
};

struct cap_space;

/*
 * One slot of a capability space. Empty when obj is NULL. The definition is
 * public so the kernel can size and embed slots; use the functions.
 */
struct cap_slot {
	struct kobj *obj;
	cv_badge_t badge;      /* 0 = unbadged */
	uint32_t rights;       /* CV_RIGHT_* bits; user bits only on endpoints */
	uint8_t type;          /* copy of obj->type, CV_OBJ_NONE when empty */
	struct cap_space *space; /* fixed at cap_space_init */
	/*
	 * Derivation tree. `sib` is this capability's link in its parent's
	 * ring of children (whose head is the parent's `children`); a root's
	 * ring has no head. Children stay in creation order.
	 */
	struct cap_link sib;
	struct cap_link children;
	struct cap_link obj_link; /* in obj->caps */
};

/*
 * A close watch: "tell the server when no capability to `obj` with
 * `badge` remains outside the space `server`". Memory comes from the kernel
 * (paid from a quota) and is lent to this module from cap_watch() until
 * one of the callbacks close_event or watch_cancelled hands it back, or
 * cap_unwatch() is called. The kernel may embed it in a larger record.
 */
struct cap_watch {
	struct kobj *obj;
	cv_badge_t badge;
	struct cap_space *server;
	uint64_t count;            /* capabilities (obj, badge) in other spaces */
	bool pending;              /* lent to this module */
	struct cap_link obj_link;    /* in obj->watches, registration order */
	struct cap_link server_link; /* in server->watches, registration order */
};

/*
 * What the kernel does when the capability code lets go of something. All
 * three run with the capability lock held, after the capability state is
 * consistent again, and must not call any cap_* function. Each gets the
 * cap_system's ctx.
 */
struct cap_ops {
	/*
	 * The last capability to obj is gone. The capability code never
	 * touches obj again; the kernel frees it (or queues it to be freed:
	 * work that is not O(1) belongs in a deferred reaper, not here).
	 * Called exactly once per object, after its last close event.
	 */
	void (*obj_destroy)(struct kobj *obj, void *ctx);
	/*
	 * The number of capabilities (w->obj, w->badge) outside w->server
	 * went from at least one to zero. The watch is finished and unlinked:
	 * the kernel owns w again and delivers the badge to the server.
	 */
	void (*close_event)(struct cap_watch *w, void *ctx);
	/*
	 * A watch ended without an event: its endpoint died while no
	 * capability counted (count 0), or its server space is being
	 * destroyed. The kernel owns w again.
	 */
	void (*watch_cancelled)(struct cap_watch *w, void *ctx);
};

/* One kernel's capability system: its callbacks. */
struct cap_system {
	const struct cap_ops *ops;
	void *ctx;
};

/* A task's capability space. Public only so the kernel can embed it. */
struct cap_space {
	struct cap_system *sys;
	struct cap_slot *slots;
	uint32_t count;
	void *owner;              /* the kernel's task; this module never reads it */
	bool dying;               /* cap_space_destroy has started */
	uint32_t destroy_cursor;  /* next slot cap_space_destroy visits */
	struct cap_link watches;  /* pending watches this space is server of */
};

/* What cap_info reports. */
struct cap_info {
	uint8_t type;
	uint32_t rights;
	cv_badge_t badge;
};

void cap_system_init(struct cap_system *sys, const struct cap_ops *ops, void *ctx);

/*
 * Initialises an object header with no capabilities. Only `type` is
 * meaningful to this module; types outside 1..CV_OBJ_TYPE_COUNT-1 make
 * cap_insert_new fail with CV_E_BAD_TYPE.
 */
void cap_obj_init(struct kobj *obj, enum cv_obj_type type);

/*
 * Makes `slots` (count of them, memory the caller keeps alive until the
 * space is destroyed) an empty capability space of `owner`. count may be 0.
 */
void cap_space_init(struct cap_space *space, struct cap_system *sys, struct cap_slot *slots,
		    uint32_t count, void *owner);

/*
 * The rights a capability to an object of this type can hold: CV_RIGHTS_ALL
 * for endpoints, CV_RIGHTS_KERNEL_MASK otherwise. Rights outside it are
 * silently dropped wherever rights are given.
 */
uint32_t cap_rights_valid(uint8_t type);

/*
 * Puts the first or another root capability to `obj` in an empty slot: the
 * kernel's path for freshly created objects. rights are masked with
 * cap_rights_valid. A badge is allowed only on endpoints and notifications.
 * Errors, in the order checked: BAD_SLOT, SLOT_IN_USE, DEAD (space being
 * destroyed), BAD_ARG (obj NULL), BAD_TYPE (obj->type invalid), BAD_ARG (a
 * badge on another type). On failure a fresh object still has no capability, and the
 * kernel must free it itself: obj_destroy is not called.
 */
int cap_insert_new(struct cap_space *space, cv_slot_t slot, struct kobj *obj, uint32_t rights,
		   cv_badge_t badge) __attribute__((warn_unused_result));

/*
 * What every system call does with a capability argument. expected_type
 * CV_OBJ_NONE accepts any type. Errors, in order: BAD_SLOT, EMPTY_SLOT,
 * BAD_TYPE, NO_RIGHTS (some bit of needed_rights missing). *out is set only
 * on success and stays valid until the lock is dropped.
 */
int cap_lookup(struct cap_space *space, cv_slot_t slot, uint8_t expected_type,
	       uint32_t needed_rights, const struct cap_slot **out)
	__attribute__((warn_unused_result));

/*
 * cap_lookup's success case only, inline for the IPC fast path: the slot if
 * it holds a capability of type `type` (not CV_OBJ_NONE) with every right
 * in needed_rights, else NULL, and then cap_lookup tells why. Relies on an
 * empty slot's type being CV_OBJ_NONE.
 */
static inline const struct cap_slot *cap_lookup_fast(const struct cap_space *space, cv_slot_t slot,
						     uint8_t type, uint32_t needed_rights)
{
	if (slot >= space->count)
		return NULL;
	const struct cap_slot *s = &space->slots[slot];
	return s->type == type && (s->rights & needed_rights) == needed_rights ? s : NULL;
}

/* Type, rights and badge of a capability. Errors: BAD_SLOT, EMPTY_SLOT. */
int cap_info(struct cap_space *space, cv_slot_t slot, struct cap_info *out)
	__attribute__((warn_unused_result));

/*
 * Puts a child of the source capability in the empty destination slot, with
 * rights src.rights & rights_mask and the source's badge. Needs no right:
 * rights only shrink. Spaces may be the same. Errors, in order: src
 * BAD_SLOT, src EMPTY_SLOT, dst BAD_SLOT, dst SLOT_IN_USE, dst DEAD.
 */
int cap_copy(struct cap_space *src_space, cv_slot_t src_slot, struct cap_space *dst_space,
	     cv_slot_t dst_slot, uint32_t rights_mask) __attribute__((warn_unused_result));

/*
 * Like cap_copy, but the child carries `badge`. The source must be an
 * unbadged endpoint or notification capability. Errors, in order: the five
 * errors of cap_copy, BAD_TYPE (not an endpoint or notification), BUSY
 * (source already badged), BAD_ARG (badge 0).
 */
int cap_mint(struct cap_space *src_space, cv_slot_t src_slot, struct cap_space *dst_space,
	     cv_slot_t dst_slot, uint32_t rights_mask, cv_badge_t badge)
	__attribute__((warn_unused_result));

/*
 * Moves a capability to an empty slot, keeping its rights, badge and place
 * in the derivation tree (parent and children). Errors as cap_copy.
 */
int cap_move(struct cap_space *src_space, cv_slot_t src_slot, struct cap_space *dst_space,
	     cv_slot_t dst_slot) __attribute__((warn_unused_result));

/*
 * Deletes one capability. Its children take its place under its parent (or
 * become roots); nothing else is deleted. May fire close events and destroy
 * the object. Errors: BAD_SLOT, EMPTY_SLOT.
 */
int cap_delete(struct cap_space *space, cv_slot_t slot) __attribute__((warn_unused_result));

/*
 * Deletes every capability derived from this one, in any space, but not the
 * capability itself: repeatedly deletes its first child (whose children then
 * come first), at most `budget` deletions per call. Returns CV_OK when no
 * descendant is left, CV_E_PREEMPTED when some are (call again; every call
 * with budget >= 1 deletes at least one). Keeps no state between calls.
 * Errors: BAD_SLOT, EMPTY_SLOT, BAD_ARG (budget 0).
 */
int cap_revoke(struct cap_space *space, cv_slot_t slot, uint32_t budget)
	__attribute__((warn_unused_result));

/*
 * Deletes every capability of a dying space. The first call marks the space
 * dying (nothing can be put into it any more: DEAD). Each unit of budget
 * cancels one watch the space is server of (those go first, in registration
 * order) or visits one slot (ascending), deleting what it holds. Returns
 * CV_OK when the space is empty and has no watches (later calls return CV_OK
 * at once), CV_E_PREEMPTED otherwise. Error: BAD_ARG (budget 0).
 */
int cap_space_destroy(struct cap_space *space, uint32_t budget)
	__attribute__((warn_unused_result));

/*
 * Registers a close watch for the badged endpoint capability in `slot` of
 * the server's space: w->count starts as the number of capabilities to that
 * endpoint with that badge in every other space (O(capabilities to the
 * object)). Fires close_event the first time that count drops from >= 1 to
 * 0; a watch registered at 0 waits for the count to rise first. Needs
 * CV_RIGHT_READ (the receive right: whoever serves the endpoint). Errors, in
 * order: BAD_SLOT, EMPTY_SLOT, BAD_TYPE (not an endpoint), NO_RIGHTS,
 * BAD_ARG (unbadged capability, or w NULL), DEAD (space being destroyed).
 * w must not be pending already (a fresh record each time); every field of
 * it is set here.
 */
int cap_watch(struct cap_space *server, cv_slot_t slot, struct cap_watch *w)
	__attribute__((warn_unused_result));

/*
 * Withdraws a pending watch without an event (the server cancels it); the
 * kernel owns w again. w must be pending: the kernel stops using w once it
 * has come back through close_event or watch_cancelled.
 */
void cap_unwatch(struct cap_watch *w);

/*
 * Withdraws every pending watch the server registered for the badged
 * endpoint capability in `slot` (same endpoint, same badge), each through
 * watch_cancelled; *cancelled gets how many (0 is no error: a server that
 * cannot know whether its watch already fired may ask). A watch that has
 * fired is not taken back. O(watches of the endpoint). Errors, in order:
 * BAD_SLOT, EMPTY_SLOT, BAD_TYPE (not an endpoint), NO_RIGHTS (no READ),
 * BAD_ARG (unbadged capability, or cancelled NULL).
 */
int cap_unwatch_slot(struct cap_space *server, cv_slot_t slot, unsigned *cancelled)
	__attribute__((warn_unused_result));

/*
 * The capability `s` was derived from, or NULL for a root (and for an empty
 * slot). O(siblings of s): for tests, assertions and debugging.
 */
const struct cap_slot *cap_parent(const struct cap_slot *s);

/* The slot at index `slot`, or NULL if out of range. For the kernel's debug paths and tests. */
const struct cap_slot *cap_slot_at(const struct cap_space *space, cv_slot_t slot);

#endif
