/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Virtual machines (docs/virtualization.md).
 *
 * A VM is a guest-physical address space plus an interrupt controller
 * model; frames and device registers are mapped into it with the calls
 * that map them into tasks (CV_SYS_FRAME_MAP, CV_SYS_UNMAP,
 * CV_SYS_DEVICE_MAP), naming the VM capability where a task goes. In a VM
 * a mapping may be writable and executable at once: a guest kernel
 * writes its own code.
 *
 * A vCPU runs guest code at EL1 in its VM, scheduled like a thread
 * (priority, CPU); CV_SYS_THREAD_START/_SUSPEND/_RESUME/_READ_REGS/
 * _WRITE_REGS accept a vCPU capability too. What the kernel does not
 * handle itself becomes an exit: a message to the vCPU's exit endpoint,
 * as if the vCPU had called it with the exit capability (so the badge the
 * monitor gave that capability names the vCPU). The monitor's reply
 * resumes the vCPU.
 */
#ifndef UAPI_VM_H
#define UAPI_VM_H

#include <stddef.h>
#include <stdint.h>

#define CV_VM_VCPUS_MAX 8

/*
 * CV_SYS_VM_CREATE (quota slot, dst slot, max priority, flags)
 * The VM's guest-physical layout of the virtual GICv3 (fixed, like QEMU's
 * `virt` machine): accesses there are handled by the kernel, never seen
 * by the monitor.
 */
#define CV_VM_GICD_BASE 0x08000000ull
#define CV_VM_GICD_SIZE 0x10000ull
#define CV_VM_GICR_BASE 0x080a0000ull
#define CV_VM_GICR_STRIDE 0x20000ull /* per vCPU: RD frame, then SGI frame */
#define CV_VM_SPIS 96                /* SPIs 32..127 */
#define CV_VM_INTIDS (32 + CV_VM_SPIS)

/* CV_SYS_VCPU_CREATE (VM slot, quota slot, dst slot, pc, x0; x5 unused;
 * x6 = prio | cpu << 8 | index << 16)
 * index: the vCPU's number in the VM, 0..CV_VM_VCPUS_MAX-1, which is also
 * its MPIDR affinity 0. Starts (CV_SYS_THREAD_START) at pc at EL1h with
 * the MMU off and interrupts masked. */

/* CV_SYS_VCPU_SET_EXIT (vCPU slot, endpoint slot, flags)
 * The endpoint capability (copied, with its badge and rights; it needs the
 * write right) receives the vCPU's exits. flags: which optional exits
 * the monitor wants to see. */
#define CV_VCPU_EXIT_WFI (1u << 0) /* WFI and WFE exit to the monitor (CV_EXIT_WFI; a
				      reply with CV_REPLY_DONE completes them) instead of
				      sleeping or yielding in the kernel */

/* State an exit carries beyond MR0..MR5, chosen per vCPU with these
 * flags (like NOVA's message transfer descriptor: a cheap exit moves
 * little). The kernel writes it as a struct cv_vcpu_state into the
 * receiving monitor thread's message buffer (CV_SYS_THREAD_SET_IPC_BUFFER)
 * and sets CV_IPC_EXTRA in the message info; without a usable buffer the
 * exit arrives without it (CV_IPC_EXTRA clear). */
#define CV_VCPU_STATE_GPR (1u << 8) /* x0..x30, sp_el0, pc, pstate */
#define CV_VCPU_STATE_EL1 (1u << 9) /* what decoding and walking the guest's page tables
				       needs: SCTLR, TCR, TTBR0/1, MAIR, VBAR, SP, ELR, SPSR,
				       ESR and FAR of EL1, as the guest had them at the exit */
#define CV_VCPU_STATE_ALL (CV_VCPU_STATE_GPR | CV_VCPU_STATE_EL1)

struct cv_vcpu_state {
	uint64_t words; /* the message buffer's count word: CV_VCPU_STATE_WORDS */
	uint64_t mask;  /* CV_VCPU_STATE_* groups that are valid below */
	/* CV_VCPU_STATE_GPR */
	uint64_t x[31];
	uint64_t sp_el0;
	uint64_t pc; /* where the vCPU resumes: past an HVC, at any other exiting instruction */
	uint64_t pstate;
	/* CV_VCPU_STATE_EL1 (read only: a reply cannot set them) */
	uint64_t sctlr_el1, tcr_el1, ttbr0_el1, ttbr1_el1, mair_el1, vbar_el1;
	uint64_t sp_el1, elr_el1, spsr_el1, esr_el1, far_el1;
};
#define CV_VCPU_STATE_WORDS (sizeof(struct cv_vcpu_state) / 8 - 1)

