// SPDX-License-Identifier: BSD-2-Clause
// A structure-aware system-call fuzzer, run as the root task
// (tests/scenario/syscall_fuzz.sh).
//
// 1. Takes the seed from the kernel command line (fuzz_seed=N; fuzz_iters=N
//    sets the calls per thread) and prints it first, so a failure can be
//    replayed.
// 2. Records the free memory and the root quota's usage, splits itself a
//    bounded quota, and makes the infrastructure: a server thread that
//    answers calls on one endpoint, a client thread that calls another
//    (so received calls can be replied to), and a pool of objects per
//    worker (gen.c).
// 3. Ends a thread with THREAD_EXIT on every CPU and proves it ended.
// 4. Runs the fuzz loop in one thread per CPU (this thread is worker 0).
// 5. Deletes everything it made and checks that the free frames and the
//    root quota's usage are back where they started.
// 6. Prints one line per system call (successes and each error), whether
//    every call succeeded at least once, the checks' violations, and
//    "fuzz: done".
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cv/runtime.h>
#include <cv/syscall.h>
#include <uapi/ipc.h>

#include "fuzz.h"

#define DEFAULT_SEED 20240601ull
#define DEFAULT_ITERS 10000ull
#define FUZZ_QUOTA_FRAMES 2000
#define WORKER_PRIO 32 /* the root thread's */
#define CLIENT_PRIO 33
#define SERVER_PRIO 34
#define STACK_PAGES 16
#define STACK_REGION 0x2000000000ull
#define STACK_STRIDE 0x20000ull /* 64 KiB stack, unmapped guard page below */
#define SCRATCH_REGION 0x2100000000ull /* a page per worker, unmapped pages around */
#define SCRATCH_STRIDE 0x10000ull

enum stack_id { STACK_SERVER, STACK_CLIENT, STACK_EXIT, STACK_WORKER0 };
#define STACKS (STACK_WORKER0 + FUZZ_MAX_WORKERS)

struct fuzz_env env;
static struct worker workers[FUZZ_MAX_WORKERS];

/* Infrastructure slots, from CV_ROOT_SLOT_FIRST_FREE on. */
enum {
	INFRA_QUOTA,
	INFRA_SERVER_EP,
	INFRA_CLIENT_EP,
	INFRA_SERVER_THREAD,
	INFRA_CLIENT_THREAD,
	INFRA_SERVER_R0,
	INFRA_SERVER_R1,
	INFRA_SERVER_GIVE,
	INFRA_CLIENT_R0,
	INFRA_CLIENT_R1,
	INFRA_CLIENT_GIVE,
	INFRA_EXIT_THREAD,
	INFRA_WORKER_THREAD, /* one per worker after the first */
	INFRA_ECHO_THREAD = INFRA_WORKER_THREAD + FUZZ_MAX_WORKERS, /* one per worker */
	INFRA_COUNT = INFRA_ECHO_THREAD + FUZZ_MAX_WORKERS
};
#define INFRA_SLOTS 32
static uint32_t infra;

static uint32_t islot(unsigned i)
{
	return infra + i;
}

struct helper_stats {
	atomic_int done;
	uint64_t ok;
	uint64_t events;
	uint64_t errors;
	void *tls;
};
static struct helper_stats server, client;

static atomic_int exit_started, exit_returned;
static uint64_t exit_ok;
static int setup_failures;

static uint64_t stack_top(unsigned i)
{
	return STACK_REGION + (i + 1) * STACK_STRIDE;
}

static void set_tls(void *tls)
{
	__asm__ volatile("msr tpidr_el0, %0" ::"r"(tls) : "memory");
}

static void setup_fail(const char *what, enum cv_status st)
{
	printf("fuzz: setup FAIL: %s: %s\n", what, cv_strerror(st));
	setup_failures++;
}

/* ---- the kernel command line ---- */

static bool cmdline_value(const char *cmdline, const char *name, uint64_t *out)
{
	size_t n = strlen(name);
	const char *s = cmdline;

	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		const char *word = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if ((size_t)(s - word) > n + 1 && !strncmp(word, name, n) && word[n] == '=') {
			char *end;
			uint64_t v = strtoull(word + n + 1, &end, 0);
			if (end == s) {
				*out = v;
				return true;
			}
		}
	}
	return false;
}

