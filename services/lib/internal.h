/* SPDX-License-Identifier: BSD-2-Clause */
/* Declarations private to libcv's own files. */
#ifndef CV_LIB_INTERNAL_H
#define CV_LIB_INTERNAL_H

/* The C half of _start (crt0.S): TLS, constructors, main, exit. */
_Noreturn void cv_runtime_start(void *arg);

/* picolibc: runs .preinit_array and .init_array (it has no header for it). */
void __libc_init_array(void);

/* From services/user.ld: the first thread's TLS area, in .bss. */
extern char __cv_tls_initial[];

#endif
