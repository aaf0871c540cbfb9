/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Synchronous IPC through endpoints (docs/syscalls.md).
 *
 * Registers, for CV_SYS_CALL, _SEND, _RECV, _REPLY and _REPLY_RECV:
 *   in  x0  endpoint slot (bits 0..31), and for calls that receive, where
 *           received capabilities go: slot for the first (bits 32..47) and
 *           the second (bits 48..63); 0 = do not accept one
 *   in  x1  message info (below) of the message sent
 *   in  x2..x7  message registers MR0..MR5
 *   out x0  enum cv_status
 *   out x1  message info of the message received
 *   out x2..x7  message registers received
 *   out x8  badge of the sender's capability (receive side)
 * IPC calls may change x0..x8; other registers are preserved.
 */
#ifndef UAPI_IPC_H
#define UAPI_IPC_H

#include <stdint.h>

#define CV_IPC_MRS 6 /* message registers */
#define CV_IPC_CAPS_MAX 2 /* capabilities per message */

/* Message info word. */
#define CV_IPC_LEN_MASK 0xfull        /* message registers used, 0..6 */
#define CV_IPC_CAPS_SHIFT 4           /* capabilities sent / received, 0..2 */
#define CV_IPC_CAPS_MASK (0x3ull << CV_IPC_CAPS_SHIFT)
/* Longer messages continue in the threads' message buffers (set with
 * CV_SYS_THREAD_SET_IPC_BUFFER). With CV_IPC_EXTRA in the info, the
 * sender's buffer holds a count n (word 0, at most CV_IPC_BUFFER_WORDS - 1)
 * and n words after it; they are copied to the receiver's buffer, which
 * then holds the count that arrived (0 is a valid count). Out: CV_IPC_EXTRA
 * set if the buffer was written (not if either side has no usable buffer:
 * page-aligned, mapped, writable, normal memory of the thread's task). */
#define CV_IPC_BUFFER_WORDS 64
#define CV_IPC_EXTRA (1ull << 12)
#define CV_IPC_NONBLOCK (1ull << 8)   /* in: fail with CV_E_WOULD_BLOCK instead of waiting */
#define CV_IPC_CLOSE_EVENT (1ull << 9) /* out: not a message; the last capability
					  with the badge in x8 is gone */
#define CV_IPC_NOTIFICATION (1ull << 10) /* out: not a message; the signal word of the
					    receiver's bound notification is in x8 */
#define CV_IPC_FAULT (1ull << 11) /* out: not a message; a thread faulted:
				       MR0 = syndrome (ESR), MR1 = address (FAR),
				       MR2 = pc, MR3 = sp. The reply resumes it:
				       with length >= 1, at MR0 of the reply */
#define CV_IPC_VCPU_EXIT (1ull << 13) /* out: not a message; a vCPU exited
					  (include/uapi/vm.h): MR0..MR5 describe it.
					  The reply resumes it */
#define CV_IPC_CAP_SLOT_SHIFT(n) (16 + 16 * (n)) /* in: slots of the capabilities sent */
#define CV_IPC_USER_RIGHTS_SHIFT 48   /* out: the sender capability's user rights */
/* in: give up waiting after a while (CALL, SEND, RECV, REPLY_RECV's
 * receive): 0 = wait for ever, n = 1..31: after 2^(n-1) milliseconds, with
 * CV_E_TIMEOUT. For a call it bounds the whole call, the wait for the reply
 * included (the server's late reply then gets CV_E_DEAD). A reply the
 * thread itself owes stays owed. Granularity: the 10 ms tick. */
#define CV_IPC_TIMEOUT_SHIFT 56
#define CV_IPC_TIMEOUT_MASK (0x1full << CV_IPC_TIMEOUT_SHIFT)
#define CV_IPC_TIMEOUT_MS_LOG2(n) ((uint64_t)((n) + 1) << CV_IPC_TIMEOUT_SHIFT)

static inline uint64_t cv_ipc_info(unsigned len, unsigned caps, uint32_t slot0, uint32_t slot1)
{
	return (uint64_t)(len & 0xf) | ((uint64_t)(caps & 3) << CV_IPC_CAPS_SHIFT) |
	       ((uint64_t)(slot0 & 0xffff) << CV_IPC_CAP_SLOT_SHIFT(0)) |
	       ((uint64_t)(slot1 & 0xffff) << CV_IPC_CAP_SLOT_SHIFT(1));
}

static inline uint64_t cv_ipc_endpoint_arg(uint32_t ep_slot, uint32_t recv0, uint32_t recv1)
{
	return (uint64_t)ep_slot | ((uint64_t)(recv0 & 0xffff) << 32) | ((uint64_t)(recv1 & 0xffff) << 48);
}

#endif
