// SPDX-License-Identifier: BSD-2-Clause
// VM_RESET and VM_STATS: the echo guest, run by a VMM of ours, is reset
// while it runs (asleep in WFI between timer ticks, or in an exit) and
// started again, with its memory as it left it and then with a fresh
// image; its console says "ready" each time. Who may (control resets,
// observe reads counters), the state machine around it (STOP and RESUME
// are EBUSY until the next START, which works), counters that grow with
// what the guest did and survive a reset, and a destroyed VM's ENXIO.
#include <stdio.h>
#include <string.h>

#include <cv/counter.h>
#include <cv/task.h>
#include <uapi/start.h>

#include "vmmctltest.h"

/* cases_vmm's address: its page tables exist already, so the memory
 * check counts only what the VM and its VMM had. */
#define CONSOLE_VA 0x0000003200000000ull
#define READY "echo guest ready"

/* The counters of vCPU 0 through handle h. */
static bool stats_of(const char *name, cv_slot_t h, struct vmmctl_vcpu_stats *out)
{
	struct vmmctl_vm_stats st;
	int err = vmctl_vm_stats(h, &st);

	if (!check(name, !err && st.vcpus == 1 && st.version == VMMCTL_STATS_VERSION,
		   "stats: %s, %u vCPUs, version %u", vmctl_strerror(err), st.vcpus, st.version))
		return false;
	*out = st.vcpu[0];
	return true;
}

/* Bytes of console output for ms milliseconds: none while the VM is
 * reset and not started. */
static uint64_t console_growth(const struct vmmctl_console *c, uint64_t ms)
{
	uint64_t before = __atomic_load_n(&c->out_head, __ATOMIC_ACQUIRE);
	uint64_t deadline = cv_counter() + ms * cv_counter_frequency() / 1000;

	while (cv_counter() < deadline)
		(void)cv_yield();
	return __atomic_load_n(&c->out_head, __ATOMIC_ACQUIRE) - before;
}

static void reset_cycle(cv_slot_t h, const struct vmmctl_console *con, uint64_t *shown,
			struct vmmctl_vcpu_stats *before)
{
	struct vmmctl_vcpu_stats kept, again;
	struct vmmctl_vm_info info;

	expect_err("reset_running_guest", vmctl_vm_reset(h), VMMCTL_OK);
	int err = vmctl_vm_info(h, &info);
	check("reset_state_created", !err && info.state == VMMCTL_VM_CREATED && (info.flags & VMMCTL_VM_MONITORED),
	      "after the reset: %s, state %u, flags 0x%x", vmctl_strerror(err), info.state, info.flags);
	expect_err("reset_stop_ebusy", vmctl_vm_stop(h), VMMCTL_EBUSY);
	expect_err("reset_resume_ebusy", vmctl_vm_resume(h), VMMCTL_EBUSY);
	uint64_t grew = console_growth(con, 300);
	check("reset_guest_quiet", grew == 0, "%lu console bytes while reset and not started", (unsigned long)grew);
	if (stats_of("reset_stats_kept", h, &kept))
		check("reset_counters_not_cleared", kept.exits >= before->exits && kept.entries >= before->entries,
		      "exits %lu -> %lu, entries %lu -> %lu across the reset", (unsigned long)before->exits,
		      (unsigned long)kept.exits, (unsigned long)before->entries, (unsigned long)kept.entries);

	/* Started again, memory as the guest left it: the VMM (it still
	 * serves the exits) shows the banner again. */
	expect_err("reset_start_again", vmctl_vm_start(h, 0), VMMCTL_OK);
	check("reset_guest_runs_again", console_until(con, shown, READY, 10),
	      "no second \"" READY "\" on the console after the reset");
	expect_err("reset_start_twice_ebusy", vmctl_vm_start(h, 0), VMMCTL_EBUSY);
	if (stats_of("reset_stats_again", h, &again))
		check("reset_counters_grow", again.exits > kept.exits && again.entries > kept.entries,
		      "exits %lu -> %lu, entries %lu -> %lu after the second start", (unsigned long)kept.exits,
		      (unsigned long)again.exits, (unsigned long)kept.entries, (unsigned long)again.entries);

	/* And once more with a fresh image loaded over the old one. */
	expect_err("reset_again", vmctl_vm_reset(h), VMMCTL_OK);
	expect_err("reset_load_fresh_image", vmctl_vm_load(h, "echo", NULL), VMMCTL_OK);
	expect_err("reset_start_fresh_image", vmctl_vm_start(h, 0), VMMCTL_OK);
	check("reset_fresh_image_runs", console_until(con, shown, READY, 10),
	      "no third \"" READY "\" after a reset and a fresh load");
}

/* VM_VCPU_STATE: only of a VM that does not run; a reset one is at its
 * power-on registers. */
