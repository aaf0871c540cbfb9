/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The vmmctl service's pieces (docs/vmmctl.md). One thread serves the
 * endpoint; every request is answered before the next is taken, and none
 * waits on anything but the kernel.
 */
#ifndef VMMCTL_SERVICE_H
#define VMMCTL_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include <cv/syscall.h>
#include <uapi/start.h>
#include <uapi/vmmctl.h>

#include "../bootconf/bootconf.h"
#include "rules.h"

#define VMS_MAX 16
#define VM_FRAME_BYTES (16ull << 20) /* the kernel's largest frame */
#define VM_FRAMES_MAX 64             /* so a VM has at most 1 GiB */
#define VM_PRIORITY 10
#define GUEST_RAM_BASE 0x40000000ull

/* Each VM's capabilities, at a fixed place in the service's space. */
#define SLOTS_BASE 256
#define SLOTS_PER_VM 128
#define VMSLOT_VM 0
#define VMSLOT_HANDLE 1  /* the handle all others derive from, kept for the close watch */
#define VMSLOT_CONSOLE 2
#define VMSLOT_GIVE 3    /* a copy on its way out with a reply */
#define VMSLOT_DEVICE 4  /* a device passed through (VM_ASSIGN) */
#define VMSLOT_IRQ 5     /* and its interrupt */
#define VMSLOT_VMM_TASK 6   /* a VMM the service started (boot VMs) */
#define VMSLOT_VMM_THREAD 7
#define VMSLOT_VMM_QUOTA 30
#define VMSLOT_VCPU 8    /* .. 8 + CV_VM_VCPUS_MAX - 1 */
#define VMSLOT_FRAME 32  /* .. 32 + VM_FRAMES_MAX - 1 */
#define HANDLE_BADGE_BASE (1ull << 32) /* below: sessions (principal index + 1) */

struct vm {
	bool used;       /* the entry is taken: a VM, or the handles of a destroyed one */
	bool live;       /* not destroyed: its name is taken and operations work */
	bool handed_out; /* client copies of the handle exist: a close event will come */
	bool watched;    /* a close watch waits for the last handle to go */
	bool started;
	bool monitored;  /* vCPU 0's exits are bound (VM_VCPU_EXIT) */
	char name[VMMCTL_NAME_MAX + 1];
	jail_t jail;
	unsigned owner;  /* principal index */
	uint32_t uid;
	uint32_t flags;  /* VMMCTL_CREATE_* */
	unsigned vcpus;
	uint64_t memory;
	unsigned frames;
	enum vmmctl_vm_state state;
	uint64_t badge;
	uint64_t entry;  /* of the loaded image; 0: none */
	bool assigned;   /* a device is passed through */
};

/* A request being served. */
struct request {
	struct cv_msg *m;
	const struct bootconf_principal *who; /* sessions */
	struct vm *vm;                        /* handles; CREATE and OPEN: the VM made or opened */
	uint32_t rights;                      /* the capability's user rights */
	enum vmmctl_op op;
	struct vmmctl_request body;
	bool has_body;
	/* The reply. */
	uint64_t results[4];                  /* MR2.. */
	const void *out;                      /* reply body, copied to the message buffer */
	uint32_t out_len;
	cv_slot_t give;                       /* a capability to send with it, 0: none */
	cv_slot_t received, received2;        /* capabilities the request brought, 0: none */
};

extern struct bootconf config;
extern const struct cv_start_info *start_info;
extern struct vm vms[VMS_MAX];
extern unsigned cpu_count;
extern cv_slot_t endpoint_slot;

/* registry.c */
/* The VM as LIST and INFO show it to a caller in jail `viewer`. */
void vm_describe(const struct vm *vm, jail_t viewer, struct vmmctl_vm_info *out);
/* The start information's capability called `name` of that type, or NULL. */
const struct cv_start_cap *start_cap(const char *name, uint32_t type);
struct vm *vm_find(jail_t jail, const char *name);
struct vm *vm_by_badge(uint64_t badge);
struct vm *vm_alloc(void);
cv_slot_t vm_slot(const struct vm *vm, unsigned which);
/* Per-uid use: can uid have another VM of `memory` bytes? */
bool uid_room(uint32_t uid, uint64_t memory);
void uid_charge(uint32_t uid, uint64_t memory, bool add);
/* A line for the log: every create, destroy and denial, with who. */
void vmm_log(const char *who_name, uint32_t uid, const char *what, const char *vm_name, int err);
const char *vmmctl_errname(int err);

/* machine.c: the kernel objects behind a VM. */
int machine_build(struct vm *vm);
void machine_teardown(struct vm *vm);
/* A copy of the VM's capability in slot `which` (VMSLOT_*) with these
 * rights, in VMSLOT_GIVE, to go with the reply. */
int machine_give(struct vm *vm, unsigned which, uint32_t rights, cv_slot_t *out);
/* A copy of the VM's handle with these user rights in VMSLOT_GIVE. */
int machine_handle_copy(struct vm *vm, uint32_t user_rights, cv_slot_t *out);

/* image.c: VM_LOAD, a boot module the service was given into guest RAM. */
int image_load(struct request *r);
void image_window_init(void);
int image_load_named(struct vm *vm, const char *name, uint64_t *entry);
/* passthrough.c: VM_ASSIGN. */
int passthrough_assign(struct request *r);

/* session_ops.c and vm_ops.c: fill the reply; return 0 or an error. */
int session_op(struct request *r);
int vm_op(struct request *r);
/* A kernel refusal as a client sees it (vm_ops.c). */
int vm_kernel_err(enum cv_status st);
/* vm_reset.c and vm_stats.c: VM_RESET (control) and VM_STATS (observe),
 * rights checked. */
int vm_op_reset(struct request *r);
int vm_op_stats(struct request *r);
int vm_op_vcpu_state(struct request *r);
/* A VM named `name` (checked) of `who`, after the per-uid limits; *out
 * is NULL on failure. vm_unmake takes back one no client has seen. */
int vm_make(const struct bootconf_principal *who, const char *name, uint32_t flags, unsigned vcpus, uint64_t memory,
	    struct vm **out);
void vm_unmake(struct vm *vm);
/* boot_vms.c: the configuration's `vm` lines, each with a VMM. */
void boot_vms_start(void);
/* Ends a VM (DESTROY, a handle's destroy, its last handle gone). */
void vm_destroy(struct vm *vm, const char *why);
/* The last handle of vm is gone (the kernel's close event). */
void vm_handles_gone(struct vm *vm);
/* A reply carried a copy of vm's handle; arrived: the client has it. */
void vm_handle_sent(struct vm *vm, bool arrived);

#endif
