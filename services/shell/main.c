// SPDX-License-Identifier: BSD-2-Clause
// The console shell (docs/shell.md): a prompt on the console, logged in
// as a principal of the boot configuration, from which a person runs
// vmctl. It holds the session of each principal the configuration gives
// it — a demo convenience: `login NAME` switches without a password,
// where a real system would authenticate first.
#include <stdio.h>
#include <string.h>

#include <cv/console.h>
#include <cv/runtime.h>
#include <cv/task.h>
#include <uapi/vmmctl.h>

#include "shell.h"

#define SESSIONS_MAX 16
#define VMCTL_IMAGE_VA 0x0000003000000000ull
#define VMM_IMAGE_VA 0x0000003100000000ull
#define WORDS_MAX 16

struct session {
	char name[CV_START_NAME_MAX];
	cv_slot_t slot;
};

static struct session sessions[SESSIONS_MAX];
static unsigned session_count;
static const struct session *current, *initial;
static struct image vmctl_image = {.name = "vmctl"}, vmm_image = {.name = "vmm"};

static const struct session *session_named(const char *name)
{
	for (unsigned i = 0; i < session_count; i++)
		if (!strcmp(sessions[i].name, name))
			return &sessions[i];
	return NULL;
}

static bool map_image(struct image *img, const struct cv_start_cap *c, uint64_t va)
{
	if (cv_frame_map(c->slot, CV_SLOT_SELF_TASK, va, CV_MAP_READ) != CV_OK)
		return false;
	img->bytes = (const void *)(uintptr_t)va;
	img->size = c->size;
	return true;
}

/* What the start information gives: the console, the consoles for jobs
 * and for VMMs, the images of vmctl and the VMM; every other endpoint is a session
 * named by its principal. */
static cv_slot_t jobs_console, vmm_console;

static cv_slot_t take_start_info(const struct cv_start_info *si)
{
	cv_slot_t console = 0;

	for (uint32_t i = 0; i < si->cap_count && i < CV_START_CAPS_MAX; i++) {
		const struct cv_start_cap *c = &si->caps[i];
		if (c->type == CV_OBJ_FRAME && !strcmp(c->name, "vmctl")) {
			if (!map_image(&vmctl_image, c, VMCTL_IMAGE_VA))
				printf("shell: cannot map the vmctl image\n");
		} else if (c->type == CV_OBJ_FRAME && !strcmp(c->name, "vmm")) {
			if (!map_image(&vmm_image, c, VMM_IMAGE_VA))
				printf("shell: cannot map the vmm image\n");
		} else if (c->type == CV_OBJ_ENDPOINT && !strcmp(c->name, "console")) {
			console = c->slot;
		} else if (c->type == CV_OBJ_ENDPOINT && !strcmp(c->name, "jobs_console")) {
			jobs_console = c->slot;
		} else if (c->type == CV_OBJ_ENDPOINT && !strcmp(c->name, "vmm_console")) {
			vmm_console = c->slot;
		} else if (c->type == CV_OBJ_ENDPOINT && session_count < SESSIONS_MAX) {
			struct session *s = &sessions[session_count++];
			memcpy(s->name, c->name, sizeof(s->name));
			s->name[sizeof(s->name) - 1] = '\0';
			s->slot = c->slot;
		}
	}
	return console;
}

static int split(char *s, char *words[], int max)
{
	int n = 0;

	for (;;) {
		while (*s == ' ')
			*s++ = '\0';
		if (!*s)
			return n;
		if (n == max)
			return -1;
		words[n++] = s;
		while (*s && *s != ' ')
			s++;
	}
}

static void help(void)
{
	printf("commands:\n");
	printf("  vmctl COMMAND [ARGS] [&]  manage VMs as the current principal (vmctl help;\n");
	printf("                            & runs it in the background)\n");
	printf("  login NAME                act as principal NAME:");
	for (unsigned i = 0; i < session_count; i++)
		printf(" %s", sessions[i].name);
	printf("\n  whoami                    the principal you act as\n");
	printf("  logout, exit              back to %s\n", initial ? initial->name : "the first principal");
	printf("  jobs                      background vmctl commands\n");
	printf("  kill N                    kill background job N (a vmctl run's VM goes with it)\n");
	printf("  help                      this list\n");
}

