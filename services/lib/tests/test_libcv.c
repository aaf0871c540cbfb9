// SPDX-License-Identifier: BSD-2-Clause
// Host checks of the user runtime's pure parts: every syscall wrapper of
// cv/syscall.h traps with the number include/uapi/syscall.h gives it,
// passes its arguments in the documented registers and reads its results
// from the right ones; every uapi syscall number has a wrapper; every
// status code and object type has a name.
#include "unit.h"

#include <setjmp.h>
#include <string.h>

#include <cv/runtime.h>
#include <cv/syscall.h>
#include <uapi/vm.h>

/* The mock kernel: records one call, answers with canned results. */
static struct {
	int calls;
	enum cv_syscall nr;
	uint64_t args[8];
	enum cv_status answer;
	const enum cv_status *answers; /* if set: the answer to each call in turn */
	int nanswers;
	struct cv_sysret results;
	jmp_buf *exit_jump; /* THREAD_EXIT must not return */
} mock;

enum cv_status cv_syscall_mock(enum cv_syscall nr, const uint64_t args[6], struct cv_sysret *ret)
{
	mock.calls++;
	mock.nr = nr;
	memcpy(mock.args, args, 6 * sizeof(uint64_t));
	*ret = mock.results;
	if (nr == CV_SYS_THREAD_EXIT && mock.exit_jump)
		longjmp(*mock.exit_jump, 1);
	if (mock.answers)
		return mock.answers[mock.calls <= mock.nanswers ? mock.calls - 1 : mock.nanswers - 1];
	return mock.answer;
}

enum cv_status cv_syscall8_mock(enum cv_syscall nr, const uint64_t in[8], uint64_t out[9])
{
	mock.calls++;
	mock.nr = nr;
	memcpy(mock.args, in, sizeof(mock.args));
	out[0] = mock.answer;
	for (int i = 1; i < 9; i++)
		out[i] = 0x1111111111111111ull * (uint64_t)i;
	return mock.answer;
}

static void mock_reset(enum cv_status answer)
{
	memset(&mock, 0, sizeof(mock));
	mock.answer = answer;
	for (int i = 0; i < 5; i++)
		mock.results.r[i] = 0x1111111111111111ull * (uint64_t)(i + 1);
}

/* One row per wrapper: the number it must use and the arguments it must pass. */
struct wrapper_case {
	const char *name;
	enum cv_syscall nr;
	void (*call)(void);
	int nargs;
	uint64_t args[8];
};

static const char buf[] = "text";

static void call_null(void) { CHECK_EQ(cv_null(), CV_E_BUSY); }
static void call_debug_write(void) { CHECK_EQ(cv_debug_write(buf, 4), CV_E_BUSY); }
static void call_yield(void) { CHECK_EQ(cv_yield(), CV_E_BUSY); }
static void call_cap_copy(void) { CHECK_EQ(cv_cap_copy(11, 12, 0x301), CV_E_BUSY); }
static void call_cap_mint(void)
{
	CHECK_EQ(cv_cap_mint(11, 12, 0x7, 0xfeedfacecafebeefull), CV_E_BUSY);
}
static void call_cap_move(void) { CHECK_EQ(cv_cap_move(11, 12), CV_E_BUSY); }
static void call_cap_delete(void) { CHECK_EQ(cv_cap_delete(0xffffffffu), CV_E_BUSY); }
static void call_cap_revoke(void) { CHECK_EQ(cv_cap_revoke(13), CV_E_BUSY); }
static void call_cap_info(void)
{
	struct cv_cap_info info = {CV_OBJ_NONE, 0, 0};

	CHECK_EQ(cv_cap_info(14, &info), CV_E_BUSY);
}
static struct cv_msg msg = {.info = 3, .mr = {21, 22, 23, 0, 0, 0}};
static void call_endpoint_create(void) { CHECK_EQ(cv_endpoint_create(3, 40), CV_E_BUSY); }
static void call_call(void) { CHECK_EQ(cv_call(cv_ipc_endpoint_arg(40, 41, 42), &msg), CV_E_BUSY); }
static void call_send(void) { CHECK_EQ(cv_send(40, &msg), CV_E_BUSY); }
static void call_recv(void) { CHECK_EQ(cv_recv(40, &msg), CV_E_BUSY); }
static void call_reply(void) { CHECK_EQ(cv_reply(&msg), CV_E_BUSY); }
static void call_reply_recv(void) { CHECK_EQ(cv_reply_recv(40, &msg), CV_E_BUSY); }
static void call_endpoint_watch(void) { CHECK_EQ(cv_endpoint_watch(43), CV_E_BUSY); }
static void call_endpoint_unwatch(void)
{
	unsigned n = 7;
	CHECK_EQ(cv_endpoint_unwatch(43, &n), CV_E_BUSY);
	CHECK_EQ(n, 7u);
}
static void call_thread_create(void)
{
	CHECK_EQ(cv_thread_create(1, 3, 44, 0x400100, 0x800000, 7, 30, 2), CV_E_BUSY);
}
static void call_thread_start(void) { CHECK_EQ(cv_thread_start(44), CV_E_BUSY); }
static void call_task_create(void) { CHECK_EQ(cv_task_create(3, 45, 20, 64), CV_E_BUSY); }
static void call_quota_split(void) { CHECK_EQ(cv_quota_split(3, 46, 100), CV_E_BUSY); }
static void call_quota_info(void)
{
	uint64_t l, u;
	CHECK_EQ(cv_quota_info(3, &l, &u), CV_E_BUSY);
}
static void call_memory_info(void)
{
	uint64_t f, t;
	CHECK_EQ(cv_memory_info(&f, &t), CV_E_BUSY);
}
static void call_task_map_new(void) { CHECK_EQ(cv_task_map_new(45, 0x400000, 2, 3), CV_E_BUSY); }

