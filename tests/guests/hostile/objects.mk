# SPDX-License-Identifier: BSD-2-Clause
# A misbehaving guest for isolation tests; never finishes.
guest-progs-y += hostile
hostile-srcs := tests/guests/hostile/hostile.c
