# SPDX-License-Identifier: BSD-2-Clause
# Warnings shared by every C file of the project, on every compiler.
WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wmissing-declarations -Wpointer-arith -Wundef \
	-Wvla -Wwrite-strings -Wformat=2 -Wimplicit-fallthrough \
	-Wnull-dereference -Wcast-qual -Wredundant-decls
