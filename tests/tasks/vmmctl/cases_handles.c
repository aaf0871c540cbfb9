// SPDX-License-Identifier: BSD-2-Clause
// VM handles: monitor mode (the VM lives while any copy of its handle
// does, wherever), dead handles, handle rights, a VM whose monitor never
// answers, and a thousand create/destroy cycles.
#include <stdio.h>
#include <string.h>

#include <cv/counter.h>
#include <uapi/start.h>
#include <uapi/vm.h>

#include "vmmctltest.h"

#define MONITOR VMMCTL_CREATE_DESTROY_ON_CLOSE
#define CHILD_VA 0x0000003000000000ull

/* Is the VM still there (waits a little for it to go if it should)? */
static bool exists(cv_slot_t session, const char *name, bool expect_gone)
{
	return await_gone(session, name, expect_gone ? 500 : 0) == VMMCTL_OK;
}

/* A task of our own to hold a copy of a handle: killing it is what
 * happens to a launcher that crashes. */
static cv_slot_t holder_with(cv_slot_t handle, uint32_t rights)
{
	cv_slot_t task = slot_new();

	if (cv_task_create(CV_SLOT_SELF_QUOTA, task, 10, 64) != CV_OK ||
	    cv_task_cap_copy(task, handle, 16, rights) != CV_OK)
		return 0;
	return task;
}

static void monitor_mode(void)
{
	cv_slot_t h = slot_new(), task;

	/* Killing the launcher destroys its VM. */
	expect_err("launcher_creates", vmctl_create(s.user, "launched", MONITOR, 1, 2 * MIB, h), VMMCTL_OK);
	task = holder_with(h, CV_RIGHTS_ALL);
	(void)cv_cap_delete(h);
	check("launcher_holds_vm", task && exists(s.user, "launched", false), "the VM went with our copy");
	(void)cv_cap_delete(task);
	check("killing_launcher_destroys_vm", !exists(s.user, "launched", true), "the VM outlived its launcher");

	/* An observe-only copy in another task keeps it alive. */
	h = slot_new();
	expect_err("observed_creates", vmctl_create(s.user, "observed", MONITOR, 1, 2 * MIB, h), VMMCTL_OK);
	task = holder_with(h, CV_RIGHT_WRITE | VMMCTL_VM_OBSERVE);
	(void)cv_cap_delete(h);
	check("observe_copy_keeps_vm", task && exists(s.user, "observed", false), "gone with an observer left");
	(void)cv_cap_delete(task);
	check("last_copy_gone_destroys", !exists(s.user, "observed", true), "outlived its last handle");

	/* A copy revoked by the task it derives from is gone for the count:
	 * the VM lives on the parent alone, and goes with it. */
	h = slot_new();
	expect_err("revoked_creates", vmctl_create(s.user, "revoked", MONITOR, 1, 2 * MIB, h), VMMCTL_OK);
	task = holder_with(h, CV_RIGHT_WRITE | VMMCTL_VM_OBSERVE);
	(void)cv_cap_revoke_all(h);
	check("revoked_copy_gone_parent_keeps_vm", task && exists(s.user, "revoked", false),
	      "the VM went when a derived copy was revoked");
	(void)cv_cap_delete(h);
	check("revoked_then_closed_destroys", !exists(s.user, "revoked", true), "outlived its last handle");
	(void)cv_cap_delete(task);

	/* Copies in our own space count too: the VM goes with the last. */
	h = slot_new();
	cv_slot_t h2 = slot_new();
	expect_err("copied_creates", vmctl_create(s.user, "copied", MONITOR, 1, 2 * MIB, h), VMMCTL_OK);
	(void)cv_cap_copy(h, h2, CV_RIGHT_WRITE | VMMCTL_VM_OBSERVE);
	(void)cv_cap_delete(h);
	check("copied_handle_keeps_vm", exists(s.user, "copied", false), "gone while a copy remains");
	(void)cv_cap_delete(h2);
	check("copied_last_gone", !exists(s.user, "copied", true), "outlived its last copy");
}

