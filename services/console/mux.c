// SPDX-License-Identifier: BSD-2-Clause
// The console service's pure logic: clients, line assembly with prefixes,
// input ring and focus (mux.h, docs/console.md).
#include "mux.h"

#include <string.h>

void mux_init(struct mux *m, mux_emit_fn emit, void *ctx)
{
	memset(m, 0, sizeof(*m));
	m->focus = -1;
	m->shown = -1;
	m->emit = emit;
	m->ctx = ctx;
}

struct mux_client *mux_find(struct mux *m, uint64_t badge)
{
	for (unsigned i = 0; i < MUX_CLIENTS_MAX; i++)
		if (m->clients[i].used && m->clients[i].badge == badge)
			return &m->clients[i];
	return NULL;
}

struct mux_client *mux_get(struct mux *m, uint64_t badge, bool *created)
{
	struct mux_client *c = mux_find(m, badge);

	*created = false;
	if (c)
		return c;
	for (unsigned i = 0; i < MUX_CLIENTS_MAX; i++) {
		c = &m->clients[i];
		if (!c->used) {
			memset(c, 0, sizeof(*c));
			c->used = true;
			c->badge = badge;
			*created = true;
			return c;
		}
	}
	return NULL;
}

bool mux_register(struct mux *m, uint64_t badge, const char *name, size_t len, bool *created)
{
	size_t n = 0;

	*created = false;
	while (n < len && n < MUX_NAME_MAX && name[n])
		n++;
	if (!n)
		return false;
	struct mux_client *c = mux_get(m, badge, created);
	if (!c)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];
		c->name[i] = ch > ' ' && ch < 0x7f && ch != '[' && ch != ']' ? (char)ch : '?';
	}
	c->name[n] = '\0';
	c->named = true;
	return true;
}

static size_t put_str(char *buf, const char *s)
{
	size_t n = strlen(s);
	memcpy(buf, s, n);
	return n;
}

static size_t put_u64(char *buf, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

static size_t put_name(char *buf, const struct mux_client *c)
{
	if (c->named)
		return put_str(buf, c->name);
	size_t n = put_str(buf, "client ");
	return n + put_u64(buf + n, c->badge);
}

size_t mux_prefix(const struct mux_client *c, char *buf)
{
	size_t n = 0;

	buf[n++] = '[';
	n += put_name(buf + n, c);
	buf[n++] = ']';
	buf[n++] = ' ';
	return n;
}

/* The client's index in the table, or -1 (a stand-in when it is full). */
static int index_of(const struct mux *m, const struct mux_client *c)
{
	return c >= m->clients && c < m->clients + MUX_CLIENTS_MAX ? (int)(c - m->clients) : -1;
}

/* Prefix and the whole unfinished line of client i, left open. */
static void show_again(struct mux *m, int i)
{
	struct mux_client *c = &m->clients[i];
	char out[MUX_EMIT_MAX];
	size_t n = mux_prefix(c, out);

	memcpy(out + n, c->line, c->len);
	n += c->len;
	c->shown_len = c->len;
	m->shown = i;
	m->emit(m->ctx, out, n);
}

/* Before a line of someone else: ends the shown unfinished line on the
 * terminal; returns whose it was (to show it again after), or -1. */
static int interrupt_shown(struct mux *m)
{
	int i = m->shown;

	if (i >= 0) {
		m->emit(m->ctx, "\r\n", 2);
		m->shown = -1;
	}
	return i;
}

static void resume_shown(struct mux *m, int i)
{
	if (i >= 0 && m->clients[i].used && m->clients[i].len)
		show_again(m, i);
}

/* Prints the client's line buffer (even empty) as one line; if it is the
 * shown one, only the rest of it. */
static void emit_line(struct mux *m, struct mux_client *c)
{
	char out[MUX_EMIT_MAX];
	int idx = index_of(m, c);
	size_t n;

	if (idx >= 0 && m->shown == idx) {
		n = c->len - c->shown_len;
		memcpy(out, c->line + c->shown_len, n);
		out[n++] = '\r';
		out[n++] = '\n';
		c->len = 0;
		c->shown_len = 0;
		m->shown = -1;
		m->emit(m->ctx, out, n);
		return;
	}
	int other = interrupt_shown(m);
	n = mux_prefix(c, out);
	memcpy(out + n, c->line, c->len);
	n += c->len;
	out[n++] = '\r';
	out[n++] = '\n';
	c->len = 0;
	m->emit(m->ctx, out, n);
	resume_shown(m, other);
}

/* The service's own announcements, e.g. focus changes. */
static void announce(struct mux *m, const char *what, const struct mux_client *c)
{
	char out[MUX_EMIT_MAX];
	size_t n = put_str(out, "[console] ");

	n += put_str(out + n, what);
	if (c)
		n += put_name(out + n, c);
	out[n++] = '\r';
	out[n++] = '\n';
	int other = interrupt_shown(m);
	m->emit(m->ctx, out, n);
	resume_shown(m, other);
}

void mux_show(struct mux *m, struct mux_client *c)
{
	int idx = index_of(m, c);

	if (idx < 0)
		return;
	if (m->shown != idx && !c->len)
		return; /* nothing unfinished: a SHOW that ended its line */
	if (m->shown == idx) {
		if (c->len > c->shown_len)
			m->emit(m->ctx, c->line + c->shown_len, c->len - c->shown_len);
		c->shown_len = c->len;
		return;
	}
	(void)interrupt_shown(m);
	show_again(m, idx);
}

void mux_write(struct mux *m, struct mux_client *c, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)buf[i];
		if (ch == '\n') {
			emit_line(m, c);
			continue;
		}
		if (ch == '\r')
			continue;
		if (ch == '\b') {
			/* Erases within the unfinished line only. */
			if (!c->len)
				continue;
			c->len--;
			if (m->shown == index_of(m, c) && c->shown_len > c->len) {
				c->shown_len = c->len;
				m->emit(m->ctx, "\b \b", 3);
			}
			continue;
		}
		if ((ch < ' ' && ch != '\t') || ch == 0x7f)
			ch = '?';
		c->line[c->len++] = (char)ch;
		if (c->len == MUX_LINE_MAX)
			emit_line(m, c);
	}
}

