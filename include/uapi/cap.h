/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Capabilities as tasks see them: object types, rights and badges.
 * A capability = object + rights + badge, held in a slot of its task's
 * capability space. Rights only ever shrink when a capability is copied;
 * a badge is set once, by minting from an unbadged capability.
 */
#ifndef UAPI_CAP_H
#define UAPI_CAP_H

#include <stdint.h>

typedef uint32_t cv_slot_t; /* index into the caller's capability space */

/* The kinds of kernel object a capability can refer to. */
enum cv_obj_type {
	CV_OBJ_NONE = 0,         /* an empty slot */
	CV_OBJ_QUOTA = 1,        /* memory the holder may spend on kernel objects */
	CV_OBJ_TASK = 2,         /* a protection domain: address space + capability space */
	CV_OBJ_THREAD = 3,
	CV_OBJ_ENDPOINT = 4,     /* synchronous IPC */
	CV_OBJ_NOTIFICATION = 5, /* asynchronous signal word */
	CV_OBJ_FRAME = 6,        /* physical memory that can be mapped */
	CV_OBJ_IRQ = 7,          /* the right to receive one interrupt */
	CV_OBJ_DEVICE = 8,       /* a device's registers (MMIO range) */
	CV_OBJ_VM = 9,           /* a virtual machine: guest memory + interrupt controller */
	CV_OBJ_VCPU = 10,        /* a virtual CPU of a VM */
	CV_OBJ_TYPE_COUNT
};

/* Rights. What each means depends on the object type; docs/syscalls.md. */
#define CV_RIGHT_READ (1u << 0)  /* frame: map readable; endpoint: receive; notification: wait */
#define CV_RIGHT_WRITE (1u << 1) /* frame: map writable; endpoint: call/send; notification: signal;
				    others: change the object */
#define CV_RIGHT_EXEC (1u << 2)  /* frame: map executable */
#define CV_RIGHT_GRANT (1u << 3) /* endpoint: capabilities may be transferred with messages */
#define CV_RIGHTS_KERNEL_MASK 0xffu

/* Endpoint capabilities carry eight more rights the kernel does not
 * interpret: they shrink like the others and reach the receiver with the
 * badge (a server's own rights, e.g. a VM handle's control/observe/destroy). */
#define CV_RIGHTS_USER_SHIFT 8
#define CV_RIGHTS_USER_MASK (0xffu << CV_RIGHTS_USER_SHIFT)
#define CV_RIGHT_USER(n) (1u << (CV_RIGHTS_USER_SHIFT + (n)))

#define CV_RIGHTS_ALL (CV_RIGHTS_KERNEL_MASK | CV_RIGHTS_USER_MASK)

typedef uint64_t cv_badge_t; /* 0 = unbadged */

#endif
