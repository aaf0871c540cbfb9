// SPDX-License-Identifier: BSD-2-Clause
// The root task's boot-configuration parser.
#include "unit.h"

#include <string.h>

#include "../../services/root/config.h"

#include <uapi/cap.h>

static unsigned last_line;
static char last_message[128];
static unsigned error_calls;

static void on_error(void *ctx, unsigned line, const char *message)
{
	(void)ctx;
	last_line = line;
	snprintf(last_message, sizeof(last_message), "%s", message);
	error_calls++;
}

static unsigned parse(struct config *c, const char *text)
{
	error_calls = 0;
	last_line = 0;
	last_message[0] = '\0';
	return config_parse(c, text, strlen(text), on_error, NULL);
}

static struct config cfg;

UNIT_TEST(config_full_example)
{
	const char *text = "# demo\r\n"
			   "endpoint console\n"
			   "\n"
			   "task console module=console priority=50 cpu=1 quota=128 slots=128\n"
			   "task hello module=hello args=\"a b c\"   # trailing comment\n"
			   "give console 16 device arm,pl011 as=uart\n"
			   "give console 17 irq arm,pl011 as=uart_irq\n"
			   "give console 18 endpoint console rights=rwg\n"
			   "give hello 16 endpoint console badge=7 rights=w0\n";
	CHECK_EQ(parse(&cfg, text), 0);
	CHECK_EQ(cfg.endpoint_count, 1);
	CHECK_EQ(cfg.task_count, 2);
	CHECK(!strcmp(cfg.tasks[0].name, "console"));
	CHECK_EQ(cfg.tasks[0].priority, 50);
	CHECK_EQ(cfg.tasks[0].max_priority, 50);
	CHECK_EQ(cfg.tasks[0].cpu, 1);
	CHECK_EQ(cfg.tasks[0].quota, 128);
	CHECK_EQ(cfg.tasks[0].slots, 128);
	CHECK_EQ(cfg.tasks[0].line, 4);
	CHECK(!strcmp(cfg.tasks[1].args, "a b c"));
	CHECK_EQ(cfg.tasks[1].priority, 10);
	CHECK_EQ(cfg.give_count, 4);
	CHECK_EQ(cfg.gives[0].kind, GIVE_DEVICE);
	CHECK(!strcmp(cfg.gives[0].what, "arm,pl011"));
	CHECK(!strcmp(cfg.gives[0].as, "uart"));
	CHECK_EQ(cfg.gives[1].kind, GIVE_IRQ);
	CHECK_EQ(cfg.gives[2].rights, CV_RIGHT_READ | CV_RIGHT_WRITE | CV_RIGHT_GRANT);
	CHECK_EQ(cfg.gives[3].badge, 7);
	CHECK_EQ(cfg.gives[3].rights, CV_RIGHT_WRITE | CV_RIGHT_USER(0));
	CHECK_EQ(cfg.gives[3].task, 1);
	CHECK_EQ(cfg.gives[2].rights & CV_RIGHTS_USER_MASK, 0);
}

struct bad_case {
	const char *text;
	unsigned line;
	const char *message_part;
};

UNIT_TEST(config_bad_lines_are_reported_and_skipped)
{
	static const struct bad_case cases[] = {
		{"frobnicate\n", 1, "unknown keyword"},
		{"task\n", 1, "expected a name"},
		{"task a/b module=x\n", 1, "expected a name"},
		{"task a\n", 1, "module= is required"},
		{"task a module=m priority=64\n", 1, "priority must be"},
		{"task a module=m priority=20 max_priority=10\n", 1, "above max_priority"},
		{"task a module=m quota=0\n", 1, "quota"},
		{"task a module=m slots=10\n", 1, "slots"},
		{"task a module=m colour=red\n", 1, "unknown option"},
		{"task a module=m\ntask a module=n\n", 2, "exists already"},
		{"task a module=m args=\"open\n", 1, "unterminated quote"},
		{"give a 16 endpoint e\n", 1, "no task"},
		{"task a module=m\ngive a 3 endpoint e\n", 2, "slot must be"},
		{"task a module=m\ngive a 99999 endpoint e\n", 2, "slot must be"},
		{"task a module=m\ngive a 16 endpoint e\n", 2, "no endpoint"},
		{"task a module=m\nendpoint e\ngive a 16 endpoint e badge=0\n", 3, "badge"},
		{"task a module=m\nendpoint e\ngive a 16 endpoint e rights=rwq\n", 3, "rights"},
		{"task a module=m\ngive a 16 gadget x\n", 2, "kind must be"},
		{"task a module=m\nendpoint e\ngive a 16 endpoint e\ngive a 16 endpoint e\n", 4, "given already"},
		{"endpoint e\nendpoint e\n", 2, "declared twice"},
		{"endpoint\n", 1, "expected one name"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned errors = parse(&cfg, cases[i].text);
		if (errors != 1 || last_line != cases[i].line || !strstr(last_message, cases[i].message_part))
			printf("  case %zu: %u errors, line %u, \"%s\"\n", i, errors, last_line, last_message);
		CHECK_EQ(errors, 1);
		CHECK_EQ(error_calls, 1);
		CHECK_EQ(last_line, cases[i].line);
		CHECK(strstr(last_message, cases[i].message_part) != NULL);
	}
}

UNIT_TEST(config_bad_line_changes_nothing)
{
	CHECK_EQ(parse(&cfg, "task a module=m priority=99\ntask b module=n\n"), 1);
	CHECK_EQ(cfg.task_count, 1);
	CHECK(!strcmp(cfg.tasks[0].name, "b"));
}

UNIT_TEST(config_long_and_binary_lines)
{
	char big[2000];
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	CHECK_EQ(parse(&cfg, big), 1);
	CHECK(strstr(last_message, "longer") != NULL);
	const char nul[] = "task a module=m\0junk\ntask b module=n\n";
	error_calls = 0;
	CHECK_EQ(config_parse(&cfg, nul, sizeof(nul) - 1, on_error, NULL), 1);
	CHECK_EQ(cfg.task_count, 1);
	CHECK_EQ(config_parse(&cfg, "", 0, on_error, NULL), 0);
	CHECK_EQ(cfg.task_count, 0);
	/* Not NUL-terminated: only len bytes are read (ASan checks). */
	char exact[15];
	memcpy(exact, "endpoint abcdef", 15);
	CHECK_EQ(config_parse(&cfg, exact, sizeof(exact), on_error, NULL), 0);
	CHECK_EQ(cfg.endpoint_count, 1);
}

UNIT_TEST(config_limits)
{
	char text[4096] = "";
	for (int i = 0; i < CONFIG_TASKS_MAX + 1; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "task t%d module=m\n", i);
	CHECK_EQ(parse(&cfg, text), 1);
	CHECK_EQ(cfg.task_count, CONFIG_TASKS_MAX);
	CHECK(strstr(last_message, "too many") != NULL);
}
