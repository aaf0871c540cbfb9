/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef KERNEL_BENCH_H
#define KERNEL_BENCH_H

/*
 * With `bench` on the command line, measures a few kernel paths and prints
 * each as "bench NAME VALUE UNIT". Run under QEMU's -icount shift=0 (make
 * bench does), one instruction is one nanosecond of virtual time, so the
 * counter gives instruction counts, not noisy wall time.
 */
void bench_run(const char *cmdline);

#endif
