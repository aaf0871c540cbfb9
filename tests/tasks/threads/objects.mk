# SPDX-License-Identifier: BSD-2-Clause
user-progs-y += threads
threads-srcs := tests/tasks/threads/threads.c