static void call_task_copy_in(void) { CHECK_EQ(cv_task_copy_in(45, 0x400000, (const void *)0x1000, 64), CV_E_BUSY); }
static void call_task_cap_copy(void) { CHECK_EQ(cv_task_cap_copy(45, 40, 5, 3), CV_E_BUSY); }
static void call_notification_create(void) { CHECK_EQ(cv_notification_create(3, 47), CV_E_BUSY); }
static void call_signal(void) { CHECK_EQ(cv_signal(47, 0x30), CV_E_BUSY); }
static void call_wait(void)
{
	uint64_t w = 99;
	CHECK_EQ(cv_wait(47, CV_WAIT_NONBLOCK, &w), CV_E_BUSY);
	CHECK_EQ(w, 0);
}
static void call_notification_bind(void) { CHECK_EQ(cv_notification_bind(47, 2), CV_E_BUSY); }
static void call_irq_bind(void) { CHECK_EQ(cv_irq_bind(17, 47, 4), CV_E_BUSY); }
static void call_irq_ack(void) { CHECK_EQ(cv_irq_ack(17), CV_E_BUSY); }
static void call_device_map(void) { CHECK_EQ(cv_device_map(16, 1, 0x2000000, 0, 1), CV_E_BUSY); }
static struct cv_regs regs;
static void call_set_fault_handler(void) { CHECK_EQ(cv_thread_set_fault_handler(44, 40), CV_E_BUSY); }
static void call_thread_suspend(void) { CHECK_EQ(cv_thread_suspend(44), CV_E_BUSY); }
static void call_thread_resume(void) { CHECK_EQ(cv_thread_resume(44), CV_E_BUSY); }
static void call_read_regs(void) { CHECK_EQ(cv_thread_read_regs(44, &regs), CV_E_BUSY); }
static void call_write_regs(void) { CHECK_EQ(cv_thread_write_regs(44, &regs), CV_E_BUSY); }
static void call_frame_create(void) { CHECK_EQ(cv_frame_create(3, 48, 4), CV_E_BUSY); }
static void call_frame_map(void) { CHECK_EQ(cv_frame_map(48, 1, 0x2000000, 3), CV_E_BUSY); }
static void call_unmap(void) { CHECK_EQ(cv_unmap(1, 0x2000000), CV_E_BUSY); }
static void call_set_ipc_buffer(void) { CHECK_EQ(cv_thread_set_ipc_buffer(44, 0x3000000), CV_E_BUSY); }
static void call_vm_create(void) { CHECK_EQ(cv_vm_create(3, 49, 20), CV_E_BUSY); }
static void call_vcpu_create(void)
{
	CHECK_EQ(cv_vcpu_create(49, 3, 50, 0x40080000, 0x48000000, 7, 2, 5), CV_E_BUSY);
}
static void call_vcpu_set_exit(void) { CHECK_EQ(cv_vcpu_set_exit(50, 40, CV_VCPU_EXIT_WFI), CV_E_BUSY); }
static void call_vm_irq(void) { CHECK_EQ(cv_vm_irq(49, 33, 2), CV_E_BUSY); }
static void call_vm_irq_bind(void) { CHECK_EQ(cv_vm_irq_bind(49, 34, 17), CV_E_BUSY); }
static void call_irq_unbind(void) { CHECK_EQ(cv_irq_unbind(17), CV_E_BUSY); }
static void call_vm_reset(void) { CHECK_EQ(cv_vm_reset(49), CV_E_BUSY); }
static struct cv_vcpu_stats stats;
static void call_vcpu_stats(void)
{
	stats.size = 0;
	CHECK_EQ(cv_vcpu_stats(50, &stats), CV_E_BUSY);
	CHECK_EQ(stats.size, sizeof(stats)); /* the wrapper says how much it holds */
}
static void call_thread_exit(void)
{
	jmp_buf jb;

	mock.exit_jump = &jb;
	if (setjmp(jb) == 0)
		cv_thread_exit();
}

