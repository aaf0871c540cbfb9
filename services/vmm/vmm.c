// SPDX-License-Identifier: BSD-2-Clause
// The per-VM monitor (docs/vmm.md). Started by a launcher with a handle to
// a VM whose image is loaded ("vm": control and observe) and the VM's
// name as its argument. It binds every vCPU's exits to an endpoint of its
// own, maps the VM's console page, starts the VM and serves its exits:
// the PL011 console (pl011.c) with its interrupt (uart_irq.c), and for the
// rest what hardware without the device would do. It ends when the guest powers off or the VM is
// destroyed; in monitor mode its handle is then the last, and the VM goes
// with it.
#include <stdio.h>
#include <string.h>

#include <cv/counter.h>
#include <cv/runtime.h>
#include <cv/syscall.h>
#include <cv/task.h>
#include <uapi/hypercall.h>
#include <uapi/start.h>
#include <uapi/vm.h>

#include "vmctl.h"
#include "vmm.h"

#define CONSOLE_VA 0x0000002000000000ull
#define PSCI_SYSTEM_OFF 0x84000008u
#define ABORTS_LOGGED 4
/* An idle VMM's receive timeout: 2^9 ms while the guest has no UART
 * interrupt unmasked; 8 ms while it has one, to see typed input soon at
 * about a hundred wake-ups a second (docs/vmm.md, "The UART's
 * interrupt"). */
#define IDLE_POLL CV_IPC_TIMEOUT_MS_LOG2(9)
#define INPUT_POLL CV_IPC_TIMEOUT_MS_LOG2(3)
/* How often an idle VMM asks whether its VM still exists. */
#define ALIVE_CHECKS_PER_SECOND 2u

static const char *name;
static cv_slot_t handle, exit_ep;
static unsigned long exits, aborts;
static struct pl011 *uart;

static cv_slot_t next_slot = 64;

static bool setup(const struct cv_start_info *si)
{
	struct vmmctl_vm_info info;
	cv_slot_t console = next_slot++;
	int err;

	for (uint32_t i = 0; i < si->cap_count && i < CV_START_CAPS_MAX; i++)
		if (strcmp(si->caps[i].name, "vm") == 0)
			handle = si->caps[i].slot;
	name = si->args[0] ? si->args : "?";
	if (!handle) {
		printf("vmm: %s: no VM handle (\"vm\") given\n", name);
		return false;
	}
	if ((err = vmctl_vm_info(handle, &info))) {
		printf("vmm: %s: %s\n", name, vmctl_strerror(err));
		return false;
	}
	exit_ep = next_slot++;
	if (cv_endpoint_create(CV_SLOT_SELF_QUOTA, exit_ep) != CV_OK) {
		printf("vmm: %s: no memory for an endpoint\n", name);
		return false;
	}
	for (unsigned i = 0; i < info.vcpus; i++) {
		/* The badge says which vCPU exited. */
		cv_slot_t badged = next_slot++;
		if (cv_cap_mint(exit_ep, badged, CV_RIGHT_WRITE, i + 1) != CV_OK ||
		    (err = vmctl_vm_vcpu_exit(handle, i, 0, badged))) {
			printf("vmm: %s: vCPU %u's exits: %s\n", name, i, vmctl_strerror(err ? err : VMMCTL_EIO));
			return false;
		}
		(void)cv_cap_delete(badged);
	}
	if ((err = vmctl_vm_console(handle, console)) ||
	    cv_frame_map(console, CV_SLOT_SELF_TASK, CONSOLE_VA, CV_MAP_READ | CV_MAP_WRITE) != CV_OK) {
		printf("vmm: %s: console: %s\n", name, vmctl_strerror(err ? err : VMMCTL_EIO));
		return false;
	}
	uart = uart_irq_init(handle, (struct vmmctl_console *)(uintptr_t)CONSOLE_VA);
	if ((err = vmctl_vm_start(handle, 0))) {
		printf("vmm: %s: start: %s\n", name, vmctl_strerror(err));
		return false;
	}
	printf("vmm: %s: started, %u vCPU(s), %lu MiB\n", name, info.vcpus, (unsigned long)(info.memory >> 20));
	return true;
}

