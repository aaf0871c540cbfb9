// SPDX-License-Identifier: BSD-2-Clause
// services/console/mux.c: whole prefixed lines per client, partial lines
// kept until their newline, long lines split, control characters made
// harmless, names, the client table's limit, and the input focus rules
// (first READ takes it, Ctrl-T cycles, input typed for one client never
// reaches another).
#include "unit.h"

#include <string.h>

#include "../../services/console/mux.h"

/* Everything the mux printed, lines joined. */
static char out[16384];
static size_t out_len;
static unsigned emits;

static void emit(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	if (out_len + len < sizeof(out)) {
		memcpy(out + out_len, text, len);
		out_len += len;
		out[out_len] = '\0';
	}
	emits++;
}

static struct mux m;

static void reset(void)
{
	mux_init(&m, emit, NULL);
	out_len = 0;
	out[0] = '\0';
	emits = 0;
}

static struct mux_client *named(uint64_t badge, const char *name)
{
	bool created;

	CHECK(mux_register(&m, badge, name, strlen(name), &created));
	return mux_find(&m, badge);
}

static void write_str(struct mux_client *c, const char *s)
{
	mux_write(&m, c, s, strlen(s));
}

UNIT_TEST(prefix_named_and_unnamed)
{
	bool created;

	reset();
	struct mux_client *a = named(7, "alpha");
	struct mux_client *u = mux_get(&m, 12345, &created);
	CHECK(created);
	write_str(a, "one\n");
	write_str(u, "two\n");
	CHECK(!strcmp(out, "[alpha] one\r\n[client 12345] two\r\n"));
	CHECK_EQ(emits, 2);
}

UNIT_TEST(partial_lines_wait_for_newline)
{
	reset();
	struct mux_client *a = named(1, "a"), *b = named(2, "b");
	write_str(a, "hel");
	write_str(b, "other ");
	CHECK_EQ(out_len, 0);
	write_str(a, "lo\nwor");
	write_str(b, "line\n");
	write_str(a, "ld\n");
	CHECK(!strcmp(out, "[a] hello\r\n[b] other line\r\n[a] world\r\n"));
}

UNIT_TEST(empty_line_printed)
{
	reset();
	write_str(named(1, "a"), "\n");
	CHECK(!strcmp(out, "[a] \r\n"));
}

UNIT_TEST(long_line_split_with_prefix)
{
	char big[MUX_LINE_MAX + 11];

	reset();
	struct mux_client *a = named(1, "a");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	write_str(a, big);
	CHECK_EQ(emits, 1); /* the full buffer went out as it is */
	write_str(a, "\n");
	CHECK_EQ(emits, 2);
	CHECK_EQ(out_len, 2 * 4 + MUX_LINE_MAX + 10 + 2 * 2);
	CHECK(!strncmp(out, "[a] xxx", 7));
	CHECK(!strcmp(out + 4 + MUX_LINE_MAX, "\r\n[a] xxxxxxxxxx\r\n"));
}

UNIT_TEST(control_characters_harmless)
{
	reset();
	struct mux_client *a = named(1, "a");
	write_str(a, "x\r\n");
	write_str(a, "\r[b] forged\x1b[2K\tok\x7f\n");
	CHECK(!strcmp(out, "[a] x\r\n[a] [b] forged?[2K\tok?\r\n"));
}

UNIT_TEST(register_names)
{
	bool created;
	char longname[MUX_NAME_MAX + 8];

	reset();
	CHECK(!mux_register(&m, 1, "", 0, &created));
	CHECK(!mux_register(&m, 1, "\0abc", 4, &created));
	CHECK(mux_find(&m, 1) == NULL);
	CHECK(mux_register(&m, 1, "a b]c\x01", 6, &created) && created);
	CHECK(!strcmp(mux_find(&m, 1)->name, "a?b?c?"));
	/* Renaming keeps the entry. */
	CHECK(mux_register(&m, 1, "new\0junk", 8, &created) && !created);
	CHECK(!strcmp(mux_find(&m, 1)->name, "new"));
	memset(longname, 'n', sizeof(longname));
	CHECK(mux_register(&m, 2, longname, sizeof(longname), &created));
	CHECK_EQ(strlen(mux_find(&m, 2)->name), MUX_NAME_MAX);
	char pre[MUX_NAME_MAX + 4];
	CHECK_EQ(mux_prefix(mux_find(&m, 2), pre), MUX_NAME_MAX + 3);
}

