// SPDX-License-Identifier: BSD-2-Clause
// Tests of the vmmctl service through libvmctl, as several principals:
// each case prints "ok NAME" or "FAIL NAME: why"; the last line is
// "vmmctltest: done N failed".
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cv/counter.h>
#include <cv/runtime.h>
#include <uapi/start.h>

#include "vmmctltest.h"

struct sessions s;
static unsigned failed, next_slot = 512;

bool check(const char *name, bool cond, const char *fmt, ...)
{
	va_list ap;

	if (cond) {
		printf("ok %s\n", name);
		return true;
	}
	failed++;
	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return false;
}

bool expect_err(const char *name, int err, int want)
{
	return check(name, err == want, "got %d (%s), expected %d (%s)", err, vmctl_strerror(err), want,
		     vmctl_strerror(want));
}

cv_slot_t slot_new(void)
{
	return next_slot++;
}

uint64_t free_frames(void)
{
	uint64_t f = 0, total = 0;

	(void)cv_memory_info(&f, &total);
	return f;
}

uint64_t await_free(uint64_t want)
{
	/* Generous: on a loaded host the emulated CPU that must leave a
	 * destroyed vCPU may be slow to run; a leak never comes back. */
	uint64_t deadline = cv_counter() + 5 * cv_counter_frequency(), f;

	while ((f = free_frames()) != want && cv_counter() < deadline)
		(void)cv_yield();
	return f;
}

int await_gone(cv_slot_t session, const char *name, uint64_t ms)
{
	struct vmmctl_vm_info info;
	uint64_t deadline = cv_counter() + ms * cv_counter_frequency() / 1000;
	int err;

	while ((err = vmctl_info(session, name, &info)) == VMMCTL_OK && cv_counter() < deadline)
		(void)cv_yield();
	return err;
}

static cv_slot_t session(const struct cv_start_info *si, const char *name)
{
	for (uint32_t i = 0; i < si->cap_count && i < CV_START_CAPS_MAX; i++)
		if (strcmp(si->caps[i].name, name) == 0)
			return si->caps[i].slot;
	printf("FAIL setup: no session \"%s\" in the start information\n", name);
	failed++;
	return 0;
}

static const struct cv_start_cap *module(const struct cv_start_info *si, const char *name)
{
	for (uint32_t i = 0; i < si->cap_count && i < CV_START_CAPS_MAX; i++)
		if (strcmp(si->caps[i].name, name) == 0 && si->caps[i].type == CV_OBJ_FRAME)
			return &si->caps[i];
	return NULL;
}

int main(void *arg)
{
	const struct cv_start_info *si = arg;

	s.root = session(si, "s_root");
	s.operator = session(si, "s_operator");
	s.operator_ro = session(si, "s_operator_ro");
	s.user = session(si, "s_user");
	s.nobody = session(si, "s_nobody");
	s.web = session(si, "s_web");
	s.web_ro = session(si, "s_web_ro");
	s.web2 = session(si, "s_web2");
	s.closed = session(si, "s_closed");
	if (!failed) {
		cases_access();
		cases_handles();
		cases_race();
		cases_lost();
		cases_vmm(module(si, "vmm"));
		cases_passthrough(module(si, "vmm"), session(si, "rtc"), session(si, "rtc_irq"));
	}
	printf("vmmctltest: done %u failed\n", failed);
	return 0;
}
