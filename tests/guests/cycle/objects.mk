# SPDX-License-Identifier: BSD-2-Clause
# A guest that lives briefly: for VM create/run/destroy cycles.
guest-progs-y += cycle
cycle-srcs := tests/guests/cycle/cycle.c