/* ---- the helper threads ---- */

/* Answers every call on the server endpoint, echoing the message and now
 * and then handing back a capability; ends when told to stop. */
static _Noreturn void server_entry(void *arg)
{
	uint64_t in[8] = {0}, out[9];
	bool reply = false;

	(void)arg;
	set_tls(server.tls);
	for (;;) {
		in[0] = cv_ipc_endpoint_arg(env.server_ep, islot(INFRA_SERVER_R0), islot(INFRA_SERVER_R1));
		enum cv_status st = cv_syscall8(reply ? CV_SYS_REPLY_RECV : CV_SYS_RECV, in, out);
		reply = false;
		if (st != CV_OK) {
			server.errors++;
			if (atomic_load(&env.stop))
				break;
			cv_yield();
			continue;
		}
		(void)cv_cap_delete(islot(INFRA_SERVER_R0));
		(void)cv_cap_delete(islot(INFRA_SERVER_R1));
		if (out[1] & (CV_IPC_CLOSE_EVENT | CV_IPC_NOTIFICATION | CV_IPC_FAULT | CV_IPC_VCPU_EXIT)) {
			/* Not a message: nothing to answer. A fault left alone
			 * kills its task, as it should for a handler that gives up;
			 * a vCPU exit left alone stops its VM (answered, a vCPU
			 * with nothing to run would exit again at once, for ever). */
			server.events++;
			continue;
		}
		server.ok++;
		unsigned len = (unsigned)(out[1] & CV_IPC_LEN_MASK);
		in[1] = cv_ipc_info(len > CV_IPC_MRS ? CV_IPC_MRS : len, server.ok % 4 == 0,
				    islot(INFRA_SERVER_GIVE), 0);
		for (int i = 0; i < CV_IPC_MRS; i++)
			in[2 + i] = ~out[2 + i];
		reply = true;
	}
	atomic_store(&server.done, 1);
	cv_thread_exit();
}

/* Calls the client endpoint (blocking) again and again, so that workers
 * receiving on it get calls to reply to. */
static _Noreturn void client_entry(void *arg)
{
	uint64_t in[8] = {0}, out[9];

	(void)arg;
	set_tls(client.tls);
	while (!atomic_load(&env.stop)) {
		in[0] = cv_ipc_endpoint_arg(env.client_ep, islot(INFRA_CLIENT_R0), islot(INFRA_CLIENT_R1));
		in[1] = cv_ipc_info(3, (unsigned)((client.ok + client.errors) & 1), islot(INFRA_CLIENT_GIVE), 0);
		in[2] = client.ok;
		enum cv_status st = cv_syscall8(CV_SYS_CALL, in, out);
		(void)cv_cap_delete(islot(INFRA_CLIENT_R0));
		(void)cv_cap_delete(islot(INFRA_CLIENT_R1));
		if (st == CV_OK) {
			client.ok++;
		} else {
			client.errors++;
			if (st != CV_E_DEAD)
				cv_yield();
		}
	}
	atomic_store(&client.done, 1);
	cv_thread_exit();
}

/* Ends itself; if THREAD_EXIT returned, says so. */
static _Noreturn void exit_entry(void *arg)
{
	(void)arg;
	atomic_store(&exit_started, 1);
	(void)CV_SYSCALL0(CV_SYS_THREAD_EXIT);
	atomic_store(&exit_returned, 1);
	for (;;)
		(void)cv_yield();
}

static _Noreturn void worker_entry(void *arg)
{
	struct worker *w = arg;

	set_tls(w->tls);
	gen_fuzz(w);
	atomic_store(&w->done, 1);
	cv_thread_exit();
}

static enum cv_status spawn(uint32_t slot, void (*entry)(void *), void *arg, unsigned stack, unsigned prio,
			    unsigned cpu)
{
	enum cv_status st = cv_thread_create(CV_ROOT_SLOT_TASK, CV_ROOT_SLOT_QUOTA, slot, (uint64_t)(uintptr_t)entry,
					     stack_top(stack), (uint64_t)(uintptr_t)arg, prio, cpu);

	return st == CV_OK ? cv_thread_start(slot) : st;
}

