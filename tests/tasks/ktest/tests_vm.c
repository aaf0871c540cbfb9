// SPDX-License-Identifier: BSD-2-Clause
// A physical interrupt forwarded to a VM (CV_SYS_VM_IRQ_BIND,
// CV_SYS_IRQ_UNBIND): each refusal docs/syscalls.md lists, and how long a
// binding lasts — until unbound, until the VM dies, until the interrupt's
// last capability goes, but not when a copy goes. The interrupts are idle
// virtio-mmio transports' (nothing behind them ever asserts one); that the
// forwarded interrupt really arrives is guests_passthrough.sh's job.
#include <string.h>

#include <uapi/root.h>
#include <uapi/vm.h>

#include "ktest.h"

#define SPI 40

/* Up to n irq capabilities of the root's idle devices; returns how many. */
static unsigned idle_irqs(cv_slot_t *out, unsigned n)
{
	const struct cv_root_devices *list = (const void *)(uintptr_t)CV_ROOT_DEVICES_VA;
	unsigned found = 0;

	for (uint32_t i = 0; i < list->count && i < CV_ROOT_DEVICES_MAX && found < n; i++)
		if (list->devices[i].irq_slot && !strcmp(list->devices[i].compatible, "virtio,mmio"))
			out[found++] = list->devices[i].irq_slot;
	return found;
}

/* A VM whose only vCPU starts where nothing is mapped and has no exit
 * endpoint: its first exit stops the VM, which then answers CV_E_DEAD. */
static void dead_vm(cv_slot_t irq, cv_slot_t other)
{
	cv_slot_t vm = slot_new(), vcpu = slot_new();

	if (!EXPECT_ST(cv_vm_create(CV_ROOT_SLOT_QUOTA, vm, 10), CV_OK) ||
	    !EXPECT_ST(cv_vcpu_create(vm, CV_ROOT_SLOT_QUOTA, vcpu, 0x40000000, 0, 10, 2, 0), CV_OK) ||
	    !EXPECT_ST(cv_thread_start(vcpu), CV_OK))
		goto out;
	uint64_t end = ktest_deadline_ms(2000);
	while (cv_vm_irq(vm, SPI + 1, 0) != CV_E_DEAD && ktest_now() < end)
		(void)cv_yield();
	EXPECT_ST(cv_vm_irq_bind(vm, SPI, irq), CV_E_DEAD);
	/* Before the interrupt is even looked at. */
	EXPECT_ST(cv_vm_irq_bind(vm, SPI, other), CV_E_DEAD);
out:
	(void)cv_cap_delete(vcpu);
	(void)cv_cap_delete(vm);
}

