// SPDX-License-Identifier: BSD-2-Clause
// CV_SYS_VM_RESET and CV_SYS_VCPU_STATS, with ktest as the monitor of
// its own little guest (guest.S): a reset stops vCPUs wherever they are
// (running on another CPU, in WFI, in an exit queued or received — whose
// late reply then finds nobody), and a start afterwards runs the guest
// from scratch: registers, EL1 state, timer and interrupt controller at
// their reset values, the secondary vCPU off again; memory, exit endpoint,
// exit flags and physical interrupt bindings kept. The counters rise by
// exactly what a known sequence of exits makes, and a reset leaves them.
// Every refusal of both calls.
#include <string.h>

#include <uapi/hypercall.h>
#include <uapi/root.h>
#include <uapi/vm.h>

#include "guest.h"
#include "ktest.h"

#define GUEST_RAM 0x40000000ull
#define BADGE0 0x100 /* vCPU i's exits: BADGE0 + i */
#define VCPU_CPU 2   /* vCPU i runs on CPU VCPU_CPU + i, away from ktest's CPU 0 */
#define VCPU_PRIO 10
#define EXIT_MS 2000

#define SCTLR_RESET 0x30d00800ull
#define SCTLR_C_I ((1ull << 12) | (1ull << 2))
#define PSTATE_EL1H_MASKED 0x3c5ull

#define PSCI_VERSION 0x84000000ull
#define PSCI_CPU_ON 0xc4000003ull
#define PSCI_AFFINITY_INFO 0xc4000004ull

#define UNMAPPED 0x09000000ull /* nothing there: an MMIO exit */
#define GICD_CTLR CV_VM_GICD_BASE
#define GICD_CTLR_ARE_NS 0x10u
#define GICD_ISENABLER1 (CV_VM_GICD_BASE + 0x104)
#define GICD_ISPENDR1 (CV_VM_GICD_BASE + 0x204)
#define GICR0_ISPENDR0 (CV_VM_GICR_BASE + 0x10000 + 0x200)
#define SPI 40
#define SGI 3

/* The main thread's message buffer while a test runs: exit state
 * (CV_VCPU_STATE_ALL) arrives here. */
static union {
	struct cv_vcpu_state s;
	char page[4096];
} ipcbuf __attribute__((aligned(4096)));

struct guest {
	cv_slot_t vm, frame, ep, exit_cap[2], vcpu[2];
	struct cv_msg m;  /* the last exit received */
	unsigned seen1;   /* vCPU 1's exits, each answered with GUEST_WFI */
};

static bool guest_make(struct guest *g, unsigned vcpus)
{
	memset(g, 0, sizeof(*g));
	g->vm = slot_new();
	g->frame = slot_new();
	g->ep = ep_new();
	if (!g->ep || !EXPECT_ST(cv_vm_create(CV_ROOT_SLOT_QUOTA, g->vm, 20), CV_OK) ||
	    !EXPECT_ST(cv_frame_create(CV_ROOT_SLOT_QUOTA, g->frame, 1), CV_OK) ||
	    !EXPECT_ST(cv_frame_map(g->frame, g->vm, GUEST_RAM, CV_MAP_READ | CV_MAP_WRITE | CV_MAP_EXEC), CV_OK) ||
	    !EXPECT_ST(cv_task_copy_in(g->vm, GUEST_RAM, ktest_guest_start,
				       (uint64_t)(ktest_guest_end - ktest_guest_start)),
		       CV_OK) ||
	    !EXPECT_ST(cv_thread_set_ipc_buffer(CV_ROOT_SLOT_THREAD, (uint64_t)(uintptr_t)&ipcbuf), CV_OK))
		return false;
	for (unsigned i = 0; i < vcpus; i++) {
		g->exit_cap[i] = slot_new();
		g->vcpu[i] = slot_new();
		if (!EXPECT_ST(cv_cap_mint(g->ep, g->exit_cap[i], CV_RIGHTS_ALL, BADGE0 + i), CV_OK) ||
		    !EXPECT_ST(cv_vcpu_create(g->vm, CV_ROOT_SLOT_QUOTA, g->vcpu[i], GUEST_RAM, 0, VCPU_PRIO,
					      VCPU_CPU + i, i),
			       CV_OK) ||
		    !EXPECT_ST(cv_vcpu_set_exit(g->vcpu[i], g->exit_cap[i], CV_VCPU_STATE_ALL), CV_OK))
			return false;
	}
	return true;
}

static void guest_free(struct guest *g)
{
	for (unsigned i = 0; i < 2; i++) {
		if (g->vcpu[i])
			(void)cv_cap_delete(g->vcpu[i]);
		if (g->exit_cap[i])
			(void)cv_cap_delete(g->exit_cap[i]);
	}
	(void)cv_cap_delete(g->vm);
	(void)cv_cap_delete(g->frame);
	(void)cv_cap_delete(g->ep);
	(void)cv_thread_set_ipc_buffer(CV_ROOT_SLOT_THREAD, 0);
}

