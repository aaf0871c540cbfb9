// SPDX-License-Identifier: BSD-2-Clause
// Kernel memory quotas; see quota.h. used <= limit is the invariant every
// function keeps, which is what makes "limit - used" safe from underflow
// and every comparison below safe from overflow.
#include "quota.h"

#include <stddef.h>

void quota_init_root(struct quota *q, uint64_t limit)
{
	q->limit = limit;
	q->used = 0;
	q->parent = NULL;
}

int quota_charge(struct quota *q, uint64_t frames)
{
	/* Not used + frames > limit: the sum could wrap. */
	if (frames > q->limit - q->used)
		return CV_E_NO_MEMORY;
	q->used += frames;
	return CV_OK;
}

int quota_uncharge(struct quota *q, uint64_t frames)
{
	if (frames > q->used)
		return CV_E_BAD_ARG;
	q->used -= frames;
	return CV_OK;
}

int quota_split(struct quota *parent, uint64_t frames, struct quota *child)
{
	if (frames == 0 || child == parent)
		return CV_E_BAD_ARG;
	if (frames > parent->limit - parent->used)
		return CV_E_NO_MEMORY;
	parent->used += frames;
	child->limit = frames;
	child->used = 0;
	child->parent = parent;
	return CV_OK;
}

int quota_destroy_child(struct quota *child)
{
	if (child->parent == NULL)
		return CV_E_BAD_ARG;
	if (child->used != 0)
		return CV_E_BUSY;
	/* The parent's usage includes this limit, so it cannot underflow. */
	child->parent->used -= child->limit;
	child->parent = NULL;
	child->limit = 0;
	return CV_OK;
}

void quota_info(const struct quota *q, uint64_t *limit, uint64_t *used)
{
	*limit = q->limit;
	*used = q->used;
}
