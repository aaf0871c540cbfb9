// SPDX-License-Identifier: BSD-2-Clause
// Reading a command line from the console service: the prompt and the
// echo are shown at once (SHOW, docs/console.md), since the service prints
// whole lines otherwise; the service does no echo or editing itself.
#include <stdio.h>
#include <string.h>

#include <cv/console.h>
#include <cv/runtime.h>

#include "shell.h"

#define KEY_CTRL_C 0x03
#define KEY_BACKSPACE 0x08
#define KEY_CTRL_U 0x15
#define KEY_DEL 0x7f
#define POLL_MS 16

/* Bytes read but not used yet: typed ahead of a line, or while a job ran. */
static char ahead[256];
static size_t ahead_len;

void term_unread(const char *buf, size_t len)
{
	if (len > sizeof(ahead) - ahead_len)
		len = sizeof(ahead) - ahead_len; /* a flood: the newest bytes go */
	memmove(ahead + len, ahead, ahead_len);
	memcpy(ahead, buf, len);
	ahead_len += len;
}

size_t term_read(char *buf, size_t max)
{
	size_t got = 0;

	if (ahead_len) {
		got = ahead_len < max ? ahead_len : max;
		memcpy(buf, ahead, got);
		memmove(ahead, ahead + got, ahead_len - got);
		ahead_len -= got;
		return got;
	}
	if (cv_console_read(buf, max, &got, CV_CONSOLE_NONBLOCK) != CV_OK)
		return 0;
	return got;
}

static void show(const char *s, size_t n)
{
	cv_slot_t ep = cv_console_attached();

	cv_console_flush();
	if (!ep || cv_console_send_shown(ep, s, n) != CV_OK)
		(void)cv_debug_write(s, n);
}

/* The line being read, so that a message can interrupt it (line_pause)
 * and it can be shown again. */
static const char *shown_prompt;
static const char *line;
static size_t line_len;
static bool paused;

void line_pause(void)
{
	if (shown_prompt && !paused) {
		show("\n", 1);
		paused = true;
	}
}

static void resume(void)
{
	if (paused) {
		paused = false;
		show(shown_prompt, strlen(shown_prompt));
		if (line_len)
			show(line, line_len);
	}
}

/* Up to max typed bytes; serves background jobs while none come. */
static bool input(char *buf, size_t max, size_t *got)
{
	if ((*got = term_read(buf, max)))
		return true;
	for (;;) {
		bool polling = jobs_background();
		enum cv_status st = cv_console_read(buf, max, got, polling ? CV_CONSOLE_NONBLOCK : 0);
		if (st == CV_OK)
			return true;
		if (st != CV_E_WOULD_BLOCK)
			return false;
		(void)jobs_poll(POLL_MS);
		resume();
	}
}

bool line_read(const char *prompt, char *buf, size_t max)
{
	size_t len = 0;
	char in[CV_CONSOLE_TEXT_MAX];
	size_t got;

	show(prompt, strlen(prompt));
	shown_prompt = prompt;
	line = buf;
	line_len = 0;
	paused = false;
	while (input(in, sizeof(in), &got)) {
		resume();
		for (size_t i = 0; i < got; i++) {
			unsigned char ch = (unsigned char)in[i];
			if (ch == '\n' || ch == '\r' || ch == KEY_CTRL_C) {
				term_unread(in + i + 1, got - i - 1);
				if (ch == KEY_CTRL_C) {
					show("^C", 2);
					len = 0;
				}
				show("\n", 1);
				buf[len] = '\0';
				shown_prompt = NULL;
				return true;
			}
			if (ch == KEY_BACKSPACE || ch == KEY_DEL) {
				if (len) {
					len--;
					show("\b", 1);
				}
			} else if (ch == KEY_CTRL_U) {
				while (len) {
					len--;
					show("\b", 1);
				}
			} else if (ch == '\t' || (ch >= ' ' && ch < 0x7f)) {
				if (len + 1 < max) {
					buf[len++] = ch == '\t' ? ' ' : (char)ch;
					show(&buf[len - 1], 1);
				}
			}
		}
		line_len = len;
	}
	shown_prompt = NULL;
	return false;
}
