// SPDX-License-Identifier: BSD-2-Clause
// The root task: reads the boot configuration (the module named "config",
// docs/config.md), makes the endpoints it names, loads each task from its
// module, gives it its own task, thread and quota capabilities and those
// the configuration lists, and starts them in order. Bad lines are
// reported and skipped; a task whose set-up fails is deleted whole. After
// a fatal configuration error (an identity or restriction it cannot
// apply) it starts nothing.
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cv/console.h>
#include <cv/runtime.h>
#include <cv/syscall.h>
#include <cv/task.h>
#include <uapi/root.h>
#include <uapi/start.h>

#include "../bootconf/bootconf.h"
#include "summary.h"

static const struct cv_root_info *info;
static const struct cv_root_devices *devices;
static struct bootconf cfg;
static cv_slot_t next_slot = CV_ROOT_SLOT_FIRST_FREE;
static cv_slot_t endpoint_slots[BOOTCONF_ENDPOINTS_MAX];
static bool console_started;

struct started {
	cv_slot_t task, thread, quota;
	bool ok;
	struct cv_start_info start;
};
static struct started started[BOOTCONF_TASKS_MAX];
static uint64_t machine_memory; /* what the configuration's defaults were computed from */

/* Where the root task fills a frame it gives away (above its modules). */
#define MODULE_WINDOW_VA 0x0000006000000000ull

static void config_report(void *ctx, unsigned line, enum bootconf_severity severity, const char *message)
{
	static const char *const consequence[] = {
		[BOOTCONF_NOTE] = "",
		[BOOTCONF_SKIPPED] = "; line ignored",
		[BOOTCONF_FATAL] = ": refusing to start",
	};
	(void)ctx;
	if (line)
		printf("root: config:%u: %s%s\n", line, message, consequence[severity]);
	else
		printf("root: config: %s%s\n", message, consequence[severity]);
}

static const struct cv_root_module *module(const char *name)
{
	for (uint32_t i = 0; i < info->module_count && i < CV_ROOT_MODULES_MAX; i++)
		if (!strncmp(info->modules[i].name, name, CV_ROOT_NAME_MAX))
			return &info->modules[i];
	return NULL;
}

static const struct cv_root_device *device(const char *compatible)
{
	for (uint32_t i = 0; i < devices->count && i < CV_ROOT_DEVICES_MAX; i++)
		if (!strncmp(devices->devices[i].compatible, compatible, CV_ROOT_DEVICE_NAME_MAX))
			return &devices->devices[i];
	return NULL;
}

static enum cv_status load(unsigned i)
{
	const struct bootconf_task *t = &cfg.tasks[i];
	struct started *s = &started[i];
	const struct cv_root_module *m = module(t->module);
	enum cv_status st;

	if (!m) {
		printf("root: config:%u: task %s: no module named %s; not started\n", t->line, t->name, t->module);
		return CV_E_BAD_ARG;
	}
	s->quota = next_slot++;
	s->task = next_slot++;
	s->thread = next_slot++;
	struct cv_task_new n = {
		.image = (const void *)(uintptr_t)m->va,
		.size = m->size,
		.name = t->name,
		.args = t->args,
		.quota = CV_ROOT_SLOT_QUOTA,
		.frames = t->quota,
		.quota_slot = s->quota,
		.task_slot = s->task,
		.thread_slot = s->thread,
		.max_priority = t->max_priority,
		.priority = t->priority,
		.cpu = t->cpu,
		.cap_slots = t->slots,
		.cpu_count = info->cpu_count,
		.memory = machine_memory,
	};
	st = cv_task_prepare(&n, &s->start);
	if (st != CV_OK) {
		printf("root: config:%u: task %s: cannot be set up: %s\n", t->line, t->name, cv_strerror(st));
		return st;
	}
	s->ok = true;
	return CV_OK;
}

/* A boot module's bytes in a new frame at `slot` (the rest zero), made
 * through a window in our own address space. */
static enum cv_status module_frame(const struct cv_root_module *m, cv_slot_t slot)
{
	uint64_t pages = m->size ? (m->size + 4095) / 4096 : 1;
	enum cv_status st = cv_frame_create(CV_ROOT_SLOT_QUOTA, slot, pages);