static void dead_handles(void)
{
	cv_slot_t h = slot_new(), obs = slot_new();
	struct vmmctl_vm_info info;

	expect_err("handle_create", vmctl_create(s.operator, "hvm", 0, 1, 2 * MIB, h), VMMCTL_OK);
	expect_err("handle_info", vmctl_vm_info(h, &info), VMMCTL_OK);
	check("handle_info_name", strcmp(info.name, "hvm") == 0 && info.vcpus == 1 && info.memory == 2 * MIB,
	      "\"%s\", %u vCPUs, %lu bytes", info.name, info.vcpus, (unsigned long)info.memory);
	expect_err("open_readonly_observe", vmctl_open(s.operator_ro, "hvm", obs), VMMCTL_OK);
	expect_err("observe_handle_info", vmctl_vm_info(obs, &info), VMMCTL_OK);
	expect_err("observe_handle_cannot_control", vmctl_vm_start(obs, 0x40000000), VMMCTL_EPERM);
	expect_err("observe_handle_cannot_destroy", vmctl_vm_destroy(obs), VMMCTL_EPERM);
	/* vCPU ids: at or above the VM's count is EINVAL (maxcpu bounds the
	 * count itself, tests/tasks/vmmctl/cases_access.c). */
	cv_slot_t ep = slot_new();
	(void)cv_endpoint_create(CV_SLOT_SELF_QUOTA, ep);
	expect_err("vcpu_id_over_einval", vmctl_vm_vcpu_exit(h, 1, 0, ep), VMMCTL_EINVAL);
	expect_err("vcpu_id_huge_einval", vmctl_vm_vcpu_exit(h, 0xffffffffu, 0, ep), VMMCTL_EINVAL);
	expect_err("vcpu_id_ok", vmctl_vm_vcpu_exit(h, 0, 0, ep), VMMCTL_OK);
	expect_err("vcpu_exit_bad_flags_einval", vmctl_vm_vcpu_exit(h, 0, 1u << 30, ep), VMMCTL_EINVAL);
	expect_err("vcpu_exit_without_endpoint_einval", vmctl_vm_vcpu_exit(h, 0, 0, 0), VMMCTL_EINVAL);
	/* What a handle operation does not read must be zero. */
	struct vmmctl_request req = {.reserved = 1};
	expect_err("handle_op_reserved_einval", vmctl_request(h, VMMCTL_OP_VM_INFO, &req, 0, NULL, 0, NULL),
		   VMMCTL_EINVAL);
	req = (struct vmmctl_request){.arg = {0, 7}};
	expect_err("handle_op_unread_arg_einval", vmctl_request(h, VMMCTL_OP_VM_MEMORY, &req, 0, NULL, 0, NULL),
		   VMMCTL_EINVAL);
	req = (struct vmmctl_request){.name_len = 1, .name = "x"};
	expect_err("handle_op_stray_name_einval", vmctl_request(h, VMMCTL_OP_VM_STOP, &req, 0, NULL, 0, NULL),
		   VMMCTL_EINVAL);
	req = (struct vmmctl_request){.memory = 4096};
	expect_err("handle_op_stray_memory_einval", vmctl_request(h, VMMCTL_OP_VM_CONSOLE, &req, 0, NULL, 0, NULL),
		   VMMCTL_EINVAL);
	expect_err("session_destroy", vmctl_destroy(s.operator, "hvm"), VMMCTL_OK);
	expect_err("dead_handle_enxio", vmctl_vm_info(h, &info), VMMCTL_ENXIO);
	expect_err("dead_observe_handle_enxio", vmctl_vm_info(obs, &info), VMMCTL_ENXIO);
	expect_err("name_free_after_destroy", vmctl_create(s.operator, "hvm", 0, 1, 2 * MIB, slot_new()), VMMCTL_OK);
	expect_err("old_handle_still_dead", vmctl_vm_info(h, &info), VMMCTL_ENXIO);
	expect_err("handle_destroy_right", vmctl_destroy(s.operator, "hvm"), VMMCTL_OK);
	(void)cv_cap_delete(h);
	(void)cv_cap_delete(obs);
	(void)cv_cap_delete(ep);
}

/*
 * A VM whose monitor never answers: vCPU 0 runs three instructions we
 * write into its memory (a load from an address outside its RAM, which
 * exits to our endpoint), and we never reply. DESTROY must still return
 * at once, with all memory back.
 */
