// SPDX-License-Identifier: BSD-2-Clause
// A client of the console service, started with start information
// (include/uapi/start.h) holding a badged "console" endpoint capability.
// Its output goes through the service: a few lines, a line longer than a
// WRITE carries, a partial line completed by a later write. Words in its
// argument string add more:
//   checks        protocol checks, printed "conclient: NAME ok|FAIL: why"
//   read          reads lines from the console and echoes them until "quit"
//   unterminated  ends with a partial line (the service prints it when the
//                 task's capability goes)
// At the end it signals the notification named "done", if it has one.
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cv/console.h>
#include <cv/runtime.h>
#include <cv/syscall.h>
#include <cv/task.h>
#include <uapi/start.h>

static int failures;

static void check(const char *name, bool ok, const char *why)
{
	if (ok) {
		printf("conclient: %s ok\n", name);
	} else {
		printf("conclient: %s FAIL: %s\n", name, why);
		failures++;
	}
}

static bool has_word(const char *args, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = args; (p = strstr(p, word)); p += n)
		if ((p == args || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static cv_slot_t cap_named(const struct cv_start_info *si, const char *name)
{
	for (uint32_t i = 0; i < si->cap_count && i < CV_START_CAPS_MAX; i++)
		if (!strncmp(si->caps[i].name, name, CV_START_NAME_MAX))
			return si->caps[i].slot;
	return 0;
}

/* One raw request; returns the kernel's status, or the service's. */
static enum cv_status raw(cv_slot_t ep, uint64_t info, uint64_t mr0, uint64_t mr1, uint64_t *mr0_out)
{
	struct cv_msg m = {.info = info, .mr = {mr0, mr1}};
	enum cv_status st = cv_call(cv_ipc_endpoint_arg(ep, 0, 0), &m);

	if (mr0_out)
		*mr0_out = m.mr[0];
	return st == CV_OK ? (enum cv_status)cv_console_code(m.mr[0]) : st;
}

static cv_slot_t free_slot(void)
{
	struct cv_cap_info ci;

	for (cv_slot_t s = 32; s < 1024; s++)
		if (cv_cap_info(s, &ci) == CV_E_EMPTY_SLOT)
			return s;
	return 0;
}

static void protocol_checks(cv_slot_t ep)
{
	uint64_t r = 0;
	char buf[8];
	size_t got = 1;

	check("write_too_long",
	      raw(ep, cv_ipc_info(6, 0, 0, 0), cv_console_mr0(CV_CONSOLE_OP_WRITE, 41), 0, NULL) == CV_E_BAD_ARG,
	      "a WRITE of 41 bytes was accepted");
	check("write_short_info",
	      raw(ep, cv_ipc_info(2, 0, 0, 0), cv_console_mr0(CV_CONSOLE_OP_WRITE, 16), 0, NULL) == CV_E_BAD_ARG,
	      "a WRITE of 16 bytes in one register was accepted");
	check("write_counted", raw(ep, cv_ipc_info(2, 0, 0, 0), cv_console_mr0(CV_CONSOLE_OP_WRITE, 3), 0x0a6968, &r) ==
					       CV_OK && cv_console_count(r) == 3,
	      "a WRITE of 3 bytes did not report 3");
	check("bad_op", raw(ep, cv_ipc_info(1, 0, 0, 0), cv_console_mr0(99, 0), 0, NULL) == CV_E_BAD_ARG,
	      "an unknown operation was accepted");
	check("no_registers", raw(ep, cv_ipc_info(0, 0, 0, 0), 0, 0, NULL) == CV_E_BAD_ARG,
	      "an empty message was accepted");
	check("register_badged", cv_console_register(ep, 77, "impostor") == CV_E_NO_RIGHTS,
	      "a badged capability could register a name");
	check("read_too_much",
	      raw(ep, cv_ipc_info(1, 0, 0, 0), cv_console_mr0(CV_CONSOLE_OP_READ, 41), 0, NULL) == CV_E_BAD_ARG,
	      "a READ of 41 bytes was accepted");
	check("read_nothing", cv_console_read(buf, sizeof(buf), &got, CV_CONSOLE_NONBLOCK) == CV_E_WOULD_BLOCK &&
				      got == 0,
	      "a READ without input did not say CV_E_WOULD_BLOCK");

	cv_slot_t s = free_slot();
	struct cv_msg m = {.info = cv_ipc_info(1, 0, 0, 0), .mr = {cv_console_mr0(CV_CONSOLE_OP_NOTIFIER, 0)}};
	struct cv_cap_info ci = {0};
	enum cv_status st = s ? cv_call(cv_ipc_endpoint_arg(ep, s, 0), &m) : CV_E_NO_MEMORY;
	check("notifier", st == CV_OK && cv_console_code(m.mr[0]) == CV_OK &&
				  ((m.info & CV_IPC_CAPS_MASK) >> CV_IPC_CAPS_SHIFT) == 1 &&
				  cv_cap_info(s, &ci) == CV_OK && ci.type == CV_OBJ_NOTIFICATION &&
				  ci.rights == CV_RIGHT_READ,
	      "no notification with the wait right only came back");
	check("notifier_no_signal", cv_signal(s, 1) == CV_E_NO_RIGHTS, "the client could signal its notifier");
	(void)cv_cap_delete(s);
}

static void echo_input(void)
{
	char line[128];

	printf("conclient: reading; type lines, \"quit\" ends\n");
	while (fgets(line, sizeof(line), stdin)) {
		size_t n = strcspn(line, "\r\n");
		line[n] = '\0';
		printf("conclient: got \"%s\"\n", line);
		if (!strcmp(line, "quit"))
			break;
	}
	printf("conclient: input done\n");
}

int main(void *arg)
{
	const struct cv_start_info *si = cv_start_info_of(arg);

	/* Until libcv's start-up does this itself. */
	cv_console_init(arg);
	if (!si) {
		printf("conclient: no start information\n");
		return 1;
	}
	cv_slot_t ep = cv_console_attached();
	if (!ep) {
		printf("conclient: %s: no console service; this goes to the kernel console\n", si->name);
		return 1;
	}
	printf("conclient: hello from %s\n", si->name);
	printf("conclient: a long line: 0123456789abcdefghijklmnopqrstuvwxyz"
	       "ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 the end\n");
	printf("conclient: partial ");
	fflush(stdout);
	for (int i = 0; i < 20; i++)
		(void)cv_yield();
	printf("line, completed\n");
	if (has_word(si->args, "checks")) {
		protocol_checks(ep);
		printf("conclient: checks done %d failed\n", failures);
	}
	if (has_word(si->args, "read"))
		echo_input();
	if (has_word(si->args, "unterminated")) {
		printf("unterminated");
		fflush(stdout);
	}
	cv_slot_t done = cap_named(si, "done");
	if (done)
		(void)cv_signal(done, 1);
	return 0;
}
