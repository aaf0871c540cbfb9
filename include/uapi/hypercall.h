/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hypercalls a guest makes to capvisor itself (HVC #0, SMC Calling
 * Convention: function ID in x0, arguments in x1..x6, results in x0..x3).
 * PSCI (function IDs 0x84000000.. and 0xc4000000..) is documented in
 * docs/virtualization.md. Any other function ID goes to the VM's monitor.
 */
#ifndef UAPI_HYPERCALL_H
#define UAPI_HYPERCALL_H

/* SMCCC fast calls, 64-bit convention, owner 6 (vendor-specific hypervisor
 * service). */
#define CV_HVC_BASE 0xc6000000u

/* Null hypercall, handled in the kernel: x0 <- 0 (success),
 * x1 <- x1 + 1, x2 <- x2 ^ CV_HVC_NULL_XOR, x3 <- CV_HVC_NULL_MAGIC.
 * Lets a guest check that it runs under capvisor and that results come
 * back. */
#define CV_HVC_NULL (CV_HVC_BASE + 0)
#define CV_HVC_NULL_XOR 0x5a5a5a5a5a5a5a5aull
#define CV_HVC_NULL_MAGIC 0x6361707669736f72ull /* "capvisor" */

/* SMCCC's answer to a function ID nobody implements. */
#define CV_SMCCC_NOT_SUPPORTED (-1l)

#endif
