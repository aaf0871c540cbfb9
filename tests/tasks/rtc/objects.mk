# SPDX-License-Identifier: BSD-2-Clause
user-progs-y += rtc
rtc-srcs := tests/tasks/rtc/rtc.c