void mux_flush(struct mux *m, struct mux_client *c)
{
	if (c->len || (m->shown >= 0 && m->shown == index_of(m, c)))
		emit_line(m, c);
}

static void drop_input(struct mux *m)
{
	m->in_head = 0;
	m->in_len = 0;
}

/* The next reader after index `from` (wrapping, from itself last), or -1. */
static int next_reader(const struct mux *m, int from)
{
	for (int k = 1; k <= MUX_CLIENTS_MAX; k++) {
		int i = ((from < 0 ? -1 : from) + k) % MUX_CLIENTS_MAX;
		if (m->clients[i].used && m->clients[i].reader)
			return i;
	}
	return -1;
}

static void set_focus(struct mux *m, int i, bool always_announce)
{
	if (i == m->focus && !always_announce)
		return;
	if (m->focus >= 0 && i != m->focus)
		drop_input(m); /* typed for the one that had the focus */
	m->focus = i;
	if (i >= 0)
		announce(m, "input focus: ", &m->clients[i]);
	else
		announce(m, "input focus: none", NULL);
}

void mux_focus_next(struct mux *m)
{
	int i = next_reader(m, m->focus);

	if (i < 0) {
		announce(m, "no task reads input", NULL);
		return;
	}
	set_focus(m, i, true);
}

void mux_remove(struct mux *m, struct mux_client *c)
{
	int idx = (int)(c - m->clients);

	mux_flush(m, c);
	c->reader = false;
	if (m->focus == idx)
		set_focus(m, next_reader(m, idx), false);
	memset(c, 0, sizeof(*c));
}

struct mux_client *mux_input(struct mux *m, const char *buf, size_t len)
{
	bool queued = false;

	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)buf[i] == MUX_FOCUS_KEY) {
			mux_focus_next(m);
			queued = false; /* what came before went with the old focus */
			continue;
		}
		if (m->in_len == MUX_INPUT_MAX) {
			m->in_dropped++;
			continue;
		}
		/* Enter sends a carriage return; readers see a newline. */
		m->in[(m->in_head + m->in_len) % MUX_INPUT_MAX] = buf[i] == '\r' ? '\n' : buf[i];
		m->in_len++;
		queued = true;
	}
	return queued && m->focus >= 0 ? &m->clients[m->focus] : NULL;
}

size_t mux_read(struct mux *m, struct mux_client *c, char *buf, size_t max)
{
	int idx = (int)(c - m->clients);
	size_t n = 0;

	if (!c->reader) {
		c->reader = true;
		set_focus(m, idx, false);
	}
	if (m->focus != idx)
		return 0;
	while (n < max && m->in_len) {
		buf[n++] = m->in[m->in_head];
		m->in_head = (m->in_head + 1) % MUX_INPUT_MAX;
		m->in_len--;
	}
	return n;
}
