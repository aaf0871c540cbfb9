/* SPDX-License-Identifier: BSD-2-Clause */
/* System register access and barriers for guests. */
#ifndef GUEST_SYSREG_H
#define GUEST_SYSREG_H

#include <stdint.h>

/* The register name is pasted into the instruction, so the s3_x_cx_cx_x
 * form works too for registers the assembler may not know by name. */
#define read_sysreg(reg) ({ \
	uint64_t val_; \
	__asm__ volatile("mrs %0, " #reg : "=r"(val_)); \
	val_; \
})
#define write_sysreg(reg, val) \
	__asm__ volatile("msr " #reg ", %0" : : "r"((uint64_t)(val)) : "memory")

#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt : : : "memory")
#define wfi() __asm__ volatile("wfi" : : : "memory")
#define wfe() __asm__ volatile("wfe" : : : "memory")
#define sev() __asm__ volatile("sev" : : : "memory")

/* PSTATE.I only: guests never use FIQs, and a debug or SError exception
 * that is unmasked by accident should still be reported. */
#define irq_enable() __asm__ volatile("msr daifclr, #2" : : : "memory")
#define irq_disable() __asm__ volatile("msr daifset, #2" : : : "memory")

/* ESR_EL1 exception classes the guests look at. */
#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define EC_UNKNOWN 0x00 /* undefined instruction */
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYSREG 0x18
#define EC_IABT_CUR 0x21
#define EC_DABT_CUR 0x25
#define ESR_FSC(esr) ((esr) & 0x3f)

#endif
