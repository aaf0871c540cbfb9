# SPDX-License-Identifier: BSD-2-Clause
# The guest runtime (mk/guests.mk): start.S pulls in the rest it needs.
guest-lib-srcs := $(addprefix tests/guests/lib/,start.S vectors.S exception.c uart.c \
	printf.c check.c string.c psci.c gic.c timer.c mmu.c)