static const struct wrapper_case wrappers[] = {
	{"null", CV_SYS_NULL, call_null, 0, {0}},
	{"debug_write", CV_SYS_DEBUG_WRITE, call_debug_write, 2, {0, 4}}, /* args[0] = buf, below */
	{"thread_exit", CV_SYS_THREAD_EXIT, call_thread_exit, 0, {0}},
	{"yield", CV_SYS_YIELD, call_yield, 0, {0}},
	{"cap_copy", CV_SYS_CAP_COPY, call_cap_copy, 3, {11, 12, 0x301}},
	{"cap_mint", CV_SYS_CAP_MINT, call_cap_mint, 4, {11, 12, 0x7, 0xfeedfacecafebeefull}},
	{"cap_move", CV_SYS_CAP_MOVE, call_cap_move, 2, {11, 12}},
	{"cap_delete", CV_SYS_CAP_DELETE, call_cap_delete, 1, {0xffffffffu}},
	{"cap_revoke", CV_SYS_CAP_REVOKE, call_cap_revoke, 1, {13}},
	{"cap_info", CV_SYS_CAP_INFO, call_cap_info, 1, {14}},
	{"endpoint_create", CV_SYS_ENDPOINT_CREATE, call_endpoint_create, 2, {3, 40}},
	{"call", CV_SYS_CALL, call_call, 8, {40 | (41ull << 32) | (42ull << 48), 3, 21, 22, 23, 0, 0, 0}},
	{"send", CV_SYS_SEND, call_send, 8, {40, 3, 21, 22, 23, 0, 0, 0}},
	{"recv", CV_SYS_RECV, call_recv, 8, {40, 3, 21, 22, 23, 0, 0, 0}},
	{"reply", CV_SYS_REPLY, call_reply, 8, {0, 3, 21, 22, 23, 0, 0, 0}},
	{"reply_recv", CV_SYS_REPLY_RECV, call_reply_recv, 8, {40, 3, 21, 22, 23, 0, 0, 0}},
	{"endpoint_watch", CV_SYS_ENDPOINT_WATCH, call_endpoint_watch, 1, {43}},
	{"thread_create", CV_SYS_THREAD_CREATE, call_thread_create, 7, {1, 3, 44, 0x400100, 0x800000, 7, 30 | (2 << 8)}},
	{"thread_start", CV_SYS_THREAD_START, call_thread_start, 1, {44}},
	{"task_create", CV_SYS_TASK_CREATE, call_task_create, 4, {3, 45, 20, 64}},
	{"quota_split", CV_SYS_QUOTA_SPLIT, call_quota_split, 3, {3, 46, 100}},
	{"quota_info", CV_SYS_QUOTA_INFO, call_quota_info, 1, {3}},
	{"memory_info", CV_SYS_MEMORY_INFO, call_memory_info, 0, {0}},
	{"task_map_new", CV_SYS_TASK_MAP_NEW, call_task_map_new, 4, {45, 0x400000, 2, 3}},
	{"task_copy_in", CV_SYS_TASK_COPY_IN, call_task_copy_in, 4, {45, 0x400000, 0x1000, 64}},
	{"task_cap_copy", CV_SYS_TASK_CAP_COPY, call_task_cap_copy, 4, {45, 40, 5, 3}},
	{"notification_create", CV_SYS_NOTIFICATION_CREATE, call_notification_create, 2, {3, 47}},
	{"signal", CV_SYS_SIGNAL, call_signal, 2, {47, 0x30}},
	{"wait", CV_SYS_WAIT, call_wait, 2, {47, CV_WAIT_NONBLOCK}},
	{"notification_bind", CV_SYS_NOTIFICATION_BIND, call_notification_bind, 2, {47, 2}},
	{"irq_bind", CV_SYS_IRQ_BIND, call_irq_bind, 3, {17, 47, 4}},
	{"irq_ack", CV_SYS_IRQ_ACK, call_irq_ack, 1, {17}},
	{"device_map", CV_SYS_DEVICE_MAP, call_device_map, 5, {16, 1, 0x2000000, 0, 1}},
	{"thread_set_fault_handler", CV_SYS_THREAD_SET_FAULT_HANDLER, call_set_fault_handler, 2, {44, 40}},
	{"thread_suspend", CV_SYS_THREAD_SUSPEND, call_thread_suspend, 1, {44}},
	{"thread_resume", CV_SYS_THREAD_RESUME, call_thread_resume, 1, {44}},
	{"thread_read_regs", CV_SYS_THREAD_READ_REGS, call_read_regs, 2, {44, 0}},
	{"thread_write_regs", CV_SYS_THREAD_WRITE_REGS, call_write_regs, 2, {44, 0}},
	{"frame_create", CV_SYS_FRAME_CREATE, call_frame_create, 3, {3, 48, 4}},
	{"frame_map", CV_SYS_FRAME_MAP, call_frame_map, 4, {48, 1, 0x2000000, 3}},
	{"unmap", CV_SYS_UNMAP, call_unmap, 2, {1, 0x2000000}},
	{"thread_set_ipc_buffer", CV_SYS_THREAD_SET_IPC_BUFFER, call_set_ipc_buffer, 2, {44, 0x3000000}},
	{"vm_create", CV_SYS_VM_CREATE, call_vm_create, 4, {3, 49, 20, 0}},
	{"vcpu_create", CV_SYS_VCPU_CREATE, call_vcpu_create, 7,
	 {49, 3, 50, 0x40080000, 0x48000000, 0, 7 | (2 << 8) | (5 << 16)}},
	{"vcpu_set_exit", CV_SYS_VCPU_SET_EXIT, call_vcpu_set_exit, 3, {50, 40, CV_VCPU_EXIT_WFI}},
	{"vm_irq", CV_SYS_VM_IRQ, call_vm_irq, 3, {49, 33, 2}},
	{"vm_irq_bind", CV_SYS_VM_IRQ_BIND, call_vm_irq_bind, 3, {49, 34, 17}},
	{"irq_unbind", CV_SYS_IRQ_UNBIND, call_irq_unbind, 1, {17}},
	{"endpoint_unwatch", CV_SYS_ENDPOINT_UNWATCH, call_endpoint_unwatch, 1, {43}},
	{"vm_reset", CV_SYS_VM_RESET, call_vm_reset, 1, {49}},
	{"vcpu_stats", CV_SYS_VCPU_STATS, call_vcpu_stats, 2, {50, 0}}, /* args[1] = &stats, below */
};
#define NWRAPPERS (sizeof(wrappers) / sizeof(wrappers[0]))

