# SPDX-License-Identifier: BSD-2-Clause
# The console UART's interrupts, used as Linux's amba-pl011 driver uses
# them: TX checks, then interactive input taken only in the handler.
guest-progs-y += uartirq
uartirq-srcs := tests/guests/uartirq/uartirq.c
