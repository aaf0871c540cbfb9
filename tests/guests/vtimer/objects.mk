# SPDX-License-Identifier: BSD-2-Clause
# The virtual timer through the GIC: periodic interrupts, WFI, IMASK.
guest-progs-y += vtimer
vtimer-srcs := tests/guests/vtimer/vtimer.c
