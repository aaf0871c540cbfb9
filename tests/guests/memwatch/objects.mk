# SPDX-License-Identifier: BSD-2-Clause
# A long-lived guest that keeps checking its memory while others come and go.
guest-progs-y += memwatch
memwatch-srcs := tests/guests/memwatch/memwatch.c
