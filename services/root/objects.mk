# SPDX-License-Identifier: BSD-2-Clause
user-progs-y += root
# Deferred (=): services/bootconf/objects.mk defines bootconf-srcs.
root-srcs = services/root/root.c services/root/summary.c $(bootconf-srcs)
