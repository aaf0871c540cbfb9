// SPDX-License-Identifier: BSD-2-Clause
// Tests of the vmmctl service through libvmctl, as several principals:
// each case prints "ok NAME" or "FAIL NAME: why"; the last line is
// "vmmctltest: done N failed".
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
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

#define THREAD_STACK 16384

static _Noreturn void thread_entry(void *arg)
{
	struct test_thread *t = arg;

	if (vmctl_thread_init(t->slot, t->buffer) == VMMCTL_OK)
		t->fn(t->arg);
	atomic_store(&t->done, 1);
	cv_thread_exit();
}

bool thread_go(struct test_thread *t, unsigned cpu)
{
	size_t align = cv_tls_area_align(), size = (cv_tls_area_size() + align - 1) & ~(align - 1);
	struct cv_regs regs;

	t->slot = slot_new();
	atomic_store(&t->done, 0);
	t->tls = aligned_alloc(align, size);
	t->stack = aligned_alloc(16, THREAD_STACK);
	t->buffer = aligned_alloc(4096, CV_IPC_BUFFER_WORDS * 8);
	if (!t->tls || !t->stack || !t->buffer ||
	    cv_thread_create(CV_SLOT_SELF_TASK, CV_SLOT_SELF_QUOTA, t->slot, (uint64_t)(uintptr_t)thread_entry,
			     (uint64_t)(uintptr_t)t->stack + THREAD_STACK, (uint64_t)(uintptr_t)t, 20, cpu) != CV_OK) {
		thread_end(t);
		return false;
	}
	/* Its TPIDR_EL0 must point at its own TLS area. */
	if (cv_thread_read_regs(t->slot, &regs) == CV_OK) {
		regs.tpidr = (uint64_t)(uintptr_t)cv_tls_init(t->tls);
		(void)cv_thread_write_regs(t->slot, &regs);
	}
	return cv_thread_start(t->slot) == CV_OK;
}

void thread_end(struct test_thread *t)
{
	/* Its last capability: the kernel ends it before the memory goes. */
	(void)cv_cap_delete(t->slot);
	free(t->tls);
	free(t->stack);
	free(t->buffer);
	t->tls = t->stack = t->buffer = NULL;
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
		cases_reset(module(si, "vmm"));
		cases_passthrough(module(si, "vmm"), session(si, "rtc"), session(si, "rtc_irq"));
	}
	printf("vmmctltest: done %u failed\n", failed);
	return 0;
}
