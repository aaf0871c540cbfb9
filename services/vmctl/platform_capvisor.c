// SPDX-License-Identifier: BSD-2-Clause
// vmctl on capvisor: a task the console shell starts per command
// (docs/shell.md). Its start information holds the arguments (args), the
// principal's vmmctl session ("session"), the console ("console", which
// libcv attaches stdio to) and the shell's job endpoint ("parent", through
// which it asks for VMM tasks and reports its exit status: uapi/job.h).
#include <stdio.h>
#include <string.h>

#include <cv/console.h>
#include <cv/runtime.h>
#include <cv/task.h>
#include <uapi/job.h>
#include <uapi/start.h>

#include "args.h"
#include "platform.h"

#define CONSOLE_VA 0x0000003000000000ull
#define FIRST_FREE_SLOT 48 /* above what the start information lists */

static cv_slot_t session, parent, sleeper, next_slot = FIRST_FREE_SLOT;

cv_slot_t plat_session(void)
{
	return session;
}

cv_slot_t plat_slot(void)
{
	return next_slot++;
}

void plat_release(cv_slot_t slot)
{
	(void)cv_cap_delete(slot);
}

uint32_t plat_handle_rights(cv_slot_t handle)
{
	struct cv_cap_info ci;

	return cv_cap_info(handle, &ci) == CV_OK ? ci.rights & VMMCTL_VM_ALL : 0;
}

int plat_start_vmm(cv_slot_t handle, const char *name, bool detach)
{
	struct cv_msg m = {.info = cv_ipc_info(6, 1, handle, 0)};
	char bytes[CV_JOB_NAME_BYTES] = {0};

	if (!parent)
		return VMMCTL_EOPNOTSUPP;
	size_t len = strlen(name);
	memcpy(bytes, name, len < sizeof(bytes) ? len : sizeof(bytes)); /* the VMM's args; a full path is cut */
	m.mr[0] = CV_JOB_OP_START_VMM;
	m.mr[1] = detach ? CV_JOB_VMM_DETACH : 0;
	memcpy(&m.mr[2], bytes, sizeof(bytes));
	if (cv_call(cv_ipc_endpoint_arg(parent, 0, 0), &m) != CV_OK)
		return VMMCTL_EIO;
	return (int)m.mr[0];
}

bool plat_foreground(void)
{
	struct cv_cap_info ci;

	return !parent || (cv_cap_info(parent, &ci) == CV_OK && (ci.rights & CV_JOB_FOREGROUND));
}

bool plat_vmm_running(void)
{
	struct cv_msg m = {.info = cv_ipc_info(1, 0, 0, 0), .mr = {CV_JOB_OP_VMMS}};

	if (!parent || cv_call(cv_ipc_endpoint_arg(parent, 0, 0), &m) != CV_OK)
		return false;
	return m.mr[0] != 0;
}

struct vmmctl_console *plat_console_map(cv_slot_t frame, bool writable)
{
	unsigned perms = CV_MAP_READ | (writable ? CV_MAP_WRITE : 0);

	if (cv_frame_map(frame, CV_SLOT_SELF_TASK, CONSOLE_VA, perms) != CV_OK)
		return NULL;
	return (struct vmmctl_console *)(uintptr_t)CONSOLE_VA;
}

void plat_console_unmap(void)
{
	(void)cv_unmap(CV_SLOT_SELF_TASK, CONSOLE_VA);
}

void plat_out(const char *buf, size_t len)
{
	cv_slot_t ep = cv_console_attached();

	fflush(stdout);
	cv_console_flush();
	if (!ep || cv_console_send_shown(ep, buf, len) != CV_OK)
		(void)cv_debug_write(buf, len);
}

/* The shell owns the terminal and hands its foreground job what is typed
 * (uapi/job.h); without a shell, the console service directly. */
size_t plat_in(char *buf, size_t max)
{
	size_t got = 0;

	if (!parent) {
		if (cv_console_read(buf, max, &got, CV_CONSOLE_NONBLOCK) != CV_OK)
			return 0;
		return got;
	}
	struct cv_msg m = {.info = cv_ipc_info(2, 0, 0, 0)};
	m.mr[0] = CV_JOB_OP_INPUT;
	m.mr[1] = max < CV_JOB_INPUT_MAX ? max : CV_JOB_INPUT_MAX;
	if (cv_call(cv_ipc_endpoint_arg(parent, 0, 0), &m) != CV_OK)
		return 0;
	got = m.mr[0] <= CV_JOB_INPUT_MAX && m.mr[0] <= max ? (size_t)m.mr[0] : 0;
	for (size_t i = 0; i < got; i++)
		buf[i] = (char)(m.mr[1 + i / 8] >> (8 * (i % 8)));
	return got;
}

/* A receive with a timeout on an endpoint nobody else holds. */
void plat_sleep_ms(unsigned ms)
{
	unsigned log2 = 0;

	if (!sleeper) {
		sleeper = plat_slot();
		if (cv_endpoint_create(CV_SLOT_SELF_QUOTA, sleeper) != CV_OK) {
			sleeper = 0;
			(void)cv_yield();
			return;
		}
	}
	while ((1u << log2) < ms && log2 < 30)
		log2++;
	struct cv_msg m = {.info = CV_IPC_TIMEOUT_MS_LOG2(log2)};
	(void)cv_recv(cv_ipc_endpoint_arg(sleeper, 0, 0), &m);
}

static cv_slot_t cap_named(const struct cv_start_info *si, const char *name)
{
	for (uint32_t i = 0; i < si->cap_count && i < CV_START_CAPS_MAX; i++)
		if (!strncmp(si->caps[i].name, name, CV_START_NAME_MAX))
			return si->caps[i].slot;
	return 0;
}

/* The last word to the shell, which then deletes this task. */
static _Noreturn void finish(int status)
{
	fflush(stdout);
	fflush(stderr);
	cv_console_flush();
	if (parent) {
		struct cv_msg m = {.info = cv_ipc_info(2, 0, 0, 0), .mr = {CV_JOB_OP_EXIT, (uint64_t)status}};
		(void)cv_send(cv_ipc_endpoint_arg(parent, 0, 0), &m);
	}
	cv_thread_exit();
}

int main(void *arg)
{
	const struct cv_start_info *si = cv_start_info_of(arg);
	static char line[CV_START_ARGS_MAX + 8];
	char *argv[VMCTL_ARGS_MAX + 1];

	if (!si) {
		printf("vmctl: started without start information\n");
		return VMCTL_EXIT_FAIL;
	}
	parent = cap_named(si, "parent");
	session = cap_named(si, "session");
	snprintf(line, sizeof(line), "vmctl %.*s", (int)sizeof(si->args), si->args);
	int argc = vmctl_split(line, argv, VMCTL_ARGS_MAX);
	if (argc < 0) {
		fprintf(stderr, "vmctl: too many arguments (at most %d)\n", VMCTL_ARGS_MAX - 1);
		finish(VMCTL_EXIT_USAGE);
	}
	argv[argc] = NULL;
	if (!session) {
		fprintf(stderr, "vmctl: no vmmctl session\n");
		finish(VMCTL_EXIT_FAIL);
	}
	finish(vmctl_main(argc, argv));
}
