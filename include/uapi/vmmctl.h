/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The vmmctl protocol (docs/vmmctl.md; the contract is FreeBSD vmm(4)'s
 * access control, done with capabilities).
 *
 * A client holds capabilities to the vmmctl endpoint of two kinds, told
 * apart by the service from their badges, which clients never see:
 *
 * - a **session** (badge: a principal), with the user rights
 *   VMMCTL_SESSION_READ and VMMCTL_SESSION_WRITE, like the open mode of
 *   FreeBSD's /dev/vmmctl: CREATE, DESTROY, OPEN, LIST, INFO;
 * - a **VM handle** (badge: one VM), with the user rights
 *   VMMCTL_VM_CONTROL, _OBSERVE and _DESTROY, like an open /dev/vmm/NAME:
 *   the VMMCTL_OP_VM_* operations.
 *
 * Every request is an IPC call: MR0 = the operation, MR1 = the length in
 * bytes of the request body, which is a struct vmmctl_request in the
 * caller's message buffer (CV_IPC_EXTRA; fields the operation does not
 * use must be zero). The reply: MR0 = 0 or an error number below, MR1 =
 * the length of the reply body in the caller's message buffer (0 if none),
 * MR2.. = small results; a capability the operation returns arrives in
 * the receive slot the call named.
 *
 * Error numbers are FreeBSD's errno values, defined here once: a client's
 * C library may number them differently.
 */
#ifndef UAPI_VMMCTL_H
#define UAPI_VMMCTL_H

#include <stdint.h>

#include <uapi/cap.h>
#include <uapi/ipc.h>
#include <uapi/vm.h>

/* ---- error numbers (FreeBSD's values) ---- */
#define VMMCTL_OK 0
#define VMMCTL_EPERM 1         /* not allowed for this principal, session or jail */
#define VMMCTL_ENOENT 2        /* no such VM visible to the caller */
#define VMMCTL_EIO 5           /* the service failed to do it (the system is short of something) */
#define VMMCTL_ENXIO 6         /* the VM of this handle is being or was destroyed */
#define VMMCTL_EBADF 9         /* (libvmctl) the capability is no session or handle at all */
#define VMMCTL_ENOMEM 12       /* a per-user quota (VMs or memory) is used up, or memory ran out */
#define VMMCTL_EACCES 13       /* the device policy or VM ownership denies it */
#define VMMCTL_EFAULT 14       /* the request body is missing or shorter than the operation needs */
#define VMMCTL_EBUSY 16        /* the VM's state forbids it now (already started...) */
#define VMMCTL_EEXIST 17       /* a VM of that name exists in the caller's namespace */
#define VMMCTL_EINVAL 22       /* malformed: reserved field, flag, name, count or size */
#define VMMCTL_ENOSPC 28       /* no room for another VM in the service's tables */
#define VMMCTL_EOPNOTSUPP 45   /* an operation this capability does not have */
#define VMMCTL_ENAMETOOLONG 63 /* a name longer than VMMCTL_NAME_MAX: never truncated */
#define VMMCTL_ENOSYS 78       /* no such operation */

/* ---- rights (endpoint user rights of the capabilities) ---- */
#define VMMCTL_SESSION_READ CV_RIGHT_USER(0)  /* LIST, INFO, OPEN (observe handles) */
#define VMMCTL_SESSION_WRITE CV_RIGHT_USER(1) /* also CREATE, DESTROY, OPEN with all rights */
#define VMMCTL_VM_CONTROL CV_RIGHT_USER(0)    /* memory, vCPUs, images, start, stop, interrupts */
#define VMMCTL_VM_OBSERVE CV_RIGHT_USER(1)    /* state, console output */
#define VMMCTL_VM_DESTROY CV_RIGHT_USER(2)    /* destroy through the handle */
#define VMMCTL_VM_ALL (VMMCTL_VM_CONTROL | VMMCTL_VM_OBSERVE | VMMCTL_VM_DESTROY)

/* ---- limits ---- */
#define VMMCTL_NAME_MAX 31     /* bytes of a VM or jail name (one path component) */
#define VMMCTL_JAIL_DEPTH_MAX 4
/* "jail/sub/name" as the host sees it, without the NUL */
#define VMMCTL_PATH_MAX ((VMMCTL_JAIL_DEPTH_MAX + 1) * (VMMCTL_NAME_MAX + 1) - 1)
#define VMMCTL_MEMORY_ALIGN 4096ull