UNIT_TEST(table_full)
{
	bool created;

	reset();
	for (uint64_t b = 1; b <= MUX_CLIENTS_MAX; b++)
		CHECK(mux_get(&m, b, &created) && created);
	CHECK(mux_get(&m, 1000, &created) == NULL && !created);
	CHECK(!mux_register(&m, 1000, "x", 1, &created));
	CHECK(mux_get(&m, 5, &created) && !created);
	mux_remove(&m, mux_find(&m, 5));
	CHECK(mux_get(&m, 1000, &created) && created);
}

UNIT_TEST(remove_flushes_partial_line)
{
	reset();
	struct mux_client *a = named(1, "a");
	write_str(a, "no newline");
	mux_remove(&m, a);
	CHECK(!strcmp(out, "[a] no newline\r\n"));
	CHECK(mux_find(&m, 1) == NULL);
}

static size_t rd(struct mux_client *c, char *buf, size_t max)
{
	size_t n = mux_read(&m, c, buf, max);
	buf[n] = '\0';
	return n;
}

UNIT_TEST(input_before_any_reader_kept)
{
	char buf[64];

	reset();
	struct mux_client *a = named(1, "a");
	CHECK(mux_input(&m, "hi\r", 3) == NULL); /* nobody to tell */
	CHECK_EQ(rd(a, buf, sizeof(buf) - 1), 3);
	CHECK(!strcmp(buf, "hi\n")); /* carriage return read as newline */
	CHECK(strstr(out, "[console] input focus: a\r\n") != NULL);
	CHECK(mux_input(&m, "x", 1) == a);
}

UNIT_TEST(input_goes_to_focus_only)
{
	char buf[64];

	reset();
	struct mux_client *a = named(1, "a"), *b = named(2, "b");
	CHECK_EQ(rd(a, buf, 10), 0);
	CHECK(mux_input(&m, "for a", 5) == a);
	/* b's first read takes the focus; what was typed for a is dropped. */
	CHECK_EQ(rd(b, buf, 10), 0);
	CHECK_EQ(rd(a, buf, 10), 0);
	CHECK(mux_input(&m, "for b", 5) == b);
	CHECK_EQ(rd(a, buf, 10), 0); /* a's later reads do not take it back */
	CHECK_EQ(rd(b, buf, 3), 3);
	CHECK(!strcmp(buf, "for"));
	CHECK_EQ(rd(b, buf, 10), 2);
	CHECK(!strcmp(buf, " b"));
	CHECK_EQ(rd(b, buf, 10), 0);
}

UNIT_TEST(ctrl_t_cycles_readers)
{
	char buf[64];
	const char ctrl_t = MUX_FOCUS_KEY;

	reset();
	struct mux_client *a = named(1, "a");
	named(2, "writer only");
	struct mux_client *c = named(3, "c");
	CHECK(mux_input(&m, &ctrl_t, 1) == NULL);
	CHECK(strstr(out, "[console] no task reads input\r\n") != NULL);
	rd(a, buf, 1);
	rd(c, buf, 1);
	CHECK(m.focus == 2);
	/* Typed before Ctrl-T: c's, dropped at the switch; after: a's. */
	CHECK(mux_input(&m, "1\x14" "2", 3) == a);
	CHECK(m.focus == 0);
	CHECK_EQ(rd(c, buf, 10), 0);
	CHECK_EQ(rd(a, buf, 10), 1);
	CHECK(!strcmp(buf, "2"));
	/* Skips the client that never read; wraps. */
	mux_input(&m, &ctrl_t, 1);
	CHECK(m.focus == 2);
	mux_input(&m, &ctrl_t, 1);
	CHECK(m.focus == 0);
	CHECK(strstr(out, "[console] input focus: c\r\n[console] input focus: a\r\n") != NULL);
}

UNIT_TEST(focus_passes_on_when_client_goes)
{
	char buf[8];

	reset();
	struct mux_client *a = named(1, "a"), *b = named(2, "b");
	rd(a, buf, 1);
	rd(b, buf, 1);
	mux_remove(&m, b);
	CHECK(m.focus == 0);
	mux_remove(&m, a);
	CHECK(m.focus == -1);
	CHECK(strstr(out, "[console] input focus: none\r\n") != NULL);
}

