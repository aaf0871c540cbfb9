// SPDX-License-Identifier: BSD-2-Clause
// Start-up of a user program, after crt0.S: the first thread's TLS, the
// constructors, main, exit.
#include <stdlib.h>

#include <cv/console.h>
#include <cv/runtime.h>

#include "internal.h"

_Noreturn void cv_runtime_start(void *arg)
{
	/*
	 * Until TPIDR_EL0 is set nothing thread-local may be touched: not
	 * errno, not stdio. cv_tls_init only copies and clears memory.
	 */
	void *tp = cv_tls_init(__cv_tls_initial);

	__asm__ volatile("msr tpidr_el0, %0" : : "r"(tp) : "memory");
	/* A task the root task started with a console gets stdio there. */
	cv_console_init(arg);
	__libc_init_array();
	exit(main(arg));
}
