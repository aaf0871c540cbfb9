/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

struct thread;

/* Runs the system call the current thread asked for (number and arguments
 * in its saved registers) and leaves the results there. */
void syscall_dispatch(struct thread *caller);

#endif
