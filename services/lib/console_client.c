// SPDX-License-Identifier: BSD-2-Clause
// The client side of the console service's protocol (cv/console.h,
// docs/console.md): finding the service in the start information,
// writing text in WRITE calls, reading input with a notifier to wait on,
// and REGISTER for the root task.
#include <string.h>

#include <cv/console.h>
#include <cv/syscall.h>
#include <cv/task.h>
#include <uapi/start.h>

static cv_slot_t console_ep;  /* 0: the kernel console */
static cv_slot_t notifier;    /* our copy of the service's input notification */
static cv_slot_t slot_hint = CV_SLOT_SELF_QUOTA + 1; /* free slots are looked for from here */

void cv_console_attach(cv_slot_t slot)
{
	if (slot != console_ep && notifier) {
		(void)cv_cap_delete(notifier);
		notifier = 0;
	}
	console_ep = slot;
}

cv_slot_t cv_console_attached(void)
{
	return console_ep;
}

void cv_console_init(const void *arg)
{
	const struct cv_start_info *si = cv_start_info_of(arg);

	if (!si || console_ep)
		return; /* e.g. the root task's struct cv_root_info, at the same address */
	cv_slot_t found = 0;
	for (uint32_t i = 0; i < si->cap_count && i < CV_START_CAPS_MAX; i++) {
		const struct cv_start_cap *c = &si->caps[i];
		if (c->slot >= slot_hint)
			slot_hint = c->slot + 1;
		if (c->type == CV_OBJ_ENDPOINT && !strncmp(c->name, "console", CV_START_NAME_MAX))
			found = c->slot;
	}
	struct cv_cap_info ci;
	/* Badged and callable: a client's. The service's own is unbadged. */
	if (found && cv_cap_info(found, &ci) == CV_OK && ci.type == CV_OBJ_ENDPOINT && ci.badge &&
	    (ci.rights & CV_RIGHT_WRITE))
		cv_console_attach(found);
}

/* Text bytes into MR1..MR5 and back, byte i in MR1 + i / 8 at bits 8 * (i % 8). */
static void pack(struct cv_msg *m, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		m->mr[1 + i / 8] |= (uint64_t)(unsigned char)buf[i] << (8 * (i % 8));
}

static void unpack(const struct cv_msg *m, char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(m->mr[1 + i / 8] >> (8 * (i % 8)));
}

static enum cv_status send_op(cv_slot_t ep, const void *buf, size_t len, unsigned last_op)
{
	const char *p = buf;

	do {
		size_t n = len < CV_CONSOLE_TEXT_MAX ? len : CV_CONSOLE_TEXT_MAX;
		unsigned op = n == len ? last_op : CV_CONSOLE_OP_WRITE;
		struct cv_msg m = {.info = cv_ipc_info(1 + (unsigned)((n + 7) / 8), 0, 0, 0)};
		m.mr[0] = cv_console_mr0(op, (unsigned)n);
		pack(&m, p, n);
		enum cv_status st = cv_call(cv_ipc_endpoint_arg(ep, 0, 0), &m);
		if (st == CV_OK)
			st = (enum cv_status)cv_console_code(m.mr[0]);
		if (st != CV_OK)
			return st;
		p += n;
		len -= n;
	} while (len);
	return CV_OK;
}

enum cv_status cv_console_send(cv_slot_t ep, const void *buf, size_t len)
{
	return len ? send_op(ep, buf, len, CV_CONSOLE_OP_WRITE) : CV_OK;
}

enum cv_status cv_console_send_shown(cv_slot_t ep, const void *buf, size_t len)
{
	return send_op(ep, buf, len, CV_CONSOLE_OP_SHOW);
}

/* A slot of our capability space that is empty, at or above the hint,
 * below 65536 (receive slots have 16 bits); 0 if there is none. */
static cv_slot_t free_slot(void)
{
	struct cv_cap_info ci;

	for (cv_slot_t s = slot_hint; s < 0x10000; s++) {
		enum cv_status st = cv_cap_info(s, &ci);
		if (st == CV_E_EMPTY_SLOT)
			return s;
		if (st == CV_E_BAD_SLOT)
			break;
	}
	return 0;
}

static enum cv_status get_notifier(void)
{
	cv_slot_t slot = free_slot();

	if (!slot)
		return CV_E_NO_MEMORY;
	struct cv_msg m = {.info = cv_ipc_info(1, 0, 0, 0)};
	m.mr[0] = cv_console_mr0(CV_CONSOLE_OP_NOTIFIER, 0);
	enum cv_status st = cv_call(cv_ipc_endpoint_arg(console_ep, slot, 0), &m);
	if (st == CV_OK)
		st = (enum cv_status)cv_console_code(m.mr[0]);
	if (st != CV_OK)
		return st;
	if (((m.info & CV_IPC_CAPS_MASK) >> CV_IPC_CAPS_SHIFT) != 1)
		return CV_E_DEAD;
	notifier = slot;
	return CV_OK;
}

enum cv_status cv_console_read(void *buf, size_t max, size_t *got, unsigned flags)
{
	*got = 0;
	if (!console_ep)
		return CV_E_DEAD;
	if (!max)
		return CV_OK;
	if (max > CV_CONSOLE_TEXT_MAX)
		max = CV_CONSOLE_TEXT_MAX;
	for (;;) {
		struct cv_msg m = {.info = cv_ipc_info(1, 0, 0, 0)};
		m.mr[0] = cv_console_mr0(CV_CONSOLE_OP_READ, (unsigned)max);
		enum cv_status st = cv_call(cv_ipc_endpoint_arg(console_ep, 0, 0), &m);
		if (st == CV_OK)
			st = (enum cv_status)cv_console_code(m.mr[0]);
		if (st == CV_OK) {
			size_t n = cv_console_count(m.mr[0]);
			if (n > max)
				return CV_E_BAD_ARG; /* a confused service */
			unpack(&m, buf, n);
			*got = n;
			return CV_OK;
		}
		if (st != CV_E_WOULD_BLOCK || (flags & CV_CONSOLE_NONBLOCK))
			return st;
		if (!notifier) {
			/* Then ask again before waiting: input that came before
			 * the notifier existed signalled nobody. */
			st = get_notifier();
			if (st != CV_OK)
				return st;
			continue;
		}
		st = cv_wait(notifier, 0, NULL);
		if (st != CV_OK)
			return st;
	}
}

enum cv_status cv_console_register(cv_slot_t ep, cv_badge_t badge, const char *name)
{
	struct cv_msg m = {.info = cv_ipc_info(6, 0, 0, 0)};
	size_t n = 0;

	while (n < CV_CONSOLE_NAME_MAX && name[n])
		n++;

	m.mr[0] = cv_console_mr0(CV_CONSOLE_OP_REGISTER, (unsigned)n);
	m.mr[1] = badge;
	for (size_t i = 0; i < n; i++)
		m.mr[2 + i / 8] |= (uint64_t)(unsigned char)name[i] << (8 * (i % 8));
	enum cv_status st = cv_call(cv_ipc_endpoint_arg(ep, 0, 0), &m);
	return st == CV_OK ? (enum cv_status)cv_console_code(m.mr[0]) : st;
}
