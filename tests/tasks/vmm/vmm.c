// SPDX-License-Identifier: BSD-2-Clause
// The test monitor, run as the root task: starts the VMs its configuration
// module ("vmm.conf") names, serves their exits on one endpoint — a PL011
// UART's data and flag registers, unknown hypercalls (NOT_SUPPORTED), SMC
// (an undefined-instruction exception),
// trapped system registers (an undefined-instruction exception), accesses
// outside RAM (an abort, and a line saying so) — passes devices through
// where a VM's line asks (passthrough.c), and destroys each VM when its
// guest powers off, checking at the end that all memory came back.
// Prints every guest line as "[NAME] line".
#include <stdio.h>
#include <string.h>

#include <cv/counter.h>
#include <cv/runtime.h>
#include <cv/syscall.h>
#include <uapi/hypercall.h>
#include <uapi/ipc.h>
#include <uapi/root.h>
#include <uapi/vm.h>

#include "../../guests/lib/test_hvc.h"
#include "vmm.h"

#define SLOT_EXIT_EP (CV_ROOT_SLOT_FIRST_FREE + VMM_VMS_MAX * 64)
#define UART_DR 0x00
#define UART_FR 0x18
#define PSCI_SYSTEM_OFF 0x84000008u

static struct vm_state vms[VMM_VMS_MAX];
/* Exit state arrives here (CV_VCPU_STATE_*); replies set registers from it. */
static struct cv_vcpu_state exit_state __attribute__((aligned(4096)));
static unsigned vm_count, cpus, failures;
static cv_slot_t stuck_ep; /* the never-replying monitor thread's (stuck.c) */

static void start(unsigned i);

/* VM `from` printed `line`: start the VMs that waited for it. */
static void start_waiters(const struct vm_state *from, const char *line)
{
	for (unsigned i = 0; i < vm_count; i++) {
		struct vm_state *w = &vms[i];
		if (w->waiting && strcmp(w->cfg.after, from->cfg.name) == 0 && strstr(line, w->cfg.after_word)) {
			w->waiting = false;
			printf("vmm: %s: starting after %s\n", w->cfg.name, from->cfg.name);
			start(i);
		}
	}
}

static void uart_put(struct vm_state *vm, char c)
{
	if (c == '\n' || vm->line_len == sizeof(vm->line) - 1) {
		vm->line[vm->line_len] = 0;
		printf("[%s] %s\n", vm->cfg.name, vm->line);
		vm->line_len = 0;
		start_waiters(vm, vm->line);
		if (c == '\n')
			return;
	}
	if (c != '\r')
		vm->line[vm->line_len++] = c;
}

/* An MMIO exit: the UART, or an access outside what the VM has. */
static uint64_t mmio(struct vm_state *vm, const struct cv_msg *m, uint64_t *value)
{
	uint64_t addr = m->mr[2], access = m->mr[3];

	if (access & CV_MMIO_NO_SYNDROME) {
		printf("vmm: %s: undecodable access at 0x%lx, pc 0x%lx, syndrome 0x%lx\n", vm->cfg.name,
		       (unsigned long)addr, (unsigned long)m->mr[1],
		       (unsigned long)(m->mr[0] >> CV_EXIT_SYNDROME_SHIFT));
		return CV_REPLY_INJECT_ABORT;
	}
	if (addr >= GUEST_UART_BASE && addr < GUEST_UART_BASE + GUEST_UART_SIZE) {
		if (access & CV_MMIO_WRITE) {
			if (addr - GUEST_UART_BASE == UART_DR)
				uart_put(vm, (char)m->mr[4]);
			return CV_REPLY_DONE;
		}
		*value = 0; /* FR: transmit FIFO never full; the rest reads as 0 */
		return CV_REPLY_DONE | CV_REPLY_LOAD;
	}
	if (vm->mmio_outside++ < 4)
		printf("vmm: %s: access outside its memory at 0x%lx, pc 0x%lx\n", vm->cfg.name,
		       (unsigned long)addr, (unsigned long)m->mr[1]);
	return CV_REPLY_INJECT_ABORT;
}

static void finish_vm(struct vm_state *vm, const char *why)
{
	unsigned run = vm->run + 1;

	if (vm->cfg.checkregs) {
		printf("vmm: %s: EL0 view %s after %lu of %lu exits\n", vm->cfg.name,
		       vm->view_bad ? "FAIL" : "ok", vm->view_bad ? vm->view_bad : vm->view_checks, vm->exits);
		failures += vm->view_bad != 0;
	}

	/* VMs run a thousand times say so now and then. */
	if (run <= 3 || run % 100 == 0 || run == vm->cfg.runs)
		printf("vmm: %s: %s (run %u, %lu exits)\n", vm->cfg.name, why, run, vm->exits);
	vmm_vm_destroy(vm);
	vm->run++;
}

