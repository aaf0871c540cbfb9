// SPDX-License-Identifier: BSD-2-Clause
// The line loop: reads lines, decides what an error on each would mean
// from its keyword, and hands its words to the statement's parser.
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct statement {
	const char *keyword;
	enum bootconf_severity on_error;
	bool (*parse)(struct bootconf_line *l, char **w, int n);
};

/* Statements that only grant are skipped on error: a rejected one grants
 * nothing. The rest define identities or restrict, and ignoring them
 * would weaken security, so their errors are fatal. */
static const struct statement statements[] = {
	{"endpoint", BOOTCONF_SKIPPED, bootconf_parse_endpoint},
	{"console", BOOTCONF_SKIPPED, bootconf_parse_console},
	{"task", BOOTCONF_SKIPPED, bootconf_parse_task},
	{"give", BOOTCONF_SKIPPED, bootconf_parse_give},
	{"passthrough", BOOTCONF_SKIPPED, bootconf_parse_passthrough},
	{"vm", BOOTCONF_SKIPPED, bootconf_parse_vm},
	{"group", BOOTCONF_FATAL, bootconf_parse_group},
	{"jail", BOOTCONF_FATAL, bootconf_parse_jail},
	{"principal", BOOTCONF_FATAL, bootconf_parse_principal},
	{"vmmctl", BOOTCONF_FATAL, bootconf_parse_vmmctl},
	{"set", BOOTCONF_FATAL, bootconf_parse_set},
};

static void report(struct bootconf_line *l, enum bootconf_severity severity, const char *fmt, va_list ap)
{
	char message[BOOTCONF_MESSAGE_MAX];

	vsnprintf(message, sizeof(message), fmt, ap);
	if (l->report)
		l->report(l->ctx, l->line, severity, message);
}

bool bootconf_reject(struct bootconf_line *l, const char *fmt, ...)
{
	va_list ap;

	if (l->on_error == BOOTCONF_FATAL)
		l->cfg->fatal++;
	else
		l->cfg->skipped++;
	va_start(ap, fmt);
	report(l, l->on_error, fmt, ap);
	va_end(ap);
	return false;
}

void bootconf_note(struct bootconf_line *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(l, BOOTCONF_NOTE, fmt, ap);
	va_end(ap);
}

/*
 * The statement a line's first word names, or NULL. A line that cannot
 * be read (too long, a NUL or control byte, an unterminated quote) is
 * still judged by its first word, so that a damaged grant is skipped but
 * a damaged restriction is not. An unknown keyword is fatal: it may be a
 * restriction misspelled.
 */
static const struct statement *statement_of(const char *text, size_t len)
{
	size_t start = 0, end;

	while (start < len && (text[start] == ' ' || text[start] == '\t'))
		start++;
	for (end = start; end < len && text[end] != ' ' && text[end] != '\t'; end++)
		;
	for (size_t i = 0; i < BOOTCONF_ARRAY_SIZE(statements); i++)
		if (strlen(statements[i].keyword) == end - start &&
		    !memcmp(statements[i].keyword, text + start, end - start))
			return &statements[i];
	return NULL;
}

static bool blank_or_comment(const char *text, size_t len)
{
	size_t i = 0;
	while (i < len && (text[i] == ' ' || text[i] == '\t'))
		i++;
	return i == len || text[i] == '#';
}

/* A byte that has no place in a text file: C0 controls but tab, DEL. */
static bool has_control_byte(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return true;
	}
	return false;
}

static void parse_line(struct bootconf_line *l, const char *text, size_t len)
{
	const struct statement *st = statement_of(text, len);
	char buf[BOOTCONF_LINE_MAX];
	char *w[BOOTCONF_WORDS_MAX];

	l->on_error = st ? st->on_error : BOOTCONF_FATAL;
	if (blank_or_comment(text, len))
		return;
	if (len >= sizeof(buf)) {
		bootconf_reject(l, "line longer than %d bytes", BOOTCONF_LINE_MAX - 1);
		return;
	}
	if (memchr(text, '\0', len)) {
		bootconf_reject(l, "NUL byte in line");
		return;
	}
	if (has_control_byte(text, len)) {
		bootconf_reject(l, "control character in line");
		return;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	int n = bootconf_split(buf, w, BOOTCONF_WORDS_MAX);
	if (n < 0) {
		bootconf_reject(l, "too many words, or an unterminated quote");
		return;
	}
	if (!st) {
		bootconf_reject(l, "unknown keyword (task endpoint give console group jail principal vmmctl set "
				   "passthrough vm)");
		return;
	}
	st->parse(l, w, n);
}

bool bootconf_parse(struct bootconf *cfg, const char *text, size_t len, const struct bootconf_machine *machine,
		    bootconf_report_fn report_fn, void *ctx)
{
	struct bootconf_line l = {.cfg = cfg, .machine = machine, .report = report_fn, .ctx = ctx};
	size_t pos = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->console_endpoint = BOOTCONF_NONE;
	while (pos < len) {
		size_t end = pos;
		while (end < len && text[end] != '\n')
			end++;
		size_t n = end - pos;
		l.line++;
		if (n && text[pos + n - 1] == '\r')
			n--;
		parse_line(&l, text + pos, n);
		pos = end + 1;
	}
	bootconf_finish_vmm(&l);
	return cfg->fatal == 0;
}
