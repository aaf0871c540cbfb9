// SPDX-License-Identifier: BSD-2-Clause
// The vmmctl service (docs/vmmctl.md): serves session and VM-handle
// capabilities on one endpoint, from one thread. It parses the boot
// configuration itself, with the root task's parser (services/bootconf),
// so both see the same principals, jails, policy and limits.
//
// Started by the root task with: "vmmctl" (the endpoint, unbadged, rwg),
// "config" (the configuration module, a read-only frame), and a quota
// that pays for every VM; the per-uid limits decide who may spend it.
#include <stdio.h>
#include <string.h>

#include <cv/runtime.h>
#include <cv/syscall.h>
#include <cv/task.h>
#include <uapi/start.h>

#include "vmmctl.h"

#define CONFIG_VA 0x0000002000000000ull
#define RECV_SLOT (SLOTS_BASE - 1) /* where capabilities a request brings arrive */
#define RECV_SLOT2 (SLOTS_BASE - 2)
#define FAILURES_MAX 100

struct bootconf config;
const struct cv_start_info *start_info;
unsigned cpu_count;
cv_slot_t endpoint_slot;

static uint64_t msgbuf[CV_IPC_BUFFER_WORDS] __attribute__((aligned(4096)));

const struct cv_start_cap *start_cap(const char *name, uint32_t type)
{
	for (uint32_t i = 0; i < start_info->cap_count && i < CV_START_CAPS_MAX; i++)
		if (strcmp(start_info->caps[i].name, name) == 0 && start_info->caps[i].type == type)
			return &start_info->caps[i];
	return NULL;
}

static void report(void *ctx, unsigned line, enum bootconf_severity severity, const char *message)
{
	(void)ctx;
	/* The root task has said it all already; only what stops us here. */
	if (severity == BOOTCONF_FATAL)
		printf("vmmctl: config:%u: %s\n", line, message);
}

static bool setup(const struct cv_start_info *si)
{
	const struct cv_start_cap *ep = start_cap("vmmctl", CV_OBJ_ENDPOINT);
	const struct cv_start_cap *conf = start_cap("config", CV_OBJ_FRAME);

	if (!ep || !conf) {
		printf("vmmctl: needs the \"vmmctl\" endpoint and the \"config\" module\n");
		return false;
	}
	endpoint_slot = ep->slot;
	cpu_count = si->cpu_count ? si->cpu_count : 1;
	if (cv_frame_map(conf->slot, CV_SLOT_SELF_TASK, CONFIG_VA, CV_MAP_READ) != CV_OK) {
		printf("vmmctl: cannot map the configuration\n");
		return false;
	}
	struct bootconf_machine machine = {.cpus = cpu_count, .memory = si->memory};
	if (!bootconf_parse(&config, (const char *)CONFIG_VA, conf->size, &machine, report, NULL)) {
		printf("vmmctl: the configuration has fatal errors: not serving\n");
		return false;
	}
	image_window_init();
	if (cv_thread_set_ipc_buffer(CV_SLOT_SELF_THREAD, (uint64_t)(uintptr_t)msgbuf) != CV_OK) {
		printf("vmmctl: no message buffer\n");
		return false;
	}
	return true;
}

static void take_body(struct request *r)
{
	const struct cv_msg *m = r->m;

	r->has_body = (m->info & CV_IPC_EXTRA) && m->mr[1] == sizeof(r->body) &&
		      msgbuf[0] * 8 >= sizeof(r->body) && msgbuf[0] < CV_IPC_BUFFER_WORDS;
	if (r->has_body)
		memcpy(&r->body, &msgbuf[1], sizeof(r->body));
	else
		memset(&r->body, 0, sizeof(r->body));
}

