// SPDX-License-Identifier: BSD-2-Clause
// Thread control from user mode, run as the root task: a fault delivered to
// a fault handler whose reply resumes the thread elsewhere, suspend and
// resume, reading and writing a stopped thread's registers, and the
// priority ceiling of a task. Prints "threads: NAME ok|FAIL: why". The
// helper threads use no C library (they have no thread-local storage).
#include <stdio.h>

#include <cv/counter.h>
#include <cv/runtime.h>
#include <cv/syscall.h>
#include <uapi/root.h>

#define STACKS_VA 0x0000003000000000ull
#define STACK_PAGES 4

enum {
	SLOT_EP = CV_ROOT_SLOT_FIRST_FREE,
	SLOT_FAULTER,
	SLOT_SPINNER,
	SLOT_CHILD_QUOTA,
	SLOT_CHILD_TASK,
	SLOT_CHILD_THREAD,
	SLOT_FRAME,
	SLOT_FRAME_RO,
	SLOT_EP2,
	SLOT_BUFSERVER,
	SLOT_FRAME_4M,
	SLOT_READER,
};

#define SERVER_BUF_VA 0x0000003400000000ull
#define CLIENT_BUF_VA 0x0000003400001000ull

static int failures;
static volatile uint64_t recovered;
static volatile uint64_t spins;

static void check(const char *name, int ok, const char *why)
{
	if (ok) {
		printf("threads: %s ok\n", name);
	} else {
		printf("threads: %s FAIL: %s\n", name, why);
		failures++;
	}
}

static void recovery(void)
{
	recovered = 1;
	cv_thread_exit();
}

/* Nothing is mapped at 0x10; the address comes in through the argument so
 * the compiler cannot see (and warn about) the wild store. */
static void faulter(void *arg)
{
	*(volatile uint64_t *)arg = 1;
	cv_thread_exit();
}

/* Answers with every word of its message buffer doubled. */
static void buffer_server(void *arg)
{
	(void)arg;
	struct cv_msg m = {0};
	volatile uint64_t *buf = (volatile uint64_t *)(uintptr_t)SERVER_BUF_VA;

	if (cv_recv(SLOT_EP2, &m) != CV_OK)
		cv_thread_exit();
	for (;;) {
		uint64_t extra = (m.info & CV_IPC_EXTRA) ? buf[0] : 0;
		for (uint64_t i = 1; i <= extra; i++)
			buf[i] *= 2;
		m.info = extra ? CV_IPC_EXTRA : 0;
		if (cv_reply_recv(SLOT_EP2, &m) != CV_OK)
			cv_thread_exit();
	}
}

/* 4 MiB at a 2 MiB-aligned address (the kernel maps it as two blocks, and
 * unmaps it with an invalidation per block) and 4 KiB past one (1024 pages,
 * unmapped with one invalidation of the whole address space). */
#define BLOCKS_VA 0x0000003600000000ull
#define PAGES_VA (0x0000003700000000ull + 4096)
#define READER_GAP_WORDS ((2u << 20) / 8)
static volatile uint64_t reader_rounds;

/* Reads two words 2 MiB apart for ever, so its CPU's TLB holds both; once
 * they are unmapped its next read must fault. */
static void reader(void *arg)
{
	volatile uint64_t *p = arg;

	for (;;) {
		if (p[0] + p[READER_GAP_WORDS] == 3)
			reader_rounds++;
	}
}

static void spinner(void *arg)
{
	(void)arg;
	for (;;)
		spins++;
}

static uint64_t stack(int n)
{
	uint64_t va = STACKS_VA + (uint64_t)n * 0x100000;
	if (cv_task_map_new(CV_ROOT_SLOT_TASK, va, STACK_PAGES, CV_MAP_READ | CV_MAP_WRITE))
		return 0;
	return va + STACK_PAGES * 4096;
}

static void wait_a_while(void)
{
	for (int i = 0; i < 200; i++)
		(void)cv_yield();
}

