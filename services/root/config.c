// SPDX-License-Identifier: BSD-2-Clause
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <uapi/cap.h>

#define LINE_MAX_LEN 512
#define WORDS_MAX 16
#define CONFIG_SLOT_MIN 16     /* 1..3 are the task's own; keep a margin */
#define CONFIG_PRIORITY_MAX 63

struct line_ctx {
	struct config *cfg;
	config_error_fn error;
	void *ctx;
	unsigned line;
};

static bool fail(struct line_ctx *l, const char *message)
{
	l->cfg->errors++;
	if (l->error)
		l->error(l->ctx, l->line, message);
	return false;
}

/* Splits into words at blanks; a value may be "quoted" after '='. */
static int split(char *s, char **words, int max)
{
	int n = 0;

	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			break;
		if (n == max)
			return -1;
		words[n++] = s;
		bool quoted = false;
		while (*s && (quoted || (*s != ' ' && *s != '\t'))) {
			if (*s == '"') {
				quoted = !quoted;
				memmove(s, s + 1, strlen(s));
				continue;
			}
			s++;
		}
		if (quoted)
			return -1;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= CONFIG_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '-' || *s == '.' || *s == ','))
			return false;
	return true;
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return false;
		if (v > (max - d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + d;
	}
	*out = v;
	return true;
}

/* "key=value" into value, if the key matches. */
static const char *option(const char *word, const char *key)
{
	size_t n = strlen(key);
	return strncmp(word, key, n) == 0 && word[n] == '=' ? word + n + 1 : NULL;
}

static int find_task(const struct config *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->task_count; i++)
		if (!strcmp(cfg->tasks[i].name, name))
			return (int)i;
	return -1;
}

static int find_endpoint(const struct config *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->endpoint_count; i++)
		if (!strcmp(cfg->endpoints[i], name))
			return (int)i;
	return -1;
}