static bool wait_flag(atomic_int *flag)
{
	for (long i = 0; i < 2000000; i++) {
		if (atomic_load(flag))
			return true;
		(void)cv_yield();
	}
	return false;
}

/* THREAD_EXIT cannot be fuzzed (it would end a worker): a thread on each
 * CPU calls it, and a THREAD_START on it afterwards must say CV_E_DEAD. */
static void exit_test(void)
{
	uint32_t slot = islot(INFRA_EXIT_THREAD);

	for (unsigned cpu = 0; cpu < env.cpus; cpu++) {
		atomic_store(&exit_started, 0);
		enum cv_status st = spawn(slot, exit_entry, NULL, STACK_EXIT, WORKER_PRIO, cpu);
		if (st != CV_OK) {
			setup_fail("exit test thread", st);
			(void)cv_cap_delete(slot);
			continue;
		}
		bool dead = false;
		if (wait_flag(&exit_started)) {
			for (long i = 0; i < 1000000 && !dead; i++) {
				dead = cv_thread_start(slot) == CV_E_DEAD;
				if (!dead)
					(void)cv_yield();
			}
		}
		if (dead && !atomic_load(&exit_returned))
			exit_ok++;
		else
			printf("fuzz: thread_exit FAIL on cpu %u (%s)\n", cpu,
			       atomic_load(&exit_returned) ? "it returned" : "the thread did not end");
		(void)cv_cap_delete(slot);
	}
}

/* ---- set-up ---- */

static void *tls_area(void)
{
	void *a = aligned_alloc(cv_tls_area_align(), (cv_tls_area_size() + cv_tls_area_align() - 1) &
							     ~(cv_tls_area_align() - 1));
	if (!a)
		cv_panic("fuzz: no memory for a TLS area");
	return cv_tls_init(a);
}

static void mark(uint32_t slot, enum slot_class c)
{
	env.slot_class[slot] = (uint8_t)c;
	if (c == SLOT_STICKY && env.sticky_count < sizeof(env.sticky) / sizeof(env.sticky[0]))
		env.sticky[env.sticky_count++] = slot;
}

/* What the kernel gave: untouchable (task, thread, quota) or sticky
 * (everything else, e.g. device and interrupt capabilities). */
static bool scan_slots(void)
{
	for (uint32_t s = 0; s < FUZZ_SLOTS; s++) {
		struct cv_cap_info ci;
		if (cv_cap_info(s, &ci) != CV_OK || ci.type == CV_OBJ_NONE)
			continue;
		if (s >= infra && s < env.pool_base + env.workers * POOL_SIZE) {
			printf("fuzz: setup FAIL: slot %" PRIu32 " is not free\n", s);
			return false;
		}
		if (s == CV_ROOT_SLOT_TASK || s == CV_ROOT_SLOT_THREAD || s == CV_ROOT_SLOT_QUOTA) {
			mark(s, SLOT_UNTOUCHABLE);
			continue;
		}
		mark(s, SLOT_STICKY);
		if (ci.type == CV_OBJ_IRQ && env.irq_count < 16)
			env.irqs[env.irq_count++] = s;
		if (ci.type == CV_OBJ_DEVICE && env.device_count < 16)
			env.devices[env.device_count++] = s;
	}
	/* Never handed out, whatever is in them. */
	mark(CV_ROOT_SLOT_TASK, SLOT_UNTOUCHABLE);
	mark(CV_ROOT_SLOT_THREAD, SLOT_UNTOUCHABLE);
	mark(CV_ROOT_SLOT_QUOTA, SLOT_UNTOUCHABLE);
	return true;
}

static bool map_stacks(void)
{
	for (unsigned i = 0; i < STACK_WORKER0 + env.workers; i++) {
		enum cv_status st = cv_task_map_new(CV_ROOT_SLOT_TASK, stack_top(i) - STACK_PAGES * 4096,
						    STACK_PAGES, CV_MAP_READ | CV_MAP_WRITE);
		if (st != CV_OK) {
			setup_fail("stack", st);
			return false;
		}
	}
	for (unsigned i = 0; i < env.workers; i++) {
		enum cv_status st = cv_task_map_new(CV_ROOT_SLOT_TASK, SCRATCH_REGION + i * SCRATCH_STRIDE, 1,
						    CV_MAP_READ | CV_MAP_WRITE);
		if (st != CV_OK) {
			setup_fail("scratch page", st);
			return false;
		}
	}
	return true;
}