static void vcpu_state(cv_slot_t h, cv_slot_t obs, cv_slot_t ctl)
{
	struct vmmctl_vcpu_state st;
	bool zero = true;

	expect_err("vcpu_state_running_ebusy", vmctl_vm_vcpu_state(obs, 0, &st), VMMCTL_EBUSY);
	expect_err("vcpu_state_stop", vmctl_vm_stop(h), VMMCTL_OK);
	int err = vmctl_vm_vcpu_state(obs, 0, &st);
	check("vcpu_state_stopped_in_guest",
	      !err && st.vcpu == 0 && st.pc >= 0x40000000 && st.pc < 0x40000000 + 16 * MIB && (st.pstate & 0xc) == 4,
	      "%s: pc 0x%lx pstate 0x%lx", vmctl_strerror(err), (unsigned long)st.pc, (unsigned long)st.pstate);
	expect_err("vcpu_state_bad_vcpu_einval", vmctl_vm_vcpu_state(obs, 1, &st), VMMCTL_EINVAL);
	expect_err("vcpu_state_needs_observe", vmctl_vm_vcpu_state(ctl, 0, &st), VMMCTL_EPERM);
	expect_err("vcpu_state_reset", vmctl_vm_reset(h), VMMCTL_OK);
	err = vmctl_vm_vcpu_state(obs, 0, &st);
	for (unsigned i = 0; i < 31; i++)
		zero = zero && st.x[i] == 0;
	check("vcpu_state_after_reset", !err && zero && st.pc == 0 && (st.pstate & 0xf) == 5,
	      "%s: x0 0x%lx pc 0x%lx pstate 0x%lx", vmctl_strerror(err), (unsigned long)st.x[0], (unsigned long)st.pc,
	      (unsigned long)st.pstate);
}

void cases_reset(const struct cv_start_cap *vmm_module)
{
	cv_slot_t h = slot_new(), obs = slot_new(), ctl = slot_new(), con = slot_new();
	cv_slot_t q = slot_new(), task = slot_new(), thread = slot_new();
	struct vmmctl_vcpu_stats first;
	uint64_t free0 = free_frames(), shown = 0;

	if (!check("reset_vmm_module_given", vmm_module != NULL, "no \"vmm\" module in the start information"))
		return;
	if (!expect_err("reset_create", vmctl_create(s.user, "resetme", VMMCTL_CREATE_DESTROY_ON_CLOSE, 1, 16 * MIB, h),
			VMMCTL_OK))
		return;
	expect_err("reset_load", vmctl_vm_load(h, "echo", NULL), VMMCTL_OK);
	(void)cv_cap_copy(h, obs, CV_RIGHT_WRITE | VMMCTL_VM_OBSERVE);
	(void)cv_cap_copy(h, ctl, CV_RIGHT_WRITE | VMMCTL_VM_CONTROL);
	/* Before it ran: every counter 0. */
	if (stats_of("stats_before_start", obs, &first))
		check("stats_zero_before_start", !first.entries && !first.exits && !first.virq_taken,
		      "entries %lu exits %lu before the first start", (unsigned long)first.entries,
		      (unsigned long)first.exits);
	bool mapped = vmctl_vm_console(h, con) == VMMCTL_OK &&
		      cv_frame_map(con, CV_SLOT_SELF_TASK, CONSOLE_VA, CV_MAP_READ) == CV_OK;
	check("reset_console_mapped", mapped, "cannot map the console page");
	enum cv_status st = spawn_vmm(vmm_module, h, "resetme", q, task, thread);
	check("reset_vmm_spawned", st == CV_OK, "spawning the VMM: %d", st);
	const struct vmmctl_console *c = (const struct vmmctl_console *)(uintptr_t)CONSOLE_VA;
	if (st == CV_OK && mapped && check("reset_guest_ready", console_until(c, &shown, READY, 10),
					   "no \"" READY "\" on the console")) {
		/* Its banner and timer ticks made exits, waits and interrupts;
		 * an observer sees them, a controller alone does not. */
		(void)console_growth(c, 200);
		if (stats_of("stats_observe", obs, &first))
			check("stats_show_the_guest",
			      first.exits > 0 && first.entries >= first.exits && first.waits > 0 && first.virq_taken > 0 &&
				      first.emulated > 0,
			      "entries %lu exits %lu waits %lu virq_taken %lu emulated %lu", (unsigned long)first.entries,
			      (unsigned long)first.exits, (unsigned long)first.waits, (unsigned long)first.virq_taken,
			      (unsigned long)first.emulated);
		struct vmmctl_vm_stats any;
		expect_err("stats_needs_observe", vmctl_vm_stats(ctl, &any), VMMCTL_EPERM);
		expect_err("reset_needs_control", vmctl_vm_reset(obs), VMMCTL_EPERM);
		reset_cycle(h, c, &shown, &first);
		vcpu_state(h, obs, ctl);
	}
	/* Destroyed: the handle answers ENXIO to both; the VMM notices and
	 * ends. */
	expect_err("reset_destroy", vmctl_vm_destroy(h), VMMCTL_OK);
	expect_err("reset_destroyed_enxio", vmctl_vm_reset(h), VMMCTL_ENXIO);
	struct vmmctl_vm_stats gone;
	expect_err("stats_destroyed_enxio", vmctl_vm_stats(obs, &gone), VMMCTL_ENXIO);
	struct vmmctl_vcpu_state regs;
	expect_err("vcpu_state_destroyed_enxio", vmctl_vm_vcpu_state(obs, 0, &regs), VMMCTL_ENXIO);
	if (mapped)
		(void)cv_unmap(CV_SLOT_SELF_TASK, CONSOLE_VA);
	(void)cv_cap_delete(con);
	(void)cv_cap_delete(h);
	(void)cv_cap_delete(obs);
	(void)cv_cap_delete(ctl);
	cv_task_discard(q, task, thread); /* the VMM's task, and its copy of itself */
	uint64_t now = await_free(free0);
	check("reset_memory_back", now == free0, "%lu frames free, %lu before", (unsigned long)now,
	      (unsigned long)free0);
}