UNIT_TEST(syscall_wrappers_use_uapi_numbers_and_registers)
{
	for (size_t i = 0; i < NWRAPPERS; i++) {
		const struct wrapper_case *w = &wrappers[i];
		uint64_t want[8];

		memcpy(want, w->args, sizeof(want));
		if (w->nr == CV_SYS_DEBUG_WRITE)
			want[0] = (uint64_t)(uintptr_t)buf;
		if (w->nr == CV_SYS_THREAD_READ_REGS || w->nr == CV_SYS_THREAD_WRITE_REGS)
			want[1] = (uint64_t)(uintptr_t)&regs;
		if (w->nr == CV_SYS_VCPU_STATS)
			want[1] = (uint64_t)(uintptr_t)&stats;
		mock_reset(CV_E_BUSY);
		w->call();
		if (mock.calls != 1 || mock.nr != w->nr)
			printf("  wrapper %s: %d calls, number %d (want %d)\n", w->name, mock.calls,
			       (int)mock.nr, (int)w->nr);
		CHECK_EQ(mock.calls, 1);
		CHECK_EQ(mock.nr, w->nr);
		/* Used arguments as documented, unused ones zero. */
		for (int a = 0; a < 8; a++)
			CHECK_EQ(mock.args[a], a < w->nargs ? want[a] : 0);
	}
}

UNIT_TEST(every_uapi_syscall_has_a_wrapper)
{
	for (int nr = 0; nr < CV_SYS_COUNT; nr++) {
		int found = 0;

		for (size_t i = 0; i < NWRAPPERS; i++)
			found += wrappers[i].nr == (enum cv_syscall)nr;
		if (found != 1)
			printf("  syscall %d: %d wrappers in cv/syscall.h's table (want 1)\n", nr, found);
		CHECK_EQ(found, 1);
	}
	CHECK_EQ(NWRAPPERS, CV_SYS_COUNT);
}

