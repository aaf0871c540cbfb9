// SPDX-License-Identifier: BSD-2-Clause
// A guest image loaded by the service (VM_LOAD) and run by the VMM
// service (services/vmm) that a launcher starts with a handle: the guest's
// console output arrives in the console page, and when the guest powers
// off the VMM ends and its monitor-mode VM goes with it.
#include <stdio.h>
#include <string.h>

#include <cv/counter.h>
#include <cv/task.h>
#include <uapi/start.h>

#include "vmmctltest.h"

#define MONITOR VMMCTL_CREATE_DESTROY_ON_CLOSE
#define VMM_IMAGE_VA 0x0000003100000000ull
#define CONSOLE_VA 0x0000003200000000ull

static uint64_t tail; /* console bytes already shown */

bool console_until(const struct vmmctl_console *c, uint64_t *shown, const char *until, uint64_t seconds)
{
	char line[160];
	unsigned len = 0;
	uint64_t pos = *shown, deadline = cv_counter() + seconds * cv_counter_frequency();
	bool found = false;

	while (!found && cv_counter() < deadline) {
		uint64_t head = __atomic_load_n(&c->out_head, __ATOMIC_ACQUIRE);
		if (head == pos) {
			(void)cv_yield();
			continue;
		}
		char ch = c->out[pos++ % VMMCTL_CONSOLE_OUT];
		if (ch != '\n' && len < sizeof(line) - 1) {
			if (ch != '\r')
				line[len++] = ch;
			continue;
		}
		line[len] = 0;
		printf("[guest] %s\n", line);
		len = 0;
		found = strstr(line, until) != NULL;
	}
	*shown = pos;
	return found;
}

enum cv_status spawn_vmm(const struct cv_start_cap *vmm_module, cv_slot_t h, const char *vm_name, cv_slot_t q,
			 cv_slot_t task, cv_slot_t thread)
{
	bool image = cv_frame_map(vmm_module->slot, CV_SLOT_SELF_TASK, VMM_IMAGE_VA, CV_MAP_READ) == CV_OK;
	struct vmctl_vmm v = {
		.image = (const void *)(uintptr_t)VMM_IMAGE_VA,
		.size = vmm_module->size,
		.handle = h,
		.vm_name = vm_name,
		.quota = CV_SLOT_SELF_QUOTA,
		.quota_slot = q,
		.task_slot = task,
		.thread_slot = thread,
		.cpu = 2,
		.cpu_count = 4,
	};
	enum cv_status st = image ? vmctl_vmm_spawn(&v) : CV_E_BAD_ADDRESS;
	if (image)
		(void)cv_unmap(CV_SLOT_SELF_TASK, VMM_IMAGE_VA);
	return st;
}


/* Device passthrough (VM_ASSIGN): who may, and the PL031 clock really
 * working in a guest, its alarm interrupt included. */
void cases_passthrough(const struct cv_start_cap *vmm_module, cv_slot_t rtc, cv_slot_t rtc_irq)
{
	cv_slot_t h = slot_new(), obs = slot_new(), ep = slot_new(), con = slot_new();
	cv_slot_t q = slot_new(), task = slot_new(), thread = slot_new();
	const uint64_t gpa = 0x09010000;
	const uint32_t intid = 34;

	if (!check("ppt_caps_given", rtc && rtc_irq && vmm_module, "no rtc, rtc_irq or vmm in the start information"))
		return;
	/* Refusals: an unprivileged owner, a jail without allow.vmm_ppt,
	 * no device capability, an observe-only handle. */
	expect_err("ppt_user_vm", vmctl_create(s.user, "pptu", VMMCTL_CREATE_DESTROY_ON_CLOSE, 1, 2 * MIB, h),
		   VMMCTL_OK);
	expect_err("ppt_denied_unprivileged", vmctl_vm_assign(h, rtc, rtc_irq, gpa, 1, intid), VMMCTL_EPERM);
	(void)cv_cap_delete(h);
	expect_err("ppt_jail_vm", vmctl_create(s.web, "pptw", VMMCTL_CREATE_DESTROY_ON_CLOSE, 1, 2 * MIB, h),
		   VMMCTL_OK);
	expect_err("ppt_denied_jail_without_allow", vmctl_vm_assign(h, rtc, rtc_irq, gpa, 1, intid), VMMCTL_EPERM);
	(void)cv_cap_delete(h);
	expect_err("ppt_vm", vmctl_create(s.operator, "rtc", VMMCTL_CREATE_DESTROY_ON_CLOSE, 1, 16 * MIB, h),
		   VMMCTL_OK);
	(void)cv_endpoint_create(CV_SLOT_SELF_QUOTA, ep);
	expect_err("ppt_denied_without_device_cap", vmctl_vm_assign(h, ep, rtc_irq, gpa, 1, intid), VMMCTL_EPERM);
	(void)cv_cap_delete(ep);
	(void)cv_cap_copy(h, obs, CV_RIGHT_WRITE | CV_RIGHT_GRANT | VMMCTL_VM_OBSERVE);
	expect_err("ppt_denied_observe_handle", vmctl_vm_assign(obs, rtc, rtc_irq, gpa, 1, intid), VMMCTL_EPERM);
	(void)cv_cap_delete(obs);
	expect_err("ppt_over_ram_einval", vmctl_vm_assign(h, rtc, rtc_irq, 0x40000000, 1, intid), VMMCTL_EINVAL);
	expect_err("ppt_bad_intid_einval", vmctl_vm_assign(h, rtc, rtc_irq, gpa, 1, 20), VMMCTL_EINVAL);
	/* Allowed: operator holds vmm_pptdev and the device. */
	expect_err("ppt_load", vmctl_vm_load(h, "rtcpass", NULL), VMMCTL_OK);
	expect_err("ppt_allowed", vmctl_vm_assign(h, rtc, rtc_irq, gpa, 1, intid), VMMCTL_OK);
	expect_err("ppt_twice_ebusy", vmctl_vm_assign(h, rtc, rtc_irq, gpa, 1, intid), VMMCTL_EBUSY);
	expect_err("ppt_console", vmctl_vm_console(h, con), VMMCTL_OK);
	bool mapped = cv_frame_map(con, CV_SLOT_SELF_TASK, CONSOLE_VA, CV_MAP_READ) == CV_OK;
	enum cv_status st = spawn_vmm(vmm_module, h, "rtc", q, task, thread);
	check("ppt_vmm_spawned", st == CV_OK, "spawning the VMM: %d", st);
	(void)cv_cap_delete(h);
	tail = 0;
	if (st == CV_OK && mapped)
		check("ppt_guest_reads_clock_and_alarm",
		      console_until((const struct vmmctl_console *)(uintptr_t)CONSOLE_VA, &tail, "done 0 failed", 60),
		      "rtcpass did not finish cleanly through the VMM");
	expect_err("ppt_vm_gone", await_gone(s.operator, "rtc", 2000), VMMCTL_ENOENT);
	if (mapped)
		(void)cv_unmap(CV_SLOT_SELF_TASK, CONSOLE_VA);
	(void)cv_cap_delete(con);
	cv_task_discard(q, task, thread); /* the VMM's task, and its copy of itself */
}

