// SPDX-License-Identifier: BSD-2-Clause
// The statements that start tasks and give them capabilities: endpoint,
// console, task and give. Each only grants, so a bad one is skipped.
#include <string.h>

#include <uapi/cap.h>

#include "internal.h"

#define SLOT_MIN 16 /* 1..3 are the task's own; keep a margin */
#define PRIORITY_MAX 63

bool bootconf_parse_endpoint(struct bootconf_line *l, char **w, int n)
{
	struct bootconf *cfg = l->cfg;

	if (n != 2 || bootconf_name_error(w[1]))
		return bootconf_reject(l, "endpoint: expected one name");
	if (bootconf_find_endpoint(cfg, w[1]) != BOOTCONF_NONE)
		return bootconf_reject(l, "endpoint: declared twice");
	if (cfg->endpoint_count == BOOTCONF_ENDPOINTS_MAX)
		return bootconf_reject(l, "endpoint: too many (at most %d)", BOOTCONF_ENDPOINTS_MAX);
	strcpy(cfg->endpoints[cfg->endpoint_count++], w[1]);
	return true;
}

bool bootconf_parse_console(struct bootconf_line *l, char **w, int n)
{
	int ep = n == 2 ? bootconf_find_endpoint(l->cfg, w[1]) : BOOTCONF_NONE;

	if (ep == BOOTCONF_NONE)
		return bootconf_reject(l, "console: expected the name of an endpoint declared above");
	if (l->cfg->console_endpoint != BOOTCONF_NONE)
		return bootconf_reject(l, "console: declared twice");
	l->cfg->console_endpoint = ep;
	return true;
}

enum task_option { T_MODULE, T_PRIORITY, T_MAX_PRIORITY, T_CPU, T_QUOTA, T_SLOTS, T_ARGS, T_USER };
static const char *const task_options[] = {
	[T_MODULE] = "module=", [T_PRIORITY] = "priority=", [T_MAX_PRIORITY] = "max_priority=",
	[T_CPU] = "cpu=", [T_QUOTA] = "quota=", [T_SLOTS] = "slots=", [T_ARGS] = "args=", [T_USER] = "user=",
};

static bool task_option(struct bootconf_line *l, struct bootconf_task *t, int option, const char *v)
{
	uint64_t x;

	switch ((enum task_option)option) {
	case T_MODULE:
		if (bootconf_name_error(v))
			return bootconf_reject(l, "task: bad module name (%s)", bootconf_name_error(v));
		strcpy(t->module, v);
		return true;
	case T_PRIORITY:
	case T_MAX_PRIORITY:
		if (!bootconf_parse_number(v, PRIORITY_MAX, &x))
			return bootconf_reject(l, "task: %spriority must be 0..63", option == T_PRIORITY ? "" : "max_");
		*(option == T_PRIORITY ? &t->priority : &t->max_priority) = (unsigned)x;
		return true;
	case T_CPU:
		if (!bootconf_parse_number(v, 255, &x))
			return bootconf_reject(l, "task: cpu must be 0..255");
		t->cpu = (unsigned)x;
		return true;
	case T_QUOTA:
		if (!bootconf_parse_number(v, 1ull << 40, &x) || x == 0)
			return bootconf_reject(l, "task: quota must be a number of frames, at least 1");
		t->quota = x;
		return true;
	case T_SLOTS:
		if (!bootconf_parse_number(v, 65536, &x) || x < 64)
			return bootconf_reject(l, "task: slots must be 64..65536");
		t->slots = (uint32_t)x;
		return true;
	case T_ARGS:
		if (strlen(v) >= BOOTCONF_ARGS_MAX)
			return bootconf_reject(l, "task: args longer than 255 bytes");
		strcpy(t->args, v);
		return true;
	case T_USER:
		t->user = bootconf_find_principal(l->cfg, v);
		if (t->user == BOOTCONF_NONE)
			return bootconf_reject(l, "task: user= names no principal (declare it first)");
		return true;
	}
	return false;
}

