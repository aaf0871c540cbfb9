# SPDX-License-Identifier: BSD-2-Clause
user-progs-y += root
root-srcs := services/root/root.c services/root/config.c
