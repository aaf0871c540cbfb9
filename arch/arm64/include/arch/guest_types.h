/* SPDX-License-Identifier: BSD-2-Clause */
/* The arm64 state of VMs and vCPUs (kernel/arch/guest.h). */
#ifndef ARCH_GUEST_TYPES_H
#define ARCH_GUEST_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#include <uapi/vm.h>

/* One virtual interrupt's state. */
struct virq {
	uint8_t priority;
	uint8_t flags;  /* VIRQ_* (arch/arm64/vgic.c) */
	uint8_t target; /* SPIs: the vCPU index it goes to */
	uint8_t reserved;
};

struct arch_vm {
	uint32_t gicd_ctlr;
	struct virq spi[CV_VM_SPIS];
	uint16_t forwarded[CV_VM_SPIS]; /* the physical INTID driving each SPI, 0: none */
	uint64_t cntvoff;
};

/* EL1 system registers switched with a vCPU (guest.c's table). */
enum el1_reg {
	EL1_SCTLR, EL1_TTBR0, EL1_TTBR1, EL1_TCR, EL1_MAIR, EL1_AMAIR, EL1_VBAR,
	EL1_CONTEXTIDR, EL1_TPIDR, EL1_TPIDRRO, EL1_SP, EL1_ELR, EL1_SPSR, EL1_ESR,
	EL1_FAR, EL1_AFSR0, EL1_AFSR1, EL1_PAR, EL1_CPACR, EL1_CNTKCTL, EL1_CSSELR,
	EL1_CNTV_CTL, EL1_CNTV_CVAL,
	EL1_REG_COUNT
};

#define VGIC_LRS_MAX 16

struct arch_vcpu {
	uint64_t el1[EL1_REG_COUNT];
	uint64_t mdscr;       /* emulated: debug registers trap */
	uint64_t vmpidr;
	/* Virtual CPU interface. */
	uint64_t ich_vmcr;
	uint64_t ich_ap0r0, ich_ap1r0;
	uint64_t ich_hcr_uie; /* the underflow request, while not loaded */
	struct virq priv[32]; /* SGIs and PPIs */
	uint32_t gicr_waker;
	uint64_t lr_shadow[VGIC_LRS_MAX]; /* what the used list registers were given */
	uint8_t lrs_used;
	uint8_t lrs_used_max; /* list registers that may hold something */
	bool vgic_dirty;      /* the list registers must be refilled */
	bool timer_masked;    /* its timer's physical PPI is off until the guest EOIs */
	/* The exit being handled: what a completion needs. */
	uint64_t exit_esr;
	uint8_t exit_kind;    /* CV_EXIT_* */
	bool exit_past;       /* the pc is past the exiting instruction (HVC) */
	/* Done at the next entry, on the vCPU's own CPU. */
	uint8_t inject;       /* GUEST_INJECT_* */
	uint64_t inject_far;
};

#endif
