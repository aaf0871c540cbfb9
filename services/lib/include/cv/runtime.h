/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The user runtime (libcv): start-up, console, thread-local storage and
 * small helpers shared by every user task. The C library is picolibc;
 * docs/runtime.md describes how the two fit together.
 */
#ifndef CV_RUNTIME_H
#define CV_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include <uapi/cap.h>
#include <uapi/status.h>

/*
 * Every user program defines main with this signature. arg is the value
 * its creator put in x0 when starting the first thread (for the root task,
 * the kernel's start-up information page); the runtime passes it on
 * untouched. Returning from main is exit(status).
 */
int main(void *arg);

/* The status' name, e.g. "CV_E_NO_RIGHTS"; "CV_E_UNKNOWN" if it has none. */
const char *cv_strerror(enum cv_status st);

/* The object type's name, e.g. "endpoint"; "unknown" if it has none. */
const char *cv_obj_type_name(enum cv_obj_type type);

/*
 * Writes the calling thread's buffered console output now (stdout and
 * stderr share one line buffer per thread, flushed at every newline, when
 * full, by fflush and at exit).
 */
void cv_console_flush(void);

/* Writes a string straight to the console, bypassing stdio. */
void cv_console_write(const char *s);

/*
 * Thread-local storage for threads other than the first. A TLS area is
 * cv_tls_area_size() bytes aligned to cv_tls_area_align(); cv_tls_init()
 * fills it from the program's TLS template and returns the value the new
 * thread's TPIDR_EL0 must hold (the area's address). The first thread's
 * area is set up by the start-up code.
 */
size_t cv_tls_area_size(void);
size_t cv_tls_area_align(void);
void *cv_tls_init(void *area);

/*
 * Prints "panic: " and the message on the console, then ends the task.
 * For conditions a task cannot go on from.
 */
_Noreturn void cv_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
