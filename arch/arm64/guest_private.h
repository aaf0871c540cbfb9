/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared between the arm64 guest files (guest*.c, vgic.c) only. */
#ifndef ARCH_ARM64_GUEST_PRIVATE_H
#define ARCH_ARM64_GUEST_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

struct arch_vm;
struct thread;
struct vcpu_exit;

enum { GUEST_INJECT_NONE, GUEST_INJECT_UNDEF, GUEST_INJECT_ABORT };

/* guest.c */
bool guest_is_loaded(const struct thread *th); /* its state is in this CPU's registers */
/* ...and its EL1_TASK_REGS (SCTLR, CPACR, CNTKCTL, TPIDRRO) too: no task
 * runs on its CPU since it was loaded (or since it last ran). */
bool guest_task_regs_live(const struct thread *th);
void guest_inject_undef(struct thread *th);      /* only while loaded here */
void guest_complete_load(struct thread *th, uint64_t esr, uint64_t value);

/* guest_hvc.c: CV_HVC_NULL's results in x[0..3]; HVC and SMC, true: an
 * exit for the monitor in *e. */
void guest_null_results(uint64_t *x);
bool guest_hypercall(struct thread *th, uint64_t esr, bool smc, struct vcpu_exit *e);
/* guest_sysreg.c: a trapped system register access. */
bool guest_sysreg(struct thread *th, uint64_t esr, struct vcpu_exit *e);

/* vgic.c: the virtual GICv3 and the virtual timer's interrupt. */
void vgic_vm_init(struct arch_vm *vm);
void vgic_vm_reset(struct arch_vm *vm); /* the distributor; bindings stay */
void vgic_vcpu_init(struct thread *th);
void vgic_load(struct thread *th);
void vgic_put(struct thread *th);
void vgic_flush(struct thread *th);   /* before entering: list registers */
void vgic_sync(struct thread *th);    /* after leaving: what the guest did with them */
bool vgic_owns(uint64_t ipa);
bool vgic_mmio(struct thread *th, uint64_t ipa, unsigned size_log2, bool write, uint64_t *value);
void vgic_sgi(struct thread *th, uint64_t sgi1r);
void vgic_maintenance(void);
void vtimer_load(struct thread *th);
void vtimer_put(struct thread *th);
void vtimer_irq(void);                 /* the virtual timer's PPI fired here */

#endif
