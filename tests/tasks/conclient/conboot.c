// SPDX-License-Identifier: BSD-2-Clause
// A stand-in root task for the console service's test (until the root
// task's configuration can say the same): starts the service from the
// module "console" with the UART, its interrupt and the unbadged console
// endpoint, names three badges with REGISTER (two named, one left
// nameless), and starts three clients from the module "conclient", each
// with a badged console capability (WRITE only) and a "done" notification:
// alpha runs the protocol checks, beta and gamma read input.
// When "alpha" is done, it deletes alpha's task: its console capability
// goes, and the service prints the partial line alpha left. Prints
// "conboot: NAME ok|FAIL: why" on the kernel console.
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cv/console.h>
#include <cv/runtime.h>
#include <cv/syscall.h>
#include <cv/task.h>
#include <uapi/root.h>
#include <uapi/start.h>

#define CLIENTS 3

/* Slots of the started tasks' capability spaces. */
enum { TASK_SLOTS = 64, GIVE_FIRST = 4 };

static const struct cv_root_info *info;
static cv_slot_t next_slot = CV_ROOT_SLOT_FIRST_FREE;
static int failures;

static void check(const char *name, bool ok, const char *why)
{
	if (ok) {
		printf("conboot: %s ok\n", name);
	} else {
		printf("conboot: %s FAIL: %s\n", name, why);
		failures++;
	}
}

struct task {
	cv_slot_t quota, task, thread;
	struct cv_start_info start;
};

static const struct cv_root_module *module(const char *name)
{
	for (uint32_t i = 0; i < info->module_count && i < CV_ROOT_MODULES_MAX; i++)
		if (!strncmp(info->modules[i].name, name, CV_ROOT_NAME_MAX))
			return &info->modules[i];
	return NULL;
}

static const struct cv_root_device *device(const char *compatible)
{
	const struct cv_root_devices *d = (const struct cv_root_devices *)(uintptr_t)CV_ROOT_DEVICES_VA;

	for (uint32_t i = 0; i < d->count && i < CV_ROOT_DEVICES_MAX; i++)
		if (!strncmp(d->devices[i].compatible, compatible, CV_ROOT_DEVICE_NAME_MAX))
			return &d->devices[i];
	return NULL;
}

static enum cv_status load(struct task *t, const char *mod, const char *name, const char *args, uint64_t frames)
{
	const struct cv_root_module *m = module(mod);

	if (!m)
		return CV_E_EMPTY_SLOT;
	t->quota = next_slot++;
	t->task = next_slot++;
	t->thread = next_slot++;
	struct cv_task_new n = {
		.image = (const void *)(uintptr_t)m->va,
		.size = m->size,
		.name = name,
		.args = args,
		.quota = CV_ROOT_SLOT_QUOTA,
		.frames = frames,
		.quota_slot = t->quota,
		.task_slot = t->task,
		.thread_slot = t->thread,
		.max_priority = 20,
		.priority = 10,
		.cap_slots = TASK_SLOTS,
	};
	return cv_task_prepare(&n, &t->start);
}

/* Copies the capability in `from` (with rights) into the task's next slot
 * and lists it under name. */
static enum cv_status give(struct task *t, const char *name, cv_slot_t from, uint32_t rights, uint32_t type)
{
	struct cv_task_give g = {name, from, rights, type, 0, 0};

	return cv_task_give_cap(t->task, &t->start, &g, GIVE_FIRST + t->start.cap_count);
}

static enum cv_status start(struct task *t)
{
	return cv_task_launch(t->task, t->thread, &t->start, 0);
}

int main(void *arg)
{
	static struct task console, clients[CLIENTS];
	static const char *const names[CLIENTS] = {"alpha", "beta", "gamma"};
	static const char *const args[CLIENTS] = {"checks unterminated", "read", "read"};
	const struct cv_root_device *uart = device("arm,pl011");
	cv_slot_t ep = next_slot++, done = next_slot++, scratch = next_slot++;
	enum cv_status st;
	uint64_t word = 0, seen = 0;

	info = arg;
	check("found_uart", uart && uart->irq_slot, "no arm,pl011 with an interrupt among the root's devices");
	check("modules", module("console") && module("conclient"), "modules console and conclient missing");
	if (!uart || !uart->irq_slot || !module("console") || !module("conclient"))
		goto out;
	check("endpoint", cv_endpoint_create(CV_ROOT_SLOT_QUOTA, ep) == CV_OK &&
				  cv_notification_create(CV_ROOT_SLOT_QUOTA, done) == CV_OK,
	      "cannot make the endpoint or the notification");

	st = load(&console, "console", "console", "", 128);
	if (st == CV_OK)
		st = give(&console, "uart", uart->device_slot, CV_RIGHTS_ALL, CV_OBJ_DEVICE);
	if (st == CV_OK)
		st = give(&console, "uart_irq", uart->irq_slot, CV_RIGHTS_ALL, CV_OBJ_IRQ);
	if (st == CV_OK)
		st = give(&console, "console", ep, CV_RIGHTS_ALL, CV_OBJ_ENDPOINT);
	if (st == CV_OK)
		st = start(&console);
	check("console_started", st == CV_OK, cv_strerror(st));
	if (st != CV_OK)
		goto out;

	/* Names first, so the clients' first lines carry them. */
	check("register", cv_console_register(ep, 1, names[0]) == CV_OK && cv_console_register(ep, 2, names[1]) == CV_OK,
	      "REGISTER failed");
	check("register_empty", cv_console_register(ep, 3, "") == CV_E_BAD_ARG, "an empty name was accepted");

	for (unsigned i = 0; i < CLIENTS; i++) {
		struct task *t = &clients[i];
		st = load(t, "conclient", names[i], args[i], 96);
		/* Badged copies go to the client only: when its task dies, the
		 * last copy is gone and the service hears of it. */
		if (st == CV_OK)
			st = cv_cap_mint(ep, scratch, CV_RIGHT_WRITE, i + 1);
		if (st == CV_OK) {
			st = give(t, "console", scratch, CV_RIGHT_WRITE, CV_OBJ_ENDPOINT);
			(void)cv_cap_delete(scratch);
		}
		if (st == CV_OK)
			st = cv_cap_mint(done, scratch, CV_RIGHT_WRITE, 2ull << i);
		if (st == CV_OK) {
			st = give(t, "done", scratch, CV_RIGHT_WRITE, CV_OBJ_NOTIFICATION);
			(void)cv_cap_delete(scratch);
		}
		if (st == CV_OK)
			st = start(t);
		check(i == 0 ? "client_alpha" : i == 1 ? "client_beta" : "client_gamma", st == CV_OK, cv_strerror(st));
	}

	/* Each signals bit 0 with its badge, bit i + 1. alpha ends by itself;
	 * beta and gamma read until they read "quit". */
	while (!(seen & 2) && cv_wait(done, 0, &word) == CV_OK)
		seen |= word;
	check("alpha_done", seen & 2, "alpha did not finish");
	/* The task holds a capability to itself (slot 1): revoke what came
	 * from ours first, then ours is the last. */
	(void)cv_cap_delete(clients[0].thread);
	check("alpha_deleted", cv_cap_revoke_all(clients[0].task) == CV_OK && cv_cap_delete(clients[0].task) == CV_OK,
	      "could not delete alpha's task");
out:
	printf("conboot: done %d failed\n", failures);
	/* Stay: the tasks live as long as we hold them. */
	while (cv_wait(done, 0, NULL) == CV_OK)
		;
	return failures;
}