void test_vm_irq_bind(void)
{
	uint64_t free0 = settled_free_frames(), used0 = root_quota_used();
	cv_slot_t irq[3];

	if (idle_irqs(irq, 3) < 3) {
		ktest_fail_at(__LINE__, "fewer than 3 virtio,mmio devices with an interrupt");
		return;
	}
	cv_slot_t vm = slot_new(), ntfn = slot_new(), weak = slot_new(), copy = slot_new(), ep = ep_new();
	if (!EXPECT_ST(cv_vm_create(CV_ROOT_SLOT_QUOTA, vm, 10), CV_OK) ||
	    !EXPECT_ST(cv_notification_create(CV_ROOT_SLOT_QUOTA, ntfn), CV_OK) ||
	    !EXPECT_ST(cv_cap_copy(irq[0], weak, CV_RIGHT_READ), CV_OK))
		goto out;

	/* Refused, and nothing changes. */
	EXPECT_ST(cv_vm_irq_bind(CV_ROOT_SLOTS, SPI, irq[0]), CV_E_BAD_SLOT);
	EXPECT_ST(cv_vm_irq_bind(ep, SPI, irq[0]), CV_E_BAD_TYPE);
	EXPECT_ST(cv_vm_irq_bind(vm, SPI, ep), CV_E_BAD_TYPE);
	EXPECT_ST(cv_vm_irq_bind(vm, SPI, ntfn), CV_E_BAD_TYPE);
	EXPECT_ST(cv_vm_irq_bind(vm, SPI, copy), CV_E_EMPTY_SLOT);
	EXPECT_ST(cv_vm_irq_bind(vm, SPI, weak), CV_E_NO_RIGHTS);
	EXPECT_ST(cv_vm_irq_bind(vm, 31, irq[0]), CV_E_BAD_ARG);
	EXPECT_ST(cv_vm_irq_bind(vm, CV_VM_INTIDS, irq[0]), CV_E_BAD_ARG);
	EXPECT_ST(cv_syscall(CV_SYS_VM_IRQ_BIND, vm, (1ull << 32) + SPI, irq[0], 0, 0, 0, NULL), CV_E_BAD_ARG);
	EXPECT_ST(cv_irq_unbind(irq[0]), CV_E_BUSY);
	EXPECT_ST(cv_irq_unbind(weak), CV_E_NO_RIGHTS);

	/* Bound: the interrupt and the SPI are both taken. */
	EXPECT_ST(cv_vm_irq_bind(vm, SPI, irq[0]), CV_OK);
	EXPECT_ST(cv_vm_irq_bind(vm, SPI + 1, irq[0]), CV_E_BUSY);
	EXPECT_ST(cv_vm_irq_bind(vm, SPI, irq[1]), CV_E_BUSY);
	EXPECT_ST(cv_irq_bind(irq[0], ntfn, 1), CV_E_BUSY);
	EXPECT_ST(cv_irq_ack(irq[0]), CV_E_BUSY);
	EXPECT_ST(cv_vm_irq(vm, SPI, 1), CV_E_BUSY);
	EXPECT_ST(cv_vm_irq(vm, SPI + 1, 2), CV_OK);

	/* Unbound: both free again. */
	EXPECT_ST(cv_irq_unbind(irq[0]), CV_OK);
	EXPECT_ST(cv_irq_unbind(irq[0]), CV_E_BUSY);
	EXPECT_ST(cv_vm_irq(vm, SPI, 2), CV_OK);
	EXPECT_ST(cv_vm_irq_bind(vm, SPI, irq[1]), CV_OK);

	/* IRQ_UNBIND ends a notification's binding too. */
	EXPECT_ST(cv_irq_bind(irq[0], ntfn, 1), CV_OK);
	EXPECT_ST(cv_vm_irq_bind(vm, SPI + 1, irq[0]), CV_E_BUSY);
	EXPECT_ST(cv_irq_unbind(irq[0]), CV_OK);
	EXPECT_ST(cv_irq_ack(irq[0]), CV_E_BUSY);

	/* A copy of the irq capability going leaves the binding (as for a
	 * notification's); the last capability going ends it. The third
	 * interrupt is then gone until the next boot. */
	EXPECT_ST(cv_cap_copy(irq[2], copy, CV_RIGHTS_ALL), CV_OK);
	EXPECT_ST(cv_vm_irq_bind(vm, SPI + 2, copy), CV_OK);
	EXPECT_ST(cv_cap_delete(copy), CV_OK);
	EXPECT_ST(cv_irq_unbind(irq[2]), CV_OK);
	EXPECT_ST(cv_vm_irq_bind(vm, SPI + 2, irq[2]), CV_OK);
	EXPECT_ST(cv_cap_delete(irq[2]), CV_OK);
	EXPECT_ST(cv_vm_irq(vm, SPI + 2, 2), CV_OK);
	EXPECT_ST(cv_vm_irq_bind(vm, SPI + 2, irq[0]), CV_OK);

	/* The VM's death ends both its bindings. */
	EXPECT_ST(cv_cap_delete(vm), CV_OK);
	EXPECT_ST(cv_irq_unbind(irq[0]), CV_E_BUSY);
	EXPECT_ST(cv_irq_bind(irq[1], ntfn, 1), CV_OK);
	EXPECT_ST(cv_irq_unbind(irq[1]), CV_OK);

	dead_vm(irq[0], ep);
out:
	(void)cv_cap_delete(vm);
	(void)cv_cap_delete(ntfn);
	(void)cv_cap_delete(weak);
	(void)cv_cap_delete(copy);
	(void)cv_cap_delete(ep);
	uint64_t now = wait_free_frames(free0, 2000), used = root_quota_used();
	CHECK(now == free0 && used == used0, "free frames %llu (were %llu), root quota used %llu (was %llu)",
	      (unsigned long long)now, (unsigned long long)free0, (unsigned long long)used,
	      (unsigned long long)used0);
}
