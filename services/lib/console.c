// SPDX-License-Identifier: BSD-2-Clause
// stdin, stdout and stderr for picolibc's tiny stdio. Output goes to the
// kernel console (CV_SYS_DEBUG_WRITE) a line at a time, so that lines of
// different tasks and threads never mix: each thread has its own buffer
// (thread-local), shared by stdout and stderr so their order is kept, and
// flushed at a newline, when full (a longer line is split), by fflush and
// at exit. Input: stdin is at end of file until the console service exists.
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cv/runtime.h>
#include <cv/syscall.h>

#define CONSOLE_LINE_MAX 256

struct console_line {
	size_t len;
	char buf[CONSOLE_LINE_MAX];
};

static _Thread_local struct console_line line;

static void line_flush(struct console_line *l)
{
	if (l->len) {
		(void)cv_debug_write(l->buf, l->len);
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

static int console_get(FILE *f)
{
	(void)f;
	return _FDEV_EOF;
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
	(void)cv_debug_write(s, strlen(s));
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
