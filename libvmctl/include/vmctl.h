/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvmctl: managing VMs through the vmmctl service (docs/vmmctl.md,
 * include/uapi/vmmctl.h). Every call returns 0 or one of the protocol's
 * error numbers (VMMCTL_E*, FreeBSD's values), which vmctl_strerror()
 * names; a failure of the transport itself is VMMCTL_EBADF (the
 * capability is no session or handle) or VMMCTL_EIO.
 *
 * Transport: IPC inside capvisor. A session and a VM handle are
 * capability slots of the calling task. Requests travel in the calling
 * thread's message buffer: libvmctl sets a buffer of its own for the
 * task's first thread at its first call; every other thread (with its
 * thread-local storage set up) calls vmctl_thread_init() with its own
 * thread capability and page first.
 */
#ifndef LIBVMCTL_VMCTL_H
#define LIBVMCTL_VMCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cv/syscall.h>
#include <uapi/vmmctl.h>

/* Uses page (4 KiB, aligned, writable) as thread's message buffer. */
int vmctl_thread_init(cv_slot_t thread, void *page);

/* ---- on a session (a capability to the vmmctl endpoint) ---- */
/* Creates VM `name`; its handle (all rights) goes to slot `handle`. */
int vmctl_create(cv_slot_t session, const char *name, uint32_t flags, unsigned vcpus, uint64_t memory,
		 cv_slot_t handle);
int vmctl_destroy(cv_slot_t session, const char *name);
int vmctl_open(cv_slot_t session, const char *name, cv_slot_t handle);
int vmctl_info(cv_slot_t session, const char *name, struct vmmctl_vm_info *out);
/* One page of the VMs the session can see, from *cursor (0 first); on
 * return *cursor is where the next page starts, 0 after the last. */
int vmctl_list(cv_slot_t session, uint64_t *cursor, struct vmmctl_list *out);

/* The same requests with the name given as bytes (len may be anything:
 * for tests of what the service refuses). */
int vmctl_request(cv_slot_t cap, enum vmmctl_op op, const struct vmmctl_request *req, cv_slot_t recv,
		  void *out, uint32_t out_len, uint64_t results[4]);

/* ---- on a VM handle ---- */
int vmctl_vm_info(cv_slot_t handle, struct vmmctl_vm_info *out);
int vmctl_vm_destroy(cv_slot_t handle);
/* Segment `seg` of guest RAM: a frame capability into slot `frame`, its
 * guest-physical base and size, and how many segments there are. */
int vmctl_vm_memory(cv_slot_t handle, unsigned seg, cv_slot_t frame, uint64_t *base, uint64_t *size,
		    unsigned *count);
/* vCPU `vcpu`'s exits go to the endpoint at `ep` (CV_VCPU_EXIT_* and
 * CV_VCPU_STATE_* flags). */
int vmctl_vm_vcpu_exit(cv_slot_t handle, unsigned vcpu, uint32_t flags, cv_slot_t ep);
/* Loads the boot module `image` (given to the vmmctl service) into the
 * VM's RAM; *entry gets its entry point. */
int vmctl_vm_load(cv_slot_t handle, const char *image, uint64_t *entry);
/* vCPU 0 starts at pc (0: the loaded image's entry). */
int vmctl_vm_start(cv_slot_t handle, uint64_t pc);
int vmctl_vm_stop(cv_slot_t handle);
int vmctl_vm_resume(cv_slot_t handle);
int vmctl_vm_irq(cv_slot_t handle, unsigned intid, unsigned level);
/* The console rings (struct vmmctl_console) as a frame into slot `frame`. */
int vmctl_vm_console(cv_slot_t handle, cv_slot_t frame);
/* Every vCPU stopped and reset, the VM created-but-not-started again with
 * its memory as the guest left it; vmctl_vm_start runs it again (needs
 * control). */
int vmctl_vm_reset(cv_slot_t handle);
/* Each vCPU's counters since the VM was created (needs observe). */
int vmctl_vm_stats(cv_slot_t handle, struct vmmctl_vm_stats *out);
/* vCPU `vcpu`'s general registers (needs observe; EBUSY while the VM
 * runs: stop it first). */
int vmctl_vm_vcpu_state(cv_slot_t handle, unsigned vcpu, struct vmmctl_vcpu_state *out);

/* Passes the device at `device` (and its interrupt at `irq`, if intid is
 * not 0) through: `pages` pages at guest-physical gpa, the interrupt as
 * SPI intid. Before the VM starts; the VM's owner needs vmm_pptdev. */
int vmctl_vm_assign(cv_slot_t handle, cv_slot_t device, cv_slot_t irq, uint64_t gpa, uint32_t pages,
		    uint32_t intid);

/* ---- starting a VMM (services/vmm) for a VM ---- */
#define VMCTL_VMM_FRAMES 128   /* the VMM's quota: its own memory, not the guest's */
#define VMCTL_VMM_PRIORITY 15  /* above tasks (10): a guest's exits wait on it; where
				  the starter's own limit allows */
#define VMCTL_VMM_SLOTS 256
#define VMCTL_VMM_MORE_MAX 4
/* A VMM needs control (exits, memory, start) and observe (the console);
 * never destroy: it ends with its guest by letting go of its handle. */
#define VMCTL_VMM_HANDLE_RIGHTS (CV_RIGHT_WRITE | CV_RIGHT_GRANT | VMMCTL_VM_CONTROL | VMMCTL_VM_OBSERVE)

struct cv_task_give;
struct vmctl_vmm {
	const void *image;      /* the VMM's ELF file, in the caller's memory */
	size_t size;
	cv_slot_t handle;       /* the VM's; the VMM gets a copy as "vm" */
	const char *vm_name;    /* its argument: the name it prints */
	cv_slot_t quota;        /* the caller's, split for the VMM */
	cv_slot_t quota_slot, task_slot, thread_slot; /* the caller keeps these */
	unsigned priority;      /* 0: VMCTL_VMM_PRIORITY */
	unsigned cpu;
	uint32_t cpu_count;
	const struct cv_task_give *more; /* given after "vm" (at slots 17..) */
	unsigned more_count;
	cv_slot_t fault_handler; /* the VMM's slot of its fault endpoint, 0: none */
};

/* Starts the VMM (cv_task_spawn: deleting task_slot after revoking it ends
 * it). Returns an enum cv_status. */
enum cv_status vmctl_vmm_spawn(const struct vmctl_vmm *v);

const char *vmctl_strerror(int err);

#endif
