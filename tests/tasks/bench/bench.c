// SPDX-License-Identifier: BSD-2-Clause
// Kernel-path benchmarks from user mode, run as the root task by
// `make bench` under QEMU -icount shift=0, where one instruction is one
// nanosecond of virtual time: the counter gives instruction counts.
// Prints "bench NAME VALUE insns" (the format tools/bench.sh collects).
#include <stdio.h>

#include <cv/counter.h>
#include <cv/runtime.h>
#include <cv/syscall.h>
#include <uapi/root.h>

#define ROUNDS 10000
#define SERVER_STACK_VA 0x0000003000000000ull
#define SERVER_STACK_PAGES 4

enum {
	SLOT_EP = CV_ROOT_SLOT_FIRST_FREE,
	SLOT_SERVER0,
	SLOT_SERVER1,
};

/* Set: both sides of the IPC benchmark also use an FP register every
 * round, as code with floating point or SIMD copies does, so the FP/SIMD
 * state is switched with the threads (kernel/fpu.h). */
static volatile int touch_fp;
static volatile double fp_sink;

static void fp_round(void)
{
	if (touch_fp)
		fp_sink = fp_sink + 1.0;
}

static uint64_t insns_per_round(uint64_t ticks)
{
	uint64_t f = cv_counter_frequency();
	return (ticks / f * 1000000000ull + ticks % f * 1000000000ull / f) / ROUNDS;
}

/* The server: answers every call with its first message register plus
 * one. No C library: it runs without thread-local storage. */
static void server(void *arg)
{
	(void)arg;
	struct cv_msg m = {0};

	if (cv_recv(SLOT_EP, &m) != CV_OK)
		cv_thread_exit();
	for (;;) {
		fp_round();
		m.mr[0]++;
		m.info = 1;
		if (cv_reply_recv(SLOT_EP, &m) != CV_OK)
			cv_thread_exit();
	}
}

static int start_server(cv_slot_t slot, unsigned cpu, uint64_t stack_va)
{
	if (cv_task_map_new(CV_ROOT_SLOT_TASK, stack_va, SERVER_STACK_PAGES, CV_MAP_READ | CV_MAP_WRITE) ||
	    cv_thread_create(CV_ROOT_SLOT_TASK, CV_ROOT_SLOT_QUOTA, slot, (uint64_t)(uintptr_t)server,
			     stack_va + SERVER_STACK_PAGES * 4096, 0, 40, cpu) ||
	    cv_thread_start(slot))
		return -1;
	return 0;
}

static void bench_ipc(const char *name)
{
	struct cv_msg m = {.info = 1};
	uint64_t start = cv_counter();

	for (int i = 0; i < ROUNDS; i++) {
		fp_round();
		m.info = 1;
		m.mr[0] = (uint64_t)i;
		if (cv_call(SLOT_EP, &m) != CV_OK || m.mr[0] != (uint64_t)i + 1) {
			printf("bench %s: call %d failed\n", name, i);
			return;
		}
	}
	printf("bench %s %lu insns\n", name, (unsigned long)insns_per_round(cv_counter() - start));
}

int main(void *arg)
{
	(void)arg;
	uint64_t start = cv_counter();

	for (int i = 0; i < ROUNDS; i++)
		(void)cv_null();
	printf("bench null_syscall %lu insns\n", (unsigned long)insns_per_round(cv_counter() - start));

	if (cv_endpoint_create(CV_ROOT_SLOT_QUOTA, SLOT_EP) ||
	    start_server(SLOT_SERVER0, 0, SERVER_STACK_VA)) {
		printf("bench: cannot set up the IPC server\n");
		return 1;
	}
	bench_ipc("ipc_call_reply_same_cpu");
	touch_fp = 1;
	bench_ipc("ipc_call_reply_same_cpu_fp");
	touch_fp = 0;
	/* The same-CPU server stops; one on CPU 1 takes over. */
	(void)cv_cap_delete(SLOT_SERVER0);
	if (start_server(SLOT_SERVER1, 1, SERVER_STACK_VA + 0x100000)) {
		printf("bench: cannot start the cross-CPU server\n");
		return 1;
	}
	bench_ipc("ipc_call_reply_cross_cpu");
	printf("bench: user done\n");
	return 0;
}