static void make_infra(void)
{
	enum cv_status st;

	env.quota = islot(INFRA_QUOTA);
	env.server_ep = islot(INFRA_SERVER_EP);
	env.client_ep = islot(INFRA_CLIENT_EP);
	if ((st = cv_quota_split(CV_ROOT_SLOT_QUOTA, env.quota, FUZZ_QUOTA_FRAMES)))
		setup_fail("quota split", st);
	if ((st = cv_endpoint_create(CV_ROOT_SLOT_QUOTA, env.server_ep)))
		setup_fail("server endpoint", st);
	if ((st = cv_endpoint_create(CV_ROOT_SLOT_QUOTA, env.client_ep)))
		setup_fail("client endpoint", st);
	if ((st = cv_cap_mint(env.server_ep, islot(INFRA_SERVER_GIVE), CV_RIGHTS_ALL, 0x5e)))
		setup_fail("server's capability to give", st);
	if ((st = cv_cap_copy(env.server_ep, islot(INFRA_CLIENT_GIVE), CV_RIGHT_WRITE)))
		setup_fail("client's capability to give", st);
	for (unsigned i = 0; i < INFRA_SLOTS; i++)
		mark(islot(i), SLOT_UNTOUCHABLE);
	mark(env.quota, SLOT_STICKY);
	mark(env.server_ep, SLOT_STICKY);
	mark(env.client_ep, SLOT_STICKY);
}

/* ---- clean-up and report ---- */

static void cleanup(void)
{
	/* Everything the workers may have put anywhere. */
	for (uint32_t s = 0; s < FUZZ_SLOTS; s++) {
		struct cv_cap_info ci;
		if (env.slot_class[s] == SLOT_FREE && cv_cap_info(s, &ci) == CV_OK) {
			(void)cv_cap_revoke_all(s);
			(void)cv_cap_delete(s);
		}
	}
	/* The helpers' endpoints: they wake with CV_E_DEAD and end. */
	static const unsigned gone[] = {INFRA_SERVER_GIVE, INFRA_CLIENT_GIVE, INFRA_SERVER_EP, INFRA_CLIENT_EP};
	for (unsigned i = 0; i < sizeof(gone) / sizeof(gone[0]); i++) {
		(void)cv_cap_revoke_all(islot(gone[i]));
		(void)cv_cap_delete(islot(gone[i]));
	}
	if (!wait_flag(&server.done))
		printf("fuzz: cleanup FAIL: the server thread did not end\n");
	if (!wait_flag(&client.done))
		printf("fuzz: cleanup FAIL: the client thread did not end\n");
	for (unsigned i = 0; i < INFRA_SLOTS; i++) {
		if (i != INFRA_QUOTA)
			(void)cv_cap_delete(islot(i));
	}
	(void)cv_cap_revoke_all(env.quota);
	(void)cv_cap_delete(env.quota);
}

static uint64_t total_counts[NR_BUCKETS][STATUS_BUCKETS];
static uint64_t total_corpus_ok[NR_BUCKETS], total_corpus_fail[NR_BUCKETS];
static uint64_t total_ticks[NR_BUCKETS], total_max_ticks[NR_BUCKETS];

static uint64_t ticks_to_us(uint64_t t)
{
	uint64_t f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return f ? t * 1000000 / f : 0;
}