static void stuck_monitor(void)
{
	cv_slot_t h = slot_new(), frame = slot_new(), ep = slot_new();
	uint64_t base = 0, size = 0, before;
	unsigned segs = 0;
	static const uint32_t code[] = {
		0xd2a12001, /* movz x1, #0x0900, lsl #16 */
		0xb9400020, /* ldr w0, [x1] */
		0x14000000, /* b . */
	};

	/* Our page tables for the window stay once made: make them first,
	 * so the count below is the VM's alone. */
	if (cv_frame_create(CV_SLOT_SELF_QUOTA, frame, 1) == CV_OK &&
	    cv_frame_map(frame, CV_SLOT_SELF_TASK, CHILD_VA, CV_MAP_READ) == CV_OK)
		(void)cv_unmap(CV_SLOT_SELF_TASK, CHILD_VA);
	(void)cv_cap_delete(frame);
	before = free_frames();
	if (!expect_err("stuck_create", vmctl_create(s.operator, "stuck", 0, 1, 2 * MIB, h), VMMCTL_OK))
		return;
	expect_err("stuck_memory", vmctl_vm_memory(h, 0, frame, &base, &size, &segs), VMMCTL_OK);
	check("stuck_memory_layout", base == 0x40000000 && size == 2 * MIB && segs == 1,
	      "base 0x%lx size 0x%lx, %u segments", (unsigned long)base, (unsigned long)size, segs);
	if (cv_frame_map(frame, CV_SLOT_SELF_TASK, CHILD_VA, CV_MAP_READ | CV_MAP_WRITE) == CV_OK) {
		memcpy((void *)CHILD_VA, code, sizeof(code));
		(void)cv_unmap(CV_SLOT_SELF_TASK, CHILD_VA);
	}
	(void)cv_endpoint_create(CV_SLOT_SELF_QUOTA, ep);
	expect_err("stuck_vcpu_exit", vmctl_vm_vcpu_exit(h, 0, 0, ep), VMMCTL_OK);
	expect_err("stuck_start", vmctl_vm_start(h, base), VMMCTL_OK);
	/* Bounded: a VM that never exits fails this, not the whole run. */
	struct cv_msg m = {.info = CV_IPC_TIMEOUT_MS_LOG2(12)};
	enum cv_status st = cv_recv(ep, &m);
	check("stuck_exit_arrives",
	      st == CV_OK && (m.info & CV_IPC_VCPU_EXIT) && (m.mr[0] & CV_EXIT_REASON_MASK) == CV_EXIT_MMIO &&
		      m.mr[2] == 0x09000000,
	      "status %d, info 0x%lx, reason %lu, address 0x%lx", st, (unsigned long)m.info,
	      (unsigned long)(m.mr[0] & CV_EXIT_REASON_MASK), (unsigned long)m.mr[2]);
	/* We hold the exit and never answer it. */
	uint64_t t0 = cv_counter();
	int err = vmctl_destroy(s.operator, "stuck");
	uint64_t t1 = cv_counter();
	expect_err("teardown_while_vmm_never_replies", err, VMMCTL_OK);
	(void)cv_cap_delete(h);
	(void)cv_cap_delete(frame);
	(void)cv_cap_delete(ep);
	uint64_t after = await_free(before);
	check("stuck_memory_back", after == before, "%lu frames free before, %lu after", (unsigned long)before,
	      (unsigned long)after);
	printf("vmmctltest: destroy with an unanswered exit took %lu us\n",
	       (unsigned long)((t1 - t0) / (cv_counter_frequency() / 1000000)));
}

static void cycles(void)
{
	uint64_t before = free_frames();
	unsigned done = 0;
	int err = VMMCTL_OK;

	for (; done < 1000; done++) {
		cv_slot_t h = slot_new();
		err = vmctl_create(s.user, "cycle", MONITOR, 1, 16 * MIB, h);
		if (err)
			break;
		(void)cv_cap_delete(h);
		/* Monitor mode: the close event destroys it; the name is
		 * free once it has. */
		if (exists(s.user, "cycle", true)) {
			err = VMMCTL_EBUSY;
			break;
		}
	}
	check("create_destroy_1000", done == 1000, "cycle %u: %s", done, vmctl_strerror(err));
	uint64_t after = await_free(before);
	check("create_destroy_memory_back", after == before, "%lu frames free before, %lu after",
	      (unsigned long)before, (unsigned long)after);
}

/* The persistent boot VM (tests/config/vmmctl.conf): there after its
 * guest powered off and its VMM ended, until destroyed. */
static void boot_vms(void)
{
	struct vmmctl_vm_info info;

	expect_err("boot_vm_persists", vmctl_info(s.root, "keeper", &info), VMMCTL_OK);
	check("boot_vm_owner", strcmp(info.owner, "root") == 0 && (info.flags & VMMCTL_CREATE_FLAGS) == 0,
	      "owner %s, flags %u", info.owner, info.flags);
	expect_err("boot_vm_destroy", vmctl_destroy(s.root, "keeper"), VMMCTL_OK);
	/* The monitor-mode one ends when its guest powers off, on its own;
	 * the memory checks after this need it gone. */
	expect_err("boot_vm_monitor_ends_with_guest", await_gone(s.root, "bootvm", 20000), VMMCTL_ENOENT);
}

void cases_handles(void)
{
	boot_vms();
	monitor_mode();
	dead_handles();
	stuck_monitor();
	cycles();
}