/* ---- operations (MR0) ---- */
enum vmmctl_op {
	/* On a session. */
	VMMCTL_OP_CREATE = 1,  /* name, flags, vcpus, memory -> a VM handle with all rights */
	VMMCTL_OP_DESTROY = 2, /* name: returns when the VM is gone */
	VMMCTL_OP_OPEN = 3,    /* name -> a VM handle */
	VMMCTL_OP_LIST = 4,    /* cursor -> struct vmmctl_list */
	VMMCTL_OP_INFO = 5,    /* name -> struct vmmctl_vm_info */
	/* On a VM handle (the right each needs). */
	VMMCTL_OP_VM_INFO = 16,     /* observe: -> struct vmmctl_vm_info */
	VMMCTL_OP_VM_DESTROY = 17,  /* destroy: returns when the VM is gone */
	VMMCTL_OP_VM_MEMORY = 18,   /* control: -> a frame capability to guest RAM (read/write);
				       MR2 = its guest-physical base, MR3 = its size */
	VMMCTL_OP_VM_VCPU_EXIT = 19, /* control: arg[0] = vCPU, arg[1] = its exit flags (CV_VCPU_EXIT_WFI, CV_VCPU_STATE_*);
					the call carries an endpoint capability for its exits */
	VMMCTL_OP_VM_LOAD = 20,     /* control: name = a boot module (an ELF image) loaded into
				       guest RAM; MR2 = its entry point */
	VMMCTL_OP_VM_START = 21,    /* control: vCPU 0 starts at arg[0] (0: the loaded entry) */
	VMMCTL_OP_VM_STOP = 22,     /* control: every vCPU suspended */
	VMMCTL_OP_VM_RESUME = 23,   /* control: every started vCPU continues */
	VMMCTL_OP_VM_IRQ = 24,      /* control: arg[0] = SPI INTID, arg[1] = level (0, 1, 2 = edge) */
	VMMCTL_OP_VM_CONSOLE = 25,  /* observe: -> a frame capability to the console rings
				       (read-only; writable with control) */
	VMMCTL_OP_VM_ASSIGN = 26,   /* control: passes a device through. The call carries the
				       device's capability and, if it has one, its interrupt's;
				       arg[0] = guest-physical address, arg[1] = pages |
				       INTID << 32 (0: no interrupt). The VM's owner needs
				       vmm_pptdev, and allow.vmm_ppt in a jail */
	VMMCTL_OP_VM_RESET = 27,    /* control: every vCPU stopped and reset (CV_SYS_VM_RESET), the VM
				       back to VMMCTL_VM_CREATED with its memory as the guest left it
				       (FreeBSD's VM_REINIT); VM_START runs it again, VM_LOAD first
				       for a fresh image */
	VMMCTL_OP_VM_STATS = 28,    /* observe: -> struct vmmctl_vm_stats */
	VMMCTL_OP_VM_VCPU_STATE = 29, /* observe: arg[0] = vCPU -> struct vmmctl_vcpu_state; EBUSY
					 unless the VM is stopped (VM_STOP) or not started */
};

/* CREATE flags. */
#define VMMCTL_CREATE_DESTROY_ON_CLOSE (1u << 0) /* monitor mode: dies with its last handle */
#define VMMCTL_CREATE_FLAGS VMMCTL_CREATE_DESTROY_ON_CLOSE
/* What INFO, LIST and VM_INFO add to a VM's flags. */
#define VMMCTL_VM_MONITORED (1u << 16) /* vCPU 0's exits are bound (VM_VCPU_EXIT): a VMM serves
					  it, so after VM_RESET a VM_START alone runs it again */

/* The request body (in the caller's message buffer, after the count word). */
struct vmmctl_request {
	uint32_t flags;
	uint32_t vcpus;
	uint64_t memory;   /* bytes, a multiple of VMMCTL_MEMORY_ALIGN */
	uint64_t cursor;   /* LIST: 0 first, then what the last page returned */
	uint64_t arg[2];   /* VM operations' arguments */
	uint32_t name_len; /* bytes of name used; more than VMMCTL_PATH_MAX is ENAMETOOLONG */
	uint32_t reserved; /* must be 0 */
	char name[VMMCTL_PATH_MAX + 1]; /* need not end in NUL; bytes after name_len must be 0 */
};