/* A reply the kernel must refuse, leaving the vCPU waiting for a good one. */
static bool refused(struct vm_state *vm, const char *what, uint64_t flags, uint64_t mr5)
{
	struct cv_msg r = {.info = 6, .mr = {flags, 0, 0, 0, 0, mr5}};
	enum cv_status st = cv_reply(&r);

	if (st == CV_E_BAD_ARG)
		return true;
	printf("vmm: %s: reply with %s: %s, expected BAD_ARG\n", vm->cfg.name, what, cv_strerror(st));
	failures++;
	return false;
}

/* Replies that must fail: an SPI out of range or with a level that is
 * none, a state whose mask, count,
 * mode or pc a guest cannot have. Each leaves exit_state as it was. */
static void bad_replies(struct vm_state *vm, cv_slot_t vcpu)
{
	struct cv_regs regs;
	struct cv_vcpu_state *s = &exit_state, keep = *s;

	(void)refused(vm, "SPI 31", CV_REPLY_DONE | CV_REPLY_IRQ, 31);
	/* REPLY_RECV refuses it as REPLY does, before it receives anything:
	 * the exit stays owed. */
	struct cv_msg rr = {.info = 6 | CV_IPC_NONBLOCK, .mr = {CV_REPLY_DONE | CV_REPLY_IRQ, 0, 0, 0, 0, 31}};
	enum cv_status st = cv_reply_recv(SLOT_EXIT_EP, &rr);
	if (st != CV_E_BAD_ARG) {
		printf("vmm: %s: REPLY_RECV with SPI 31: %s, expected BAD_ARG\n", vm->cfg.name, cv_strerror(st));
		failures++;
	}
	(void)refused(vm, "SPI past the last", CV_REPLY_DONE | CV_REPLY_IRQ, CV_VM_INTIDS);
	(void)refused(vm, "an SPI level of 3", CV_REPLY_DONE | CV_REPLY_IRQ, 40 | 3ull << CV_REPLY_IRQ_SHIFT);
	(void)refused(vm, "an SPI with high bits", CV_REPLY_DONE | CV_REPLY_IRQ, 40 | 1ull << 40);
	s->mask = CV_VCPU_STATE_ALL; /* EL1 registers cannot be set */
	(void)refused(vm, "EL1 state", CV_REPLY_DONE | CV_REPLY_SET_STATE, 0);
	*s = keep;
	s->mask = CV_VCPU_STATE_GPR;
	s->words = 3;
	(void)refused(vm, "a short state", CV_REPLY_DONE | CV_REPLY_SET_STATE, 0);
	s->words = CV_VCPU_STATE_WORDS;
	s->pstate = (s->pstate & ~0x1full) | 0x9; /* EL2h */
	(void)refused(vm, "pstate EL2", CV_REPLY_DONE | CV_REPLY_SET_STATE, 0);
	s->pstate = keep.pstate | (1ull << 21); /* single-step */
	(void)refused(vm, "pstate SS", CV_REPLY_DONE | CV_REPLY_SET_STATE, 0);
	s->pstate = keep.pstate;
	s->pc = keep.pc + 2;
	(void)refused(vm, "a misaligned pc", CV_REPLY_DONE | CV_REPLY_SET_STATE, 0);
	/* Good registers with an unknown flag: refused after the registers
	 * were set, which must then be undone. */
	s->pc = keep.pc;
	s->x[5] = 0xdead;
	if (refused(vm, "an unknown flag", CV_REPLY_DONE | CV_REPLY_SET_STATE | (1ull << 40), 0) &&
	    (cv_thread_read_regs(vcpu, &regs) != CV_OK || regs.x[5] != keep.x[5])) {
		printf("vmm: %s: a refused reply left x5 = 0x%lx\n", vm->cfg.name, (unsigned long)regs.x[5]);
		failures++;
	}
	*s = keep;
}

/* TEST_HVC_STATE_ECHO (test_hvc.h): checks the state the exit carried
 * and answers by replacing the registers; returns the reply's flags. */
