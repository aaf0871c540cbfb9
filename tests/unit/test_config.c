// SPDX-License-Identifier: BSD-2-Clause
// The boot-configuration parser (services/bootconf): lines, words, tasks,
// endpoints and gives. test_config_policy.c covers principals, groups,
// jails, the vmmctl policy, tunables, passthrough and VMs.
#include "unit.h"

#include <string.h>

#include "config_test.h"

struct bootconf cfg;
struct captured captured[CAPTURED_MAX];
unsigned captured_count;

static void capture(void *ctx, unsigned line, enum bootconf_severity severity, const char *message)
{
	(void)ctx;
	if (captured_count == CAPTURED_MAX)
		return;
	struct captured *c = &captured[captured_count++];
	c->line = line;
	c->severity = severity;
	snprintf(c->message, sizeof(c->message), "%s", message);
}

bool parse_on(const char *text, unsigned cpus, uint64_t memory)
{
	struct bootconf_machine machine = {.cpus = cpus, .memory = memory};
	captured_count = 0;
	return bootconf_parse(&cfg, text, strlen(text), &machine, capture, NULL);
}

bool parse(const char *text)
{
	return parse_on(text, 4, 1ull << 30);
}

bool parse_bytes(const char *text, size_t len)
{
	struct bootconf_machine machine = {.cpus = 4, .memory = 1ull << 30};
	captured_count = 0;
	return bootconf_parse(&cfg, text, len, &machine, capture, NULL);
}

unsigned count_of(enum bootconf_severity severity)
{
	unsigned n = 0;
	for (unsigned i = 0; i < captured_count; i++)
		n += captured[i].severity == severity;
	return n;
}

bool said(enum bootconf_severity severity, const char *part)
{
	for (unsigned i = 0; i < captured_count; i++)
		if (captured[i].severity == severity && strstr(captured[i].message, part))
			return true;
	return false;
}

void check_bad_cases(const struct bad_case *cases, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const struct bad_case *c = &cases[i];
		bool may_start = parse(c->text);
		bool fatal = c->severity == BOOTCONF_FATAL;
		unsigned errors = count_of(BOOTCONF_SKIPPED) + count_of(BOOTCONF_FATAL);
		const struct captured *m = NULL;
		for (unsigned k = 0; k < captured_count && !m; k++)
			if (captured[k].severity != BOOTCONF_NOTE)
				m = &captured[k];
		bool good = errors == 1 && m && m->severity == c->severity && m->line == c->line &&
			    strstr(m->message, c->message_part) && may_start == !fatal &&
			    cfg.fatal == (fatal ? 1u : 0u) && cfg.skipped == (fatal ? 0u : 1u);
		if (!good)
			printf("  case %zu (%s): %u errors, first: line %u severity %d \"%s\"\n", i, c->message_part,
			       errors, m ? m->line : 0, m ? (int)m->severity : -1, m ? m->message : "");
		CHECK(good);
	}
}

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
	CHECK(parse(text));
	CHECK_EQ(cfg.skipped, 0);
	CHECK_EQ(cfg.fatal, 0);
	CHECK_EQ(cfg.endpoint_count, 1);
	CHECK_EQ(cfg.task_count, 2);
	CHECK(!strcmp(cfg.tasks[0].name, "console"));
	CHECK_EQ(cfg.tasks[0].priority, 50);
	CHECK_EQ(cfg.tasks[0].max_priority, 50);
	CHECK_EQ(cfg.tasks[0].cpu, 1);
	CHECK_EQ(cfg.tasks[0].quota, 128);
	CHECK_EQ(cfg.tasks[0].slots, 128);
	CHECK_EQ(cfg.tasks[0].line, 4);
	CHECK_EQ(cfg.tasks[0].user, BOOTCONF_NONE);
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
	CHECK_EQ(captured_count, 0);
}

