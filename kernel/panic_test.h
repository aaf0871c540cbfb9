/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef KERNEL_PANIC_TEST_H
#define KERNEL_PANIC_TEST_H

/* With `panic_test=fault` on the command line, faults on purpose so the
 * panic path (registers, backtrace with names) can be tested. */
void panic_test_run(const char *cmdline);

#endif
