// SPDX-License-Identifier: BSD-2-Clause
// One entry, one table: the system call number indexes a table of
// handlers; an empty slot or a number past the end is CV_E_BAD_SYSCALL.
#include "syscall.h"

#include <uapi/status.h>
#include <uapi/syscall.h>

#include "arch/context.h"
#include "printk.h"
#include "sched.h"
#include "task.h"
#include "thread.h"

/* A handler reads its arguments from and writes its results to the
 * caller's context, and returns the status. */
typedef int (*syscall_handler)(struct thread *caller, struct arch_context *c);

static int sys_null(struct thread *caller, struct arch_context *c)
{
	(void)caller;
	(void)c;
	return CV_OK;
}

#define DEBUG_WRITE_MAX 4096

static int sys_debug_write(struct thread *caller, struct arch_context *c)
{
	uint64_t va = arch_syscall_arg(c, 0), len = arch_syscall_arg(c, 1);
	char buf[256];

	if (len > DEBUG_WRITE_MAX)
		return CV_E_BAD_ARG;
	while (len) {
		size_t chunk = len < sizeof(buf) ? len : sizeof(buf);
		int err = task_copy_from(caller->task, buf, va, chunk);
		if (err)
			return err;
		printk("%.*s", (int)chunk, buf);
		va += chunk;
		len -= chunk;
	}
	return CV_OK;
}

static int sys_thread_exit(struct thread *caller, struct arch_context *c)
{
	(void)c;
	thread_kill(caller);
	return CV_OK;
}

static int sys_yield(struct thread *caller, struct arch_context *c)
{
	(void)caller;
	(void)c;
	sched_yield();
	return CV_OK;
}

static const syscall_handler syscall_table[CV_SYS_COUNT] = {
	[CV_SYS_NULL] = sys_null,
	[CV_SYS_DEBUG_WRITE] = sys_debug_write,
	[CV_SYS_THREAD_EXIT] = sys_thread_exit,
	[CV_SYS_YIELD] = sys_yield,
};

void syscall_dispatch(struct thread *caller)
{
	struct arch_context *c = &caller->ctx;
	uint64_t nr = arch_syscall_number(c);
	syscall_handler h = nr < CV_SYS_COUNT ? syscall_table[nr] : NULL;
	int status = h ? h(caller, c) : CV_E_BAD_SYSCALL;

	arch_syscall_set_status(c, (uint64_t)status);
}
