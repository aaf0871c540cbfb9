# SPDX-License-Identifier: BSD-2-Clause
user-progs-y += bench
bench-srcs := tests/tasks/bench/bench.c