static void report_table(uint64_t *calls, uint64_t *setup_calls)
{
	*calls = *setup_calls = 0;
	for (unsigned w = 0; w < env.workers; w++) {
		for (unsigned n = 0; n < NR_BUCKETS; n++) {
			for (unsigned s = 0; s < STATUS_BUCKETS; s++)
				total_counts[n][s] += workers[w].counts[n][s];
			total_corpus_ok[n] += workers[w].corpus_ok[n];
			total_corpus_fail[n] += workers[w].corpus_fail[n];
			total_ticks[n] += workers[w].ticks[n];
			if (workers[w].max_ticks[n] > total_max_ticks[n])
				total_max_ticks[n] = workers[w].max_ticks[n];
		}
		*calls += workers[w].calls;
		*setup_calls += workers[w].setup_calls;
	}
	total_counts[CV_SYS_THREAD_EXIT][CV_OK] += exit_ok;
	for (unsigned n = 0; n < NR_BUCKETS; n++) {
		char line[240];
		const char *name = n == NR_BUCKET_BAD ? "OUT_OF_RANGE" : gen_syscall_name(n);
		char unnamed[16];
		if (!name) {
			snprintf(unnamed, sizeof(unnamed), "SYS_%u", n);
			name = unnamed;
		}
		int len = snprintf(line, sizeof(line), "fuzz: %s ok=%" PRIu64, name, total_counts[n][CV_OK]);
		for (unsigned s = 1; s < STATUS_BUCKETS && len < (int)sizeof(line); s++) {
			if (!total_counts[n][s])
				continue;
			const char *sn = s < CV_STATUS_COUNT ? cv_strerror((enum cv_status)s) : "OUT_OF_RANGE";
			if (!strncmp(sn, "CV_E_", 5))
				sn += 5;
			len += snprintf(line + len, sizeof(line) - (size_t)len, " %s=%" PRIu64, sn, total_counts[n][s]);
		}
		uint64_t calls_n = 0;
		for (unsigned s = 0; s < STATUS_BUCKETS; s++)
			calls_n += total_counts[n][s];
		if (calls_n && len < (int)sizeof(line))
			len += snprintf(line + len, sizeof(line) - (size_t)len, " [avg %" PRIu64 " us, max %" PRIu64 " us]",
					ticks_to_us(total_ticks[n] / calls_n), ticks_to_us(total_max_ticks[n]));
		if (n < CV_SYS_COUNT && (total_corpus_ok[n] || total_corpus_fail[n]) && len < (int)sizeof(line))
			snprintf(line + len, sizeof(line) - (size_t)len, " (set-up: ok=%" PRIu64 " failed=%" PRIu64 ")",
				 total_corpus_ok[n], total_corpus_fail[n]);
		printf("%s\n", line);
	}
}

static void report_coverage(void)
{
	char missing[512];
	size_t len = 0;

	missing[0] = '\0';
	for (unsigned n = 0; n < CV_SYS_COUNT; n++) {
		if (total_counts[n][CV_OK] || total_corpus_ok[n])
			continue;
		const char *name = gen_syscall_name(n);
		int k = name ? snprintf(missing + len, sizeof(missing) - len, " %s", name)
			     : snprintf(missing + len, sizeof(missing) - len, " SYS_%u(no generator)", n);
		if (k > 0 && len + (size_t)k < sizeof(missing))
			len += (size_t)k;
	}
	if (len)
		printf("fuzz: coverage FAIL:%s\n", missing);
	else
		printf("fuzz: coverage ok (%u system calls each succeeded)\n", (unsigned)CV_SYS_COUNT);
	/* Those that only the set-up got through, for the record. */
	for (unsigned n = 0; n < CV_SYS_COUNT; n++)
		if (!total_counts[n][CV_OK] && total_corpus_ok[n])
			printf("fuzz: note: %s succeeded only in the set-up corpus\n", gen_syscall_name(n));
}

static void report_violations(void)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < env.workers; i++) {
		const struct worker *w = &workers[i];
		total += w->violations;
		for (uint64_t k = 0; k < w->violations && k < VIOLATIONS_KEPT; k++) {
			const struct violation *v = &w->kept[k];
			const char *name = gen_syscall_name(v->nr);
			printf("fuzz: VIOLATION worker %u call %" PRIu64 ": %s\n", i, v->iter, v->what);
			printf("fuzz:   nr %#" PRIx64 " (%s) in %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " %#" PRIx64
			       " %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " %#" PRIx64 "\n",
			       v->nr, name ? name : "-", v->in[0], v->in[1], v->in[2], v->in[3], v->in[4], v->in[5],
			       v->in[6], v->in[7]);
			printf("fuzz:   out %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " %#" PRIx64
			       " %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " mask %#" PRIx64 "\n",
			       v->out[0], v->out[1], v->out[2], v->out[3], v->out[4], v->out[5], v->out[6], v->out[7],
			       v->out[8], v->mask);
		}
	}
	if (total)
		printf("fuzz: oracles FAIL: %" PRIu64 " violations\n", total);
	else
		printf("fuzz: oracles ok\n");
}

