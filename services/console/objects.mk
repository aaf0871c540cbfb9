# SPDX-License-Identifier: BSD-2-Clause
# The console service: the UART at user level, output of every task
# multiplexed with a prefix per task, input to one task at a time
# (docs/console.md). Started by the root task.
user-progs-y += console
console-srcs := services/console/console.c services/console/mux.c
# It allocates nothing: a small heap keeps its quota small.
console-ldflags := -Wl,--defsym=__cv_heap_size=0x10000