static bool parse_task(struct line_ctx *l, char **w, int n)
{
	struct config *cfg = l->cfg;
	struct config_task t = {.priority = 10, .max_priority = 10, .cpu = 0, .quota = 256, .slots = 256};
	bool have_module = false, have_max = false;

	if (n < 2 || !valid_name(w[1]))
		return fail(l, "task: expected a name (letters, digits, _-.,; at most 31)");
	if (find_task(cfg, w[1]) >= 0)
		return fail(l, "task: a task of that name exists already");
	if (cfg->task_count == CONFIG_TASKS_MAX)
		return fail(l, "task: too many tasks");
	strcpy(t.name, w[1]);
	for (int i = 2; i < n; i++) {
		const char *v;
		uint64_t x;
		if ((v = option(w[i], "module"))) {
			if (!valid_name(v))
				return fail(l, "task: bad module name");
			strcpy(t.module, v);
			have_module = true;
		} else if ((v = option(w[i], "priority"))) {
			if (!parse_u64(v, CONFIG_PRIORITY_MAX, &x))
				return fail(l, "task: priority must be 0..63");
			t.priority = (unsigned)x;
		} else if ((v = option(w[i], "max_priority"))) {
			if (!parse_u64(v, CONFIG_PRIORITY_MAX, &x))
				return fail(l, "task: max_priority must be 0..63");
			t.max_priority = (unsigned)x;
			have_max = true;
		} else if ((v = option(w[i], "cpu"))) {
			if (!parse_u64(v, 255, &x))
				return fail(l, "task: cpu must be 0..255");
			t.cpu = (unsigned)x;
		} else if ((v = option(w[i], "quota"))) {
			if (!parse_u64(v, 1ull << 40, &x) || x == 0)
				return fail(l, "task: quota must be a number of frames, at least 1");
			t.quota = x;
		} else if ((v = option(w[i], "slots"))) {
			if (!parse_u64(v, 65536, &x) || x < 64)
				return fail(l, "task: slots must be 64..65536");
			t.slots = (uint32_t)x;
		} else if ((v = option(w[i], "args"))) {
			if (strlen(v) >= CONFIG_ARGS_MAX)
				return fail(l, "task: args longer than 255 bytes");
			strcpy(t.args, v);
		} else {
			return fail(l, "task: unknown option (module= priority= max_priority= cpu= quota= slots= args=)");
		}
	}
	if (!have_module)
		return fail(l, "task: module= is required");
	if (!have_max)
		t.max_priority = t.priority;
	if (t.priority > t.max_priority)
		return fail(l, "task: priority above max_priority");
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

static bool parse_give(struct line_ctx *l, char **w, int n)
{
	struct config *cfg = l->cfg;
	struct config_give g = {.rights = CV_RIGHTS_ALL};
	uint64_t x;

	if (n < 5)
		return fail(l, "give: expected TASK SLOT endpoint|device|irq NAME [options]");
	int task = find_task(cfg, w[1]);
	if (task < 0)
		return fail(l, "give: no task of that name (declare it first)");
	if (!parse_u64(w[2], 65535, &x) || x < CONFIG_SLOT_MIN)
		return fail(l, "give: slot must be 16..65535 (1-3 are the task's own)");
	if (cfg->give_count == CONFIG_GIVES_MAX)
		return fail(l, "give: too many");
	g.task = (unsigned)task;
	g.slot = (uint32_t)x;
	for (unsigned i = 0; i < cfg->give_count; i++)
		if (cfg->gives[i].task == g.task && cfg->gives[i].slot == g.slot)
			return fail(l, "give: that slot of that task is given already");
	if (!strcmp(w[3], "endpoint"))
		g.kind = GIVE_ENDPOINT;
	else if (!strcmp(w[3], "device"))
		g.kind = GIVE_DEVICE;
	else if (!strcmp(w[3], "irq"))
		g.kind = GIVE_IRQ;
	else
		return fail(l, "give: kind must be endpoint, device or irq");
	if (!valid_name(w[4]))
		return fail(l, "give: bad name");
	if (g.kind == GIVE_ENDPOINT && find_endpoint(cfg, w[4]) < 0)
		return fail(l, "give: no endpoint of that name (declare it first)");
	strcpy(g.what, w[4]);
	strcpy(g.as, w[4]);
	for (int i = 5; i < n; i++) {
		const char *v;
		if ((v = option(w[i], "badge")) && g.kind == GIVE_ENDPOINT) {
			if (!parse_u64(v, UINT64_MAX, &x) || x == 0)
				return fail(l, "give: badge must be a non-zero number");
			g.badge = x;
		} else if ((v = option(w[i], "rights"))) {
			if (!parse_rights(v, &g.rights))
				return fail(l, "give: rights are letters r w g x and digits 0-7 (user rights)");
		} else if ((v = option(w[i], "as"))) {
			if (!valid_name(v))
				return fail(l, "give: bad as= name");
			strcpy(g.as, v);
		} else {
			return fail(l, "give: unknown option (badge= rights= as=)");
		}
	}
	g.line = l->line;
	cfg->gives[cfg->give_count++] = g;
	return true;
}

static void parse_line(struct line_ctx *l, char *s)
{
	char *w[WORDS_MAX];
	int n = split(s, w, WORDS_MAX);

	if (n < 0) {
		fail(l, "too many words, or an unterminated quote");
		return;
	}
	if (n == 0)
		return;
	if (!strcmp(w[0], "task")) {
		parse_task(l, w, n);
	} else if (!strcmp(w[0], "give")) {
		parse_give(l, w, n);
	} else if (!strcmp(w[0], "console")) {
		int ep = n == 2 ? find_endpoint(l->cfg, w[1]) : -1;
		if (ep < 0)
			fail(l, "console: expected the name of an endpoint declared above");
		else if (l->cfg->console_endpoint >= 0)
			fail(l, "console: declared twice");
		else
			l->cfg->console_endpoint = ep;
	} else if (!strcmp(w[0], "endpoint")) {
		if (n != 2 || !valid_name(w[1]))
			fail(l, "endpoint: expected one name");
		else if (find_endpoint(l->cfg, w[1]) >= 0)
			fail(l, "endpoint: declared twice");
		else if (l->cfg->endpoint_count == CONFIG_ENDPOINTS_MAX)
			fail(l, "endpoint: too many");
		else
			strcpy(l->cfg->endpoints[l->cfg->endpoint_count++], w[1]);
	} else {
		fail(l, "unknown keyword (task, endpoint, give, console)");
	}
}

unsigned config_parse(struct config *cfg, const char *text, size_t len, config_error_fn error, void *ctx)
{
	struct line_ctx l = {cfg, error, ctx, 0};
	char buf[LINE_MAX_LEN];
	size_t pos = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->console_endpoint = -1;
	while (pos < len) {
		size_t end = pos;
		while (end < len && text[end] != '\n')
			end++;
		size_t n = end - pos;
		l.line++;
		if (n && text[pos + n - 1] == '\r')
			n--;
		if (n >= sizeof(buf)) {
			fail(&l, "line longer than 511 bytes");
		} else if (memchr(text + pos, '\0', n)) {
			fail(&l, "NUL byte in line");
		} else {
			memcpy(buf, text + pos, n);
			buf[n] = '\0';
			parse_line(&l, buf);
		}
		pos = end + 1;
	}
	return cfg->errors;
}
