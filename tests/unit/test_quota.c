// SPDX-License-Identifier: BSD-2-Clause
// Host tests of kernel/quota.c: charging, splitting, giving back, and
// arithmetic at the edges of uint64_t.
#include "unit.h"

#include <stdint.h>

#include "quota.h"

static void expect(const struct quota *q, uint64_t limit, uint64_t used)
{
	uint64_t l, u;

	quota_info(q, &l, &u);
	CHECK_EQ(l, limit);
	CHECK_EQ(u, used);
}

UNIT_TEST(quota_charge_and_uncharge)
{
	struct quota q;

	quota_init_root(&q, 10);
	expect(&q, 10, 0);
	CHECK_EQ(quota_charge(&q, 4), CV_OK);
	CHECK_EQ(quota_charge(&q, 6), CV_OK);
	expect(&q, 10, 10);
	CHECK_EQ(quota_charge(&q, 1), CV_E_NO_MEMORY);
	expect(&q, 10, 10);
	CHECK_EQ(quota_charge(&q, 0), CV_OK);
	CHECK_EQ(quota_uncharge(&q, 3), CV_OK);
	expect(&q, 10, 7);
	CHECK_EQ(quota_uncharge(&q, 8), CV_E_BAD_ARG);
	expect(&q, 10, 7);
	CHECK_EQ(quota_uncharge(&q, 7), CV_OK);
	expect(&q, 10, 0);
}

UNIT_TEST(quota_overflow_safe)
{
	struct quota q, c;

	quota_init_root(&q, UINT64_MAX);
	CHECK_EQ(quota_charge(&q, UINT64_MAX - 1), CV_OK);
	/* used + frames wraps to a small number: must still fail. */
	CHECK_EQ(quota_charge(&q, 2), CV_E_NO_MEMORY);
	CHECK_EQ(quota_charge(&q, UINT64_MAX), CV_E_NO_MEMORY);
	CHECK_EQ(quota_charge(&q, 1), CV_OK);
	expect(&q, UINT64_MAX, UINT64_MAX);
	CHECK_EQ(quota_split(&q, 1, &c), CV_E_NO_MEMORY);

	quota_init_root(&q, 5);
	CHECK_EQ(quota_charge(&q, 3), CV_OK);
	CHECK_EQ(quota_charge(&q, UINT64_MAX - 1), CV_E_NO_MEMORY);
	CHECK_EQ(quota_split(&q, UINT64_MAX, &c), CV_E_NO_MEMORY);
	expect(&q, 5, 3);
}

UNIT_TEST(quota_split_and_destroy)
{
	struct quota root, a, b, aa;

	quota_init_root(&root, 100);
	CHECK_EQ(quota_charge(&root, 10), CV_OK);
	CHECK_EQ(quota_split(&root, 60, &a), CV_OK);
	expect(&root, 100, 70);
	expect(&a, 60, 0);
	CHECK_EQ(quota_split(&root, 31, &b), CV_E_NO_MEMORY);
	CHECK_EQ(quota_split(&root, 0, &b), CV_E_BAD_ARG);
	CHECK_EQ(quota_split(&root, 5, &root), CV_E_BAD_ARG);
	expect(&root, 100, 70);
	CHECK_EQ(quota_split(&root, 30, &b), CV_OK);
	expect(&root, 100, 100);
	CHECK_EQ(quota_charge(&root, 1), CV_E_NO_MEMORY);

	/* A child's objects are limited by the child, not the parent. */
	CHECK_EQ(quota_charge(&a, 50), CV_OK);
	CHECK_EQ(quota_split(&a, 11, &aa), CV_E_NO_MEMORY);
	CHECK_EQ(quota_split(&a, 10, &aa), CV_OK);
	expect(&a, 60, 60);
	CHECK_EQ(quota_charge(&aa, 10), CV_OK);
	CHECK_EQ(quota_charge(&aa, 1), CV_E_NO_MEMORY);

	/* Busy while anything is charged, objects or children. */
	CHECK_EQ(quota_destroy_child(&aa), CV_E_BUSY);
	CHECK_EQ(quota_uncharge(&aa, 10), CV_OK);
	CHECK_EQ(quota_uncharge(&a, 50), CV_OK);
	CHECK_EQ(quota_destroy_child(&a), CV_E_BUSY); /* aa still carved out of it */
	CHECK_EQ(quota_destroy_child(&aa), CV_OK);
	expect(&a, 60, 0);
	CHECK_EQ(quota_destroy_child(&aa), CV_E_BAD_ARG); /* already given back */
	CHECK_EQ(quota_destroy_child(&a), CV_OK);
	expect(&root, 100, 40);
	CHECK_EQ(quota_destroy_child(&b), CV_OK);
	CHECK_EQ(quota_uncharge(&root, 10), CV_OK);
	expect(&root, 100, 0); /* back to where it started */
	CHECK_EQ(quota_destroy_child(&root), CV_E_BAD_ARG);
}