/* The exit just received is a vCPU's first since a start from its reset
 * state: an HVC at GUEST_RAM, every register zero (x0: the PSCI context
 * id), EL1h with DAIF masked, the MMU off and EL1 state at reset values. */
static void check_fresh(const struct guest *g, uint64_t x0, const char *when)
{
	const struct cv_vcpu_state *s = &ipcbuf.s;
	unsigned bad = 31;

	if (!CHECK((g->m.info & CV_IPC_EXTRA) && s->mask == CV_VCPU_STATE_ALL, "%s: the exit has no state", when))
		return;
	for (unsigned r = 31; r-- > 0;)
		if (s->x[r] != (r ? 0 : x0))
			bad = r;
	CHECK(bad == 31, "%s: x%u = %#llx at entry", when, bad, bad < 31 ? (unsigned long long)s->x[bad] : 0ull);
	CHECK(g->m.mr[1] == GUEST_RAM && s->pc == GUEST_RAM + 4 && s->sp_el0 == 0 &&
		      (s->pstate & 0xf00003cfull) == PSTATE_EL1H_MASKED,
	      "%s: pc %#llx, state pc %#llx, sp %#llx, pstate %#llx", when, (unsigned long long)g->m.mr[1],
	      (unsigned long long)s->pc, (unsigned long long)s->sp_el0, (unsigned long long)s->pstate);
	CHECK(s->sctlr_el1 == SCTLR_RESET && s->vbar_el1 == 0 && s->sp_el1 == 0 && s->tcr_el1 == 0 &&
		      s->ttbr0_el1 == 0 && s->mair_el1 == 0 && s->elr_el1 == 0 && s->spsr_el1 == 0,
	      "%s: SCTLR_EL1 %#llx VBAR_EL1 %#llx SP_EL1 %#llx TCR_EL1 %#llx (reset: %#llx, 0, 0, 0)", when,
	      (unsigned long long)s->sctlr_el1, (unsigned long long)s->vbar_el1, (unsigned long long)s->sp_el1,
	      (unsigned long long)s->tcr_el1, SCTLR_RESET);
}

/* The next exit, which must be vCPU i's for reason (it is then in g->m,
 * unanswered). vCPU 1's exits on the way (it was powered on by PSCI) are
 * each checked to be its first from reset and answered with GUEST_WFI,
 * where it stays. */
static bool await_exit(struct guest *g, unsigned i, uint64_t reason)
{
	for (;;) {
		if (!EXPECT_ST(recv_timeout(g->ep, &g->m, EXIT_MS), CV_OK))
			return false;
		if (i != 1 && g->m.badge == BADGE0 + 1) {
			struct cv_msg park = {.info = 2, .mr = {CV_REPLY_LOAD, GUEST_WFI}};
			if (g->seen1++ == 0)
				check_fresh(g, 0, "vCPU 1 after CPU_ON");
			if (!EXPECT_ST(cv_reply(&park), CV_OK))
				return false;
			continue;
		}
		return CHECK((g->m.info & CV_IPC_VCPU_EXIT) && g->m.badge == BADGE0 + i &&
				     (g->m.mr[0] & CV_EXIT_REASON_MASK) == reason,
			     "exit with info %#llx badge %#llx MR0 %#llx at pc %#llx; expected vCPU %u, reason %llu",
			     (unsigned long long)g->m.info, (unsigned long long)g->m.badge,
			     (unsigned long long)g->m.mr[0], (unsigned long long)g->m.mr[1], i,
			     (unsigned long long)reason);
	}
}

/* Answers vCPU i's HVC exit with a command (guest.h); then, for a command
 * that exits again, waits for that exit, of reason (0: do not wait). */
static bool command(struct guest *g, unsigned i, uint64_t cmd, uint64_t a1, uint64_t a2, uint64_t a3,
		    uint64_t reason)
{
	struct cv_msg r = {.info = 5, .mr = {CV_REPLY_LOAD, cmd, a1, a2, a3}};

	if (!EXPECT_ST(cv_reply(&r), CV_OK))
		return false;
	return !reason || await_exit(g, i, reason);
}

/* x1 of the exit in g->m (a command's first result). */
static uint64_t result(const struct guest *g)
{
	return g->m.mr[3];
}

/* A hypercall by vCPU i (GUEST_CALL): its x0. */
static bool guest_call(struct guest *g, unsigned i, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t *x0)
{
	if (!command(g, i, GUEST_CALL, fid, a1, a2, CV_EXIT_HVC))
		return false;
	*x0 = result(g);
	return true;
}

/* A 32-bit load by vCPU i (emulated by the kernel for the vGIC). */
static bool guest_load(struct guest *g, unsigned i, uint64_t addr, uint64_t *value)
{
	if (!command(g, i, GUEST_LOAD, addr, 0, 0, CV_EXIT_HVC))
		return false;
	*value = result(g);
	return true;
}

