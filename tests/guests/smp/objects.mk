# SPDX-License-Identifier: BSD-2-Clause
# Four vCPUs: PSCI CPU_ON/AFFINITY_INFO/CPU_OFF, SGI ping-pong, atomics.
guest-progs-y += smp
smp-srcs := tests/guests/smp/smp.c
