# SPDX-License-Identifier: BSD-2-Clause
# Interrupt priorities: eight SGIs to itself, acknowledged in priority order.
guest-progs-y += irqprio
irqprio-srcs := tests/guests/irqprio/irqprio.c