/* VM states. */
enum vmmctl_vm_state {
	VMMCTL_VM_CREATED = 1, /* made, not started */
	VMMCTL_VM_RUNNING = 2,
	VMMCTL_VM_STOPPED = 3, /* stopped by VM_STOP, or the guest powered off */
	VMMCTL_VM_DYING = 4,   /* being destroyed */
};

/* One VM as LIST and INFO show it to the caller. */
struct vmmctl_vm_info {
	char name[VMMCTL_PATH_MAX + 1]; /* relative to the caller's jail, NUL-terminated */
	char owner[VMMCTL_NAME_MAX + 1]; /* the principal that created it */
	uint32_t uid;      /* its uid */
	uint32_t flags;    /* VMMCTL_CREATE_*, VMMCTL_VM_MONITORED */
	uint32_t vcpus;
	uint32_t state;    /* enum vmmctl_vm_state */
	uint64_t memory;   /* bytes */
};

#define VMMCTL_LIST_PAGE 2 /* entries per LIST reply (what the message buffer holds) */
struct vmmctl_list {
	uint32_t count;    /* entries below */
	uint32_t reserved;
	uint64_t next;     /* the cursor for the next page; 0: this was the last */
	struct vmmctl_vm_info vm[VMMCTL_LIST_PAGE];
};

/*
 * VMMCTL_OP_VM_STATS: what the kernel counted for each vCPU since the VM
 * was created (CV_SYS_VCPU_STATS, docs/syscalls.md; a VM_RESET does not
 * clear it), grouped so that every vCPU of the largest VM
 * (CV_VM_VCPUS_MAX) fits one reply in the message buffer.
 */
#define VMMCTL_STATS_VERSION 1
struct vmmctl_vcpu_stats {
	uint64_t entries;    /* entries into the guest */
	uint64_t exits;      /* exits to the VM's monitor, every reason */
	uint64_t hypercalls; /* null hypercalls and PSCI calls the kernel answered */
	uint64_t waits;      /* WFI and WFE the kernel handled */
	uint64_t emulated;   /* system and interrupt-controller registers the kernel emulated */
	uint64_t virq_taken; /* virtual interrupts the guest took */
	uint64_t host_irqs;  /* physical interrupts that took the CPU from the guest */
};
struct vmmctl_vm_stats {
	uint32_t vcpus;   /* entries of vcpu[] filled: the VM's vCPUs */
	uint32_t version; /* VMMCTL_STATS_VERSION */
	struct vmmctl_vcpu_stats vcpu[CV_VM_VCPUS_MAX];
};
_Static_assert(sizeof(struct vmmctl_vm_stats) == 8 + CV_VM_VCPUS_MAX * 56, "vmmctl_vm_stats layout");
_Static_assert(sizeof(struct vmmctl_vm_stats) <= (CV_IPC_BUFFER_WORDS - 1) * 8, "one reply body");

/*
 * VMMCTL_OP_VM_VCPU_STATE: a vCPU's general registers as it stopped
 * (the first part of bhyvectl --get-all): the kernel's THREAD_READ_REGS
 * of the vCPU. pc is the next instruction; pstate the guest's mode, DAIF
 * and NZCV. The EL1 stack pointer is EL1 system state, not here.
 */
struct vmmctl_vcpu_state {
	uint32_t vcpu;
	uint32_t reserved;
	uint64_t x[31];
	uint64_t sp_el0;
	uint64_t pc;
	uint64_t pstate;
};

/*
 * The console rings of a VM (VMMCTL_OP_VM_CONSOLE), one page shared by the
 * service with the VM's monitor (which writes out[] and reads in[]) and
 * observers (which read out[]; with control they write in[]). Indexes only
 * grow; a byte i is at [i % size]. A reader that fell more than a ring
 * behind has lost the oldest bytes.
 */
#define VMMCTL_CONSOLE_OUT 3584
#define VMMCTL_CONSOLE_IN 448
struct vmmctl_console {
	volatile uint64_t out_head; /* bytes the monitor has written, ever */
	volatile uint64_t in_head;  /* bytes observers have written, ever */
	volatile uint64_t in_tail;  /* bytes the monitor has read, ever */
	uint64_t reserved[5];
	char out[VMMCTL_CONSOLE_OUT];
	char in[VMMCTL_CONSOLE_IN];
};

#endif
