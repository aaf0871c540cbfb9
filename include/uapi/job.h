/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * How a job the console shell started (a task such as vmctl) talks back to
 * the shell (docs/shell.md). Not a kernel ABI: an agreement between the
 * shell and the programs it runs, like uapi/start.h between the root task
 * and its tasks.
 *
 * A job finds in its start information an endpoint capability named
 * "parent" (badged by the shell: the badge names the job; rights WRITE and
 * GRANT, and CV_JOB_FOREGROUND when the job runs in the foreground, so it
 * may read the terminal and show output as it comes) and sends on it:
 *
 *   EXIT       SEND: MR0 = CV_JOB_OP_EXIT, MR1 = exit status (0..255).
 *              The job's last word: the shell then deletes the task.
 *   START_VMM  CALL carrying one capability, a VM handle with control and
 *              observe rights: MR0 = CV_JOB_OP_START_VMM, MR1 = flags,
 *              MR2..MR5 = the VM's name (32 bytes, NUL-padded). The shell
 *              starts the VMM program for that VM (docs/shell.md says with
 *              what) and replies MR0 = 0 or a VMMCTL_E* number. Without
 *              CV_JOB_VMM_DETACH the VMM belongs to the job and is killed
 *              with it, so a killed launcher takes its monitor-mode VM
 *              along; with it, the VMM outlives the job (vmctl create).
 *   INPUT      CALL: MR0 = CV_JOB_OP_INPUT, MR1 = most bytes wanted (1..40).
 *              Reply: MR0 = bytes (0: none typed now, or the job is in the
 *              background), MR1..MR5 = the bytes, 8 a register,
 *              little-endian, as the console protocol packs them. The
 *              shell owns the terminal: only its foreground job gets what
 *              is typed, and Ctrl-C kills that job instead.
 *
 *   VMMS       CALL: MR0 = CV_JOB_OP_VMMS. Reply: MR0 = how many of the
 *              VMMs the job started without CV_JOB_VMM_DETACH still run
 *              (a launcher waits for its VMM: vmctl run).
 *
 * A job's output goes to its own "console" capability (badged apart from
 * the shell's, so that a job's lines never land in the shell's prompt).
 *
 * The job's faults also arrive on "parent" (its fault handler), with the
 * same badge: the shell reports and deletes the job.
 */
#ifndef UAPI_JOB_H
#define UAPI_JOB_H

#include <uapi/cap.h>

#define CV_JOB_OP_EXIT 1
#define CV_JOB_OP_START_VMM 2
#define CV_JOB_OP_INPUT 3
#define CV_JOB_OP_VMMS 4

#define CV_JOB_INPUT_MAX 40

#define CV_JOB_VMM_DETACH (1u << 0)

/* A user right of "parent": the job has the terminal. */
#define CV_JOB_FOREGROUND CV_RIGHT_USER(0)

#define CV_JOB_NAME_BYTES 32 /* a VM name in MR2..MR5 */

#endif