/* Answers vCPU i's MMIO exit (a load gets value), then waits for its next
 * HVC exit. */
static bool answer_mmio(struct guest *g, unsigned i, uint64_t value)
{
	bool write = g->m.mr[3] & CV_MMIO_WRITE;
	struct cv_msg r = {.info = 2, .mr = {CV_REPLY_DONE | (write ? 0 : CV_REPLY_LOAD), value}};

	return EXPECT_ST(cv_reply(&r), CV_OK) && await_exit(g, i, CV_EXIT_HVC);
}

/* The vCPU is not running, and stands at GUEST_RAM + off (off + 4: one
 * instruction on). Polled: it may still be on its way there. */
static bool stopped_at(cv_slot_t vcpu, uint64_t off, struct cv_regs *regs)
{
	uint64_t end = ktest_deadline_ms(EXIT_MS);
	enum cv_status st;

	do {
		st = cv_thread_read_regs(vcpu, regs);
		if (st == CV_OK && (regs->pc == GUEST_RAM + off || regs->pc == GUEST_RAM + off + 4))
			return true;
		(void)cv_yield();
	} while (ktest_now() < end);
	return CHECK(0, "the vCPU did not stop at %#llx: read_regs %s, pc %#llx", (unsigned long long)(GUEST_RAM + off),
		     cv_strerror(st), (unsigned long long)regs->pc);
}

/* After a reset: registers at their reset values, as THREAD_READ_REGS
 * shows them (pc 0, EL1h with DAIF masked). */
static void check_reset_regs(cv_slot_t vcpu, const char *which)
{
	struct cv_regs regs;
	unsigned bad = 31;

	if (!EXPECT_ST(cv_thread_read_regs(vcpu, &regs), CV_OK))
		return;
	for (unsigned r = 31; r-- > 0;)
		if (regs.x[r])
			bad = r;
	CHECK(bad == 31 && regs.pc == 0 && regs.sp == 0 && regs.tpidr == 0 && regs.pstate == PSTATE_EL1H_MASKED,
	      "%s after reset: x%u %#llx, pc %#llx, sp %#llx, pstate %#llx", which, bad,
	      bad < 31 ? (unsigned long long)regs.x[bad] : 0ull, (unsigned long long)regs.pc,
	      (unsigned long long)regs.sp, (unsigned long long)regs.pstate);
}

/* vCPU i, reset, starts again at GUEST_RAM (THREAD_WRITE_REGS sets the
 * pc, as a monitor does) and makes its first exit: from scratch. */
static bool restart(struct guest *g, unsigned i, const char *when)
{
	struct cv_regs regs;

	if (!EXPECT_ST(cv_thread_read_regs(g->vcpu[i], &regs), CV_OK))
		return false;
	regs.pc = GUEST_RAM;
	if (!EXPECT_ST(cv_thread_write_regs(g->vcpu[i], &regs), CV_OK) ||
	    !EXPECT_ST(cv_thread_start(g->vcpu[i]), CV_OK) || !await_exit(g, i, CV_EXIT_HVC))
		return false;
	check_fresh(g, 0, when);
	return !ktest_failed();
}

static bool stats_of(cv_slot_t vcpu, struct cv_vcpu_stats *s)
{
	return EXPECT_ST(cv_vcpu_stats(vcpu, s), CV_OK) &&
	       CHECK(s->size == sizeof(*s) && s->version == CV_VCPU_STATS_VERSION, "stats size %u version %u",
		     s->size, s->version);
}

/* No exit arrives for ms: every vCPU stays stopped. */
static void check_quiet(struct guest *g, uint64_t ms, const char *when)
{
	struct cv_msg m;
	enum cv_status st = recv_timeout(g->ep, &m, ms);

	CHECK(st == CV_E_TIMEOUT, "%s: receive %s (badge %#llx, MR0 %#llx), expected no exit", when,
	      cv_strerror(st), st == CV_OK ? (unsigned long long)m.badge : 0ull,
	      st == CV_OK ? (unsigned long long)m.mr[0] : 0ull);
}

static void check_memory_back(uint64_t free0, uint64_t used0)
{
	uint64_t now = wait_free_frames(free0, 2000), used = root_quota_used();

	CHECK(now == free0 && used == used0, "free frames %llu (were %llu), root quota used %llu (was %llu)",
	      (unsigned long long)now, (unsigned long long)free0, (unsigned long long)used,
	      (unsigned long long)used0);
}

/* vCPU 0 running on another CPU, vCPU 1 (powered on by the guest) in WFI;
 * the guest changed its EL1 state, timer and interrupt controller. */
