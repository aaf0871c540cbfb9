/* SPDX-License-Identifier: BSD-2-Clause */
/* The test monitor's pieces (tests/tasks/vmm). */
#ifndef TESTS_VMM_H
#define TESTS_VMM_H

#include <stdbool.h>
#include <stdint.h>

#include <uapi/cap.h>
#include <uapi/vm.h>

#define VMM_VMS_MAX 8
#define VMM_NAME_MAX 16
#define GUEST_RAM_BASE 0x40000000ull
#define GUEST_UART_BASE 0x09000000ull
#define GUEST_UART_SIZE 0x1000ull
#define FRAME_BYTES (16ull << 20) /* the kernel's largest frame object */

struct vm_config {
	char name[VMM_NAME_MAX];
	char module[48];
	unsigned vcpus;    /* created; the guest starts the others with PSCI */
	unsigned cpu;      /* vCPU n runs on CPU (cpu + n) % CPUs */
	unsigned priority;
	unsigned mem_mib;  /* RAM at GUEST_RAM_BASE */
	unsigned runs;     /* create/run/destroy this many times */
	bool endless;      /* never powers off (a hostile guest): stopped at the end */
	bool state;        /* exits carry the vCPU's registers (CV_VCPU_STATE_ALL) */
	bool stuck;        /* its exits go to a monitor thread that never replies */
	bool checkregs;    /* after each of its exits, check this task's EL0 view (el0_view.c) */
	char after[VMM_NAME_MAX]; /* start once that VM printed a line containing */
	char after_word[24];      /* this word (after=NAME:WORD) */
	unsigned pass;     /* a device passed through (pass=NAME): passthrough.c's number, 0 none */
};

struct vm_state {
	struct vm_config cfg;
	bool live;
	bool waiting;          /* for its after= condition */
	unsigned run;          /* runs done */
	cv_slot_t vm, frames, vcpus; /* first slots of each */
	unsigned frame_count;
	char line[160];
	unsigned line_len;
	unsigned long exits, sysreg_exits, mmio_outside;
	unsigned long view_checks, view_bad; /* checkregs: checks made, failed */
	uint64_t free_before;  /* stuck VMs: free frames before it was made */
};

/* config.c: "vm NAME MODULE key=value..." lines; returns how many VMs, or
 * -1 (after printing why). */
int vmm_parse_config(const char *text, uint64_t len, struct vm_config *out, unsigned max);

/* stuck.c: the never-replying monitor thread, on CPU cpu; returns the
 * endpoint its VM's exits must go to (0 if it could not start). It tells
 * main_ep, with this badge, when it holds an exit it will never answer. */
#define VMM_STUCK_BADGE (1ull << 20)
cv_slot_t vmm_stuck_start(cv_slot_t main_ep, unsigned cpu);
/* Ends that thread and deletes what it had. */
void vmm_stuck_stop(void);

/* passthrough.c: the number of a device pass= may name, 0 if none has
 * that name; mapping and binding it for a VM (false after printing why). */
unsigned vmm_passthrough_lookup(const char *name);
bool vmm_passthrough(struct vm_state *vm);

/* el0_view.c: true if this task sees its own EL0 controls (run right
 * after an exit, with the guest's EL1 state still on this CPU). */
bool vmm_el0_view_ok(void);

/* vm_setup.c */
const void *vmm_find_module(const char *name, uint64_t *size);
/* Builds and starts VM i (slots from its index); false after printing why. */
bool vmm_vm_start(struct vm_state *vm, unsigned index, cv_slot_t exit_ep, unsigned cpus);
/* Deletes everything the VM had (its vCPUs stop wherever they are). */
void vmm_vm_destroy(struct vm_state *vm);

#endif
