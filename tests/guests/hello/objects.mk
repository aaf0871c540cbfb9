# SPDX-License-Identifier: BSD-2-Clause
# The smallest guest: the runtime itself works.
guest-progs-y += hello
hello-srcs := tests/guests/hello/hello.c
