// SPDX-License-Identifier: BSD-2-Clause
// bench vm_create_destroy: one cycle is CREATE of a monitor-mode VM with
// 1 vCPU and 16 MiB through libvmctl, deleting its handle (the kernel's
// close event makes the service destroy it) and an INFO that must answer
// ENOENT — the service takes pending close events before queued requests,
// so that INFO is answered after the destroy. Under -icount shift=0 the
// counter gives instructions (tools/bench.sh); prints
// "bench vm_create_destroy N insns" per cycle.
#include <stdio.h>

#include <cv/counter.h>
#include <cv/runtime.h>
#include <uapi/start.h>

#include "vmctl.h"

#define CYCLES 32
#define HANDLE_SLOT 64

int main(void *arg)
{
	const struct cv_start_info *si = arg;
	cv_slot_t session = 0;
	struct vmmctl_vm_info info;

	for (uint32_t i = 0; i < si->cap_count && i < CV_START_CAPS_MAX; i++)
		if (si->caps[i].type == CV_OBJ_ENDPOINT)
			session = si->caps[i].slot;
	/* A first cycle outside the count: the service's tables and our
	 * buffers are warm, as in steady use. */
	for (unsigned i = 0; i <= CYCLES; i++) {
		static uint64_t start;
		if (i == 1)
			start = cv_counter();
		int err = vmctl_create(session, "bench", VMMCTL_CREATE_DESTROY_ON_CLOSE, 1, 16ull << 20, HANDLE_SLOT);
		(void)cv_cap_delete(HANDLE_SLOT);
		int gone = vmctl_info(session, "bench", &info);
		if (err || gone != VMMCTL_ENOENT) {
			printf("vmmctlbench: cycle %u: create %s, then info %s\n", i, vmctl_strerror(err),
			       vmctl_strerror(gone));
			printf("vmmctlbench: done 1 failed\n");
			return 1;
		}
		if (i == CYCLES) {
			uint64_t ticks = cv_counter() - start, f = cv_counter_frequency();
			uint64_t insns = ticks / f * 1000000000ull + ticks % f * 1000000000ull / f;
			printf("bench vm_create_destroy %lu insns\n", (unsigned long)(insns / CYCLES));
		}
	}
	printf("vmmctlbench: done 0 failed\n");
	return 0;
}