void cases_vmm(const struct cv_start_cap *vmm_module)
{
	cv_slot_t h = slot_new(), con = slot_new(), frame = slot_new(), obs = slot_new();
	cv_slot_t q = slot_new(), task = slot_new(), thread = slot_new();
	uint64_t entry = 0;

	if (!check("vmm_module_given", vmm_module != NULL, "no \"vmm\" module in the start information"))
		return;
	if (!expect_err("guest_create", vmctl_create(s.user, "guest", MONITOR, 1, 16 * MIB, h), VMMCTL_OK))
		return;
	expect_err("load_unknown_enoent", vmctl_vm_load(h, "nosuch", &entry), VMMCTL_ENOENT);
	expect_err("load_not_elf_einval", vmctl_vm_load(h, "notelf", &entry), VMMCTL_EINVAL);
	expect_err("load_bad_name_einval", vmctl_vm_load(h, "a/b", &entry), VMMCTL_EINVAL);
	expect_err("load_hello", vmctl_vm_load(h, "hello", &entry), VMMCTL_OK);
	check("load_entry", entry >= 0x40000000 && entry < 0x40000000 + 16 * MIB, "entry 0x%lx",
	      (unsigned long)entry);
	/* An observer's console page is read-only. */
	(void)cv_cap_copy(h, obs, CV_RIGHT_WRITE | VMMCTL_VM_OBSERVE);
	expect_err("console_page", vmctl_vm_console(obs, con), VMMCTL_OK);
	(void)cv_cap_delete(obs);
	bool mapped = cv_frame_map(con, CV_SLOT_SELF_TASK, CONSOLE_VA, CV_MAP_READ) == CV_OK;
	check("console_mapped", mapped, "cannot map the console page");
	check("console_read_only", cv_frame_map(con, CV_SLOT_SELF_TASK, CONSOLE_VA + 0x1000,
						CV_MAP_READ | CV_MAP_WRITE) != CV_OK,
	      "an observer could map the console page writable");

	enum cv_status st = spawn_vmm(vmm_module, h, "guest", q, task, thread);
	uint64_t limit = 0, used = 0;
	(void)cv_quota_info(CV_SLOT_SELF_QUOTA, &limit, &used);
	check("vmm_spawned", st == CV_OK, "spawning the VMM: %d (our quota: %lu of %lu frames used)", st,
	      (unsigned long)used, (unsigned long)limit);
	if (st == CV_OK && mapped) {
		check("guest_prints_through_vmm",
		      console_until((const struct vmmctl_console *)(uintptr_t)CONSOLE_VA, &tail, "hello from guest", 10),
		      "no \"hello from guest\" on the console page");
		expect_err("load_after_start_ebusy", vmctl_vm_load(h, "hello", &entry), VMMCTL_EBUSY);
		/* Ours goes; the VMM's copy keeps the VM until the guest ends. */
		(void)cv_cap_delete(h);
		check("guest_done_through_vmm",
		      console_until((const struct vmmctl_console *)(uintptr_t)CONSOLE_VA, &tail, "done 0 failed", 10),
		      "the guest did not finish cleanly");
	}
	(void)cv_cap_delete(h);
	expect_err("vmm_exit_destroys_monitor_vm", await_gone(s.user, "guest", 2000), VMMCTL_ENOENT);
	if (mapped)
		(void)cv_unmap(CV_SLOT_SELF_TASK, CONSOLE_VA);
	(void)cv_cap_delete(con);
	(void)cv_cap_delete(frame);
	cv_task_discard(q, task, thread); /* the VMM's task, and its copy of itself */
}
