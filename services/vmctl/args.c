// SPDX-License-Identifier: BSD-2-Clause
// vmctl's command line (args.h): pure parsing, shared by every platform
// vmctl builds for and tested on the host.
#include "args.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int vmctl_getopt(struct vmctl_getopt *g, int argc, char *const argv[], const char *spec)
{
	g->arg = NULL;
	if (!g->pos) {
		if (g->ind >= argc || argv[g->ind][0] != '-' || !argv[g->ind][1])
			return -1;
		if (!strcmp(argv[g->ind], "--")) {
			g->ind++;
			return -1;
		}
		g->pos = 1;
	}
	const char *word = argv[g->ind];
	char c = word[g->pos++];
	const char *in = c == ':' ? NULL : strchr(spec, c);
	bool last = !word[g->pos];

	g->opt = c;
	if (!in) {
		if (last) {
			g->ind++;
			g->pos = 0;
		}
		return '?';
	}
	if (in[1] != ':') {
		if (last) {
			g->ind++;
			g->pos = 0;
		}
		return c;
	}
	/* Takes an argument: the rest of this word, or the next word. */
	int rest = g->pos;
	g->pos = 0;
	if (!last) {
		g->arg = word + rest;
		g->ind++;
		return c;
	}
	if (g->ind + 1 >= argc) {
		g->ind++;
		return ':';
	}
	g->arg = argv[g->ind + 1];
	g->ind += 2;
	return c;
}

static bool parse_u64(const char *s, const char **end, uint64_t *v)
{
	uint64_t n = 0;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (n > (UINT64_MAX - 9) / 10)
			return false;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	*end = s;
	*v = n;
	return true;
}

bool vmctl_parse_size(const char *s, uint64_t *bytes)
{
	const char *end;
	uint64_t n;
	unsigned shift = 20; /* no suffix: MiB, as bhyve -m */

	if (!parse_u64(s, &end, &n))
		return false;
	if (*end) {
		switch (*end) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		case 't': case 'T': shift = 40; break;
		default: return false;
		}
		if (end[1])
			return false;
	}
	if (!n || n > (1ull << 40) >> shift)
		return false;
	*bytes = n << shift;
	return true;
}

bool vmctl_parse_cpus(const char *s, unsigned *n)
{
	const char *end;
	uint64_t v;

	if (!parse_u64(s, &end, &v) || *end || !v || v > VMCTL_CPUS_MAX)
		return false;
	*n = (unsigned)v;
	return true;
}

void vmctl_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char unit[] = "KMGT";
	int u = -1;

	while (u < 3 && bytes && !(bytes & 1023)) {
		bytes >>= 10;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)bytes, unit[u]);
}

int vmctl_split(char *s, char *argv[], int max)
{
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (!*s)
			return n;
		if (n == max)
			return -1;
		argv[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
}

static const struct {
	const char *word;
	enum vmctl_op op;
	const char *opts;   /* getopt spec */
	int operands;       /* NAME, NAME IMAGE */
	const char *usage;
} commands[] = {
	{"list", VMCTL_LIST, "", 0, "vmctl list"},
	{"status", VMCTL_LIST, "", 0, "vmctl status"},
	{"info", VMCTL_INFO, "", 1, "vmctl info NAME"},
	{"create", VMCTL_CREATE, "Mc:m:", 2, "vmctl create [-M] [-c CPUS] [-m MEM] NAME IMAGE"},
	{"run", VMCTL_RUN, "Mc:m:", 2, "vmctl run -M [-c CPUS] [-m MEM] NAME IMAGE"},
	{"destroy", VMCTL_DESTROY, "", 1, "vmctl destroy NAME"},
	{"console", VMCTL_CONSOLE, "", 1, "vmctl console NAME"},
	{"start", VMCTL_START, "", 1, "vmctl start NAME"},
	{"stop", VMCTL_STOP, "", 1, "vmctl stop NAME"},
	{"reset", VMCTL_RESET, "", 1, "vmctl reset NAME"},
	{"stats", VMCTL_STATS, "", 1, "vmctl stats NAME"},
	{"regs", VMCTL_REGS, "", 1, "vmctl regs NAME"},
	{"help", VMCTL_HELP, "", 0, "vmctl help"},
};
#define COMMANDS (sizeof(commands) / sizeof(commands[0]))

const char *vmctl_usage(enum vmctl_op op)
{
	static char all[1024];

	if (op != VMCTL_HELP)
		for (size_t i = 0; i < COMMANDS; i++)
			if (commands[i].op == op)
				return commands[i].usage;
	size_t n = 0;
	for (size_t i = 0; i < COMMANDS && n < sizeof(all); i++) {
		if (!strcmp(commands[i].word, "status"))
			continue; /* an alias, as OpenBSD's */
		n += (size_t)snprintf(all + n, sizeof(all) - n, "%s%s", n ? "\n       " : "", commands[i].usage);
	}
	return all;
}

__attribute__((format(printf, 3, 4))) static int usage_error(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return VMCTL_EXIT_USAGE;
}

int vmctl_parse(int argc, char *argv[], struct vmctl_cmd *cmd, char *msg, size_t msglen)
{
	static const char *const operand_names[] = {"NAME", "IMAGE"};
	size_t i;

	memset(cmd, 0, sizeof(*cmd));
	cmd->op = VMCTL_HELP;
	cmd->cpus = VMCTL_DEFAULT_CPUS;
	cmd->memory = VMCTL_DEFAULT_MEMORY;
	msg[0] = '\0';
	if (argc < 2)
		return usage_error(msg, msglen, "no command given");
	for (i = 0; i < COMMANDS && strcmp(argv[1], commands[i].word); i++)
		;
	if (i == COMMANDS)
		return usage_error(msg, msglen, "unknown command %s", argv[1]);
	cmd->op = commands[i].op;

	struct vmctl_getopt g = {.ind = 2};
	int c;
	while ((c = vmctl_getopt(&g, argc, argv, commands[i].opts)) != -1) {
		char letter[2] = {(char)g.opt, '\0'};
		switch (c) {
		case 'M':
			cmd->monitor = true;
			break;
		case 'c':
			if (!vmctl_parse_cpus(g.arg, &cmd->cpus))
				return usage_error(msg, msglen, "%s: bad vCPU count %s", argv[1], g.arg);
			break;
		case 'm':
			if (!vmctl_parse_size(g.arg, &cmd->memory))
				return usage_error(msg, msglen, "%s: bad memory size %s", argv[1], g.arg);
			break;
		case ':':
			return usage_error(msg, msglen, "%s: option -%s needs a value", argv[1], letter);
		default:
			return usage_error(msg, msglen, "%s: unknown option -%s", argv[1], letter);
		}
	}
	int operands = argc - g.ind;
	if (operands < commands[i].operands)
		return usage_error(msg, msglen, "%s: missing %s", argv[1], operand_names[operands]);
	if (operands > commands[i].operands)
		return usage_error(msg, msglen, "%s: unexpected argument %s", argv[1],
				   argv[g.ind + commands[i].operands]);
	if (commands[i].operands >= 1)
		cmd->name = argv[g.ind];
	if (commands[i].operands >= 2)
		cmd->image = argv[g.ind + 1];
	if (cmd->op == VMCTL_RUN && !cmd->monitor)
		return usage_error(msg, msglen, "run: -M is required: the VM lives exactly as long as vmctl");
	return VMCTL_EXIT_OK;
}