static bool memory_back(uint64_t free_before, uint64_t used_before, uint64_t *free_after, uint64_t *used_after)
{
	uint64_t total, limit;

	/* Threads freed by the CPU they last ran on, tasks by the reaper:
	 * give them a moment. */
	for (int i = 0; i < 20000; i++) {
		if (cv_memory_info(free_after, &total) == CV_OK &&
		    cv_quota_info(CV_ROOT_SLOT_QUOTA, &limit, used_after) == CV_OK && *free_after == free_before &&
		    *used_after == used_before)
			return true;
		(void)cv_yield();
	}
	return false;
}

/* A child task's program (gen.c, load_echo_child): answers calls on its
 * slot 1, echoing the message inverted and now and then handing back a
 * copy of its endpoint capability; whatever capabilities come go again. */
static int child_main(void)
{
	uint64_t in[8] = {0}, out[9];
	bool reply = false;
	unsigned errors = 0;

	for (uint64_t n = 0;; n++) {
		in[0] = cv_ipc_endpoint_arg(1, 2, 3);
		enum cv_status st = cv_syscall8(reply ? CV_SYS_REPLY_RECV : CV_SYS_RECV, in, out);
		(void)cv_cap_delete(2);
		(void)cv_cap_delete(3);
		reply = false;
		if (st != CV_OK) {
			if (++errors > 1000)
				return 0;
			(void)cv_yield();
			continue;
		}
		if (out[1] & (CV_IPC_CLOSE_EVENT | CV_IPC_NOTIFICATION | CV_IPC_FAULT | CV_IPC_VCPU_EXIT))
			continue; /* a fault or exit not answered kills its task or VM: fine */
		unsigned len = (unsigned)(out[1] & CV_IPC_LEN_MASK);
		in[1] = cv_ipc_info(len > CV_IPC_MRS ? CV_IPC_MRS : len, n % 3 == 0, 1, 0);
		for (int i = 0; i < CV_IPC_MRS; i++)
			in[2 + i] = ~out[2 + i];
		reply = true;
	}
}