void test_vm_reset_running(void)
{
	uint64_t free0 = settled_free_frames(), used0 = root_quota_used(), r = 0;
	struct cv_vcpu_stats s0, s1;
	struct cv_regs regs;
	struct guest g;

	if (!guest_make(&g, 2) || !EXPECT_ST(cv_thread_start(g.vcpu[0]), CV_OK) || !await_exit(&g, 0, CV_EXIT_HVC))
		goto out;
	check_fresh(&g, 0, "the first start");

	/* Everything a reset must undo. */
	if (!command(&g, 0, GUEST_DIRTY, GUEST_RAM + 0x800, ((uint64_t)SGI << 24) | 1, 0, CV_EXIT_HVC))
		goto out;
	CHECK(ipcbuf.s.sctlr_el1 == (SCTLR_RESET | SCTLR_C_I) && ipcbuf.s.vbar_el1 == GUEST_RAM + 0x800 &&
		      ipcbuf.s.x[30] == GUEST_RAM + 0x800,
	      "dirty: SCTLR_EL1 %#llx VBAR_EL1 %#llx x30 %#llx", (unsigned long long)ipcbuf.s.sctlr_el1,
	      (unsigned long long)ipcbuf.s.vbar_el1, (unsigned long long)ipcbuf.s.x[30]);
	if (!command(&g, 0, GUEST_SYSREGS, 0, 0, 0, CV_EXIT_HVC))
		goto out;
	CHECK((result(&g) & 3) == 1 && g.m.mr[4] == (SCTLR_RESET | SCTLR_C_I), "dirty: CNTV_CTL %#llx SCTLR %#llx",
	      (unsigned long long)result(&g), (unsigned long long)g.m.mr[4]);
	if (!command(&g, 0, GUEST_STORE, GICD_CTLR, 1, 0, CV_EXIT_HVC) ||
	    !command(&g, 0, GUEST_STORE, GICD_ISENABLER1, 1u << (SPI - 32), 0, CV_EXIT_HVC) ||
	    !EXPECT_ST(cv_vm_irq(g.vm, SPI, 1), CV_OK) || !guest_load(&g, 0, GICD_ISPENDR1, &r))
		goto out;
	CHECK(r & (1u << (SPI - 32)), "SPI %u not pending before the reset (ISPENDR1 %#llx)", SPI,
	      (unsigned long long)r);
	if (!guest_load(&g, 0, GICR0_ISPENDR0, &r))
		goto out;
	CHECK(r == 1u << SGI, "SGI %u not pending before the reset (ISPENDR0 %#llx)", SGI, (unsigned long long)r);

	/* vCPU 1 on: it makes its first exit and is parked in WFI. */
	if (!guest_call(&g, 0, PSCI_CPU_ON, 1, GUEST_RAM, &r))
		goto out;
	CHECK(r == 0, "CPU_ON: %lld", (long long)r);
	for (uint64_t end = ktest_deadline_ms(EXIT_MS); !g.seen1 && ktest_now() < end;)
		if (!command(&g, 0, GUEST_WFE, 0, 0, 0, CV_EXIT_HVC))
			goto out;
	if (!CHECK(g.seen1 == 1, "vCPU 1 made %u exits after CPU_ON", g.seen1) ||
	    !stopped_at(g.vcpu[1], GUEST_OFF_WFI, &regs) || !guest_call(&g, 0, PSCI_AFFINITY_INFO, 1, 0, &r))
		goto out;
	CHECK(r == 0, "AFFINITY_INFO(1) before the reset: %lld (expected 0, on)", (long long)r);

	/* vCPU 0 spins on its CPU: it is running (and ticks interrupt it). */
	if (!stats_of(g.vcpu[0], &s0) || !command(&g, 0, GUEST_SPIN, 0, 0, 0, 0))
		goto out;
	ktest_sleep_ms(50);
	EXPECT_ST(cv_thread_read_regs(g.vcpu[0], &regs), CV_E_BUSY);
	if (!EXPECT_ST(cv_vm_reset(g.vm), CV_OK) || !stats_of(g.vcpu[0], &s1))
		goto out;
	CHECK(s1.host_irqs > s0.host_irqs && s1.exits[CV_EXIT_HVC] == s0.exits[CV_EXIT_HVC],
	      "while spinning: host interrupts %llu -> %llu, HVC exits %llu -> %llu",
	      (unsigned long long)s0.host_irqs, (unsigned long long)s1.host_irqs,
	      (unsigned long long)s0.exits[CV_EXIT_HVC], (unsigned long long)s1.exits[CV_EXIT_HVC]);
	check_reset_regs(g.vcpu[0], "vCPU 0");
	check_reset_regs(g.vcpu[1], "vCPU 1");
	check_quiet(&g, 50, "after the reset");

	/* Started again: from scratch, vCPU 1 off. */
	g.seen1 = 0;
	if (!restart(&g, 0, "the start after the reset") || !command(&g, 0, GUEST_SYSREGS, 0, 0, 0, CV_EXIT_HVC))
		goto out;
	CHECK((result(&g) & 3) == 0 && g.m.mr[4] == SCTLR_RESET, "after the reset: CNTV_CTL %#llx SCTLR %#llx",
	      (unsigned long long)result(&g), (unsigned long long)g.m.mr[4]);
	if (!guest_load(&g, 0, GICD_CTLR, &r))
		goto out;
	CHECK(r == GICD_CTLR_ARE_NS, "after the reset: GICD_CTLR %#llx", (unsigned long long)r);
	if (!guest_load(&g, 0, GICD_ISENABLER1, &r))
		goto out;
	CHECK(r == 0, "after the reset: GICD_ISENABLER1 %#llx", (unsigned long long)r);
	if (!guest_load(&g, 0, GICD_ISPENDR1, &r))
		goto out;
	CHECK(r == 0, "after the reset: GICD_ISPENDR1 %#llx", (unsigned long long)r);
	if (!guest_load(&g, 0, GICR0_ISPENDR0, &r))
		goto out;
	CHECK(r == 0, "after the reset: GICR_ISPENDR0 %#llx", (unsigned long long)r);
	if (!guest_call(&g, 0, PSCI_AFFINITY_INFO, 1, 0, &r))
		goto out;
	CHECK(r == 1 && g.seen1 == 0, "after the reset: AFFINITY_INFO(1) %lld (expected 1, off), %u exits",
	      (long long)r, g.seen1);
	EXPECT_ST(cv_thread_start(g.vcpu[0]), CV_E_BUSY);

	/* CPU_ON works again, and vCPU 1 too starts from scratch. */
	if (!guest_call(&g, 0, PSCI_CPU_ON, 1, GUEST_RAM, &r))
		goto out;
	CHECK(r == 0, "CPU_ON after the reset: %lld", (long long)r);
	for (uint64_t end = ktest_deadline_ms(EXIT_MS); !g.seen1 && ktest_now() < end;)
		if (!command(&g, 0, GUEST_WFE, 0, 0, 0, CV_EXIT_HVC))
			goto out;
	CHECK(g.seen1 == 1, "vCPU 1 made %u exits after the second CPU_ON", g.seen1);
out:
	guest_free(&g);
	check_memory_back(free0, used0);
}

