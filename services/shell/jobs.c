// SPDX-License-Identifier: BSD-2-Clause
// The shell's jobs: vmctl tasks, in the foreground or the background, and
// the VMM tasks they ask for (uapi/job.h). A VMM a job asks for without
// CV_JOB_VMM_DETACH belongs to the job and dies with it — killing a
// `vmctl run -M` kills its VMM too, so the VM's last handles go and the VM
// is destroyed. Detached VMMs (vmctl create) stay until their thread ends.
#include <stdio.h>
#include <string.h>

#include <cv/runtime.h>
#include <uapi/job.h>
#include <uapi/vmmctl.h>

#include "shell.h"
#include "vmctl.h"

#define JOBS_MAX 8
#define JOB_VMMS 2
#define DETACHED_MAX 16
#define VMCTL_FRAMES 160
#define VMM_BADGE_FIRST 0x100 /* badges of VMM fault handlers; jobs have 1..JOBS_MAX */
#define KEY_CTRL_C 0x03
#define FOREGROUND_POLL_MS 16

/* The slot of a job's and a VMM's fault handler in its space: the third
 * capability each is given (proc_start). */
#define JOB_SLOT_PARENT (CV_TASK_FIRST_GIVEN + 2)
#define VMM_SLOT_FAULT (CV_TASK_FIRST_GIVEN + 2)

struct job {
	bool used, background;
	int status;
	struct proc p;
	struct proc vmm[JOB_VMMS];
	char args[CV_START_ARGS_MAX];
};

static struct job jobs[JOBS_MAX];
static struct proc detached[DETACHED_MAX];
static cv_slot_t job_ep, console, vmm_console, recv_slot;
static const struct image *vmctl_image, *vmm_image;
static unsigned cpu_count, vmm_count;
static cv_badge_t next_vmm_badge = VMM_BADGE_FIRST;

void jobs_init(cv_slot_t job_endpoint, const struct image *vmctl, const struct image *vmm, cv_slot_t con,
	       cv_slot_t vmm_con, unsigned cpus)
{
	vmm_console = vmm_con;
	job_ep = job_endpoint;
	vmctl_image = vmctl;
	vmm_image = vmm;
	console = con;
	cpu_count = cpus ? cpus : 1;
	recv_slot = slot_get();
}

/* A badged copy of the job endpoint in a slot of ours (0 on failure). */
static cv_slot_t mint(cv_badge_t badge, uint32_t rights)
{
	cv_slot_t s = slot_get();

	if (s && cv_cap_mint(job_ep, s, rights, badge) != CV_OK) {
		slot_put(s);
		s = 0;
	}
	return s;
}

static int vmm_status(enum cv_status st)
{
	return st == CV_E_NO_MEMORY ? VMMCTL_ENOMEM : VMMCTL_EIO;
}

/* START_VMM from job j: a VMM task for the handle in recv_slot. */
static int start_vmm(struct job *j, uint64_t flags, const char *name)
{
	struct proc *p = NULL;

	if (!vmm_image)
		return VMMCTL_EOPNOTSUPP; /* no vmm module given to the shell */
	if (flags & CV_JOB_VMM_DETACH) {
		for (unsigned i = 0; i < DETACHED_MAX && !p; i++)
			if (!detached[i].task)
				p = &detached[i];
	} else {
		for (unsigned i = 0; i < JOB_VMMS && !p; i++)
			if (!j->vmm[i].task)
				p = &j->vmm[i];
	}
	if (!p)
		return VMMCTL_ENOSPC;
	cv_badge_t badge = next_vmm_badge++;
	cv_slot_t fault = mint(badge, CV_RIGHT_WRITE);
	if (!fault)
		return VMMCTL_ENOMEM;
	/* After "vm", the VMM's handle (vmctl_vmm_spawn). */
	const struct cv_task_give more[] = {
		{"console", vmm_console, CV_RIGHT_WRITE, CV_OBJ_ENDPOINT, 0, 0},
		{"fault", fault, CV_RIGHT_WRITE, CV_OBJ_ENDPOINT, 0, 0}, /* VMM_SLOT_FAULT */
	};
	enum cv_status st = CV_E_NO_MEMORY;
	if (proc_reserve(p, badge)) {
		struct vmctl_vmm v = {
			.image = vmm_image->bytes,
			.size = vmm_image->size,
			.handle = recv_slot,
			.vm_name = name,
			.quota = CV_SLOT_SELF_QUOTA,
			.quota_slot = p->quota,
			.task_slot = p->task,
			.thread_slot = p->thread,
			.priority = CHILD_PRIORITY,
			/* VMMs spread over the CPUs other than the shell's. */
			.cpu = cpu_count > 1 ? 1 + vmm_count++ % (cpu_count - 1) : 0,
			.cpu_count = cpu_count,
			.more = more,
			.more_count = 2,
			.fault_handler = VMM_SLOT_FAULT,
		};
		st = vmctl_vmm_spawn(&v);
		if (st != CV_OK)
			proc_kill(p);
	}
	slot_put(fault);
	if (st != CV_OK)
		return vmm_status(st);
	snprintf(p->vm, sizeof(p->vm), "%s", name);
	return VMMCTL_OK;
}

