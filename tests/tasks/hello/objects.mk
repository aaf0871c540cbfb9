# SPDX-License-Identifier: BSD-2-Clause
# The first EL0 test task: C runtime, printf, FP, errno, malloc, syscalls.
user-progs-y += hello
hello-srcs := tests/tasks/hello/hello.c