static void whoami(void)
{
	struct cv_cap_info ci = {0};

	(void)cv_cap_info(current->slot, &ci);
	printf("%s (vmmctl session %s)\n", current->name,
	       ci.rights & VMMCTL_SESSION_WRITE ? "read-write"
	       : ci.rights & VMMCTL_SESSION_READ ? "read-only"
						 : "without rights");
}

static void run_vmctl(char *words[], int n)
{
	bool background = n > 1 && !strcmp(words[n - 1], "&");
	char args[CV_START_ARGS_MAX];
	size_t len = 0;

	if (background)
		n--;
	args[0] = '\0';
	for (int i = 1; i < n; i++) {
		size_t w = strlen(words[i]);
		if (len + w + 2 > sizeof(args)) {
			printf("shell: vmctl: arguments too long\n");
			return;
		}
		if (len)
			args[len++] = ' ';
		memcpy(args + len, words[i], w + 1);
		len += w;
	}
	if (!vmctl_image.bytes) {
		printf("shell: vmctl: no vmctl image was given to the shell\n");
		return;
	}
	int status = jobs_run_vmctl(args, current->slot, background);
	if (status > 0)
		printf("exit status %d\n", status);
}

static void execute(char *line)
{
	char *words[WORDS_MAX];
	int n = split(line, words, WORDS_MAX);

	if (n < 0) {
		printf("shell: too many words (at most %d)\n", WORDS_MAX);
		return;
	}
	if (!n)
		return;
	const char *cmd = words[0];
	if (!strcmp(cmd, "vmctl")) {
		run_vmctl(words, n);
	} else if (!strcmp(cmd, "login")) {
		const struct session *s = n == 2 ? session_named(words[1]) : NULL;
		if (n != 2)
			printf("usage: login NAME\n");
		else if (!s)
			printf("login: no session for %s\n", words[1]);
		else
			current = s;
	} else if (!strcmp(cmd, "logout") || !strcmp(cmd, "exit")) {
		current = initial;
	} else if (!strcmp(cmd, "whoami")) {
		whoami();
	} else if (!strcmp(cmd, "jobs")) {
		jobs_list();
	} else if (!strcmp(cmd, "kill")) {
		const char *id = n == 2 ? words[1] + (words[1][0] == '%') : "";
		if (n != 2 || id[0] < '1' || id[0] > '9' || id[1])
			printf("usage: kill N\n");
		else if (!jobs_kill((unsigned)(id[0] - '0')))
			printf("kill: no background job %s\n", id);
	} else if (!strcmp(cmd, "help")) {
		help();
	} else {
		printf("shell: %s: command not found (help lists them)\n", cmd);
	}
}

int main(void *arg)
{
	const struct cv_start_info *si = cv_start_info_of(arg);
	static char line[SHELL_LINE_MAX];
	char prompt[CV_START_NAME_MAX + 16];

	if (!si) {
		printf("shell: started without start information\n");
		return 1;
	}
	cv_slot_t console = take_start_info(si);
	cv_slot_t job_ep = slot_get();
	if (!console || !job_ep || cv_endpoint_create(CV_SLOT_SELF_QUOTA, job_ep) != CV_OK) {
		printf("shell: no console, or no endpoint for jobs\n");
		return 1;
	}
	if (!jobs_console)
		jobs_console = console;
	jobs_init(job_ep, &vmctl_image, vmm_image.bytes ? &vmm_image : NULL, jobs_console,
		  vmm_console ? vmm_console : jobs_console, si->cpu_count);
	initial = session_named(si->args);
	if (!initial && session_count)
		initial = &sessions[0];
	if (!initial) {
		printf("shell: no vmmctl session was given to the shell\n");
		return 1;
	}
	current = initial;
	printf("capvisor console shell: logged in as %s; help lists the commands\n", current->name);
	for (;;) {
		jobs_reap();
		snprintf(prompt, sizeof(prompt), "%s@capvisor$ ", current->name);
		if (!line_read(prompt, line, sizeof(line)))
			return 0;
		execute(line);
	}
}