static void end_job(struct job *j, int status, const char *how)
{
	if (j->background)
		line_pause(); /* before the kernel's own line about the task */
	proc_kill(&j->p);
	for (unsigned i = 0; i < JOB_VMMS; i++)
		if (j->vmm[i].task)
			proc_kill(&j->vmm[i]);
	j->status = status;
	if (j->background) {
		if (how)
			printf("[%u] %s  vmctl %s\n", (unsigned)(j - jobs) + 1, how, j->args);
		else if (status)
			printf("[%u] exit status %d  vmctl %s\n", (unsigned)(j - jobs) + 1, status, j->args);
		else
			printf("[%u] done  vmctl %s\n", (unsigned)(j - jobs) + 1, j->args);
	} else if (how) {
		printf("vmctl: %s\n", how);
	}
	j->used = false;
}

static struct job *job_of(cv_badge_t badge)
{
	if (badge < 1 || badge > JOBS_MAX || !jobs[badge - 1].used)
		return NULL;
	return &jobs[badge - 1];
}

static struct proc *vmm_of(cv_badge_t badge)
{
	for (unsigned i = 0; i < DETACHED_MAX; i++)
		if (detached[i].task && detached[i].badge == badge)
			return &detached[i];
	for (unsigned k = 0; k < JOBS_MAX; k++)
		for (unsigned i = 0; jobs[k].used && i < JOB_VMMS; i++)
			if (jobs[k].vmm[i].task && jobs[k].vmm[i].badge == badge)
				return &jobs[k].vmm[i];
	return NULL;
}

/* Typed bytes for the foreground job j (none for a background one).
 * Ctrl-C kills j instead; returns false then (no reply is owed any more:
 * the caller is gone). */
static bool take_input(struct job *j, char *buf, size_t max, size_t *got)
{
	*got = 0;
	if (j->background)
		return true;
	*got = term_read(buf, max);
	for (size_t i = 0; i < *got; i++)
		if (buf[i] == KEY_CTRL_C) {
			term_unread(buf + i + 1, *got - i - 1);
			printf("^C\n");
			end_job(j, 130, NULL);
			return false;
		}
	return true;
}

static void handle(struct cv_msg *m)
{
	struct job *j = job_of(m->badge);

	if (m->info & CV_IPC_FAULT) {
		/* Not answered: the task is deleted instead. */
		if (j) {
			printf("vmctl: fault at pc 0x%lx (ESR 0x%lx)\n", (unsigned long)m->mr[2],
			       (unsigned long)m->mr[0]);
			end_job(j, 1, "killed by a fault");
		} else {
			struct proc *p = vmm_of(m->badge);
			if (p) {
				line_pause();
				printf("vmm of %s: fault at pc 0x%lx; killed\n", p->vm, (unsigned long)m->mr[2]);
				proc_kill(p);
			}
		}
		return;
	}
	if (m->info & (CV_IPC_CLOSE_EVENT | CV_IPC_NOTIFICATION) || !j)
		return;
	if (m->mr[0] == CV_JOB_OP_EXIT) {
		end_job(j, (int)(m->mr[1] & 0xff), NULL);
		return;
	}
	if (m->mr[0] == CV_JOB_OP_VMMS) {
		struct cv_msg r = {.info = cv_ipc_info(1, 0, 0, 0)};
		for (unsigned i = 0; i < JOB_VMMS; i++)
			r.mr[0] += j->vmm[i].task && !proc_ended(&j->vmm[i]);
		(void)cv_reply(&r);
		return;
	}
	if (m->mr[0] == CV_JOB_OP_INPUT) {
		char buf[CV_JOB_INPUT_MAX];
		size_t got, max = m->mr[1] < CV_JOB_INPUT_MAX ? (size_t)m->mr[1] : CV_JOB_INPUT_MAX;
		if (!take_input(j, buf, max, &got))
			return;
		struct cv_msg r = {.info = cv_ipc_info(1 + (unsigned)((got + 7) / 8), 0, 0, 0), .mr = {got}};
		for (size_t i = 0; i < got; i++)
			r.mr[1 + i / 8] |= (uint64_t)(unsigned char)buf[i] << (8 * (i % 8));
		(void)cv_reply(&r);
		return;
	}
	if (m->mr[0] == CV_JOB_OP_START_VMM) {
		char name[CV_JOB_NAME_BYTES + 1] = {0};
		int err = VMMCTL_EINVAL;
		memcpy(name, &m->mr[2], CV_JOB_NAME_BYTES);
		if ((m->info & CV_IPC_CAPS_MASK) >> CV_IPC_CAPS_SHIFT)
			err = start_vmm(j, m->mr[1], name);
		/* The VMM has its copy; ours would keep a monitor-mode VM alive. */
		(void)cv_cap_delete(recv_slot);
		struct cv_msg r = {.info = cv_ipc_info(1, 0, 0, 0), .mr = {(uint64_t)err}};
		(void)cv_reply(&r);
	}
}

