# SPDX-License-Identifier: BSD-2-Clause
# libcv, the user runtime: sources relative to services/lib/. crt0.S is
# part of the archive; user programs pull it in by requiring _start.
libcv-srcs-y := crt0.S start.c tls.c console.c console_client.c exit.c names.c task_load.c task_spawn.c
# Shared with the loader and the kernel (lib/).
libcv-lib-srcs-y := elf/elf_check.c