UNIT_TEST(cap_info_reads_results_from_x1_x2_x3)
{
	struct cv_cap_info info = {CV_OBJ_NONE, 0, 0};

	mock_reset(CV_OK);
	mock.results.r[0] = CV_OBJ_ENDPOINT;
	mock.results.r[1] = CV_RIGHT_READ | CV_RIGHT_USER(3);
	mock.results.r[2] = 0x8000000000000001ull;
	CHECK_EQ(cv_cap_info(5, &info), CV_OK);
	CHECK_EQ(info.type, CV_OBJ_ENDPOINT);
	CHECK_EQ(info.rights, CV_RIGHT_READ | CV_RIGHT_USER(3));
	CHECK_EQ(info.badge, 0x8000000000000001ull);

	/* On failure the output is left alone. */
	mock_reset(CV_E_EMPTY_SLOT);
	info.type = CV_OBJ_IRQ;
	CHECK_EQ(cv_cap_info(5, &info), CV_E_EMPTY_SLOT);
	CHECK_EQ(info.type, CV_OBJ_IRQ);
}

UNIT_TEST(reply_and_unwatch_read_their_results_from_x1)
{
	struct cv_msg m = {.info = 6, .mr = {1, 2, 3, 4, 5, 6}};
	unsigned n = 0;

	/* REPLY: x1 is what the caller received; the MRs stay. */
	mock_reset(CV_OK);
	CHECK_EQ(cv_reply(&m), CV_OK);
	CHECK_EQ(m.info, 0x1111111111111111ull);
	CHECK_EQ(m.mr[0], 1);
	CHECK_EQ(m.mr[5], 6);
	mock_reset(CV_E_DEAD);
	m.info = 6;
	CHECK_EQ(cv_reply(&m), CV_E_DEAD);
	CHECK_EQ(m.info, 6);

	mock_reset(CV_OK);
	mock.results.r[0] = 2;
	CHECK_EQ(cv_endpoint_unwatch(9, &n), CV_OK);
	CHECK_EQ(n, 2u);
	CHECK_EQ(cv_endpoint_unwatch(9, NULL), CV_OK);
}

UNIT_TEST(cap_revoke_all_restarts_until_done)
{
	static const enum cv_status preempted_twice[] = {CV_E_PREEMPTED, CV_E_PREEMPTED, CV_OK};

	mock_reset(CV_OK);
	mock.answers = preempted_twice;
	mock.nanswers = 3;
	CHECK_EQ(cv_cap_revoke_all(9), CV_OK);
	CHECK_EQ(mock.calls, 3);
	CHECK_EQ(mock.nr, CV_SYS_CAP_REVOKE);
	CHECK_EQ(mock.args[0], 9);

	/* Any other error ends it at once. */
	mock_reset(CV_E_NO_RIGHTS);
	CHECK_EQ(cv_cap_revoke_all(9), CV_E_NO_RIGHTS);
	CHECK_EQ(mock.calls, 1);
}

UNIT_TEST(every_status_and_type_has_a_name)
{
	for (int st = 0; st < CV_STATUS_COUNT; st++) {
		const char *n = cv_strerror((enum cv_status)st);

		CHECK(strncmp(n, "CV_", 3) == 0);
		CHECK(strcmp(n, "CV_E_UNKNOWN") != 0);
		for (int other = 0; other < st; other++)
			CHECK(strcmp(n, cv_strerror((enum cv_status)other)) != 0);
	}
	CHECK(strcmp(cv_strerror(CV_OK), "CV_OK") == 0);
	CHECK(strcmp(cv_strerror(CV_E_BAD_SYSCALL), "CV_E_BAD_SYSCALL") == 0);
	CHECK(strcmp(cv_strerror(CV_STATUS_COUNT), "CV_E_UNKNOWN") == 0);
	CHECK(strcmp(cv_strerror((enum cv_status)-1), "CV_E_UNKNOWN") == 0);

	for (int t = 0; t < CV_OBJ_TYPE_COUNT; t++)
		CHECK(strcmp(cv_obj_type_name((enum cv_obj_type)t), "unknown") != 0);
	CHECK(strcmp(cv_obj_type_name(CV_OBJ_ENDPOINT), "endpoint") == 0);
	CHECK(strcmp(cv_obj_type_name(CV_OBJ_TYPE_COUNT), "unknown") == 0);
}