static void check_named(const char *prefix, const char *name, int ok, const char *why)
{
	char full[48];

	snprintf(full, sizeof(full), "%s_%s", prefix, name);
	check(full, ok, why);
}

/* Maps 4 MiB at va, has a thread on another CPU read it, and unmaps it:
 * before the unmap returns that CPU's TLB has forgotten the memory, so the
 * reader faults at once (a stale entry would let it read on, and the
 * receive time out). */
static void unmap_under_reader(const char *what, uint64_t va, int stack_index)
{
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)va;

	check_named(what, "map", cv_frame_create(CV_ROOT_SLOT_QUOTA, SLOT_FRAME_4M, 1024) == CV_OK &&
					 cv_frame_map(SLOT_FRAME_4M, CV_ROOT_SLOT_TASK, va,
						      CV_MAP_READ | CV_MAP_WRITE) == CV_OK,
		    "mapping 4 MiB failed");
	p[0] = 1;
	p[READER_GAP_WORDS] = 2;
	reader_rounds = 0;
	check_named(what, "reader",
		    cv_thread_create(CV_ROOT_SLOT_TASK, CV_ROOT_SLOT_QUOTA, SLOT_READER,
				     (uint64_t)(uintptr_t)reader, stack(stack_index), va, 10, 2) == CV_OK &&
			    cv_thread_set_fault_handler(SLOT_READER, SLOT_EP) == CV_OK &&
			    cv_thread_start(SLOT_READER) == CV_OK,
		    "starting the reader failed");
	for (uint64_t end = cv_counter() + 2 * cv_counter_frequency(); reader_rounds < 1000 && cv_counter() < end;)
		(void)cv_yield();
	check_named(what, "read", reader_rounds >= 1000, "the reader did not read the memory");
	check_named(what, "unmap", cv_unmap(CV_ROOT_SLOT_TASK, va) == CV_OK, "unmap failed");
	struct cv_msg m = {.info = CV_IPC_TIMEOUT_MS_LOG2(11)}; /* 2 s */
	enum cv_status st = cv_recv(SLOT_EP, &m);
	check_named(what, "unmap_faults",
		    st == CV_OK && (m.info & CV_IPC_FAULT) &&
			    (m.mr[1] == va || m.mr[1] == va + READER_GAP_WORDS * 8),
		    "the reader did not fault after the unmap");
	(void)cv_cap_delete(SLOT_READER);
	(void)cv_cap_delete(SLOT_FRAME_4M);
}

