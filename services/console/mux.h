/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The console service's pure logic (docs/console.md): the table of
 * clients known by badge, their partial output lines, the "[name] " prefix
 * of every line printed, the input ring and the input focus. No system
 * calls: output goes through a callback, so the host unit test
 * (tests/unit/test_console_lines.c) drives it directly.
 */
#ifndef CONSOLE_MUX_H
#define CONSOLE_MUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MUX_CLIENTS_MAX 32
#define MUX_NAME_MAX 32     /* bytes of a registered name, without NUL */
#define MUX_LINE_MAX 256    /* a longer line is printed in pieces */
#define MUX_INPUT_MAX 1024  /* input bytes kept for the focus client */
#define MUX_FOCUS_KEY 0x14  /* Ctrl-T: input focus to the next reader */

/* Longest text one emit call carries: prefix, line, "\r\n". */
#define MUX_EMIT_MAX (MUX_NAME_MAX + 3 + MUX_LINE_MAX + 2)

struct mux_client {
	bool used;
	bool named;          /* REGISTER gave it a name */
	bool reader;         /* it has asked for input */
	uint64_t badge;
	uint32_t notifier;   /* the service's slot of its input notification, 0 = none */
	char name[MUX_NAME_MAX + 1];
	size_t len;          /* bytes in line */
	size_t shown_len;    /* bytes of line already on the terminal (mux_show) */
	char line[MUX_LINE_MAX];
};

/* Where finished text goes: one call per printed line. */
typedef void (*mux_emit_fn)(void *ctx, const char *text, size_t len);

struct mux {
	struct mux_client clients[MUX_CLIENTS_MAX];
	int focus;           /* index of the client with input focus, -1 = none */
	int shown;           /* client whose unfinished line is on the terminal, -1 = none */
	size_t in_head;      /* input ring: oldest byte */
	size_t in_len;
	uint64_t in_dropped; /* bytes lost because the ring was full */
	char in[MUX_INPUT_MAX];
	mux_emit_fn emit;
	void *ctx;
};

void mux_init(struct mux *m, mux_emit_fn emit, void *ctx);

/* The client with this badge, or NULL. */
struct mux_client *mux_find(struct mux *m, uint64_t badge);

/* The client with this badge, made if new (*created tells); NULL when the
 * table is full. */
struct mux_client *mux_get(struct mux *m, uint64_t badge, bool *created);

/*
 * Names a badge (made if new). name: len bytes, ends early at a NUL;
 * bytes outside printable ASCII, '[' and ']' become '?'. Returns false
 * for an empty name or a full table.
 */
bool mux_register(struct mux *m, uint64_t badge, const char *name, size_t len, bool *created);

/* The prefix a client's lines get, "[name] " or "[client N] ", into buf
 * (at least MUX_NAME_MAX + 4 bytes); returns its length. */
size_t mux_prefix(const struct mux_client *c, char *buf);

/*
 * Adds a client's output. Each newline ends a line, printed with the
 * client's prefix and "\r\n". A line that fills the buffer is printed as
 * it is and continues on a new prefixed line. A carriage return is
 * dropped; other control characters except tab become '?', so no client
 * can forge another's prefix on the terminal.
 */
void mux_write(struct mux *m, struct mux_client *c, const char *buf, size_t len);

/*
 * Shows a client's unfinished line on the terminal now, without ending it
 * (a prompt, echoed input): its prefix and line the first time, then only
 * what was added. Another line printed meanwhile first ends the shown one
 * with "\r\n"; after it the unfinished line is shown again, prefix and
 * all. A backspace written to a shown line erases its last byte on the
 * terminal too (never the prefix).
 */
void mux_show(struct mux *m, struct mux_client *c);

/* Prints a client's partial line, if any, as a whole line. */
void mux_flush(struct mux *m, struct mux_client *c);

/* Forgets a client (its last capability is gone): flushes its partial
 * line; if it had the focus, the focus goes to the next reader. */
void mux_remove(struct mux *m, struct mux_client *c);

/*
 * Bytes from the terminal. MUX_FOCUS_KEY moves the focus (and is not
 * input); the others are queued for the focus client. Returns the client
 * that should be told input is waiting (the focus client when bytes were
 * queued), or NULL.
 */
struct mux_client *mux_input(struct mux *m, const char *buf, size_t len);

/*
 * A client asks for input: takes up to max queued bytes into buf if it has
 * the focus. A client's first request gives it the focus (the newest
 * reader is the one the user just started). Returns the number of bytes;
 * 0 when it has not the focus or nothing is queued.
 */
size_t mux_read(struct mux *m, struct mux_client *c, char *buf, size_t max);

/* Moves the focus to the next reader after the current focus, in table
 * order, announcing it; unread input is dropped (it was typed for the
 * previous focus). */
void mux_focus_next(struct mux *m);

#endif
