// SPDX-License-Identifier: BSD-2-Clause
// Child tasks: ktest loads its own image again as a task that obeys
// commands. The protocol never leaves the parent owing a reply: the child
// receives commands on one endpoint (the parent SENDs them) and SENDs its
// reports to another, so the parent's main thread is free to receive
// close events or calls on other endpoints in between.
#include <string.h>

#include <cv/task.h>
#include <uapi/root.h>

#include "ktest.h"

#define CHILD_TIMEOUT_MS 3000

/* ---- the child's side ---- */

static void report(uint64_t status, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5)
{
	struct cv_msg m = {.info = cv_ipc_info(6, 0, 0, 0), .mr = {REPORT_DONE, status, r2, r3, r4, r5}};

	(void)cv_send(CHILD_SLOT_REP, &m);
}

_Noreturn void child_main(void)
{
	struct cv_msg m = {.info = cv_ipc_info(1, 0, 0, 0), .mr = {REPORT_HELLO}};

	(void)cv_send(CHILD_SLOT_REP, &m);
	for (;;) {
		memset(&m, 0, sizeof(m));
		if (cv_recv(CHILD_SLOT_CMD, &m) != CV_OK)
			cv_thread_exit(); /* the parent let go of us */
		cv_slot_t slot = (cv_slot_t)m.mr[1];
		switch (m.mr[0]) {
		case CMD_PING:
			report(CV_OK, 0, 0, 0, 0);
			break;
		case CMD_INFO: {
			struct cv_cap_info ci = {0};
			enum cv_status st = cv_cap_info(slot, &ci);
			report(st, ci.type, ci.rights, ci.badge, 0);
			break;
		}
		case CMD_DELETE:
			report(cv_cap_delete(slot), 0, 0, 0, 0);
			break;
		case CMD_COPY:
			report(cv_cap_copy(slot, (cv_slot_t)m.mr[2], (uint32_t)m.mr[3]), 0, 0, 0, 0);
			break;
		case CMD_CALL: {
			struct cv_msg c = {.info = cv_ipc_info(2, 0, 0, 0), .mr = {0xca11, m.mr[2]}};
			enum cv_status st = cv_call(cv_ipc_endpoint_arg(slot, (cv_slot_t)m.mr[3], 0), &c);
			report(st, c.mr[0], c.badge, 0, 0);
			break;
		}
		case CMD_FAULT:
			*(volatile uint64_t *)(uintptr_t)CHILD_FAULT_VA = 1;
			report(CV_E_BAD_ARG, 0, 0, 0, 0); /* not reached */
			break;
		case CMD_EXIT:
			cv_thread_exit();
		default:
			report(CV_E_BAD_ARG, 0, 0, 0, 0);
			break;
		}
	}
}

/* ---- the parent's side ---- */

int child_spawn(struct child *c)
{
	memset(c, 0, sizeof(*c));
	c->cmd = ep_new();
	c->rep = ep_new();
	c->task = slot_new();
	c->thread = slot_new();
	if (!c->cmd || !c->rep)
		return 0;
	struct cv_task_spec spec = {
		.image = ktest_image,
		.size = ktest_image_size,
		.quota = CV_ROOT_SLOT_QUOTA,
		.task_slot = c->task,
		.thread_slot = c->thread,
		.max_priority = 40,
		.cap_slots = CHILD_SLOTS,
		.priority = CHILD_PRIO,
		.cpu = CHILD_CPU,
		.arg = KTEST_CHILD_ARG,
	};
	if (!EXPECT_ST(cv_task_load(&spec), CV_OK))
		return 0;
	c->alive = true;
	if (!EXPECT_ST(cv_task_cap_copy(c->task, c->cmd, CHILD_SLOT_CMD, CV_RIGHT_READ), CV_OK) ||
	    !EXPECT_ST(cv_task_cap_copy(c->task, c->rep, CHILD_SLOT_REP, CV_RIGHT_WRITE), CV_OK) ||
	    !EXPECT_ST(cv_thread_start(c->thread), CV_OK))
		return 0;
	struct cv_msg m;
	if (!EXPECT_ST(recv_timeout(c->rep, &m, CHILD_TIMEOUT_MS), CV_OK))
		return 0;
	return CHECK(m.mr[0] == REPORT_HELLO && (m.info & CV_IPC_LEN_MASK) == 1,
		     "child said 0x%llx (info 0x%llx), not hello", (unsigned long long)m.mr[0],
		     (unsigned long long)m.info);
}

int child_do(struct child *c, uint64_t cmd, uint64_t a1, uint64_t a2, uint64_t a3, struct cv_msg *rep)
{
	struct cv_msg m = {.info = cv_ipc_info(4, 0, 0, 0), .mr = {cmd, a1, a2, a3}};

	ktest_progress();
	if (!EXPECT_ST(send_timeout(c->cmd, &m, CHILD_TIMEOUT_MS), CV_OK))
		return 0;
	if (cmd == CMD_FAULT || cmd == CMD_CALL || cmd == CMD_EXIT)
		return 1;
	struct cv_msg r;
	if (!EXPECT_ST(recv_timeout(c->rep, &r, CHILD_TIMEOUT_MS), CV_OK))
		return 0;
	if (!CHECK(r.mr[0] == REPORT_DONE, "child report 0x%llx to command %llu", (unsigned long long)r.mr[0],
		   (unsigned long long)cmd))
		return 0;
	if (rep)
		*rep = r;
	return 1;
}

uint64_t child_info(struct child *c, cv_slot_t slot, struct cv_cap_info *info)
{
	struct cv_msg r;

	if (!child_do(c, CMD_INFO, slot, 0, 0, &r))
		return ~0ull;
	if (info) {
		info->type = (enum cv_obj_type)r.mr[2];
		info->rights = (uint32_t)r.mr[3];
		info->badge = r.mr[4];
	}
	return r.mr[1];
}

uint64_t child_delete(struct child *c, cv_slot_t slot)
{
	struct cv_msg r;

	return child_do(c, CMD_DELETE, slot, 0, 0, &r) ? r.mr[1] : ~0ull;
}

void child_kill(struct child *c)
{
	/* The task capability is its last: deleting it kills the task. */
	if (c->task)
		(void)cv_cap_delete(c->task);
	if (c->thread)
		(void)cv_cap_delete(c->thread);
	if (c->cmd)
		(void)cv_cap_delete(c->cmd);
	if (c->rep)
		(void)cv_cap_delete(c->rep);
	c->alive = false;
}