/* vCPU 0 waiting: in an exit its monitor received and holds, in WFI, in
 * an exit still queued on the endpoint. */
void test_vm_reset_waiting(void)
{
	uint64_t free0 = settled_free_frames(), used0 = root_quota_used();
	struct cv_msg late = {.info = 2, .mr = {CV_REPLY_LOAD, GUEST_SPIN}}, m;
	struct cv_vcpu_stats s0, s1;
	struct cv_regs regs;
	struct guest g;

	if (!guest_make(&g, 1) || !EXPECT_ST(cv_thread_start(g.vcpu[0]), CV_OK) || !await_exit(&g, 0, CV_EXIT_HVC))
		goto out;

	/* The exit this thread holds is cancelled: the late reply finds
	 * nobody, and changes nothing. */
	if (!EXPECT_ST(cv_vm_reset(g.vm), CV_OK))
		goto out;
	EXPECT_ST(cv_reply(&late), CV_E_DEAD);
	check_reset_regs(g.vcpu[0], "in a received exit");
	if (!restart(&g, 0, "after a reset in a received exit"))
		goto out;

	/* In WFI. */
	if (!stats_of(g.vcpu[0], &s0) || !command(&g, 0, GUEST_WFI, 0, 0, 0, 0) ||
	    !stopped_at(g.vcpu[0], GUEST_OFF_WFI, &regs) || !stats_of(g.vcpu[0], &s1))
		goto out;
	CHECK(s1.wfi > s0.wfi, "WFI handled in the kernel: %llu -> %llu", (unsigned long long)s0.wfi,
	      (unsigned long long)s1.wfi);
	if (!EXPECT_ST(cv_vm_reset(g.vm), CV_OK))
		goto out;
	check_reset_regs(g.vcpu[0], "in WFI");
	if (!restart(&g, 0, "after a reset in WFI"))
		goto out;

	/* In an exit nobody received yet: it leaves the endpoint's queue. */
	if (!stats_of(g.vcpu[0], &s0) || !command(&g, 0, GUEST_STORE, UNMAPPED, 7, 0, 0) ||
	    !stopped_at(g.vcpu[0], GUEST_OFF_STORE, &regs) || !stats_of(g.vcpu[0], &s1))
		goto out;
	CHECK(s1.exits[CV_EXIT_MMIO] == s0.exits[CV_EXIT_MMIO] + 1, "MMIO exits %llu -> %llu before the reset",
	      (unsigned long long)s0.exits[CV_EXIT_MMIO], (unsigned long long)s1.exits[CV_EXIT_MMIO]);
	if (!EXPECT_ST(cv_vm_reset(g.vm), CV_OK))
		goto out;
	m.info = CV_IPC_NONBLOCK;
	EXPECT_ST(cv_recv(g.ep, &m), CV_E_WOULD_BLOCK);
	check_reset_regs(g.vcpu[0], "in a queued exit");

	/* And the guest works as before: an MMIO exit answered. */
	if (!restart(&g, 0, "after a reset in a queued exit") ||
	    !command(&g, 0, GUEST_STORE, UNMAPPED, 7, 0, CV_EXIT_MMIO))
		goto out;
	CHECK(g.m.mr[2] == UNMAPPED && g.m.mr[4] == 7, "MMIO exit at %#llx value %llu",
	      (unsigned long long)g.m.mr[2], (unsigned long long)g.m.mr[4]);
	answer_mmio(&g, 0, 0);
out:
	guest_free(&g);
	check_memory_back(free0, used0);
}