/* One request: fills m with the reply; returns the error number. */
static int serve(struct request *r)
{
	struct cv_msg *m = r->m;
	uint64_t badge = m->badge;

	r->rights = (uint32_t)((m->info >> CV_IPC_USER_RIGHTS_SHIFT) & 0xff) << CV_RIGHTS_USER_SHIFT;
	r->op = m->mr[0] > UINT32_MAX ? 0 : (enum vmmctl_op)m->mr[0];
	unsigned caps = (unsigned)((m->info & CV_IPC_CAPS_MASK) >> CV_IPC_CAPS_SHIFT);
	if (caps >= 1)
		r->received = RECV_SLOT;
	if (caps >= 2)
		r->received2 = RECV_SLOT2;
	take_body(r);
	if (badge >= HANDLE_BADGE_BASE) {
		r->vm = vm_by_badge(badge);
		return r->vm ? vm_op(r) : VMMCTL_ENXIO;
	}
	r->who = bootconf_principal_by_badge(&config, badge);
	return r->who ? session_op(r) : VMMCTL_EINVAL;
}

/* Sends the reply; a capability it carries is a copy, ours goes. */
static void answer(struct request *r, int err)
{
	struct cv_msg *m = r->m;
	bool extra = !err && r->out_len;

	m->info = 6;
	if (extra) {
		msgbuf[0] = (r->out_len + 7) / 8;
		memcpy(&msgbuf[1], r->out, r->out_len);
		m->info |= CV_IPC_EXTRA;
	}
	if (!err && r->give)
		m->info |= cv_ipc_info(0, 1, r->give, 0);
	m->mr[0] = (uint64_t)err;
	m->mr[1] = extra ? r->out_len : 0;
	for (unsigned i = 0; i < 4; i++)
		m->mr[2 + i] = err ? 0 : r->results[i];
	enum cv_status st = cv_reply(m);
	if (!err && r->give) {
		/* REPLY says whether the copy found the receive slot the
		 * client named: it may have named none, or a full one, or
		 * died waiting. */
		bool arrived = st == CV_OK && (m->info & CV_IPC_CAPS_MASK) >> CV_IPC_CAPS_SHIFT == 1;
		if (r->op == VMMCTL_OP_CREATE || r->op == VMMCTL_OP_OPEN)
			vm_handle_sent(r->vm, arrived); /* every handle given is one of a VM's */
		(void)cv_cap_delete(r->give);
	}
}

int main(void *arg)
{
	const struct cv_start_info *si = cv_start_info_of(arg);

	if (!si) {
		printf("vmmctl: no start information: the root task starts this service\n");
		return 1;
	}
	start_info = si;
	if (!setup(si))
		return 1;
	printf("vmmctl: ready: %u principals, %u jails; maxcpu %u, %u VMs and %lu MiB per user\n",
	       config.principal_count, config.jail_count, config.tunables.maxcpu, config.tunables.maxvms_per_user,
	       (unsigned long)(config.tunables.maxmem_per_user >> 20));
	boot_vms_start();
	uint64_t ep_arg = cv_ipc_endpoint_arg(endpoint_slot, RECV_SLOT, RECV_SLOT2);
	unsigned failures = 0;
	for (;;) {
		struct cv_msg m = {0};
		enum cv_status st = cv_recv(ep_arg, &m);
		if (st != CV_OK) {
			printf("vmmctl: receive: %s\n", cv_strerror(st));
			if (++failures == FAILURES_MAX)
				return 1;
			continue;
		}
		failures = 0;
		if (m.info & CV_IPC_CLOSE_EVENT) {
			struct vm *vm = vm_by_badge(m.badge);
			if (vm)
				vm_handles_gone(vm);
			continue;
		}
		if (m.info & (CV_IPC_NOTIFICATION | CV_IPC_FAULT | CV_IPC_VCPU_EXIT))
			continue; /* nothing of ours sends those here */
		struct request r = {.m = &m};
		int err = serve(&r);
		answer(&r, err);
		(void)cv_cap_delete(RECV_SLOT);
		(void)cv_cap_delete(RECV_SLOT2);
	}
}