/* CV_SYS_VM_IRQ (VM slot, INTID, level): sets the line of an SPI
 * (32..CV_VM_INTIDS-1): level 1 raises it, 0 lowers it; 2 raises and lowers
 * it at once (an edge). */

/* CV_SYS_VM_IRQ_BIND (VM slot, INTID, irq slot): the physical interrupt the
 * irq capability names drives SPI INTID (32..CV_VM_INTIDS-1) of the VM
 * from now on: when it fires the SPI's line goes high and its vCPU wakes;
 * the physical interrupt stays masked until the guest has acknowledged
 * and ended the virtual one (EOI or deactivation), so a level-triggered
 * device cannot flood the host. One physical interrupt per SPI, one
 * binding per interrupt. VM_IRQ refuses a forwarded SPI (its line is the
 * device's). The binding ends with CV_SYS_IRQ_UNBIND, when the VM dies,
 * or when the interrupt's last capability goes. */

/* CV_SYS_VM_RESET (VM slot): the whole VM back to its power-on state, as a
 * machine's reset button does: every vCPU stops wherever it is (an exit it
 * waits in is cancelled: the monitor's late reply gets CV_E_DEAD), its
 * registers, EL1 state, virtual timer and virtual interrupts go back to
 * their reset values (pc 0, EL1h with DAIF masked, MMU off), PSCI sees
 * it off, and the interrupt controller's distributor is reset. vCPU 0 is
 * left not started (CV_SYS_THREAD_START starts it at the pc that
 * CV_SYS_THREAD_WRITE_REGS set), the others wait for PSCI CPU_ON. Guest
 * memory, exit endpoints and flags, physical interrupt bindings and the
 * counters of CV_SYS_VCPU_STATS are kept. */

/* CV_SYS_VCPU_STATS (vCPU slot, va of a struct cv_vcpu_stats): what the
 * kernel counted for the vCPU since it was created (a VM reset does not
 * clear them). The caller sets size to the bytes its structure holds
 * (at least CV_VCPU_STATS_MIN_SIZE, a multiple of 8); the kernel writes
 * at most that many (at most its own sizeof) and says in size how many
 * it wrote, and in version which layout it is. Counters only ever grow;
 * new ones are added at the end with a new version. */
#define CV_VCPU_STATS_VERSION 1
#define CV_VCPU_STATS_EXITS 16 /* exits[] has a slot per enum cv_vcpu_exit value (and room) */

struct cv_vcpu_stats {
	uint32_t size;    /* in: bytes the caller's structure holds; out: bytes written */
	uint32_t version; /* out: CV_VCPU_STATS_VERSION */
	uint64_t entries; /* entries into the guest from the kernel (after anything but a
			     null hypercall, which is answered on the way in: hvc_null) */
	uint64_t exits[CV_VCPU_STATS_EXITS]; /* exits to the monitor, by enum cv_vcpu_exit */
	/* Handled in the kernel, never seen by the monitor: */
	uint64_t hvc_null;    /* CV_HVC_NULL */
	uint64_t psci;        /* PSCI and SMCCC_VERSION calls answered (not SYSTEM_OFF/RESET) */
	uint64_t wfi;         /* WFI without an exit (PSCI CPU_SUSPEND counts as psci) */
	uint64_t wfe;         /* WFE without an exit */
	uint64_t sysreg;      /* trapped system register accesses emulated (ID, SGI, debug, PMU) */
	uint64_t gic_mmio;    /* distributor and redistributor accesses emulated */
	uint64_t virq_taken;  /* virtual interrupts the guest acknowledged (a list register
				 written pending that the guest took) */
	uint64_t host_irqs;   /* physical interrupts that took the CPU from the guest */
};
#define CV_VCPU_STATS_MIN_SIZE 8u /* size and version: the rest is optional */
_Static_assert(sizeof(struct cv_vcpu_stats) == 208, "cv_vcpu_stats layout");
_Static_assert(offsetof(struct cv_vcpu_stats, exits) == 16, "cv_vcpu_stats layout");
_Static_assert(offsetof(struct cv_vcpu_stats, hvc_null) == 144, "cv_vcpu_stats layout");
_Static_assert(offsetof(struct cv_vcpu_stats, host_irqs) == 200, "cv_vcpu_stats layout");

/* ---- the exit message (receive side, message info has CV_IPC_VCPU_EXIT) ---- */

