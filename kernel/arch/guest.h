/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Running guests, as the architecture does it (arm64: EL1 guests under
 * EL2, arch/arm64/guest*.c and vgic.c). The generic side (kernel/vm.c,
 * kernel/vcpu.c) owns objects, IPC and scheduling; everything here runs
 * under the kernel lock.
 */
#ifndef KERNEL_ARCH_GUEST_H
#define KERNEL_ARCH_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/guest_types.h>

struct thread;
struct vm;

/* The exit the monitor sees (include/uapi/vm.h): MR0..MR5. */
struct vcpu_exit {
	uint64_t mr[6];
};

/* Per VM and per vCPU: fresh state (the VM's interrupt controller, a
 * vCPU's reset EL1 state with its MPIDR). */
void arch_vm_init(struct arch_vm *vm);
void arch_vcpu_init(struct thread *th, unsigned index);
/* A vCPU's reset state entering at pc with x0 (also PSCI CPU_ON). */
void arch_vcpu_reset(struct thread *th, uint64_t pc, uint64_t x0);
/* CV_SYS_VM_RESET: all of a vCPU's state back to what arch_vcpu_init and
 * arch_vcpu_reset(th, 0, 0) make — registers (FP/SIMD too), EL1 state,
 * virtual timer (off), virtual CPU interface, SGIs and PPIs. The vCPU runs
 * nowhere; a CPU that holds its state lazily forgets it. */
void arch_vcpu_reset_all(struct thread *th);
/* CV_SYS_VM_RESET: the distributor back to its reset state (SPIs
 * disabled, idle, level, priority 0, routed to vCPU 0; lines low), the
 * virtual counter near zero again. Physical interrupts stay bound to their
 * SPIs; each is unmasked (one in flight waited for an end the reset
 * dropped). */
void arch_vm_reset(struct arch_vm *vm);

/* The scheduler switches this CPU from prev to next; either may be a
 * vCPU or a thread (or NULL). Loads/saves guest state as needed. */
void arch_guest_switch(struct thread *prev, struct thread *next);
/* Just before returning to a vCPU (every time): pending virtual
 * interrupts into the list registers, deferred injections. */
void arch_vcpu_enter(struct thread *th);
/* The register groups of mask (CV_VCPU_STATE_*) into s (its words and
 * mask too); the caller runs on th's CPU or th is not loaded anywhere. */
void arch_vcpu_state_read(struct thread *th, unsigned mask, struct cv_vcpu_state *s);
/* The CV_VCPU_STATE_GPR group of s into th, which waits in an exit.
 * Checked first (CV_E_BAD_ARG for a pstate a guest cannot have): an
 * error changes nothing. */
int arch_vcpu_state_write(struct thread *th, const struct cv_vcpu_state *s);
/* A vCPU's exception, under the kernel lock: handled here, or *exit is
 * filled and true returned (the caller sends it to the monitor). */
bool arch_vcpu_trap(struct thread *th, uint64_t esr, struct vcpu_exit *exit);
/* The monitor's reply to the exit the vCPU waits in (include/uapi/vm.h
 * CV_REPLY_*). Checked first: an error changes nothing. */
int arch_vcpu_complete(struct thread *th, uint64_t flags, const uint64_t *values);
/* The vCPU object goes: forget it on every CPU. */
void arch_vcpu_forget(struct thread *th);

/* Interrupts. level: 1 raise, 0 lower, 2 edge. CV_E_BUSY for an SPI a
 * physical interrupt drives. */
int arch_vm_irq(struct vm *vm, unsigned intid, unsigned level);
/* Physical interrupt hw_irq drives SPI intid (CV_E_BAD_ARG: no such SPI;
 * CV_E_BUSY: one already does). It fired (and is masked): the SPI's line
 * goes high; the vGIC unmasks hw_irq once the guest has taken and ended
 * the virtual interrupt. Unbinding lowers the line and forgets hw_irq. */
int arch_vm_forward_bind(struct vm *vm, unsigned intid, unsigned hw_irq);
void arch_vm_forward_fire(struct vm *vm, unsigned intid);
void arch_vm_forward_unbind(struct vm *vm, unsigned intid);
/* Has the vCPU an interrupt to take (WFI wakes)? */
bool arch_vcpu_irq_pending(struct thread *th);
/* A timer tick on the vCPU's CPU: its virtual timer, if not loaded. */
void arch_guest_tick_vcpu(struct thread *th);

#endif