bool bootconf_parse_task(struct bootconf_line *l, char **w, int n)
{
	struct bootconf *cfg = l->cfg;
	struct bootconf_task t = {.priority = 10, .quota = 256, .slots = 256, .user = BOOTCONF_NONE};
	uint32_t seen = 0;

	if (n < 2)
		return bootconf_reject(l, "task: expected a name");
	if (bootconf_name_error(w[1]))
		return bootconf_reject(l, "task: expected a name (%s)", bootconf_name_error(w[1]));
	if (bootconf_find_task(cfg, w[1]) != BOOTCONF_NONE)
		return bootconf_reject(l, "task: a task of that name exists already");
	if (cfg->task_count == BOOTCONF_TASKS_MAX)
		return bootconf_reject(l, "task: too many tasks (at most %d)", BOOTCONF_TASKS_MAX);
	strcpy(t.name, w[1]);
	for (int i = 2; i < n; i++) {
		const char *v;
		int option = bootconf_option(l, "task", w[i], task_options, BOOTCONF_ARRAY_SIZE(task_options), &seen,
					     &v);
		if (option < 0 || !task_option(l, &t, option, v))
			return false;
	}
	if (!(seen & (1u << T_MODULE)))
		return bootconf_reject(l, "task: module= is required");
	if (!(seen & (1u << T_MAX_PRIORITY)))
		t.max_priority = t.priority;
	if (t.priority > t.max_priority)
		return bootconf_reject(l, "task: priority above max_priority");
	t.line = l->line;
	cfg->tasks[cfg->task_count++] = t;
	return true;
}

static bool parse_rights(const char *v, uint32_t *rights)
{
	uint32_t r = 0;
	for (; *v; v++) {
		switch (*v) {
		case 'r': r |= CV_RIGHT_READ; break;
		case 'w': r |= CV_RIGHT_WRITE; break;
		case 'g': r |= CV_RIGHT_GRANT; break;
		case 'x': r |= CV_RIGHT_EXEC; break;
		default:
			if (*v >= '0' && *v <= '7') { /* user rights 0..7 */
				r |= CV_RIGHT_USER(*v - '0');
				break;
			}
			return false;
		}
	}
	*rights = r;
	return true;
}

enum give_option { G_BADGE, G_RIGHTS, G_AS };
static const char *const give_options[] = {[G_BADGE] = "badge=", [G_RIGHTS] = "rights=", [G_AS] = "as="};

/* What follows the kind: the endpoint, device or principal it names. A
 * session may leave out the principal: then it is the task's user=. */
static bool give_target(struct bootconf_line *l, struct bootconf_give *g, char **w, int n, int *first_option)
{
	const struct bootconf *cfg = l->cfg;
	const char *what = n > 4 ? w[4] : NULL;

	*first_option = 5;
	if (g->kind == GIVE_SESSION) {
		if (bootconf_find_endpoint(cfg, BOOTCONF_VMMCTL_ENDPOINT) == BOOTCONF_NONE)
			return bootconf_reject(l, "give: a session needs `endpoint vmmctl` declared first");
		if (!what || strchr(what, '=')) {
			*first_option = 4;
			g->principal = cfg->tasks[g->task].user;
			if (g->principal == BOOTCONF_NONE)
				return bootconf_reject(l, "give: session of which principal? "
							  "(name one, or give the task user=)");
		} else if ((g->principal = bootconf_find_principal(cfg, what)) == BOOTCONF_NONE) {
			return bootconf_reject(l, "give: no principal of that name (declare it first)");
		}
		strcpy(g->what, cfg->principals[g->principal].name);
		g->badge = bootconf_principal_badge((unsigned)g->principal);
		g->session_write = true;
		g->rights = 0; /* the root task derives them from session_write */
	} else {
		if (!what || bootconf_name_error(what))
			return bootconf_reject(l, "give: bad name");
		if (g->kind == GIVE_ENDPOINT && bootconf_find_endpoint(cfg, what) == BOOTCONF_NONE)
			return bootconf_reject(l, "give: no endpoint of that name (declare it first)");
		strcpy(g->what, what);
	}
	strcpy(g->as, g->what);
	return true;
}

