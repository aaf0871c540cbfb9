# SPDX-License-Identifier: BSD-2-Clause
# Virtualization benchmarks (make bench): null hypercall, an MMIO read
# answered by the monitor, a virtual SGI round trip between two vCPUs.
guest-progs-y += bench
bench-srcs := tests/guests/bench/bench.c