static uint64_t frame_round(int quiet)
{
	uint64_t free_after = 0, total = 0;
	volatile uint64_t *rw = (volatile uint64_t *)(uintptr_t)0x0000003100000000ull;
	volatile uint64_t *ro = (volatile uint64_t *)(uintptr_t)0x0000003200000000ull;
	int ok = 1;

#define FCHECK(name, cond, why)                                                                            \
	do {                                                                                               \
		int c_ = (cond);                                                                           \
		ok &= c_;                                                                                  \
		if (!quiet || !c_)                                                                         \
			check(name, c_, why);                                                              \
	} while (0)
	FCHECK("frame_create", cv_frame_create(CV_ROOT_SLOT_QUOTA, SLOT_FRAME, 2) == CV_OK &&
				       cv_cap_copy(SLOT_FRAME, SLOT_FRAME_RO, CV_RIGHT_READ) == CV_OK,
	       "frame or its read-only copy not created");
	FCHECK("frame_map_rw", cv_frame_map(SLOT_FRAME, CV_ROOT_SLOT_TASK, (uint64_t)(uintptr_t)rw,
					    CV_MAP_READ | CV_MAP_WRITE) == CV_OK,
	       "read-write mapping failed");
	if (!ok)
		return 0;
	rw[0] = 0x1234;
	rw[512] = 0x5678; /* the second page */
	FCHECK("frame_map_ro", cv_frame_map(SLOT_FRAME_RO, CV_ROOT_SLOT_TASK, (uint64_t)(uintptr_t)ro, CV_MAP_READ) ==
				       CV_OK && ro[0] == 0x1234 && ro[512] == 0x5678,
	       "the second mapping does not show the same memory");
	FCHECK("frame_rights", cv_frame_map(SLOT_FRAME_RO, CV_ROOT_SLOT_TASK, 0x0000003300000000ull,
					    CV_MAP_READ | CV_MAP_WRITE) == CV_E_NO_RIGHTS,
	       "a read-only capability mapped writable");
	FCHECK("frame_wx", cv_frame_map(SLOT_FRAME, CV_ROOT_SLOT_TASK, 0x0000003300000000ull,
					CV_MAP_WRITE | CV_MAP_EXEC | CV_MAP_READ) == CV_E_BAD_ARG,
	       "a writable and executable mapping was accepted");
	FCHECK("frame_overlap", cv_frame_map(SLOT_FRAME, CV_ROOT_SLOT_TASK, (uint64_t)(uintptr_t)rw, CV_MAP_READ) ==
					CV_E_BUSY,
	       "a mapping over a mapping was accepted");
	FCHECK("unmap", cv_unmap(CV_ROOT_SLOT_TASK, (uint64_t)(uintptr_t)rw) == CV_OK &&
				cv_unmap(CV_ROOT_SLOT_TASK, (uint64_t)(uintptr_t)rw) == CV_E_EMPTY_SLOT,
	       "unmap failed, or unmapped twice");
	(void)cv_cap_delete(SLOT_FRAME_RO);
	(void)cv_cap_delete(SLOT_FRAME);
	FCHECK("frame_gone_with_cap", cv_unmap(CV_ROOT_SLOT_TASK, (uint64_t)(uintptr_t)ro) == CV_E_EMPTY_SLOT,
	       "the mapping outlived the frame's last capability");
#undef FCHECK
	(void)cv_memory_info(&free_after, &total);
	return free_after;
}