static uint64_t state_echo(struct vm_state *vm, const struct cv_msg *m, uint64_t *irq)
{
	struct cv_vcpu_state *s = &exit_state;
	uint64_t wrong = 0;

	if (!(m->info & CV_IPC_EXTRA) || s->words != CV_VCPU_STATE_WORDS || s->mask != CV_VCPU_STATE_ALL) {
		printf("vmm: %s: state echo without exit state (info 0x%lx)\n", vm->cfg.name, (unsigned long)m->info);
		return 0;
	}
	if (s->x[0] != TEST_HVC_STATE_ECHO)
		wrong |= 1;
	for (unsigned n = 1; n < 31; n++)
		if (s->x[n] != TEST_STATE_PATTERN + n)
			wrong |= 1ull << n;
	if (s->pc != m->mr[1] + 4) /* an HVC's exit resumes past it */
		wrong |= 1ull << 31;
	if ((s->pstate & 0xf) != 5 || s->sp_el1 == 0) /* EL1h, on its own stack */
		wrong |= 1ull << 32;
	if (wrong)
		printf("vmm: %s: exit state wrong (mask 0x%lx)\n", vm->cfg.name, (unsigned long)wrong);
	bad_replies(vm, vm->vcpus + (unsigned)(m->badge & 0xff));
	s->mask = CV_VCPU_STATE_GPR;
	s->x[0] = wrong;
	s->x[1] = s->vbar_el1;
	s->x[2] = s->sctlr_el1;
	for (unsigned n = 3; n < 31; n++)
		s->x[n] ^= TEST_STATE_FLIP;
	*irq = TEST_STATE_SPI;
	return CV_REPLY_SET_STATE | CV_REPLY_DONE | CV_REPLY_IRQ;
}

/* Handles one exit; returns whether the vCPU should get a reply. */
static bool handle_exit(struct vm_state *vm, struct cv_msg *m)
{
	uint64_t reason = m->mr[0] & CV_EXIT_REASON_MASK;
	uint64_t flags = 0, values[5] = {0};

	vm->exits++;
	if (vm->cfg.checkregs) {
		vm->view_checks++;
		vm->view_bad += !vmm_el0_view_ok();
	}
	switch (reason) {
	case CV_EXIT_MMIO:
		flags = mmio(vm, m, &values[0]);
		break;
	case CV_EXIT_HVC:
		if ((uint32_t)m->mr[2] == TEST_HVC_STATE_ECHO)
			flags = state_echo(vm, m, &values[4]);
		if (!flags) {
			values[0] = (uint64_t)CV_SMCCC_NOT_SUPPORTED;
			flags = CV_REPLY_DONE | CV_REPLY_LOAD;
		}
		break;
	case CV_EXIT_SMC:
		/* No secure firmware here: as on hardware without EL3. */
		flags = CV_REPLY_INJECT_UNDEF;
		break;
	case CV_EXIT_IABT:
		if (vm->mmio_outside++ < 4)
			printf("vmm: %s: instruction fetch outside its memory at 0x%lx\n", vm->cfg.name,
			       (unsigned long)m->mr[2]);
		flags = CV_REPLY_INJECT_ABORT;
		break;
	case CV_EXIT_SYSREG:
		vm->sysreg_exits++;
		flags = CV_REPLY_INJECT_UNDEF;
		break;
	case CV_EXIT_PSCI:
		finish_vm(vm, (uint32_t)m->mr[2] == PSCI_SYSTEM_OFF ? "powered off" : "reset requested");
		return false;
	default:
		printf("vmm: %s: exit %lu (syndrome 0x%lx, pc 0x%lx, address 0x%lx): stopped\n", vm->cfg.name,
		       (unsigned long)reason, (unsigned long)(m->mr[0] >> CV_EXIT_SYNDROME_SHIFT),
		       (unsigned long)m->mr[1], (unsigned long)m->mr[2]);
		failures++;
		finish_vm(vm, "stopped");
		return false;
	}
	m->info = 6;
	m->mr[0] = flags;
	for (unsigned i = 0; i < 5; i++)
		m->mr[1 + i] = values[i];
	return true;
}

static unsigned running(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < vm_count; i++)
		if ((vms[i].live || vms[i].waiting) && !vms[i].cfg.endless)
			n++;
	return n;
}

/* The stuck thread holds the exit of the "stuck" VM and will never answer
 * it: destroy the VM anyway, and see that all its memory comes back. */
static void destroy_stuck(void)
{
	for (unsigned i = 0; i < vm_count; i++) {
		struct vm_state *vm = &vms[i];
		uint64_t free = 0, total = 0, t0 = cv_counter(), t1, t2;

		if (!vm->live || !vm->cfg.stuck)
			continue;
		finish_vm(vm, "destroyed while its monitor never replied");
		t1 = cv_counter();
		do {
			(void)cv_memory_info(&free, &total);
			t2 = cv_counter();
		} while (free != vm->free_before && t2 - t1 < cv_counter_frequency() / 2 && cv_yield() == CV_OK);
		if (free != vm->free_before) {
			printf("vmm: %s: memory not back: %lu frames free before the VM, %lu now\n", vm->cfg.name,
			       (unsigned long)vm->free_before, (unsigned long)free);
			failures++;
		} else {
			uint64_t us = cv_counter_frequency() / 1000000;
			printf("vmm: %s: destroy took %lu us, memory back after %lu us\n", vm->cfg.name,
			       (unsigned long)((t1 - t0) / us), (unsigned long)((t2 - t0) / us));
		}
	}
}

