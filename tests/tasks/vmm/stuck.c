// SPDX-License-Identifier: BSD-2-Clause
// A monitor that never replies: a second thread of the test monitor takes
// the first exit of the VM configured "stuck", tells the main thread so
// with a message badged VMM_STUCK_BADGE, and then waits for ever without
// answering, so the main thread destroys a VM whose vCPU waits on a
// monitor that will never reply (docs/virtualization.md, "Destroying a
// VM"). It makes system calls only: no C library state of its own.
#include <cv/syscall.h>
#include <uapi/root.h>

#include "vmm.h"

#define SLOT_STUCK_EP (CV_ROOT_SLOT_FIRST_FREE + VMM_VMS_MAX * 64 + 1)
#define SLOT_STUCK_NOTE (SLOT_STUCK_EP + 1)   /* badged: the main endpoint */
#define SLOT_STUCK_NEVER (SLOT_STUCK_EP + 2)  /* a notification nobody signals */
#define SLOT_STUCK_THREAD (SLOT_STUCK_EP + 3)
#define STUCK_PRIORITY 20

static uint64_t stack[2048] __attribute__((aligned(16)));

static _Noreturn void stuck_main(void *arg)
{
	struct cv_msg m = {0};
	uint64_t word;

	(void)arg;
	if (cv_recv(SLOT_STUCK_EP, &m) == CV_OK) {
		/* Holding the exit unanswered: a send keeps the reply owed. */
		struct cv_msg note = {.info = 1, .mr = {m.mr[0]}};
		(void)cv_send(SLOT_STUCK_NOTE, &note);
	}
	for (;;)
		(void)cv_wait(SLOT_STUCK_NEVER, 0, &word);
}

void vmm_stuck_stop(void)
{
	(void)cv_cap_delete(SLOT_STUCK_THREAD);
	(void)cv_cap_delete(SLOT_STUCK_NEVER);
	(void)cv_cap_delete(SLOT_STUCK_NOTE);
	(void)cv_cap_delete(SLOT_STUCK_EP);
}

cv_slot_t vmm_stuck_start(cv_slot_t main_ep, unsigned cpu)
{
	if (cv_endpoint_create(CV_ROOT_SLOT_QUOTA, SLOT_STUCK_EP) != CV_OK ||
	    cv_cap_mint(main_ep, SLOT_STUCK_NOTE, CV_RIGHT_WRITE, VMM_STUCK_BADGE) != CV_OK ||
	    cv_notification_create(CV_ROOT_SLOT_QUOTA, SLOT_STUCK_NEVER) != CV_OK ||
	    cv_thread_create(CV_ROOT_SLOT_TASK, CV_ROOT_SLOT_QUOTA, SLOT_STUCK_THREAD, (uint64_t)(uintptr_t)stuck_main,
			     (uint64_t)(uintptr_t)(stack + sizeof(stack) / sizeof(stack[0])), 0, STUCK_PRIORITY,
			     cpu) != CV_OK ||
	    cv_thread_start(SLOT_STUCK_THREAD) != CV_OK)
		return 0;
	return SLOT_STUCK_EP;
}
