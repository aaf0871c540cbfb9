// SPDX-License-Identifier: BSD-2-Clause
// The test monitor, run as the root task: starts the VMs its configuration
// module ("vmm.conf") names, serves their exits on one endpoint — a PL011
// UART's data and flag registers, unknown hypercalls (NOT_SUPPORTED),
// trapped system registers (an undefined-instruction exception), accesses
// outside RAM (an abort, and a line saying so) — and destroys each VM when
// its guest powers off, checking at the end that all memory came back.
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

#include "vmm.h"

#define SLOT_EXIT_EP (CV_ROOT_SLOT_FIRST_FREE + VMM_VMS_MAX * 64)
#define UART_DR 0x00
#define UART_FR 0x18
#define PSCI_SYSTEM_OFF 0x84000008u

static struct vm_state vms[VMM_VMS_MAX];
static unsigned vm_count, cpus, failures;

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
	printf("vmm: %s: %s (run %u, %lu exits)\n", vm->cfg.name, why, vm->run + 1, vm->exits);
	vmm_vm_destroy(vm);
	vm->run++;
}

/* Handles one exit; returns whether the vCPU should get a reply. */
static bool handle_exit(struct vm_state *vm, struct cv_msg *m)
{
	uint64_t reason = m->mr[0] & CV_EXIT_REASON_MASK;
	uint64_t flags = 0, values[4] = {0};

	vm->exits++;
	switch (reason) {
	case CV_EXIT_MMIO:
		flags = mmio(vm, m, &values[0]);
		break;
	case CV_EXIT_HVC:
	case CV_EXIT_SMC:
		values[0] = (uint64_t)CV_SMCCC_NOT_SUPPORTED;
		flags = CV_REPLY_DONE | CV_REPLY_LOAD;
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
	m->info = 5;
	m->mr[0] = flags;
	for (unsigned i = 0; i < 4; i++)
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

static void start(unsigned i)
{
	if (!vmm_vm_start(&vms[i], i, SLOT_EXIT_EP, cpus)) {
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
