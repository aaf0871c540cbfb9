# SPDX-License-Identifier: BSD-2-Clause
# The system-call fuzzer, booted as the root task by
# tests/scenario/syscall_fuzz.sh.
user-progs-y += fuzz
fuzz-srcs := tests/tasks/fuzz/fuzz.c tests/tasks/fuzz/gen.c tests/tasks/fuzz/trap.S