static bool give_option(struct bootconf_line *l, struct bootconf_give *g, int option, const char *v)
{
	uint64_t x;

	switch ((enum give_option)option) {
	case G_BADGE:
		if (g->kind != GIVE_ENDPOINT)
			return bootconf_reject(l, "give: only an endpoint takes badge= "
						  "(a session's is its principal's)");
		if (!bootconf_parse_number(v, UINT64_MAX, &x) || x == 0)
			return bootconf_reject(l, "give: badge must be a non-zero number");
		g->badge = x;
		return true;
	case G_RIGHTS:
		if (g->kind == GIVE_SESSION) {
			if (strcmp(v, "r") && strcmp(v, "rw"))
				return bootconf_reject(l, "give: a session's rights are r or rw");
			g->session_write = v[1] == 'w';
		} else if (!parse_rights(v, &g->rights)) {
			return bootconf_reject(l, "give: rights are letters r w g x and digits 0-7 (user rights)");
		}
		return true;
	case G_AS:
		if (bootconf_name_error(v))
			return bootconf_reject(l, "give: bad as= name (%s)", bootconf_name_error(v));
		strcpy(g->as, v);
		return true;
	}
	return false;
}

bool bootconf_parse_give(struct bootconf_line *l, char **w, int n)
{
	struct bootconf *cfg = l->cfg;
	struct bootconf_give g = {.rights = CV_RIGHTS_ALL, .principal = BOOTCONF_NONE};
	uint64_t x;
	uint32_t seen = 0;
	int first_option;

	if (n < 4)
		return bootconf_reject(l, "give: expected TASK SLOT endpoint|device|irq|session|module NAME [options]");
	int task = bootconf_find_task(cfg, w[1]);
	if (task == BOOTCONF_NONE)
		return bootconf_reject(l, "give: no task of that name (declare it first)");
	if (!bootconf_parse_number(w[2], 65535, &x) || x < SLOT_MIN)
		return bootconf_reject(l, "give: slot must be 16..65535 (1-3 are the task's own)");
	if (cfg->give_count == BOOTCONF_GIVES_MAX)
		return bootconf_reject(l, "give: too many (at most %d)", BOOTCONF_GIVES_MAX);
	g.task = (unsigned)task;
	g.slot = (uint32_t)x;
	for (unsigned i = 0; i < cfg->give_count; i++)
		if (cfg->gives[i].task == g.task && cfg->gives[i].slot == g.slot)
			return bootconf_reject(l, "give: that slot of that task is given already");
	if (!strcmp(w[3], "endpoint"))
		g.kind = GIVE_ENDPOINT;
	else if (!strcmp(w[3], "device"))
		g.kind = GIVE_DEVICE;
	else if (!strcmp(w[3], "irq"))
		g.kind = GIVE_IRQ;
	else if (!strcmp(w[3], "session"))
		g.kind = GIVE_SESSION;
	else if (!strcmp(w[3], "module"))
		g.kind = GIVE_MODULE;
	else
		return bootconf_reject(l, "give: kind must be endpoint, device, irq, session or module");
	if (!give_target(l, &g, w, n, &first_option))
		return false;
	for (int i = first_option; i < n; i++) {
		const char *v;
		int option = bootconf_option(l, "give", w[i], give_options, BOOTCONF_ARRAY_SIZE(give_options), &seen,
					     &v);
		if (option < 0 || !give_option(l, &g, option, v))
			return false;
	}
	g.line = l->line;
	cfg->gives[cfg->give_count++] = g;
	return true;
}
