# SPDX-License-Identifier: BSD-2-Clause
# A passed-through device: the PL031 real-time clock and its alarm interrupt.
guest-progs-y += rtcpass
rtcpass-srcs := tests/guests/rtcpass/rtcpass.c
