/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What every capvisor system call returns in x0: a small closed set of
 * status codes (NOVA's way). 0 is success. docs/syscalls.md lists, per call,
 * which of these it can return and why.
 */
#ifndef UAPI_STATUS_H
#define UAPI_STATUS_H

enum cv_status {
	CV_OK = 0,
	CV_E_BAD_SYSCALL = 1, /* no system call has that number */
	CV_E_BAD_SLOT = 2,    /* a slot index is outside the capability space */
	CV_E_EMPTY_SLOT = 3,  /* a slot that must hold a capability is empty */
	CV_E_SLOT_IN_USE = 4, /* a destination slot already holds a capability */
	CV_E_BAD_TYPE = 5,    /* the capability is to the wrong kind of object */
	CV_E_NO_RIGHTS = 6,   /* the capability lacks a right the operation needs */
	CV_E_BAD_ARG = 7,     /* an argument is out of range or malformed */
	CV_E_NO_MEMORY = 8,   /* the quota (or the kernel) has no memory for it */
	CV_E_BAD_ADDRESS = 9, /* a user address is unaligned, unmapped or not the caller's */
	CV_E_TIMEOUT = 10,    /* a blocking IPC's timeout expired */
	CV_E_WOULD_BLOCK = 11, /* a non-blocking operation found nobody to talk to */
	CV_E_DEAD = 12,       /* the peer or object went away */
	CV_E_BUSY = 13,       /* the object's state forbids it now (e.g. badge already set) */
	CV_E_PREEMPTED = 14,  /* reserved: long operations (revoke) restart by themselves
				 instead, so no system call returns it today */
	CV_STATUS_COUNT
};

#endif