UNIT_TEST(config_bad_task_lines_are_skipped)
{
	static const struct bad_case cases[] = {
		{"task\n", 1, BOOTCONF_SKIPPED, "expected a name"},
		{"task a/b module=x\n", 1, BOOTCONF_SKIPPED, "expected a name"},
		{"task a\n", 1, BOOTCONF_SKIPPED, "module= is required"},
		{"task a module=m priority=64\n", 1, BOOTCONF_SKIPPED, "priority must be"},
		{"task a module=m priority=20 max_priority=10\n", 1, BOOTCONF_SKIPPED, "above max_priority"},
		{"task a module=m quota=0\n", 1, BOOTCONF_SKIPPED, "quota"},
		{"task a module=m slots=10\n", 1, BOOTCONF_SKIPPED, "slots"},
		{"task a module=m colour=red\n", 1, BOOTCONF_SKIPPED, "unknown option"},
		{"task a module=m module=n\n", 1, BOOTCONF_SKIPPED, "module= given twice"},
		{"task a module=m\ntask a module=n\n", 2, BOOTCONF_SKIPPED, "exists already"},
		{"task a module=m args=\"open\n", 1, BOOTCONF_SKIPPED, "unterminated quote"},
		{"task a module=m user=nobody\n", 1, BOOTCONF_SKIPPED, "user= names no principal"},
		{"task a module=m cpu=256\n", 1, BOOTCONF_SKIPPED, "cpu must be"},
		{"task a module=m/x\n", 1, BOOTCONF_SKIPPED, "bad module name"},
		{"give a 16 endpoint e\n", 1, BOOTCONF_SKIPPED, "no task"},
		{"task a module=m\ngive a 3 endpoint e\n", 2, BOOTCONF_SKIPPED, "slot must be"},
		{"task a module=m\ngive a 99999 endpoint e\n", 2, BOOTCONF_SKIPPED, "slot must be"},
		{"task a module=m\ngive a 16 endpoint e\n", 2, BOOTCONF_SKIPPED, "no endpoint"},
		{"task a module=m\nendpoint e\ngive a 16 endpoint e badge=0\n", 3, BOOTCONF_SKIPPED, "badge"},
		{"task a module=m\nendpoint e\ngive a 16 endpoint e rights=rwq\n", 3, BOOTCONF_SKIPPED, "rights"},
		{"task a module=m\ngive a 16 device arm,pl011 badge=3\n", 2, BOOTCONF_SKIPPED, "only an endpoint"},
		{"task a module=m\ngive a 16 gadget x\n", 2, BOOTCONF_SKIPPED, "kind must be"},
		{"task a module=m\ngive a 16 endpoint\n", 2, BOOTCONF_SKIPPED, "bad name"},
		{"task a module=m\nendpoint e\ngive a 16 endpoint e\ngive a 16 endpoint e\n", 4, BOOTCONF_SKIPPED,
		 "given already"},
		{"task a module=m\nendpoint e\ngive a 16 endpoint e as=x as=y\n", 3, BOOTCONF_SKIPPED,
		 "as= given twice"},
		{"endpoint e\nendpoint e\n", 2, BOOTCONF_SKIPPED, "declared twice"},
		{"endpoint\n", 1, BOOTCONF_SKIPPED, "expected one name"},
		{"console nothing\n", 1, BOOTCONF_SKIPPED, "console: expected the name of an endpoint"},
		{"endpoint e\nconsole e\nconsole e\n", 3, BOOTCONF_SKIPPED, "console: declared twice"},
	};
	check_bad_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

UNIT_TEST(config_bad_line_changes_nothing)
{
	CHECK(parse("task a module=m priority=99\ntask b module=n\n"));
	CHECK_EQ(cfg.skipped, 1);
	CHECK_EQ(cfg.task_count, 1);
	CHECK(!strcmp(cfg.tasks[0].name, "b"));
	CHECK_EQ(cfg.tasks[0].line, 2);
}

/* A line the parser cannot read is judged by its first word: a grant is
 * skipped, anything else (it may have been a restriction) is fatal. */
UNIT_TEST(config_unreadable_lines)
{
	char big[2000];
	memset(big, 'x', sizeof(big));
	memcpy(big, "task ", 5);
	big[sizeof(big) - 1] = '\0';
	CHECK(parse(big));
	CHECK(said(BOOTCONF_SKIPPED, "longer than 511 bytes"));
	memcpy(big, "jail ", 5);
	CHECK(!parse(big));
	CHECK(said(BOOTCONF_FATAL, "longer than 511 bytes"));

	const char nul[] = "task a module=m\0junk\ntask b module=n\n";
	CHECK(parse_bytes(nul, sizeof(nul) - 1));
	CHECK(said(BOOTCONF_SKIPPED, "NUL byte"));
	CHECK_EQ(cfg.task_count, 1);
	CHECK(!strcmp(cfg.tasks[0].name, "b"));
	const char nul_principal[] = "principal a\0 uid=5\n";
	CHECK(!parse_bytes(nul_principal, sizeof(nul_principal) - 1));
	CHECK(said(BOOTCONF_FATAL, "NUL byte"));
	CHECK_EQ(cfg.principal_count, 0);

	CHECK(parse("task a module=m args=\"bell\a\"\n"));
	CHECK(said(BOOTCONF_SKIPPED, "control character"));
	CHECK_EQ(cfg.task_count, 0);
	CHECK(!parse("group wheel\x1b[0m gid=0\n"));
	CHECK(said(BOOTCONF_FATAL, "control character"));
	CHECK(!parse("set vmm.maxcpu=\"2\n"));
	CHECK(said(BOOTCONF_FATAL, "unterminated quote"));
	CHECK(!parse("principal a uid=1 x x x x x x x x x x x x x x x x\n"));
	CHECK(said(BOOTCONF_FATAL, "too many words"));

	/* An unknown keyword may be a misspelled restriction. */
	CHECK(!parse("vmmct mode=0600\n"));
	CHECK_EQ(cfg.fatal, 1);
	CHECK(said(BOOTCONF_FATAL, "unknown keyword"));
	CHECK_EQ(captured[0].line, 1);
}

UNIT_TEST(config_comments_blanks_and_line_ends)
{
	/* Comments may hold anything, however long; CR LF and a missing
	 * final newline are accepted; only len bytes are read. */
	char text[1200] = "  # a comment\r\n\t\r\n#";
	memset(text + strlen(text), '#', 700);
	strcat(text, "\x01\n   endpoint e # comment after\r\nendpoint f");
	CHECK(parse(text));
	CHECK_EQ(captured_count, 0);
	CHECK_EQ(cfg.endpoint_count, 2);
	CHECK(!strcmp(cfg.endpoints[0], "e"));
	CHECK(!strcmp(cfg.endpoints[1], "f"));

	CHECK(parse_bytes("", 0));
	CHECK_EQ(cfg.task_count, 0);
	char exact[15];
	memcpy(exact, "endpoint abcdef", 15);
	CHECK(parse_bytes(exact, sizeof(exact)));
	CHECK_EQ(cfg.endpoint_count, 1);
	CHECK(!strcmp(cfg.endpoints[0], "abcdef"));
	/* A CR not at the end of a line is a control character. */
	CHECK(parse("endpoint a\rb\n"));
	CHECK(said(BOOTCONF_SKIPPED, "control character"));
}

UNIT_TEST(config_names)
{
	/* 31 characters fit; 32 are rejected, never cut to 31. */
	CHECK(parse("endpoint abcdefghijklmnopqrstuvwxyz01234\n"));
	CHECK_EQ(cfg.endpoint_count, 1);
	CHECK_EQ(strlen(cfg.endpoints[0]), 31);
	CHECK(parse("task abcdefghijklmnopqrstuvwxyz012345 module=m\n"));
	CHECK_EQ(cfg.task_count, 0);
	CHECK(said(BOOTCONF_SKIPPED, "longer than 31"));
	CHECK(parse("task a module=m\ngive a 16 device x as=abcdefghijklmnopqrstuvwxyz012345\n"));
	CHECK_EQ(cfg.give_count, 0);
	CHECK(said(BOOTCONF_SKIPPED, "longer than 31"));
	/* High bytes are no letters. */
	CHECK(parse("endpoint caf\xc3\xa9\n"));
	CHECK_EQ(cfg.endpoint_count, 0);
}

UNIT_TEST(config_limits)
{
	char text[4096] = "";
	for (int i = 0; i < BOOTCONF_TASKS_MAX + 1; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "task t%d module=m\n", i);
	CHECK(parse(text));
	CHECK_EQ(cfg.skipped, 1);
	CHECK_EQ(cfg.task_count, BOOTCONF_TASKS_MAX);
	CHECK(said(BOOTCONF_SKIPPED, "too many"));
}

UNIT_TEST(config_sessions)
{
	const char *text = "principal root uid=0\n"
			   "principal operator uid=1001\n"
			   "endpoint vmmctl\n"
			   "task shell module=shell user=operator\n"
			   "give shell 16 session\n"
			   "give shell 17 session root rights=r as=root_session\n"
			   "give shell 18 session operator rights=rw\n"
			   "give shell 19 session rights=r\n";
	CHECK(parse(text));
	CHECK_EQ(cfg.skipped, 0);
	CHECK_EQ(cfg.tasks[0].user, 1);
	CHECK_EQ(cfg.give_count, 4);
	/* The badge is the principal's index + 1: never 0, the unbadged. */
	CHECK_EQ(cfg.gives[0].kind, GIVE_SESSION);
	CHECK_EQ(cfg.gives[0].principal, 1);
	CHECK_EQ(cfg.gives[0].badge, 2);
	CHECK(cfg.gives[0].session_write);
	CHECK(!strcmp(cfg.gives[0].as, "operator"));
	CHECK_EQ(cfg.gives[1].principal, 0);
	CHECK_EQ(cfg.gives[1].badge, 1);
	CHECK(!cfg.gives[1].session_write);
	CHECK(!strcmp(cfg.gives[1].as, "root_session"));
	CHECK(cfg.gives[2].session_write);
	CHECK_EQ(cfg.gives[3].principal, 1);
	CHECK(!cfg.gives[3].session_write);
	CHECK_EQ(cfg.gives[3].rights, 0);
	CHECK_EQ(bootconf_session_rights(&cfg.gives[1]), CV_RIGHT_WRITE | BOOTCONF_SESSION_READ);
	CHECK_EQ(bootconf_session_rights(&cfg.gives[2]),
		 CV_RIGHT_WRITE | BOOTCONF_SESSION_READ | BOOTCONF_SESSION_WRITE);
	CHECK(bootconf_principal_by_badge(&cfg, cfg.gives[0].badge) == &cfg.principals[1]);
	CHECK(bootconf_principal_by_badge(&cfg, 0) == NULL);
	CHECK(bootconf_principal_by_badge(&cfg, 3) == NULL);
	CHECK(bootconf_principal_by_badge(&cfg, UINT64_MAX) == NULL);

	static const struct bad_case cases[] = {
		{"principal p uid=1\ntask t module=m\ngive t 16 session p\n", 3, BOOTCONF_SKIPPED,
		 "needs `endpoint vmmctl`"},
		{"endpoint vmmctl\ntask t module=m\ngive t 16 session\n", 3, BOOTCONF_SKIPPED, "session of which"},
		{"endpoint vmmctl\ntask t module=m\ngive t 16 session rights=r\n", 3, BOOTCONF_SKIPPED,
		 "session of which"},
		{"endpoint vmmctl\ntask t module=m\ngive t 16 session ghost\n", 3, BOOTCONF_SKIPPED, "no principal"},
		{"endpoint vmmctl\ntask t module=m\ngive t 16 session a/b\n", 3, BOOTCONF_SKIPPED, "no principal"},
		{"principal p uid=1\nendpoint vmmctl\ntask t module=m\ngive t 16 session p rights=w\n", 4,
		 BOOTCONF_SKIPPED, "r or rw"},
		{"principal p uid=1\nendpoint vmmctl\ntask t module=m\ngive t 16 session p rights=rwg\n", 4,
		 BOOTCONF_SKIPPED, "r or rw"},
		{"principal p uid=1\nendpoint vmmctl\ntask t module=m\ngive t 16 session p badge=9\n", 4,
		 BOOTCONF_SKIPPED, "only an endpoint"},
		/* Declared after the give: no forward references. */
		{"endpoint vmmctl\ntask t module=m\ngive t 16 session p\nprincipal p uid=1\n", 3, BOOTCONF_SKIPPED,
		 "declare it first"},
	};
	check_bad_cases(cases, sizeof(cases) / sizeof(cases[0]));
}
