/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Notifications: a word of signal bits. Signalling ORs bits in (the badge
 * of the capability used, plus any given); waiting takes and clears the
 * word, or blocks until it is non-zero. Interrupts are delivered by
 * signalling the notification they are bound to, and a thread can have a
 * notification bound so that waiting on an endpoint also wakes on it.
 */
#ifndef KERNEL_NOTIFICATION_H
#define KERNEL_NOTIFICATION_H

#include <stdint.h>

#include "cap.h"
#include "kernel.h"

struct thread;
struct quota;

struct notification {
	struct kobj obj;
	struct quota *quota;
	uint64_t pa;
	uint64_t word;
	struct thread *wait_head, *wait_tail; /* threads blocked in WAIT */
	struct thread *bound;                 /* receives it while in RECV */
};

int notification_create(struct quota *q, struct notification **out) __must_check;
void notification_destroy(struct notification *n);
/* ORs bits in and wakes one waiter (or the bound thread in RECV). */
void notification_signal(struct notification *n, uint64_t bits);
/* The caller takes the word, or blocks for it unless nonblocking (then
 * CV_E_WOULD_BLOCK). Sets the caller's status and x1 itself. */
void notification_wait(struct thread *t, struct notification *n, bool nonblocking);
/* Binds n to thread t: t's endpoint receives also return its signals. */
int notification_bind(struct notification *n, struct thread *t) __must_check;
/* A receiving thread's bound notification has bits: take them (true), for
 * a RECV that would otherwise block. */
bool notification_take_bound(struct thread *t);
/* Takes a thread out of a notification's wait queue or binding. */
void notification_cancel(struct thread *t);
void notification_unbind_thread(struct thread *t);

#endif