	if (st != CV_OK)
		return st;
	st = cv_frame_map(slot, CV_ROOT_SLOT_TASK, MODULE_WINDOW_VA, CV_MAP_READ | CV_MAP_WRITE);
	if (st != CV_OK) {
		(void)cv_cap_delete(slot);
		return st;
	}
	memcpy((void *)(uintptr_t)MODULE_WINDOW_VA, (const void *)(uintptr_t)m->va, m->size);
	(void)cv_unmap(CV_ROOT_SLOT_TASK, MODULE_WINDOW_VA);
	return CV_OK;
}

static enum cv_status give(const struct bootconf_give *g)
{
	struct started *s = &started[g->task];
	cv_slot_t from = 0;
	uint32_t type = CV_OBJ_NONE;
	uint64_t base = 0, size = 0;
	enum cv_status st;

	if (!s->ok)
		return CV_E_DEAD;
	if (s->start.cap_count == CV_START_CAPS_MAX)
		return CV_E_NO_MEMORY; /* before a module's copy is made */
	uint32_t rights = g->rights;
	switch (g->kind) {
	case GIVE_SESSION:
	case GIVE_ENDPOINT:
		/* A session is a badged copy of the vmmctl endpoint: the badge
		 * names the principal to the service. */
		if (g->kind == GIVE_SESSION)
			rights = bootconf_session_rights(g);
		from = endpoint_slots[bootconf_find_endpoint(
			&cfg, g->kind == GIVE_SESSION ? BOOTCONF_VMMCTL_ENDPOINT : g->what)];
		type = CV_OBJ_ENDPOINT;
		if (g->badge) {
			/* A badged child stays the root's, so it can revoke it. */
			cv_slot_t minted = next_slot++;
			st = cv_cap_mint(from, minted, CV_RIGHTS_ALL, g->badge);
			if (st != CV_OK)
				return st;
			from = minted;
		}
		break;
	case GIVE_DEVICE:
	case GIVE_IRQ: {
		const struct cv_root_device *d = device(g->what);
		if (!d)
			return CV_E_EMPTY_SLOT;
		from = g->kind == GIVE_DEVICE ? d->device_slot : d->irq_slot;
		type = g->kind == GIVE_DEVICE ? CV_OBJ_DEVICE : CV_OBJ_IRQ;
		base = g->kind == GIVE_DEVICE ? d->base : d->irq;
		size = g->kind == GIVE_DEVICE ? d->size : 0;
		if (!from)
			return CV_E_EMPTY_SLOT;
		break;
	}
	case GIVE_MODULE: {
		/* A copy of its own: the task may map it, never change what
		 * another task was given. */
		const struct cv_root_module *m = module(g->what);
		if (!m)
			return CV_E_EMPTY_SLOT;
		from = next_slot++;
		if ((st = module_frame(m, from)) != CV_OK)
			return st;
		type = CV_OBJ_FRAME;
		rights = CV_RIGHT_READ;
		size = m->size;
		break;
	}
	}
	struct cv_task_give cap = {g->as, from, rights, type, base, size};
	return cv_task_give_cap(s->task, &s->start, &cap, g->slot);
}

/* A task with a badged copy of the console endpoint is named to the
 * console service before it starts, so its first line already carries its
 * name. The service must run by then: it comes earlier in the file. */
static void register_with_console(unsigned task)
{
	if (cfg.console_endpoint == BOOTCONF_NONE || !console_started)
		return;
	for (unsigned i = 0; i < cfg.give_count; i++) {
		const struct bootconf_give *g = &cfg.gives[i];
		if (g->task != task || g->kind != GIVE_ENDPOINT || !g->badge ||
		    strcmp(g->what, cfg.endpoints[cfg.console_endpoint]))
			continue;
		enum cv_status st = cv_console_register(endpoint_slots[cfg.console_endpoint], g->badge,
							cfg.tasks[task].name);
		if (st != CV_OK)
			printf("root: naming %s to the console: %s\n", cfg.tasks[task].name, cv_strerror(st));
	}
}

