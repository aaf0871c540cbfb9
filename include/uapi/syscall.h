/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System call numbers and the calling convention.
 *
 * arm64: `svc #0` with the number in x8 and arguments in x0..x6. On return
 * x0 holds an enum cv_status, x1..x5 the call's results; every other
 * register except x0..x5 is preserved (IPC calls: include/uapi/ipc.h). Per-call arguments, rights and
 * errors: docs/syscalls.md. Numbers are never reused.
 */
#ifndef UAPI_SYSCALL_H
#define UAPI_SYSCALL_H

#include <stdint.h>

enum cv_syscall {
	CV_SYS_NULL = 0,         /* does nothing; for measuring entry/exit */
	CV_SYS_DEBUG_WRITE = 1,  /* (const char *buf, size_t len): the kernel's console */
	CV_SYS_THREAD_EXIT = 2,  /* (): ends the calling thread */
	CV_SYS_YIELD = 3,        /* (): gives the CPU to a thread of equal priority */
	CV_SYS_CAP_COPY = 4,     /* (src, dst, rights) */
	CV_SYS_CAP_MINT = 5,     /* (src, dst, rights, badge) */
	CV_SYS_CAP_MOVE = 6,     /* (src, dst) */
	CV_SYS_CAP_DELETE = 7,   /* (slot) */
	CV_SYS_CAP_REVOKE = 8,   /* (slot) */
	CV_SYS_CAP_INFO = 9,     /* (slot) -> type, rights, badge */
	CV_SYS_ENDPOINT_CREATE = 10, /* (quota slot, dst slot) */
	CV_SYS_CALL = 11,        /* IPC: include/uapi/ipc.h */
	CV_SYS_SEND = 12,
	CV_SYS_RECV = 13,
	CV_SYS_REPLY = 14,
	CV_SYS_REPLY_RECV = 15,
	CV_SYS_ENDPOINT_WATCH = 16, /* (slot of a badged endpoint capability) */
	CV_SYS_THREAD_CREATE = 17,  /* (task slot, quota slot, dst slot, pc, sp, arg) + x6 = prio | cpu << 8 */
	CV_SYS_THREAD_START = 18,   /* (thread slot) */
	CV_SYS_TASK_CREATE = 19,    /* (quota slot, dst slot, max priority, capability slots) */
	CV_SYS_QUOTA_SPLIT = 20,    /* (quota slot, dst slot, frames) */
	CV_SYS_QUOTA_INFO = 21,     /* (quota slot) -> limit, used */
	CV_SYS_MEMORY_INFO = 22,    /* () -> free frames, total frames of the kernel */
	CV_SYS_TASK_MAP_NEW = 23,   /* (task slot, va, pages, perms): fresh zeroed pages */
	CV_SYS_TASK_COPY_IN = 24,   /* (task slot, dst va, src va, len): caller's bytes into the task */
	CV_SYS_TASK_CAP_COPY = 25,  /* (task slot, src slot, dst slot, rights): a capability into the task */
	CV_SYS_NOTIFICATION_CREATE = 26, /* (quota slot, dst slot) */
	CV_SYS_SIGNAL = 27,         /* (notification slot, bits) */
	CV_SYS_WAIT = 28,           /* (notification slot, flags: CV_WAIT_NONBLOCK) -> word */
	CV_SYS_NOTIFICATION_BIND = 29, /* (notification slot, thread slot) */
	CV_SYS_IRQ_BIND = 30,       /* (irq slot, notification slot, bits) */
	CV_SYS_IRQ_ACK = 31,        /* (irq slot): the driver handled it; unmask */
	CV_SYS_DEVICE_MAP = 32,     /* (device slot, task slot, va, first page, pages) */
	CV_SYS_THREAD_SET_FAULT_HANDLER = 33, /* (thread slot, endpoint slot in the thread's task; 0 = none) */
	CV_SYS_THREAD_SUSPEND = 34, /* (thread slot) */
	CV_SYS_THREAD_RESUME = 35,  /* (thread slot) */
	CV_SYS_THREAD_READ_REGS = 36,  /* (thread slot, struct cv_regs *dst) */
	CV_SYS_THREAD_WRITE_REGS = 37, /* (thread slot, const struct cv_regs *src) */
	CV_SYS_FRAME_CREATE = 38,   /* (quota slot, dst slot, pages): zeroed memory */
	CV_SYS_FRAME_MAP = 39,      /* (frame slot, task slot, va, perms) */
	CV_SYS_UNMAP = 40,          /* (task slot, va): a frame mapped there */
	CV_SYS_THREAD_SET_IPC_BUFFER = 41, /* (thread slot, va of a page in its task; 0 = none) */
	CV_SYS_VM_CREATE = 42,      /* (quota slot, dst slot, max priority, flags): include/uapi/vm.h */
	CV_SYS_VCPU_CREATE = 43,    /* (VM slot, quota slot, dst slot, pc, x0) + x6 = prio | cpu << 8 | index << 16 */
	CV_SYS_VCPU_SET_EXIT = 44,  /* (vCPU slot, endpoint slot, flags) */
	CV_SYS_VM_IRQ = 45,         /* (VM slot, INTID, level) */
	CV_SYS_VM_IRQ_BIND = 46,    /* (VM slot, INTID, irq slot): a physical interrupt drives that SPI */
	CV_SYS_IRQ_UNBIND = 47,     /* (irq slot): ends its binding (notification or VM), masked */
	CV_SYS_ENDPOINT_UNWATCH = 48, /* (slot of a badged endpoint capability) -> watches cancelled */
	CV_SYS_VM_RESET = 49,       /* (VM slot): the VM back to its power-on state, memory kept */
	CV_SYS_VCPU_STATS = 50,     /* (vCPU slot, struct cv_vcpu_stats *dst) */
	CV_SYS_COUNT
};

#define CV_WAIT_NONBLOCK 1u

/* A thread's user registers (arm64), for READ_REGS / WRITE_REGS. PSTATE
 * is read-only: a write keeps the thread at user privilege. */
struct cv_regs {
	uint64_t x[31];
	uint64_t sp;
	uint64_t pc;
	uint64_t pstate;
	uint64_t tpidr;
};

/* Mapping permissions (CV_SYS_TASK_MAP_NEW); never write and execute together. */
#define CV_MAP_READ 1u
#define CV_MAP_WRITE 2u
#define CV_MAP_EXEC 4u

#endif