bool jobs_poll(int ms)
{
	struct cv_msg m = {.info = 0};
	unsigned log2 = 0;

	if (ms == 0)
		m.info = CV_IPC_NONBLOCK;
	else if (ms > 0) {
		while ((1 << log2) < ms && log2 < 30)
			log2++;
		m.info = CV_IPC_TIMEOUT_MS_LOG2(log2);
	}
	if (cv_recv(cv_ipc_endpoint_arg(job_ep, recv_slot, 0), &m) != CV_OK)
		return false;
	handle(&m);
	return true;
}

int jobs_run_vmctl(const char *args, cv_slot_t session, bool background)
{
	struct job *j = NULL;
	unsigned id;

	for (id = 1; id <= JOBS_MAX && !j; id++)
		if (!jobs[id - 1].used)
			j = &jobs[id - 1];
	if (!j) {
		printf("shell: too many jobs (at most %d)\n", JOBS_MAX);
		return 1;
	}
	id = (unsigned)(j - jobs) + 1;
	memset(j, 0, sizeof(*j));
	snprintf(j->args, sizeof(j->args), "%s", args);
	uint32_t rights = CV_RIGHT_WRITE | CV_RIGHT_GRANT | (background ? 0 : CV_JOB_FOREGROUND);
	cv_slot_t parent = mint(id, rights);
	if (!parent) {
		printf("shell: vmctl: out of capability slots\n");
		return 1;
	}
	const struct cv_task_give gives[] = {
		{"console", console, CV_RIGHT_WRITE, CV_OBJ_ENDPOINT, 0, 0},
		{"session", session, CV_RIGHTS_ALL, CV_OBJ_ENDPOINT, 0, 0},
		{"parent", parent, rights, CV_OBJ_ENDPOINT, 0, 0}, /* JOB_SLOT_PARENT */
	};
	fflush(stdout);
	cv_console_flush();
	enum cv_status st = proc_start(&j->p, vmctl_image, VMCTL_FRAMES, 0, "vmctl", args, gives, 3, id,
				       JOB_SLOT_PARENT);
	slot_put(parent);
	if (st != CV_OK) {
		printf("shell: vmctl: cannot start it: %s\n", cv_strerror(st));
		return 1;
	}
	j->used = true;
	j->background = background;
	if (background) {
		printf("[%u] vmctl %s\n", id, args);
		return -1;
	}
	/* While it runs, Ctrl-C typed when it is not asking for input kills
	 * it too; anything else typed waits for whoever reads next. */
	while (j->used) {
		char buf[CV_JOB_INPUT_MAX];
		size_t got;
		if (jobs_poll(FOREGROUND_POLL_MS))
			continue;
		if (take_input(j, buf, sizeof(buf), &got))
			term_unread(buf, got);
		/* A job whose thread ended without its EXIT (it never should). */
		if (j->used && proc_ended(&j->p))
			end_job(j, 1, "ended without an exit status");
	}
	return j->status;
}

bool jobs_background(void)
{
	for (unsigned i = 0; i < JOBS_MAX; i++)
		if (jobs[i].used && jobs[i].background)
			return true;
	return false;
}

void jobs_list(void)
{
	for (unsigned i = 0; i < JOBS_MAX; i++)
		if (jobs[i].used)
			printf("[%u] running  vmctl %s\n", i + 1, jobs[i].args);
}

bool jobs_kill(unsigned id)
{
	struct job *j = job_of(id);

	if (!j || !j->background)
		return false;
	end_job(j, 1, "killed");
	return true;
}

void jobs_reap(void)
{
	while (jobs_poll(0))
		;
	for (unsigned i = 0; i < JOBS_MAX; i++)
		if (jobs[i].used && jobs[i].background && proc_ended(&jobs[i].p))
			end_job(&jobs[i], 1, "ended without an exit status");
	for (unsigned i = 0; i < DETACHED_MAX; i++)
		if (detached[i].task && proc_ended(&detached[i]))
			proc_kill(&detached[i]);
}
