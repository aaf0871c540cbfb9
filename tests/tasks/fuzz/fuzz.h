/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The system-call fuzzer (tests/tasks/fuzz/): shared definitions of the
 * set-up and report part (fuzz.c) and the generator (gen.c).
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <uapi/cap.h>
#include <uapi/root.h>
#include <uapi/status.h>
#include <uapi/syscall.h>

#define FUZZ_MAX_WORKERS 8
#define FUZZ_SLOTS CV_ROOT_SLOTS

/* Slot classes: what the generator may do with a slot. */
enum slot_class {
	SLOT_FREE = 0,   /* anything */
	SLOT_STICKY,     /* an argument anywhere, never deleted or moved away */
	SLOT_UNTOUCHABLE /* only read (CAP_INFO, QUOTA_INFO) */
};

/* A worker's part of the pool, relative to its base slot. */
#define POOL_EP 0       /* endpoints: fresh ones, copies and mints */
#define POOL_EP_N 12
#define POOL_NTFN 12    /* notifications */
#define POOL_NTFN_N 6
#define POOL_TASK 18    /* child tasks */
#define POOL_TASK_N 4
#define POOL_THREAD 22  /* threads of child tasks */
#define POOL_THREAD_N 12
#define POOL_QUOTA 34   /* split quotas */
#define POOL_QUOTA_N 6
#define POOL_DEV 40     /* copies of device and interrupt capabilities */
#define POOL_DEV_N 4
#define POOL_VM 44      /* virtual machines */
#define POOL_VM_N 2
#define POOL_VCPU 46    /* vCPUs of them */
#define POOL_VCPU_N 6
#define POOL_SCRATCH 52 /* destinations */
#define POOL_FRAME 56   /* frames (inside the scratch range: they get overwritten too) */
#define POOL_FRAME_N 4
#define POOL_SIZE 192

/* What the generator draws slots of. */
enum slot_kind {
	KIND_EP,
	KIND_NTFN,
	KIND_TASK,
	KIND_THREAD,
	KIND_QUOTA,
	KIND_IRQ,
	KIND_DEVICE,
	KIND_SCRATCH,
	KIND_FRAME,
	KIND_VM,
	KIND_VCPU,
	KIND_ANY,
	KIND_COUNT
};

/* A child task running this program's child_main(): an echo server on its
 * slot 1 (fuzz.c). Its first thread gets this argument. */
#define FUZZ_CHILD_ARG 0xec40ull
#define FUZZ_CHILD_PRIO 32 /* the workers' own: never starves one */
/* The highest maximum priority a fuzzed child task or VM gets: below the
 * workers', so a child thread or a vCPU running whatever bytes it was
 * given, in a loop, only takes idle time. */
#define FUZZ_LOW_PRIO_MAX 20

/* Buckets of the per-call statistics: one per number, one for all numbers
 * past the table. */
#define NR_BUCKETS (CV_SYS_COUNT + 1)
#define NR_BUCKET_BAD CV_SYS_COUNT
#define STATUS_BUCKETS (CV_STATUS_COUNT + 1) /* the last: out of range */

#define VIOLATIONS_KEPT 6
#ifndef FUZZ_PROGRESS
#define FUZZ_PROGRESS 2000
#endif

struct violation {
	uint64_t iter;
	uint64_t nr;
	uint64_t in[8];
	uint64_t out[9];
	uint64_t mask;
	const char *what;
};

struct worker {
	unsigned id;
	unsigned cpu;
	uint64_t rng;
	uint64_t iters;
	uint32_t base;            /* first slot of its pool part */
	void *tls;                /* TPIDR_EL0 for its thread */
	uint64_t stack_top;
	uint64_t stack_guard;     /* the unmapped page below its stack */
	uint64_t scratch_va;      /* a page of its own with an unmapped page above */
	uint64_t calls;           /* random calls */
	uint64_t setup_calls;     /* the pool's set-up and clean-up calls */
	uint64_t recycles;
	uint64_t violations;
	struct violation kept[VIOLATIONS_KEPT];
	uint64_t counts[NR_BUCKETS][STATUS_BUCKETS]; /* the random calls */
	uint64_t corpus_ok[NR_BUCKETS];               /* the pool's set-up calls */
	uint64_t corpus_fail[NR_BUCKETS];
	uint64_t ticks[NR_BUCKETS];                   /* counter ticks in the calls */
	uint64_t max_ticks[NR_BUCKETS];
	uint32_t live[32];        /* destinations of recent successful calls */
	unsigned live_next;
	uint64_t echo_loaded;     /* echo children started */
	uint64_t exits_received;  /* vCPU exits a fuzzed RECV or REPLY_RECV took */
	uint64_t exits_answered;  /* ... and a fuzzed REPLY or REPLY_RECV answered */
	bool holds_exit;          /* the reply this thread owes is to a vCPU exit */
	_Alignas(16) uint8_t buf[4096]; /* valid memory to point the kernel at */
	atomic_int done;
};

/* What the set-up made, shared read-only by the workers. */
struct fuzz_env {
	unsigned workers;
	unsigned cpus;
	uint32_t quota;        /* the fuzzer's split quota (sticky) */
	uint32_t server_ep;    /* served by the server thread (sticky) */
	uint32_t client_ep;    /* called by the client thread (sticky) */
	uint32_t pool_base;
	uint32_t echo_thread_base; /* per worker: its echo child's thread (untouchable) */
	uint8_t slot_class[FUZZ_SLOTS];
	uint32_t sticky[64];   /* sticky slots, for drawing */
	unsigned sticky_count;
	uint32_t irqs[16];     /* pre-existing interrupt capabilities */
	unsigned irq_count;
	uint32_t devices[16];  /* pre-existing device capabilities */
	unsigned device_count;
	uint64_t module_va;    /* a mapped read-only module: this program's ELF */
	uint64_t module_size;
	uint64_t root_stack_guard;
	const struct cv_root_info *info;
	atomic_bool stop;
};

extern struct fuzz_env env;

uint64_t fuzz_trap(uint64_t io[9], uint64_t pattern);

/* gen.c */
uint64_t rng_next(uint64_t *state);
void gen_pool_build(struct worker *w);
void gen_pool_clear(struct worker *w);
void gen_fuzz(struct worker *w);
const char *gen_syscall_name(uint64_t nr);

#endif