/* Each counter rises by exactly what a known sequence of exits and
 * kernel-handled events makes; a reset leaves them. */
void test_vcpu_stats(void)
{
	uint64_t free0 = settled_free_frames(), used0 = root_quota_used(), r = 0;
	struct cv_vcpu_stats s0, s1, s2;
	struct guest g;
	unsigned commands = 0, mmio = 0;

	if (!guest_make(&g, 1) || !stats_of(g.vcpu[0], &s0))
		goto out;
	for (unsigned i = 0; i < CV_VCPU_STATS_EXITS; i++)
		CHECK(s0.exits[i] == 0, "a new vCPU has %llu exits of reason %u", (unsigned long long)s0.exits[i], i);
	CHECK(s0.entries == 0 && s0.hvc_null == 0 && s0.host_irqs == 0, "a new vCPU: %llu entries, %llu null calls",
	      (unsigned long long)s0.entries, (unsigned long long)s0.hvc_null);
	if (!EXPECT_ST(cv_thread_start(g.vcpu[0]), CV_OK) || !await_exit(&g, 0, CV_EXIT_HVC) ||
	    !stats_of(g.vcpu[0], &s0))
		goto out;

	for (unsigned i = 0; i < 3; i++, commands++)
		if (!guest_call(&g, 0, CV_HVC_NULL, 0, 0, &r) || !CHECK(r == 0, "null hypercall: %llu", (unsigned long long)r))
			goto out;
	for (unsigned i = 0; i < 2; i++, commands++)
		if (!guest_call(&g, 0, PSCI_VERSION, 0, 0, &r) || !CHECK(r == 0x10001, "PSCI_VERSION: %#llx", (unsigned long long)r))
			goto out;
	commands++;
	if (!command(&g, 0, GUEST_SYSREGS, 0, 0, 0, CV_EXIT_HVC))
		goto out;
	commands++;
	if (!guest_load(&g, 0, GICD_CTLR, &r))
		goto out;
	commands++, mmio++;
	if (!command(&g, 0, GUEST_STORE, UNMAPPED, 1, 0, CV_EXIT_MMIO) || !answer_mmio(&g, 0, 0))
		goto out;
	commands++, mmio++;
	if (!command(&g, 0, GUEST_LOAD, UNMAPPED, 0, 0, CV_EXIT_MMIO) || !answer_mmio(&g, 0, 0x1234))
		goto out;
	CHECK(result(&g) == 0x1234, "MMIO load: %#llx", (unsigned long long)result(&g));
	if (!stats_of(g.vcpu[0], &s1))
		goto out;

	for (unsigned i = 0; i < CV_VCPU_STATS_EXITS; i++) {
		uint64_t want = s0.exits[i] + (i == CV_EXIT_HVC ? commands : i == CV_EXIT_MMIO ? mmio : 0);
		CHECK(s1.exits[i] == want, "exits of reason %u: %llu -> %llu, expected %llu", i,
		      (unsigned long long)s0.exits[i], (unsigned long long)s1.exits[i], (unsigned long long)want);
	}
	CHECK(s1.hvc_null == s0.hvc_null + 3 && s1.psci == s0.psci + 2 && s1.sysreg == s0.sysreg + 1 &&
		      s1.gic_mmio == s0.gic_mmio + 1 && s1.wfe == s0.wfe && s1.wfi == s0.wfi,
	      "null %llu->%llu psci %llu->%llu sysreg %llu->%llu gic %llu->%llu wfe %llu->%llu wfi %llu->%llu",
	      (unsigned long long)s0.hvc_null, (unsigned long long)s1.hvc_null, (unsigned long long)s0.psci,
	      (unsigned long long)s1.psci, (unsigned long long)s0.sysreg, (unsigned long long)s1.sysreg,
	      (unsigned long long)s0.gic_mmio, (unsigned long long)s1.gic_mmio, (unsigned long long)s0.wfe,
	      (unsigned long long)s1.wfe, (unsigned long long)s0.wfi, (unsigned long long)s1.wfi);
	/* Back into the guest: after each exit answered and each event the
	 * kernel handled under its lock, and after interrupts; a null
	 * hypercall is answered on the way in, unless the CPU had
	 * something to schedule (then it counts too). */
	uint64_t handled = commands + mmio + 2 + 1 + 1;
	uint64_t entries = s1.entries - s0.entries, irqs = s1.host_irqs - s0.host_irqs;
	CHECK(entries >= handled && entries <= handled + irqs + 3,
	      "entries rose by %llu; expected %llu to %llu (%llu host interrupts)", (unsigned long long)entries,
	      (unsigned long long)handled, (unsigned long long)(handled + irqs + 3), (unsigned long long)irqs);

	/* A reset keeps them. */
	if (!EXPECT_ST(cv_vm_reset(g.vm), CV_OK) || !stats_of(g.vcpu[0], &s2))
		goto out;
	CHECK(s2.exits[CV_EXIT_HVC] == s1.exits[CV_EXIT_HVC] && s2.hvc_null == s1.hvc_null &&
		      s2.entries >= s1.entries,
	      "after the reset: HVC exits %llu (were %llu), null %llu (was %llu)",
	      (unsigned long long)s2.exits[CV_EXIT_HVC], (unsigned long long)s1.exits[CV_EXIT_HVC],
	      (unsigned long long)s2.hvc_null, (unsigned long long)s1.hvc_null);
out:
	guest_free(&g);
	check_memory_back(free0, used0);
}

