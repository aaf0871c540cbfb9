# SPDX-License-Identifier: BSD-2-Clause
# Hypercalls: capvisor's null call, PSCI's version and features, unknown IDs.
guest-progs-y += hvc
hvc-srcs := tests/guests/hvc/hvc.c tests/guests/hvc/regs.S tests/guests/hvc/state.S
