# SPDX-License-Identifier: BSD-2-Clause
# World-switch integrity: EL1 system registers and FP/SIMD state must
# survive hypercalls and interrupts. SWITCH_SEED varies the values
# (make SWITCH_SEED=N; rebuild the guest after changing it).
SWITCH_SEED ?= 0
guest-progs-y += switch
switch-srcs := tests/guests/switch/switch.c tests/guests/switch/sysregs.c \
	tests/guests/switch/fpsimd.S
switch-cflags := -DSWITCH_SEED=$(SWITCH_SEED)ull
