# SPDX-License-Identifier: BSD-2-Clause
# Guest memory: patterns over 16 MiB, aborts outside the VM's RAM.
# MEMCHECK_OUTSIDE must be an address the VMM (or QEMU's -m) leaves
# unmapped; MEMCHECK_SIZE bytes after the image must be RAM. Rebuild the
# guest after changing either.
MEMCHECK_OUTSIDE ?= 0x50000000
MEMCHECK_SIZE ?= 0x1000000
guest-progs-y += memcheck
memcheck-srcs := tests/guests/memcheck/memcheck.c
memcheck-cflags := -DMEMCHECK_OUTSIDE=$(MEMCHECK_OUTSIDE)ul -DMEMCHECK_SIZE=$(MEMCHECK_SIZE)ul
