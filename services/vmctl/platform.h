/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What vmctl needs from the system it runs on, so that commands.c and
 * args.c build unchanged elsewhere (a Linux vmctl over the TCP transport
 * would supply its own). On capvisor: platform_capvisor.c, a task the
 * console shell starts (docs/shell.md).
 */
#ifndef VMCTL_PLATFORM_H
#define VMCTL_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cv/syscall.h>
#include <uapi/vmmctl.h>

/* The command proper: argv[0] is "vmctl". Returns the exit status. */
int vmctl_main(int argc, char *argv[]);

/* The session (capability or connection) requests go through. */
cv_slot_t plat_session(void);

/* A free slot for a handle or a frame; plat_release deletes what it
 * holds and frees it. */
cv_slot_t plat_slot(void);
void plat_release(cv_slot_t slot);

/* The VMMCTL_VM_* rights of a handle. */
uint32_t plat_handle_rights(cv_slot_t handle);

/* Starts the VMM program for the VM of `handle` (a copy goes to it):
 * detached, it outlives vmctl; otherwise it ends with vmctl. 0 or a
 * VMMCTL_E* number. */
int plat_start_vmm(cv_slot_t handle, const char *name, bool detach);

/* Does vmctl have the terminal (not a background job)? */
bool plat_foreground(void);

/* Is a VMM this vmctl started (not detached) still running? */
bool plat_vmm_running(void);

/* Maps the console rings of a VM (a frame from VM_CONSOLE) into vmctl. */
struct vmmctl_console *plat_console_map(cv_slot_t frame, bool writable);
void plat_console_unmap(void);

/* Terminal output shown at once, unfinished lines too. */
void plat_out(const char *buf, size_t len);

/* Typed input, never waiting: bytes taken, 0 if none. */
size_t plat_in(char *buf, size_t max);

void plat_sleep_ms(unsigned ms);

#endif