int main(void *arg)
{
	const struct cv_root_info *info = arg;

	if ((uintptr_t)arg == FUZZ_CHILD_ARG)
		return child_main();
	uint64_t seed = DEFAULT_SEED, iters = DEFAULT_ITERS;

	if (!info || info->magic != CV_ROOT_INFO_MAGIC) {
		printf("fuzz: setup FAIL: no root information page\n");
		return 1;
	}
	(void)cmdline_value(info->cmdline, "fuzz_seed", &seed);
	(void)cmdline_value(info->cmdline, "fuzz_iters", &iters);
	printf("fuzz: seed %" PRIu64 " (replay: kernel command line fuzz_seed=%" PRIu64 ")\n", seed, seed);

	env.info = info;
	env.cpus = info->cpu_count ? info->cpu_count : 1;
	env.workers = env.cpus < FUZZ_MAX_WORKERS ? env.cpus : FUZZ_MAX_WORKERS;
	env.root_stack_guard = CV_ROOT_STACK_TOP - CV_ROOT_STACK_SIZE - 4096;
	env.module_va = info->module_count ? info->modules[0].va : 0;
	env.module_size = info->module_count ? info->modules[0].size : 0;
	infra = CV_ROOT_SLOT_FIRST_FREE;
	env.pool_base = infra + INFRA_SLOTS;
	env.echo_thread_base = infra + INFRA_ECHO_THREAD;
	_Static_assert(CV_ROOT_SLOT_FIRST_FREE + INFRA_SLOTS + FUZZ_MAX_WORKERS * POOL_SIZE <= FUZZ_SLOTS,
		       "the pool fits the root task's capability space");
	_Static_assert(INFRA_COUNT <= INFRA_SLOTS, "infrastructure slots");
	if (!scan_slots() || !map_stacks())
		return 1;
	server.tls = tls_area();
	client.tls = tls_area();
	for (unsigned i = 0; i < env.workers; i++) {
		struct worker *w = &workers[i];
		w->id = i;
		w->cpu = i;
		w->rng = seed ^ (0x9e3779b97f4a7c15ull * (i + 1));
		(void)rng_next(&w->rng);
		w->iters = iters;
		w->tls = i ? tls_area() : NULL;
		w->stack_top = stack_top(STACK_WORKER0 + i);
		w->stack_guard = w->stack_top - (STACK_PAGES + 1) * 4096;
		w->scratch_va = SCRATCH_REGION + i * SCRATCH_STRIDE;
		for (size_t k = 0; k < sizeof(w->buf); k++)
			w->buf[k] = (uint8_t)rng_next(&w->rng);
	}
	workers[0].stack_guard = env.root_stack_guard; /* it runs on the root stack */

	uint64_t free_before, total, limit, used_before;
	if (cv_memory_info(&free_before, &total) != CV_OK ||
	    cv_quota_info(CV_ROOT_SLOT_QUOTA, &limit, &used_before) != CV_OK) {
		printf("fuzz: setup FAIL: memory or quota information\n");
		return 1;
	}
	printf("fuzz: before: %" PRIu64 " of %" PRIu64 " frames free, root quota %" PRIu64 " of %" PRIu64
	       " used; %u workers, %" PRIu64 " calls each, quota %u frames\n",
	       free_before, total, used_before, limit, env.workers, iters, FUZZ_QUOTA_FRAMES);

	make_infra();
	exit_test();
	enum cv_status st;
	if ((st = spawn(islot(INFRA_SERVER_THREAD), server_entry, NULL, STACK_SERVER, SERVER_PRIO, 1 % env.cpus)))
		setup_fail("server thread", st);
	if ((st = spawn(islot(INFRA_CLIENT_THREAD), client_entry, NULL, STACK_CLIENT, CLIENT_PRIO,
			(env.cpus - 1) % env.cpus)))
		setup_fail("client thread", st);
	for (unsigned i = 1; i < env.workers; i++)
		if ((st = spawn(islot(INFRA_WORKER_THREAD + i), worker_entry, &workers[i], STACK_WORKER0 + i,
				WORKER_PRIO, i)))
			setup_fail("worker thread", st);
	printf("fuzz: fuzzing\n");
	/* This thread is worker 0 (on CPU 0, its TLS already set up). */
	gen_fuzz(&workers[0]);
	atomic_store(&workers[0].done, 1);
	for (unsigned i = 1; i < env.workers; i++)
		while (!atomic_load(&workers[i].done))
			(void)cv_yield();
	uint64_t echo = 0, exits = 0, answered = 0;
	for (unsigned i = 0; i < env.workers; i++) {
		echo += workers[i].echo_loaded;
		exits += workers[i].exits_received;
		answered += workers[i].exits_answered;
	}
	printf("fuzz: finished; server answered %" PRIu64 " calls (and %" PRIu64 " close events or faults), client %" PRIu64
	       " calls answered, %" PRIu64 " not; %" PRIu64 " echo children started; workers took %" PRIu64
	       " vCPU exits and answered %" PRIu64 "\n",
	       server.ok, server.events, client.ok, client.errors, echo, exits, answered);

	/* (Every worker answered the calls it held when its loop ended.) */
	atomic_store(&env.stop, true);
	cleanup();

	uint64_t calls, setup_calls;
	report_table(&calls, &setup_calls);
	report_coverage();
	report_violations();
	uint64_t free_after = 0, used_after = 0;
	if (memory_back(free_before, used_before, &free_after, &used_after))
		printf("fuzz: memory back ok (%" PRIu64 " frames free, root quota %" PRIu64 " used)\n", free_after,
		       used_after);
	else
		printf("fuzz: memory back FAIL: before %" PRIu64 " after %" PRIu64 " frames free; root quota used "
		       "before %" PRIu64 " after %" PRIu64 "\n",
		       free_before, free_after, used_before, used_after);
	if (setup_failures)
		printf("fuzz: setup FAIL: %d failures\n", setup_failures);
	printf("fuzz: done seed=%" PRIu64 " calls=%" PRIu64 " (random; and %" PRIu64 " set-up calls)\n", seed,
	       calls, setup_calls);
	return 0;
}