/* The size word: a shorter structure gets what fits, a longer one the
 * kernel's; refusals. */
static void stats_sizes(cv_slot_t vcpu)
{
	static const struct cv_vcpu_stats read_only = {.size = sizeof(struct cv_vcpu_stats)};
	struct {
		struct cv_vcpu_stats s;
		uint64_t more[4];
	} big;
	struct cv_vcpu_stats s;

	memset(&s, 0xa5, sizeof(s));
	s.size = 8;
	if (EXPECT_ST(cv_syscall(CV_SYS_VCPU_STATS, vcpu, (uint64_t)(uintptr_t)&s, 0, 0, 0, 0, NULL), CV_OK))
		CHECK(s.size == 8 && s.version == CV_VCPU_STATS_VERSION && s.entries == 0xa5a5a5a5a5a5a5a5ull,
		      "size 8: wrote %u, version %u, entries %#llx", s.size, s.version, (unsigned long long)s.entries);
	s.size = 16;
	if (EXPECT_ST(cv_syscall(CV_SYS_VCPU_STATS, vcpu, (uint64_t)(uintptr_t)&s, 0, 0, 0, 0, NULL), CV_OK))
		CHECK(s.size == 16 && s.entries != 0xa5a5a5a5a5a5a5a5ull && s.exits[0] == 0xa5a5a5a5a5a5a5a5ull,
		      "size 16: wrote %u", s.size);
	memset(&big, 0xa5, sizeof(big));
	big.s.size = sizeof(big);
	if (EXPECT_ST(cv_syscall(CV_SYS_VCPU_STATS, vcpu, (uint64_t)(uintptr_t)&big, 0, 0, 0, 0, NULL), CV_OK))
		CHECK(big.s.size == sizeof(big.s) && big.more[0] == 0xa5a5a5a5a5a5a5a5ull,
		      "a larger structure: wrote %u", big.s.size);
	for (unsigned i = 0; i < 3; i++) {
		static const uint32_t bad[] = {0, 4, 12};
		s.size = bad[i];
		EXPECT_ST(cv_syscall(CV_SYS_VCPU_STATS, vcpu, (uint64_t)(uintptr_t)&s, 0, 0, 0, 0, NULL), CV_E_BAD_ARG);
	}
	EXPECT_ST(cv_syscall(CV_SYS_VCPU_STATS, vcpu, 0, 0, 0, 0, 0, NULL), CV_E_BAD_ADDRESS);
	EXPECT_ST(cv_syscall(CV_SYS_VCPU_STATS, vcpu, (uint64_t)(uintptr_t)&read_only, 0, 0, 0, 0, NULL),
		  CV_E_BAD_ADDRESS);
	EXPECT_ST(cv_syscall(CV_SYS_VCPU_STATS, vcpu, 1ull << 40, 0, 0, 0, 0, NULL), CV_E_BAD_ADDRESS);
}

/* Every refusal of both calls, a VM without vCPUs or with vCPUs never
 * started, a bound physical interrupt kept, and a dead VM's counters. */