/* A load or store outside RAM: the UART, or an external abort. */
static uint64_t mmio(const struct cv_msg *m, uint64_t *value)
{
	uint64_t addr = m->mr[2], access = m->mr[3];

	if (!(access & CV_MMIO_NO_SYNDROME) && addr >= PL011_BASE && addr < PL011_BASE + PL011_SIZE) {
		if (access & CV_MMIO_WRITE) {
			pl011_write(uart, addr - PL011_BASE, (uint32_t)m->mr[4]);
			return CV_REPLY_DONE;
		}
		*value = pl011_read(uart, addr - PL011_BASE);
		return CV_REPLY_DONE | CV_REPLY_LOAD;
	}
	if (aborts++ < ABORTS_LOGGED)
		printf("vmm: %s: access to 0x%lx at pc 0x%lx: external abort\n", name, (unsigned long)addr,
		       (unsigned long)m->mr[1]);
	return CV_REPLY_INJECT_ABORT;
}

/* One exit: fills m with the reply; false when the VMM's work is over. */
static bool handle_exit(struct cv_msg *m)
{
	uint64_t reason = m->mr[0] & CV_EXIT_REASON_MASK, flags, value = 0;

	exits++;
	uart_irq_exit_begin();
	switch (reason) {
	case CV_EXIT_MMIO:
		flags = mmio(m, &value);
		break;
	case CV_EXIT_HVC:
		value = (uint64_t)CV_SMCCC_NOT_SUPPORTED;
		flags = CV_REPLY_DONE | CV_REPLY_LOAD;
		break;
	case CV_EXIT_SMC:
	case CV_EXIT_SYSREG:
		flags = CV_REPLY_INJECT_UNDEF; /* as on hardware without EL3 or the register */
		break;
	case CV_EXIT_IABT:
		flags = CV_REPLY_INJECT_ABORT;
		break;
	case CV_EXIT_PSCI:
		printf("vmm: %s: the guest %s (%lu exits; UART line: %lu changes in replies, %lu out of band)\n",
		       name,
		       (uint32_t)m->mr[2] == PSCI_SYSTEM_OFF ? "powered off" : "asked for a reset, which is not supported",
		       exits, uart_irq_stats.in_band, uart_irq_stats.out_of_band);
		return false;
	default:
		printf("vmm: %s: the guest cannot continue (exit %lu, syndrome 0x%lx, pc 0x%lx)\n", name,
		       (unsigned long)reason, (unsigned long)(m->mr[0] >> CV_EXIT_SYNDROME_SHIFT),
		       (unsigned long)m->mr[1]);
		return false;
	}
	m->info = 2;
	m->mr[0] = flags;
	m->mr[1] = value;
	if (uart_irq_exit_end(&m->mr[5])) {
		/* The line's level rides on the reply: no system call. */
		m->info = 6;
		m->mr[0] |= CV_REPLY_IRQ;
		m->mr[2] = m->mr[3] = m->mr[4] = 0;
	}
	return true;
}

/* Our handle goes first: in monitor mode it may be the last, and the VM
 * must not wait for whoever started us to clean up. */
static int stop(int status)
{
	if (handle)
		(void)cv_cap_delete(handle);
	return status;
}

int main(void *arg)
{
	const struct cv_start_info *si = cv_start_info_of(arg);

	if (!si) {
		printf("vmm: no start information: a launcher starts this program\n");
		return 1;
	}
	if (!setup(si))
		return stop(1);
	struct cv_msg m = {0};
	bool reply = false;
	uint64_t alive_checked = cv_counter();
	for (;;) {
		uint64_t timeout = uart_irq_enabled() ? INPUT_POLL : IDLE_POLL;
		if (!reply)
			m.info = timeout;
		else
			m.info |= timeout;
		enum cv_status st = reply ? cv_reply_recv(exit_ep, &m) : cv_recv(exit_ep, &m);
		reply = false;
		if (st == CV_E_TIMEOUT) {
			uart_irq_idle();
			if (cv_counter() - alive_checked < cv_counter_frequency() / ALIVE_CHECKS_PER_SECOND)
				continue;
			alive_checked = cv_counter();
			struct vmmctl_vm_info info;
			if (vmctl_vm_info(handle, &info) == VMMCTL_ENXIO) {
				printf("vmm: %s: the VM was destroyed (%lu exits)\n", name, exits);
				return stop(0);
			}
			continue;
		}
		if (st != CV_OK) {
			printf("vmm: %s: receive: %s\n", name, cv_strerror(st));
			return stop(1);
		}
		if (!(m.info & CV_IPC_VCPU_EXIT))
			continue;
		if (!handle_exit(&m)) {
			/* A guest that powered off stays stopped, answered: an
			 * exit left unanswered would make the kernel kill the VM
			 * with a message in the middle of its console output. */
			if ((m.mr[0] & CV_EXIT_REASON_MASK) == CV_EXIT_PSCI) {
				m.info = 1;
				m.mr[0] = CV_REPLY_STOP;
				(void)cv_reply(&m);
			}
			return stop(0);
		}
		reply = true;
	}
}
