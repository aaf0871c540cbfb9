/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ktest's guest (guest.S): a few instructions copied into a VM's RAM and
 * run at EL1 by the VM tests (tests_vm_reset.c), which act as its monitor.
 * It starts with an HVC exit (so the exit's state is the vCPU's state at
 * entry), and after that makes one exit per command: the monitor answers
 * each HVC exit with CV_REPLY_LOAD, x0 = a command and x1..x3 its
 * arguments; the command's results come back in x1..x3 of the next HVC
 * exit (MR3..MR5), with x0 = 0. Position-independent: relative branches
 * only. Shared by C and assembly.
 */
#ifndef KTEST_GUEST_H
#define KTEST_GUEST_H

#define GUEST_SPIN 1    /* loop for ever without exiting */
#define GUEST_WFI 2     /* WFI for ever */
#define GUEST_STORE 3   /* 32-bit store of x2 to address x1 */
#define GUEST_LOAD 4    /* x1 = 32-bit load from address x1 */
#define GUEST_CALL 5    /* HVC with x0..x2 = x1..x3: x1 = the x0 it returns */
#define GUEST_DIRTY 6   /* SCTLR_EL1 |= C | I, VBAR_EL1 = x1, the virtual timer on (far
			   off), ICC_SGI1R_EL1 = x2, x4..x30 = x1 */
#define GUEST_SYSREGS 7 /* x1 = CNTV_CTL_EL0, x2 = SCTLR_EL1, x3 = ID_AA64PFR0_EL1 (trapped,
			   emulated by the kernel) */
#define GUEST_WFE 8     /* one WFE */

/* Offsets of instructions in the code, for checks of where a vCPU stopped. */
#define GUEST_OFF_SPIN 0x200
#define GUEST_OFF_WFI 0x210
#define GUEST_OFF_STORE 0x220
#define GUEST_OFF_LOAD 0x230

#ifndef __ASSEMBLER__
#include <stddef.h>
extern const char ktest_guest_start[], ktest_guest_end[];
#endif

#endif