/* MR0 bits 0..7: why; bits 32..63: the syndrome (ESR_EL2) where there is one. */
enum cv_vcpu_exit {
	CV_EXIT_MMIO = 1,   /* a load or store outside RAM the VM maps */
	CV_EXIT_HVC = 2,    /* HVC with a function ID the kernel does not handle */
	CV_EXIT_SMC = 3,    /* SMC (always trapped) */
	CV_EXIT_SYSREG = 4, /* a trapped system register the kernel does not emulate */
	CV_EXIT_WFI = 5,    /* WFI or WFE, with CV_VCPU_EXIT_WFI (syndrome bit 0: WFE) */
	CV_EXIT_FATAL = 6,  /* the guest cannot continue (MR2: address, MR3: detail) */
	CV_EXIT_PSCI = 7,   /* a PSCI call the monitor must act on (SYSTEM_OFF, SYSTEM_RESET) */
	CV_EXIT_IABT = 8,   /* instruction fetch outside what the VM maps (MR2: address) */
};
#define CV_EXIT_REASON_MASK 0xffull
#define CV_EXIT_SYNDROME_SHIFT 32

/* MR1: the guest's pc (of the instruction that exited). */

/* CV_EXIT_MMIO: MR2 = guest-physical address; MR3 = access, below;
 * MR4 = the value stored (writes). */
#define CV_MMIO_SIZE_MASK 0x3ull    /* log2 of the access size in bytes */
#define CV_MMIO_WRITE (1ull << 2)
#define CV_MMIO_SIGN_EXTEND (1ull << 3)
#define CV_MMIO_64BIT_REG (1ull << 4) /* the register is Xn, not Wn */
/* The syndrome had no instruction information (load/store pair, writeback,
 * SIMD, atomics...): size, direction and register are unknown; the
 * monitor can only inject an abort (CV_REPLY_INJECT_ABORT) or stop the VM. */
#define CV_MMIO_NO_SYNDROME (1ull << 5)
#define CV_MMIO_REG_SHIFT 8         /* register number, 31 = zero register */
#define CV_MMIO_REG_MASK (0x1full << CV_MMIO_REG_SHIFT)

/* CV_EXIT_HVC, CV_EXIT_SMC, CV_EXIT_PSCI: MR2..MR5 = x0..x3. */
/* CV_EXIT_SYSREG: MR2 = the ISS (op0, op1, CRn, CRm, op2, Rt, direction as
 * the architecture encodes it), MR3 = the value written (writes). */

/* ---- the reply (MR0 = flags, MR1.. = values) ---- */
#define CV_REPLY_DONE (1ull << 0)   /* the exiting instruction is complete: go past it */
#define CV_REPLY_LOAD (1ull << 1)   /* MMIO/sysreg read: MR1 is the value for the register;
				       HVC/SMC: MR1..MR4 go to x0..x3 */
#define CV_REPLY_INJECT_UNDEF (1ull << 2) /* an undefined-instruction exception at the pc */
#define CV_REPLY_INJECT_ABORT (1ull << 3) /* a synchronous external abort on the access
					     (CV_EXIT_MMIO: data; CV_EXIT_IABT: instruction fetch) */
#define CV_REPLY_STOP (1ull << 4)   /* leave the vCPU suspended (THREAD_RESUME continues it) */
/* The registers of the CV_VCPU_STATE_GPR group are replaced by those in
 * the replying thread's message buffer, a struct cv_vcpu_state whose mask
 * is CV_VCPU_STATE_GPR (pstate: NZCV, DAIF and an AArch64 EL0/EL1 mode;
 * nothing else). Applied first; DONE and LOAD then act on the new
 * registers. */
#define CV_REPLY_SET_STATE (1ull << 5)
/* Drive SPI MR5 bits 0..31 (32..CV_VM_INTIDS-1) as CV_SYS_VM_IRQ would,
 * saving the monitor a system call: MR5 bits 32..33 say how (an SPI a
 * physical interrupt drives, CV_SYS_VM_IRQ_BIND, is left alone). Applied
 * before the vCPU runs on, so a device model can lower its line in the
 * reply to the access that cleared the cause. Other MR5 bits must be 0. */
#define CV_REPLY_IRQ (1ull << 6)
#define CV_REPLY_IRQ_SHIFT 32
#define CV_REPLY_IRQ_EDGE (0ull << CV_REPLY_IRQ_SHIFT) /* pulsed: pending once */
#define CV_REPLY_IRQ_HIGH (1ull << CV_REPLY_IRQ_SHIFT) /* the line raised (level) */
#define CV_REPLY_IRQ_LOW (2ull << CV_REPLY_IRQ_SHIFT)  /* the line lowered */

#endif
