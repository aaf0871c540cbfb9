# SPDX-License-Identifier: BSD-2-Clause
# The system-call fuzzer, booted as the root task by
# tests/scenario/syscall_fuzz.sh.
user-progs-y += fuzz
fuzz-srcs := tests/tasks/fuzz/fuzz.c tests/tasks/fuzz/gen.c tests/tasks/fuzz/trap.S
# A small heap (only TLS areas come from it): the program is also loaded
# as a child task, and its image should cost few frames.
fuzz-ldflags := -Wl,--defsym=__cv_heap_size=0x10000
