// SPDX-License-Identifier: BSD-2-Clause
// The end of a program: picolibc's exit() runs atexit handlers and
// destructors, then calls _exit here. There is no task-exit system call
// yet, so _exit ends the calling thread; a non-zero status is reported on
// the console so that a failing task is visible.
#include <unistd.h>

#include <cv/runtime.h>
#include <cv/syscall.h>

void _exit(int status)
{
	cv_console_flush();
	if (status != 0) {
		char msg[32] = "exit status ";
		char digits[12];
		size_t len = 12, n = 0;
		unsigned int v = status < 0 ? 0u - (unsigned int)status : (unsigned int)status;

		do
			digits[n++] = (char)('0' + v % 10);
		while ((v /= 10) != 0);
		if (status < 0)
			msg[len++] = '-';
		while (n)
			msg[len++] = digits[--n];
		msg[len++] = '\n';
		(void)cv_debug_write(msg, len);
	}
	cv_thread_exit();
}
