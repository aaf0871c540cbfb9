/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System call numbers and the calling convention.
 *
 * arm64: `svc #0` with the number in x8 and arguments in x0..x5. On return
 * x0 holds an enum cv_status, x1..x5 the call's results; every other
 * register except x0..x5 is preserved. Per-call arguments, rights and
 * errors: docs/syscalls.md. Numbers are never reused.
 */
#ifndef UAPI_SYSCALL_H
#define UAPI_SYSCALL_H

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
	CV_SYS_COUNT
};

#endif