void test_vm_reset_errors(void)
{
	uint64_t free0 = settled_free_frames(), used0 = root_quota_used();
	const struct cv_root_devices *list = (const void *)(uintptr_t)CV_ROOT_DEVICES_VA;
	cv_slot_t weak_vm = slot_new(), weak_vcpu = slot_new(), empty = slot_new();
	cv_slot_t lone = slot_new(), lone_vcpu = slot_new(), irq = 0;
	struct cv_vcpu_stats s, d;
	struct guest g;

	for (uint32_t i = 0; i < list->count && i < CV_ROOT_DEVICES_MAX && !irq; i++)
		if (list->devices[i].irq_slot && !strcmp(list->devices[i].compatible, "virtio,mmio"))
			irq = list->devices[i].irq_slot;
	if (!guest_make(&g, 2) || !CHECK(irq, "no idle virtio,mmio interrupt") ||
	    !EXPECT_ST(cv_cap_copy(g.vm, weak_vm, CV_RIGHT_READ), CV_OK) ||
	    !EXPECT_ST(cv_cap_copy(g.vcpu[0], weak_vcpu, CV_RIGHT_WRITE), CV_OK))
		goto out;

	EXPECT_ST(cv_vm_reset(CV_ROOT_SLOTS), CV_E_BAD_SLOT);
	EXPECT_ST(cv_syscall(CV_SYS_VM_RESET, (1ull << 32) + g.vm, 0, 0, 0, 0, 0, NULL), CV_E_BAD_SLOT);
	EXPECT_ST(cv_vm_reset(empty), CV_E_EMPTY_SLOT);
	EXPECT_ST(cv_vm_reset(g.ep), CV_E_BAD_TYPE);
	EXPECT_ST(cv_vm_reset(g.vcpu[0]), CV_E_BAD_TYPE);
	EXPECT_ST(cv_vm_reset(weak_vm), CV_E_NO_RIGHTS);
	/* Nothing started yet, nothing to stop: fine. */
	EXPECT_ST(cv_vm_reset(g.vm), CV_OK);

	EXPECT_ST(cv_vcpu_stats(CV_ROOT_SLOTS, &s), CV_E_BAD_SLOT);
	EXPECT_ST(cv_vcpu_stats(empty, &s), CV_E_EMPTY_SLOT);
	EXPECT_ST(cv_vcpu_stats(g.vm, &s), CV_E_BAD_TYPE);
	EXPECT_ST(cv_vcpu_stats(CV_ROOT_SLOT_THREAD, &s), CV_E_BAD_TYPE);
	EXPECT_ST(cv_vcpu_stats(weak_vcpu, &s), CV_E_NO_RIGHTS);
	stats_sizes(g.vcpu[0]);

	/* A bound physical interrupt stays bound (and is never left masked). */
	if (EXPECT_ST(cv_vm_irq_bind(g.vm, SPI + 1, irq), CV_OK)) {
		EXPECT_ST(cv_vm_reset(g.vm), CV_OK);
		EXPECT_ST(cv_vm_irq(g.vm, SPI + 1, 1), CV_E_BUSY);
		EXPECT_ST(cv_irq_unbind(irq), CV_OK);
	}

	/* A VM without vCPUs. */
	if (EXPECT_ST(cv_vm_create(CV_ROOT_SLOT_QUOTA, lone, 10), CV_OK))
		EXPECT_ST(cv_vm_reset(lone), CV_OK);

	/* A dying VM: its vCPU starts where nothing is mapped without an exit
	 * endpoint, and its first exit stops the VM. Its counters stay
	 * readable, with that exit in them. */
	if (!EXPECT_ST(cv_vcpu_create(lone, CV_ROOT_SLOT_QUOTA, lone_vcpu, 0x80000000, 0, VCPU_PRIO, VCPU_CPU, 0),
		       CV_OK) ||
	    !EXPECT_ST(cv_thread_start(lone_vcpu), CV_OK))
		goto out;
	uint64_t end = ktest_deadline_ms(EXIT_MS);
	while (cv_vm_irq(lone, SPI, 0) != CV_E_DEAD && ktest_now() < end)
		(void)cv_yield();
	EXPECT_ST(cv_vm_reset(lone), CV_E_DEAD);
	if (stats_of(lone_vcpu, &d))
		CHECK(d.exits[CV_EXIT_IABT] == 1, "the dead VM's vCPU: %llu instruction-fetch exits",
		      (unsigned long long)d.exits[CV_EXIT_IABT]);
	EXPECT_ST(cv_cap_delete(lone), CV_OK);
	if (stats_of(lone_vcpu, &s))
		CHECK(s.exits[CV_EXIT_IABT] == 1 && s.entries == d.entries,
		      "its VM gone: %llu exits, %llu entries (were %llu)", (unsigned long long)s.exits[CV_EXIT_IABT],
		      (unsigned long long)s.entries, (unsigned long long)d.entries);
out:
	(void)cv_cap_delete(weak_vm);
	(void)cv_cap_delete(weak_vcpu);
	(void)cv_cap_delete(lone_vcpu);
	(void)cv_cap_delete(lone);
	guest_free(&g);
	check_memory_back(free0, used0);
}
