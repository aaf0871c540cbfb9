/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * How the kernel starts the root task: its address-space layout and the
 * read-only information page whose address the first thread gets in x0.
 */
#ifndef UAPI_ROOT_H
#define UAPI_ROOT_H

#include <stdint.h>

#define CV_ROOT_STACK_TOP 0x0000004000000000ull  /* 256 GiB, grows down */
#define CV_ROOT_STACK_SIZE 0x10000ull           /* 64 KiB; the page below is unmapped */
#define CV_ROOT_INFO_VA 0x0000004000010000ull    /* struct cv_root_info, read-only */
#define CV_ROOT_DEVICES_VA 0x0000004000011000ull /* struct cv_root_devices, read-only */
#define CV_ROOT_MODULES_VA 0x0000005000000000ull /* boot modules, read-only, in order */

/* The root task's capability space: what the kernel gives it. */
#define CV_ROOT_SLOTS 4096        /* slots 0 .. CV_ROOT_SLOTS-1 */
#define CV_ROOT_SLOT_TASK 1       /* the root task itself */
#define CV_ROOT_SLOT_THREAD 2     /* its first thread */
#define CV_ROOT_SLOT_QUOTA 3      /* all memory the kernel gives to tasks */
#define CV_ROOT_SLOT_DEVICES 16    /* device and interrupt capabilities (cv_root_devices) */
#define CV_ROOT_SLOT_FIRST_FREE 256

#define CV_ROOT_INFO_MAGIC 0x4f464e49544f4f52ull /* "ROOTINFO" */
#define CV_ROOT_INFO_VERSION 1
#define CV_ROOT_MODULES_MAX 32
#define CV_ROOT_NAME_MAX 48
#define CV_ROOT_CMDLINE_MAX 512

struct cv_root_module {
	char name[CV_ROOT_NAME_MAX]; /* NUL-terminated */
	uint64_t va;                 /* where it is mapped, read-only */
	uint64_t size;               /* bytes */
};

struct cv_root_info {
	uint64_t magic;   /* CV_ROOT_INFO_MAGIC */
	uint32_t version; /* CV_ROOT_INFO_VERSION */
	uint32_t module_count;
	uint32_t cpu_count;
	uint32_t reserved;
	char cmdline[CV_ROOT_CMDLINE_MAX]; /* the kernel's command line */
	struct cv_root_module modules[CV_ROOT_MODULES_MAX];
};

_Static_assert(sizeof(struct cv_root_info) <= 4096, "one page");

/* The devices the device tree names that the kernel does not keep for
 * itself, each with a capability to its registers and, if it has one, to
 * its interrupt. */
#define CV_ROOT_DEVICES_MAX 60
#define CV_ROOT_DEVICE_NAME_MAX 32

struct cv_root_device {
	char compatible[CV_ROOT_DEVICE_NAME_MAX]; /* its first compatible string */
	uint64_t base;        /* physical address of its registers */
	uint64_t size;        /* bytes, a multiple of 4096 */
	uint32_t device_slot; /* CV_OBJ_DEVICE capability */
	uint32_t irq_slot;    /* CV_OBJ_IRQ capability, 0 if it has no interrupt */
	uint32_t irq;         /* interrupt number (GIC INTID), 0 if none */
	uint32_t reserved;
};

struct cv_root_devices {
	uint32_t count;
	uint32_t reserved;
	struct cv_root_device devices[CV_ROOT_DEVICES_MAX];
};

_Static_assert(sizeof(struct cv_root_devices) <= 4096, "one page");

#endif