int main(void *arg)
{
	(void)arg;
	struct cv_msg m = {0};
	struct cv_regs regs;

	/* A fault becomes a message; the reply resumes the thread elsewhere. */
	check("setup", cv_endpoint_create(CV_ROOT_SLOT_QUOTA, SLOT_EP) == CV_OK &&
			       cv_thread_create(CV_ROOT_SLOT_TASK, CV_ROOT_SLOT_QUOTA, SLOT_FAULTER,
						(uint64_t)(uintptr_t)faulter, stack(0), 0x10, 30, 1) == CV_OK,
	      "creating the endpoint or the thread failed");
	check("set_fault_handler", cv_thread_set_fault_handler(SLOT_FAULTER, SLOT_EP) == CV_OK, "refused");
	check("start", cv_thread_start(SLOT_FAULTER) == CV_OK, "start failed");
	check("start_twice", cv_thread_start(SLOT_FAULTER) == CV_E_BUSY, "a second start was accepted");
	enum cv_status st = cv_recv(SLOT_EP, &m);
	check("fault_message", st == CV_OK && (m.info & CV_IPC_FAULT) && m.mr[1] == 0x10 &&
				       m.mr[2] >= (uint64_t)(uintptr_t)faulter &&
				       m.mr[2] < (uint64_t)(uintptr_t)faulter + 64,
	      "no fault message, or the wrong address or pc");
	m.info = 1;
	m.mr[0] = (uint64_t)(uintptr_t)recovery;
	check("fault_reply", cv_reply(&m) == CV_OK, "reply failed");
	/* The thread runs on another CPU: wait for it by time (emulated CPUs
	 * may be descheduled by the host), up to two seconds. */
	for (uint64_t end = cv_counter() + 2 * cv_counter_frequency(); !recovered && cv_counter() < end;)
		(void)cv_yield();
	check("resumed_elsewhere", recovered == 1, "the thread did not resume at the reply's pc");

	/* Suspend and resume a thread spinning on another CPU. */
	check("spinner", cv_thread_create(CV_ROOT_SLOT_TASK, CV_ROOT_SLOT_QUOTA, SLOT_SPINNER,
					  (uint64_t)(uintptr_t)spinner, stack(1), 0, 10, 2) == CV_OK &&
				 cv_thread_start(SLOT_SPINNER) == CV_OK,
	      "creating the spinner failed");
	/* Running for sure, not just started: it has counted. */
	for (int i = 0; i < 100000 && !spins; i++)
		(void)cv_yield();
	check("regs_busy_while_running", cv_thread_read_regs(SLOT_SPINNER, &regs) == CV_E_BUSY,
	      "read the registers of a running thread");
	check("suspend", cv_thread_suspend(SLOT_SPINNER) == CV_OK, "suspend failed");
	wait_a_while();
	uint64_t frozen = spins;
	wait_a_while();
	check("suspended_stays", spins == frozen, "a suspended thread went on running");
	check("read_regs", cv_thread_read_regs(SLOT_SPINNER, &regs) == CV_OK &&
				   regs.pc >= (uint64_t)(uintptr_t)spinner &&
				   regs.pc < (uint64_t)(uintptr_t)spinner + 64 && regs.pstate == 0,
	      "registers missing or not in the spinner at EL0");
	uint64_t bad_pc = regs.pc;
	regs.pc = 2;
	check("write_regs_bad_pc", cv_thread_write_regs(SLOT_SPINNER, &regs) == CV_E_BAD_ADDRESS,
	      "a misaligned pc was accepted");
	regs.pc = bad_pc;
	regs.pstate = 0x3c5; /* an attempt at EL1h: must be ignored */
	check("write_regs", cv_thread_write_regs(SLOT_SPINNER, &regs) == CV_OK, "write failed");
	check("resume", cv_thread_resume(SLOT_SPINNER) == CV_OK, "resume failed");
	/* However slowly the host schedules that CPU: it must run again. */
	for (int i = 0; i < 1000000 && spins == frozen; i++)
		(void)cv_yield();
	check("resumed_runs", spins != frozen, "a resumed thread did not run");
	check("pstate_kept", cv_thread_suspend(SLOT_SPINNER) == CV_OK &&
				     cv_thread_read_regs(SLOT_SPINNER, &regs) == CV_OK && regs.pstate == 0,
	      "the thread's privilege changed");
	(void)cv_cap_delete(SLOT_SPINNER);

	/* A task's priority ceiling. */
	check("child", cv_quota_split(CV_ROOT_SLOT_QUOTA, SLOT_CHILD_QUOTA, 64) == CV_OK &&
			       cv_task_create(SLOT_CHILD_QUOTA, SLOT_CHILD_TASK, 10, 16) == CV_OK,
	      "child task not created");
	check("priority_ceiling", cv_thread_create(SLOT_CHILD_TASK, SLOT_CHILD_QUOTA, SLOT_CHILD_THREAD, 0x400000,
						   0x800000, 0, 20, 0) == CV_E_NO_RIGHTS,
	      "a thread above its task's maximum priority was created");
	check("task_ceiling", cv_task_create(SLOT_CHILD_QUOTA, SLOT_CHILD_THREAD, 63, 16) == CV_OK,
	      "root (max 63) could not create a task of priority 63");
	(void)cv_cap_delete(SLOT_CHILD_THREAD);
	(void)cv_cap_delete(SLOT_CHILD_TASK);
	uint64_t limit = 0, used = 1;
	check("quota_back", cv_quota_info(SLOT_CHILD_QUOTA, &limit, &used) == CV_OK && limit == 64 && used == 0,
	      "the child quota still has usage after its tasks died");

	/* Frames: mapped twice, rights from the capability, gone with it.
	 * Twice over: the first round leaves page tables and the mapping
	 * records' page behind (the task keeps them), the second must leave
	 * nothing. */
	uint64_t free_round[2] = {0, 0};
	for (int round = 0; round < 2; round++)
		free_round[round] = frame_round(round == 1);
	check("frame_memory_back", free_round[0] == free_round[1], "a frame round left memory behind");

	/* Unmapping memory another CPU is reading through. */
	unmap_under_reader("block", BLOCKS_VA, 4);
	unmap_under_reader("pages", PAGES_VA, 5);

	/* Messages longer than the registers, through the buffers. */
	volatile uint64_t *cbuf = (volatile uint64_t *)(uintptr_t)CLIENT_BUF_VA;
	check("buffers", cv_task_map_new(CV_ROOT_SLOT_TASK, SERVER_BUF_VA, 2, CV_MAP_READ | CV_MAP_WRITE) == CV_OK &&
				 cv_endpoint_create(CV_ROOT_SLOT_QUOTA, SLOT_EP2) == CV_OK &&
				 cv_thread_create(CV_ROOT_SLOT_TASK, CV_ROOT_SLOT_QUOTA, SLOT_BUFSERVER,
						  (uint64_t)(uintptr_t)buffer_server, stack(3), 0, 30, 1) == CV_OK &&
				 cv_thread_set_ipc_buffer(SLOT_BUFSERVER, SERVER_BUF_VA) == CV_OK &&
				 cv_thread_set_ipc_buffer(CV_ROOT_SLOT_THREAD, CLIENT_BUF_VA) == CV_OK &&
				 cv_thread_start(SLOT_BUFSERVER) == CV_OK,
	      "setting up the buffer server failed");
	check("buffer_unmapped", cv_thread_set_ipc_buffer(CV_ROOT_SLOT_THREAD, 0x0000003500000000ull) ==
					 CV_E_BAD_ADDRESS,
	      "an unmapped buffer was accepted");
	for (unsigned i = 0; i < CV_IPC_BUFFER_WORDS; i++)
		cbuf[i] = 1000 + i;
	cbuf[0] = 20;
	struct cv_msg bm = {.info = CV_IPC_EXTRA};
	st = cv_call(SLOT_EP2, &bm);
	int same = 1;
	for (unsigned i = 1; i <= 20; i++)
		same &= cbuf[i] == 2 * (1000 + i);
	check("long_message", st == CV_OK && (bm.info & CV_IPC_EXTRA) && cbuf[0] == 20 && same && cbuf[21] == 1021,
	      "the buffer's words did not go there and back");
	cbuf[0] = 1000; /* more than a buffer holds: capped */
	bm.info = CV_IPC_EXTRA;
	check("long_message_too_long", cv_call(SLOT_EP2, &bm) == CV_OK && cbuf[0] == CV_IPC_BUFFER_WORDS - 1,
	      "an oversized count was not capped to the buffer");

	/* IPC timeouts: nobody sends, nobody receives. */
	struct cv_msg t = {.info = CV_IPC_TIMEOUT_MS_LOG2(4)}; /* 16 ms */
	uint64_t before = cv_counter();
	check("recv_timeout", cv_recv(SLOT_EP, &t) == CV_E_TIMEOUT, "a receive with a timeout did not time out");
	uint64_t waited_ms = (cv_counter() - before) * 1000 / cv_counter_frequency();
	check("recv_timeout_waited", waited_ms >= 10, "it returned before its timeout");
	t.info = CV_IPC_TIMEOUT_MS_LOG2(3) | 1;
	check("call_timeout", cv_call(SLOT_EP, &t) == CV_E_TIMEOUT, "a call with a timeout did not time out");
	t.info = CV_IPC_TIMEOUT_MS_LOG2(3);
	check("send_timeout", cv_send(SLOT_EP, &t) == CV_E_TIMEOUT, "a send with a timeout did not time out");

	printf("threads: done %d failed\n", failures);
	return 0;
}
