// SPDX-License-Identifier: BSD-2-Clause
#include "selftest.h"

#include <stdarg.h>
#include <string.h>

#include "cmdline.h"
#include "format.h"
#include "printk.h"

extern const struct selftest __selftests_start[], __selftests_end[];

static char fail_reason[256];

int selftest_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	format_vsnprintf(fail_reason, sizeof(fail_reason), fmt, ap);
	va_end(ap);
	return -1;
}

static bool selected(const char *list, const char *id)
{
	if (!strcmp(list, "all"))
		return true;
	size_t n = strlen(id);
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && !strncmp(p, id, n))
			return true;
		p += len + (end ? 1 : 0);
	}
	return false;
}

int selftest_run_selected(const char *cmdline)
{
	char list[256] = "all";
	int passed = 0, failed = 0;

	if (!cmdline_has(cmdline, "selftest"))
		return 0;
	if (!cmdline_get(cmdline, "selftest", list, sizeof(list)))
		strcpy(list, "all"); /* plain `selftest` */
	for (const struct selftest *t = __selftests_start; t < __selftests_end; t++) {
		if (!selected(list, t->id))
			continue;
		fail_reason[0] = '\0';
		printk("selftest %s: %s\n", t->id, t->description);
		if (t->run() == 0) {
			printk("selftest %s ok\n", t->id);
			passed++;
		} else {
			printk("selftest %s FAIL: %s\n", t->id, fail_reason[0] ? fail_reason : "(no reason given)");
			failed++;
		}
	}
	printk("selftest: %d passed, %d failed\n", passed, failed);
	return failed;
}
