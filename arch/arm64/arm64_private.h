/* SPDX-License-Identifier: BSD-2-Clause */
/* Functions and state shared between the arm64 files only. */
#ifndef ARCH_ARM64_PRIVATE_H
#define ARCH_ARM64_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

struct trap_frame;

extern uint64_t kernel_load_pa;

/* early.c */
void arch_mmu_early_tables_done(void);

/* head.S */
extern char secondary_entry[];
extern char mmu_switch_tables[];
extern struct secondary_boot_params {
	uint64_t ttbr0;
	uint64_t sctlr;
} secondary_boot;
void arch_entry_secondary(unsigned index);

/* mmu.c: maps device registers at a chosen address below DEVICE_VBASE+1G */
int mmu_map_device_fixed(uint64_t va, uint64_t pa, uint64_t size);

/* pl011.c */
int pl011_map_final(void);
void pl011_init_early_at(uint64_t pa);
uint64_t pl011_console_base(void);

/* acpi_console.c */
uint64_t acpi_find_pl011(uint64_t rsdp_pa);

/* fpsimd.S */
struct arch_context;
void fpsimd_save(struct arch_context *c);
void fpsimd_load(const struct arch_context *c);

/* EL0 runs tasks under HCR_EL2.TGE (docs/arm64.md): stage 1 off (DC makes
 * it Normal write-back memory), stage 2 the task's address space. */
#define HCR_TASKS (HCR_EL2_HOST | (1ul << 27) /* TGE */ | (1ul << 12) /* DC */ | (1ul << 0) /* VM */)
/* EL0 controls that still apply under TGE: DC ZVA, CTR_EL0 and cache
 * maintenance allowed, WFI/WFE not trapped, SP alignment checked. */
#define SCTLR_EL1_TASKS 0x34d5c810ul
#define CPACR_EL1_FPEN (3ul << 20)
#define CNTKCTL_EL0_COUNTERS 3ul  /* EL0 may read the counters */

/* guest.c: per-CPU set-up of what the world switch restores; the lock-free
 * null hypercall (true: answered); a vCPU left its guest (under the lock). */
void guest_init_cpu(void);
struct arch_context;
struct cpu;
struct thread;
bool guest_null_hypercall(struct arch_context *ctx, struct cpu *cpu);
void guest_exit(struct thread *th);
struct thread *guest_loaded_here(void);

/* stage2.c */
void stage2_init_cpu(void);

/* cache.c */
void cache_clean_to_poc(const void *va, uint64_t size);

/* gicv3.c */
int gic_init(const void *dtb) __attribute__((warn_unused_result));
int gic_init_cpu(void) __attribute__((warn_unused_result));
void gic_handle_irq(void);
void gic_send_sgi(uint64_t target_hwid, unsigned sgi);
void gic_enable_ppi(unsigned intid);
void gic_set_ppi_enabled(unsigned intid, bool enabled);

/* timer.c */
int timer_init(const void *dtb) __attribute__((warn_unused_result));
void timer_init_cpu(void);
void timer_handle_irq(void);
extern unsigned timer_hyp_intid;
extern unsigned timer_virt_intid; /* the guests' virtual timer (guest.c) */
#define GIC_MAINTENANCE_INTID 25 /* the virtual CPU interface's (PPI 9) */

/* psci.c */
int psci_init(const void *dtb) __attribute__((warn_unused_result));
int psci_cpu_on(uint64_t hwid, uint64_t entry_pa, uint64_t context);
__attribute__((noreturn)) void psci_system_off(void);

/* dtb.c */
int dtb_reg(const void *dtb, int node, int index, uint64_t *base, uint64_t *size);
int dtb_find_compatible(const void *dtb, const char *const *compatibles);

#endif
