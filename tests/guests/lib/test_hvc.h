/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hypercalls between the test guests and the test monitor
 * (tests/tasks/vmm), in the SMCCC vendor-specific hypervisor range that
 * capvisor itself leaves to monitors. Tests only: no guest outside
 * tests/ may rely on them.
 */
#ifndef TEST_HVC_H
#define TEST_HVC_H

/* The exit state round trip (CV_VCPU_STATE_*, CV_REPLY_SET_STATE,
 * CV_REPLY_IRQ). Called with x1..x30 = TEST_STATE_PATTERN + n. The
 * monitor checks what the exit carried and answers by replacing the
 * registers: x0 = 0 if everything it saw was right (else a mask of what
 * was wrong), x1 = the guest's VBAR_EL1, x2 = its SCTLR_EL1, x3..x30 =
 * what they were ^ TEST_STATE_FLIP; and raises SPI TEST_STATE_SPI. */
#define TEST_HVC_STATE_ECHO 0xc6000100u
#define TEST_STATE_PATTERN 0x5e1f000000000000ull
#define TEST_STATE_FLIP 0xffffull
#define TEST_STATE_SPI 40u

#endif
