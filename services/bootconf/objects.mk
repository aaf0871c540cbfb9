# SPDX-License-Identifier: BSD-2-Clause
# The boot configuration parser (docs/config.md): no program of its own.
# The root task and the vmmctl service each link these sources and parse
# the same boot module; so does the host unit test (tests/unit/config.mk.inc).
bootconf-srcs := services/bootconf/parse.c services/bootconf/lex.c services/bootconf/tasks.c \
	services/bootconf/identity.c services/bootconf/vmm.c services/bootconf/lookup.c \
	services/bootconf/describe.c