static void start(unsigned i)
{
	cv_slot_t ep = SLOT_EXIT_EP;
	uint64_t total;

	if (vms[i].cfg.stuck) {
		if (!stuck_ep)
			stuck_ep = vmm_stuck_start(SLOT_EXIT_EP, 0);
		ep = stuck_ep;
		(void)cv_memory_info(&vms[i].free_before, &total);
	}
	if (!ep || !vmm_vm_start(&vms[i], i, ep, cpus)) {
		failures++;
		vmm_vm_destroy(&vms[i]);
		vms[i].run = vms[i].cfg.runs;
	}
}

int main(void *arg)
{
	const struct cv_root_info *info = arg;
	struct vm_config cfg[VMM_VMS_MAX];
	uint64_t size, free_before = 0, free_after = 0, total = 0;
	const char *text = vmm_find_module("vmm.conf", &size);

	cpus = info->cpu_count;
	if (!text) {
		printf("vmm: no vmm.conf module\nvmm: done 1 failed\n");
		return 1;
	}
	int n = vmm_parse_config(text, size, cfg, VMM_VMS_MAX);
	if (n <= 0 || cv_endpoint_create(CV_ROOT_SLOT_QUOTA, SLOT_EXIT_EP) != CV_OK) {
		printf("vmm: done 1 failed\n");
		return 1;
	}
	(void)cv_memory_info(&free_before, &total);
	vm_count = (unsigned)n;
	if (cv_thread_set_ipc_buffer(CV_ROOT_SLOT_THREAD, (uint64_t)(uintptr_t)&exit_state) != CV_OK) {
		printf("vmm: no message buffer for exit state\nvmm: done 1 failed\n");
		return 1;
	}
	for (unsigned i = 0; i < vm_count; i++) {
		vms[i].cfg = cfg[i];
		printf("vmm: %s: %s, %u vCPU(s) from CPU %u, %u MiB%s\n", cfg[i].name, cfg[i].module, cfg[i].vcpus,
		       cfg[i].cpu, cfg[i].mem_mib, cfg[i].endless ? ", endless" : "");
		if (cfg[i].after[0])
			vms[i].waiting = true;
		else
			start(i);
	}
	struct cv_msg m = {0};
	bool reply = false;
	while (running()) {
		enum cv_status st = reply ? cv_reply_recv(SLOT_EXIT_EP, &m) : cv_recv(SLOT_EXIT_EP, &m);
		reply = false;
		if (st != CV_OK) {
			printf("vmm: receive: %s\n", cv_strerror(st));
			failures++;
			break;
		}
		if (m.badge == VMM_STUCK_BADGE) {
			destroy_stuck();
			continue;
		}
		unsigned index = (unsigned)(m.badge >> 8) & 0xff;
		if (!(m.info & CV_IPC_VCPU_EXIT) || index >= vm_count || !vms[index].live)
			continue;
		struct vm_state *vm = &vms[index];
		reply = handle_exit(vm, &m);
		if (!vm->live && vm->run < vm->cfg.runs)
			start(index);
	}
	for (unsigned i = 0; i < vm_count; i++) {
		if (vms[i].live) {
			printf("vmm: %s: stopping (%lu exits, %lu trapped system registers)\n", vms[i].cfg.name,
			       vms[i].exits, vms[i].sysreg_exits);
			vmm_vm_destroy(&vms[i]);
		}
	}
	if (stuck_ep)
		vmm_stuck_stop();
	/* A vCPU that was running on another CPU is freed when that CPU
	 * leaves it (at once, on the interrupt the kill sent): allow a
	 * moment, not forever. */
	uint64_t deadline = cv_counter() + cv_counter_frequency() / 2;
	do {
		(void)cv_memory_info(&free_after, &total);
		if (free_after == free_before)
			break;
		(void)cv_yield();
	} while (cv_counter() < deadline);
	if (free_after != free_before) {
		printf("vmm: memory FAIL: %lu frames free before, %lu after\n", (unsigned long)free_before,
		       (unsigned long)free_after);
		failures++;
	} else {
		printf("vmm: memory ok: %lu frames free\n", (unsigned long)free_after);
	}
	printf("vmm: done %u failed\n", failures);
	return 0;
}