UNIT_TEST(input_ring_bounded)
{
	static char big[MUX_INPUT_MAX + 100];
	char buf[MUX_INPUT_MAX];
	size_t total = 0, n;

	reset();
	struct mux_client *a = named(1, "a");
	rd(a, buf, 1);
	memset(big, 'k', sizeof(big));
	CHECK(mux_input(&m, big, sizeof(big)) == a);
	CHECK_EQ(m.in_dropped, 100);
	while ((n = mux_read(&m, a, buf, 40)) != 0)
		total += n;
	CHECK_EQ(total, MUX_INPUT_MAX);
	/* Wrapped around: still in order. */
	mux_input(&m, "abc", 3);
	CHECK_EQ(rd(a, buf, 10), 3);
	CHECK(!strcmp(buf, "abc"));
}

/* SHOW: a prompt appears at once, echoed bytes follow it, the newline ends
 * it without printing it twice. */
UNIT_TEST(show_prompt_and_echo)
{
	reset();
	struct mux_client *sh = named(1, "shell");
	write_str(sh, "op$ ");
	CHECK_EQ(out_len, 0);
	mux_show(&m, sh);
	CHECK(strcmp(out, "[shell] op$ ") == 0);
	write_str(sh, "ls");
	mux_show(&m, sh);
	CHECK(strcmp(out, "[shell] op$ ls") == 0);
	write_str(sh, "\n");
	CHECK(strcmp(out, "[shell] op$ ls\r\n") == 0);
	write_str(sh, "next\n");
	CHECK(strcmp(out, "[shell] op$ ls\r\n[shell] next\r\n") == 0);
	/* A SHOW whose text ended the line leaves nothing open. */
	reset();
	sh = named(1, "shell");
	struct mux_client *b = named(2, "b");
	write_str(sh, "$ x\n");
	mux_show(&m, sh);
	write_str(b, "y\n");
	CHECK(strcmp(out, "[shell] $ x\r\n[b] y\r\n") == 0);
}

/* Another client's line (or the service's own) in the middle of a shown
 * line ends it, prints, and shows the unfinished line again. */
UNIT_TEST(show_interrupted_by_other_lines)
{
	reset();
	struct mux_client *sh = named(1, "shell");
	struct mux_client *b = named(2, "b");
	write_str(sh, "op$ ab");
	mux_show(&m, sh);
	write_str(b, "hi\n");
	CHECK(strcmp(out, "[shell] op$ ab\r\n[b] hi\r\n[shell] op$ ab") == 0);
	write_str(sh, "c\n");
	CHECK(strcmp(out, "[shell] op$ ab\r\n[b] hi\r\n[shell] op$ abc\r\n") == 0);

	reset();
	sh = named(1, "shell");
	write_str(sh, "$ ");
	mux_show(&m, sh);
	mux_focus_next(&m); /* nobody reads: an announcement */
	CHECK(strcmp(out, "[shell] $ \r\n[console] no task reads input\r\n[shell] $ ") == 0);
}

/* A backspace erases the last byte of the unfinished line, on the terminal
 * too when it is shown, and never more than the line. */
UNIT_TEST(show_backspace)
{
	reset();
	struct mux_client *sh = named(1, "shell");
	write_str(sh, "$ xy");
	mux_show(&m, sh);
	write_str(sh, "\b");
	mux_show(&m, sh);
	CHECK(strcmp(out, "[shell] $ xy\b \b") == 0);
	write_str(sh, "z\n");
	CHECK(strcmp(out, "[shell] $ xy\b \bz\r\n") == 0);
	/* Not shown: the byte just goes; an empty line has none to erase. */
	reset();
	sh = named(1, "shell");
	write_str(sh, "ab\b\b\b\bc\n");
	CHECK(strcmp(out, "[shell] c\r\n") == 0);
}

/* A shown client that goes has its line ended. */
UNIT_TEST(show_then_client_gone)
{
	reset();
	struct mux_client *sh = named(1, "shell");
	struct mux_client *b = named(2, "b");
	write_str(sh, "$ ");
	mux_show(&m, sh);
	mux_remove(&m, sh);
	write_str(b, "after\n");
	CHECK(strcmp(out, "[shell] $ \r\n[b] after\r\n") == 0);
}
