// SPDX-License-Identifier: BSD-2-Clause
// Thread-local storage, AArch64 "variant 1" as the static linker lays it
// out for the local-exec model picolibc is compiled with: TPIDR_EL0 points
// at a thread control block of __arm64_tls_tcb_offset bytes (16, or the TLS
// alignment if larger), and the program's TLS block (.tdata then .tbss)
// follows it. The linker script (services/user.ld) defines the symbols.
#include <picolibc.h>
#include <picotls.h>
#include <string.h>

#include <cv/runtime.h>

extern char __arm64_tls_tcb_offset[];

static size_t tcb_size(void)
{
	return (size_t)(uintptr_t)__arm64_tls_tcb_offset;
}

size_t cv_tls_area_size(void)
{
	return tcb_size() + _tls_size();
}

size_t cv_tls_area_align(void)
{
	/* The linker made the TCB size max(16, TLS alignment). */
	return tcb_size();
}

void *cv_tls_init(void *area)
{
	memset(area, 0, tcb_size());
	/* Copies .tdata from the read-only template and clears .tbss. */
	_init_tls((char *)area + tcb_size());
	return area;
}