int main(void *arg)
{
	info = arg;
	devices = (const struct cv_root_devices *)(uintptr_t)CV_ROOT_DEVICES_VA;
	if (!info || info->magic != CV_ROOT_INFO_MAGIC) {
		printf("root: started without the kernel's root information\n");
		return 1;
	}
	const struct cv_root_module *conf = module("config");
	if (!conf) {
		printf("root: no module named config; nothing to start\n");
		return 0;
	}
	struct bootconf_machine machine = {.cpus = info->cpu_count};
	uint64_t frames = 0, used;
	if (cv_quota_info(CV_ROOT_SLOT_QUOTA, &frames, &used) == CV_OK)
		machine.memory = frames * 4096;
	machine_memory = machine.memory;
	bool may_start = bootconf_parse(&cfg, (const char *)(uintptr_t)conf->va, conf->size, &machine,
					config_report, NULL);
	if (!may_start) {
		printf("root: refusing to start: %u fatal configuration errors\n", cfg.fatal);
		return 1;
	}
	printf("root: configuration: %u tasks, %u endpoints, %u capabilities to give, %u lines ignored\n",
	       cfg.task_count, cfg.endpoint_count, cfg.give_count, cfg.skipped);
	summary_print(&cfg);
	for (unsigned i = 0; i < cfg.passthrough_count; i++) {
		const struct bootconf_passthrough *p = &cfg.passthrough[i];
		const struct cv_root_device *d = device(p->compatible);
		if (d)
			printf("root: passthrough %s (registers at 0x%lx, interrupt %u)\n", p->compatible,
			       (unsigned long)d->base, d->irq);
		else
			printf("root: config:%u: passthrough %s: no such device\n", p->line, p->compatible);
	}

	for (unsigned i = 0; i < cfg.endpoint_count; i++) {
		endpoint_slots[i] = next_slot++;
		enum cv_status st = cv_endpoint_create(CV_ROOT_SLOT_QUOTA, endpoint_slots[i]);
		if (st != CV_OK)
			printf("root: endpoint %s: %s\n", cfg.endpoints[i], cv_strerror(st));
	}
	for (unsigned i = 0; i < cfg.task_count; i++)
		(void)load(i);
	for (unsigned i = 0; i < cfg.give_count; i++) {
		const struct bootconf_give *g = &cfg.gives[i];
		enum cv_status st = give(g);
		if (st != CV_OK)
			printf("root: config:%u: giving %s to %s: %s\n", g->line, g->what, cfg.tasks[g->task].name,
			       cv_strerror(st));
		else if (g->kind == GIVE_SESSION)
			printf("root: session of %s (badge %lu, %s) given to %s as %s\n", g->what,
			       (unsigned long)g->badge, g->session_write ? "rw" : "r", cfg.tasks[g->task].name, g->as);
	}
	for (unsigned i = 0; i < cfg.task_count; i++) {
		struct started *s = &started[i];
		const struct bootconf_task *t = &cfg.tasks[i];
		if (!s->ok)
			continue;
		register_with_console(i);
		enum cv_status st = cv_task_launch(s->task, s->thread, &s->start, 0);
		if (st != CV_OK) {
			printf("root: task %s: not started: %s\n", t->name, cv_strerror(st));
			continue;
		}
		printf("root: started %s (module %s, cpu %u, priority %u, %lu frames, %u capabilities given%s%s)\n",
		       t->name, t->module, t->cpu, t->priority, (unsigned long)t->quota, s->start.cap_count,
		       t->user == BOOTCONF_NONE ? "" : ", user ",
		       t->user == BOOTCONF_NONE ? "" : cfg.principals[t->user].name);
		/* The task serving the console endpoint unbadged is the console. */
		for (unsigned k = 0; k < cfg.give_count && cfg.console_endpoint >= 0; k++)
			if (cfg.gives[k].task == i && cfg.gives[k].kind == GIVE_ENDPOINT && !cfg.gives[k].badge &&
			    !strcmp(cfg.gives[k].what, cfg.endpoints[cfg.console_endpoint]))
				console_started = true;
	}
	printf("root: ready\n");
	/* The root task stays: it holds every task's capability, so the tasks
	 * live as long as it does. */
	cv_slot_t idle = next_slot++;
	if (cv_notification_create(CV_ROOT_SLOT_QUOTA, idle) == CV_OK)
		for (;;)
			(void)cv_wait(idle, 0, NULL);
	return 0;
}
