// SPDX-License-Identifier: BSD-2-Clause
// stdin, stdout and stderr for picolibc's tiny stdio. Output goes a line
// at a time to the console service when the task is attached to it
// (cv/console.h, console_client.c), else to the kernel console
// (CV_SYS_DEBUG_WRITE), so that lines of different tasks and threads never
// mix: each thread has its own buffer (thread-local), shared by stdout and
// stderr so their order is kept, and flushed at a newline, when full (a
// longer line is split), by fflush and at exit. Input: from the console
// service when attached, else stdin is at end of file.
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cv/console.h>
#include <cv/runtime.h>
#include <cv/syscall.h>

#define CONSOLE_LINE_MAX 256

struct console_line {
	size_t len;
	char buf[CONSOLE_LINE_MAX];
};

static _Thread_local struct console_line line;

/* To the service if attached; if it is gone, back to the kernel console
 * for good, so that nothing is lost. */
static void console_out_bytes(const char *buf, size_t len)
{
	cv_slot_t ep = cv_console_attached();

	if (ep && cv_console_send(ep, buf, len) == CV_OK)
		return;
	if (ep)
		cv_console_attach(0);
	(void)cv_debug_write(buf, len);
}

static void line_flush(struct console_line *l)
{
	if (l->len) {
		console_out_bytes(l->buf, l->len);
		l->len = 0;
	}
}

static int console_put(char c, FILE *f)
{
	struct console_line *l = &line;

	(void)f;
	l->buf[l->len++] = c;
	if (c == '\n' || l->len == sizeof(l->buf))
		line_flush(l);
	return (unsigned char)c;
}

static int console_flush(FILE *f)
{
	(void)f;
	line_flush(&line);
	return 0;
}

/* stdin: bytes from the console service, a READ at a time; the buffer
 * is the first thread's (stdio is not thread-safe yet anyway). */
static struct {
	size_t pos, len;
	char buf[CV_CONSOLE_TEXT_MAX];
} input;

static int console_get(FILE *f)
{
	(void)f;
	if (input.pos == input.len) {
		size_t got = 0;
		/* Whatever we printed before asking is on the terminal first. */
		line_flush(&line);
		if (cv_console_read(input.buf, sizeof(input.buf), &got, 0) != CV_OK || !got)
			return _FDEV_EOF;
		input.pos = 0;
		input.len = got;
	}
	return (unsigned char)input.buf[input.pos++];
}

static FILE console_out = FDEV_SETUP_STREAM(console_put, NULL, console_flush, _FDEV_SETUP_WRITE);
static FILE console_in = FDEV_SETUP_STREAM(NULL, console_get, NULL, _FDEV_SETUP_READ);

FILE *const stdin = &console_in;
FILE *const stdout = &console_out;
FILE *const stderr = &console_out;

void cv_console_flush(void)
{
	line_flush(&line);
}

void cv_console_write(const char *s)
{
	console_out_bytes(s, strlen(s));
}

void cv_panic(const char *fmt, ...)
{
	va_list ap;

	/* On a line of its own, even after a partial line. */
	if (line.len)
		console_put('\n', stdout);
	fputs("panic: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_exit(255);
}
