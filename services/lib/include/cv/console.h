/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The console service's protocol and its client side in libcv
 * (docs/console.md). Not a kernel ABI: an agreement between the console
 * service (services/console/), its clients and the root task.
 *
 * Every request is a CALL on the console endpoint. MR0 of a request holds
 * the operation in bits 0..7 and a byte count in bits 8..15; MR0 of every
 * reply holds an enum cv_status in bits 0..7 and a byte count in bits
 * 8..15. Text travels in MR1..MR5, 8 bytes a register, little-endian
 * (byte i of the text is byte i % 8 of MR1 + i / 8). The badge of the
 * caller's capability says who it is.
 *
 *   WRITE     request: count = bytes (0..40), MR1.. = text; info length
 *             must cover them. reply: count = bytes taken (all, or 0 on
 *             an error).
 *   READ      request: count = most bytes wanted (1..40; 0 means 40).
 *             reply: CV_OK with count >= 1 bytes in MR1.., or
 *             CV_E_WOULD_BLOCK: no input for the caller now (it has not
 *             the focus, or nothing was typed). Never blocks the service.
 *   NOTIFIER  reply: CV_OK and one capability (a notification, wait right
 *             only) into the caller's first receive slot; the service
 *             signals CV_CONSOLE_SIGNAL_INPUT on it when input for the
 *             caller may be waiting. Asked again, it gives another copy of
 *             the same notification.
 *   REGISTER  only with the unbadged capability (badge 0), else
 *             CV_E_NO_RIGHTS. count = name length (1..32), MR1 = badge to
 *             name, MR2..MR5 = the name. Lines of that badge get
 *             "[name] " from then on; registering again renames.
 *   SHOW      as WRITE, then the caller's unfinished line is shown on the
 *             terminal at once, without ending it (a prompt, echoed
 *             input); a backspace erases its last byte there too.
 *
 * Errors in the reply: CV_E_BAD_ARG (unknown operation, a count out of
 * range or beyond the info length, an empty name), CV_E_NO_RIGHTS,
 * CV_E_NO_MEMORY (the service's client table, its capability space or
 * its quota is full), CV_E_WOULD_BLOCK (READ).
 */
#ifndef CV_CONSOLE_H
#define CV_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#include <uapi/cap.h>
#include <uapi/status.h>

enum cv_console_op {
	CV_CONSOLE_OP_WRITE = 1,
	CV_CONSOLE_OP_READ = 2,
	CV_CONSOLE_OP_NOTIFIER = 3,
	CV_CONSOLE_OP_REGISTER = 4,
	CV_CONSOLE_OP_SHOW = 5,
};

#define CV_CONSOLE_TEXT_MAX 40 /* bytes per WRITE or READ: MR1..MR5 */
#define CV_CONSOLE_NAME_MAX 32 /* bytes of a registered name */
#define CV_CONSOLE_SIGNAL_INPUT 1ull /* notifier bit: input may be waiting */
#define CV_CONSOLE_FOCUS_KEY 0x14 /* Ctrl-T on the terminal: focus to the next reader */

/* MR0 of a request (op) or reply (status), with its byte count. */
static inline uint64_t cv_console_mr0(unsigned code, unsigned count)
{
	return (uint64_t)(code & 0xff) | ((uint64_t)(count & 0xff) << 8);
}

static inline unsigned cv_console_code(uint64_t mr0)
{
	return (unsigned)(mr0 & 0xff);
}

static inline unsigned cv_console_count(uint64_t mr0)
{
	return (unsigned)((mr0 >> 8) & 0xff);
}

/* ---- the client side ---- */

/*
 * Looks at the start information a task's first thread got in x0 (main's
 * argument): if it is a struct cv_start_info (include/uapi/start.h)
 * listing a *badged* endpoint capability named "console", stdout, stderr
 * and stdin go through the console service from now on. Anything else
 * (the root task's struct cv_root_info, no such capability, the service's
 * own unbadged one) leaves the kernel console (CV_SYS_DEBUG_WRITE).
 * Idempotent; reads arg only when it is CV_START_INFO_VA.
 */
void cv_console_init(const void *arg);

/* Sends the console output of the task to the service through the
 * endpoint capability in slot; 0 goes back to the kernel console. */
void cv_console_attach(cv_slot_t slot);

/* The endpoint slot console output goes to; 0 for the kernel console. */
cv_slot_t cv_console_attached(void);

/* Writes len bytes through the service at ep, in WRITE calls of up to
 * CV_CONSOLE_TEXT_MAX bytes. The service prints whole lines only. */
enum cv_status cv_console_send(cv_slot_t ep, const void *buf, size_t len);

/* As cv_console_send, and then the unfinished line is shown at once (SHOW):
 * for prompts and echo. */
enum cv_status cv_console_send_shown(cv_slot_t ep, const void *buf, size_t len);

#define CV_CONSOLE_NONBLOCK 1u

/*
 * Reads input from the attached console service: waits until the task has
 * the input focus and something was typed (with CV_CONSOLE_NONBLOCK, fails
 * with CV_E_WOULD_BLOCK instead), then takes up to max bytes (at most
 * CV_CONSOLE_TEXT_MAX a call) and sets *got. Waiting uses a notification
 * from the service (NOTIFIER), received once into a free slot of the
 * task's capability space. CV_E_DEAD when not attached or the service is
 * gone.
 */
enum cv_status cv_console_read(void *buf, size_t max, size_t *got, unsigned flags);

/* For the root task: names the clients of badge `badge` (REGISTER), through
 * the unbadged console endpoint capability in ep. */
enum cv_status cv_console_register(cv_slot_t ep, cv_badge_t badge, const char *name);

#endif
