/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot configuration (docs/config.md): tasks, endpoints and the
 * capabilities to give them; principals, groups and jails; the vmmctl
 * device policy and tunables; passthrough devices; VMs to start at boot.
 *
 * The parser is pure C with no system calls, shared by the root task and
 * the vmmctl service: each parses the same boot module with this code, so
 * both hold the same tables and no serialized form exists. Every table
 * has a fixed maximum; nothing is allocated.
 *
 * A bad line is either skipped whole (a line that only grants: nothing of
 * it is applied) or fatal (a line that defines identities or restricts
 * access, whose loss would weaken security): after a fatal error the
 * system must not start. docs/config.md lists which is which.
 */
#ifndef BOOTCONF_H
#define BOOTCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uapi/cap.h>
#include <uapi/vm.h>

#define BOOTCONF_NAME_MAX 32 /* names are 1..31 bytes plus the NUL */
#define BOOTCONF_ARGS_MAX 256
#define BOOTCONF_TASKS_MAX 16
#define BOOTCONF_ENDPOINTS_MAX 16
#define BOOTCONF_GIVES_MAX 64
#define BOOTCONF_GROUPS_MAX 16
#define BOOTCONF_PRINCIPALS_MAX 32
#define BOOTCONF_PRINCIPAL_GROUPS_MAX 8 /* groups one principal is in */
#define BOOTCONF_JAILS_MAX 16
#define BOOTCONF_JAIL_DEPTH_MAX 4       /* a/b/c/d */
#define BOOTCONF_PATH_MAX (BOOTCONF_JAIL_DEPTH_MAX * BOOTCONF_NAME_MAX) /* with the NUL */
#define BOOTCONF_PASSTHROUGH_MAX 8
#define BOOTCONF_VMS_MAX 8
#define BOOTCONF_KEY_MIN 16             /* TLS pre-shared key, bytes */
#define BOOTCONF_KEY_MAX 64
#define BOOTCONF_ID_MAX 4294967294u     /* uids and gids; (uint32_t)-1 means "none" */
#define BOOTCONF_SIZE_MAX (1ull << 48)  /* sizes in bytes: 256 TiB */
#define BOOTCONF_PAGE_SIZE 4096u

/* The build's limit on vCPUs per VM; vmm.maxcpu is clamped to it. */
#define BOOTCONF_VM_MAXCPU CV_VM_VCPUS_MAX

/* An index that names nothing: a principal outside any jail, a policy
 * without a group, a task without a principal. */
#define BOOTCONF_NONE (-1)

/* The vmmctl endpoint: `endpoint vmmctl` declares it; session
 * capabilities are badged copies of it. */
#define BOOTCONF_VMMCTL_ENDPOINT "vmmctl"

enum bootconf_severity {
	BOOTCONF_NOTE,    /* applied, with a remark: a clamp, a dropped allow */
	BOOTCONF_SKIPPED, /* the line was ignored whole */
	BOOTCONF_FATAL,   /* the system must not start */
};

/* Called for each message; line is 1-based, 0 for one about a default. */
typedef void (*bootconf_report_fn)(void *ctx, unsigned line, enum bootconf_severity severity,
				   const char *message);

/* What the parser cannot read from the file: the defaults depend on it. */
struct bootconf_machine {
	unsigned cpus;   /* physical CPUs online */
	uint64_t memory; /* bytes for tasks and guests (the root task's quota at boot) */
};

enum bootconf_give_kind {
	GIVE_ENDPOINT, /* an endpoint the configuration made */
	GIVE_DEVICE,   /* a device's registers, by compatible string */
	GIVE_IRQ,      /* a device's interrupt, by compatible string */
	GIVE_SESSION,  /* a principal's session: a badged copy of the vmmctl endpoint */
	GIVE_MODULE,   /* a boot module's bytes, in a read-only frame */
};

struct bootconf_task {
	char name[BOOTCONF_NAME_MAX];
	char module[BOOTCONF_NAME_MAX];
	char args[BOOTCONF_ARGS_MAX];
	unsigned priority; /* of its first thread */
	unsigned max_priority;
	unsigned cpu;
	uint64_t quota;    /* frames */
	uint32_t slots;    /* capability slots */
	int user;          /* index into principals[] it acts for, or BOOTCONF_NONE */
	unsigned line;
};

struct bootconf_give {
	unsigned task;      /* index into tasks[] */
	uint32_t slot;      /* in the task's capability space */
	enum bootconf_give_kind kind;
	char what[BOOTCONF_NAME_MAX]; /* endpoint or principal name, or compatible string */
	char as[BOOTCONF_NAME_MAX];   /* the name the task sees (default: what) */
	uint64_t badge;     /* endpoints: 0 = unbadged; sessions: the principal's badge */
	uint32_t rights;    /* CV_RIGHT_*; for a session see session_write */
	int principal;      /* sessions: index into principals[] */
	bool session_write; /* sessions: may create and destroy, not only read */
	unsigned line;
};

struct bootconf_group {
	char name[BOOTCONF_NAME_MAX];
	uint32_t gid;
	unsigned line;
};

#define BOOTCONF_ALLOW_VMM (1u << 0)     /* allow.vmm: may use vmmctl at all */
#define BOOTCONF_ALLOW_VMM_PPT (1u << 1) /* allow.vmm_ppt: may also pass devices through */

struct bootconf_jail {
	char name[BOOTCONF_NAME_MAX]; /* its last path component */
	char path[BOOTCONF_PATH_MAX]; /* "parent/child" from the host */
	int parent;                   /* index into jails[], or BOOTCONF_NONE under the host */
	unsigned depth;               /* 1 directly under the host */
	uint32_t allow;               /* BOOTCONF_ALLOW_*, already masked by the parent's */
	unsigned line;
};

#define BOOTCONF_PRIV_VMM_CREATE (1u << 0)  /* persistent VMs */
#define BOOTCONF_PRIV_VMM_DESTROY (1u << 1) /* other principals' VMs */
#define BOOTCONF_PRIV_VMM_PPTDEV (1u << 2)  /* device passthrough */

/*
 * A principal: one identity. Its index i in principals[] is fixed by the
 * file's order; the badge of its session capability is i + 1
 * (bootconf_principal_badge), since badge 0 means "unbadged".
 */
struct bootconf_principal {
	char name[BOOTCONF_NAME_MAX];
	uint32_t uid;
	uint8_t groups[BOOTCONF_PRINCIPAL_GROUPS_MAX]; /* indexes into groups[] */
	unsigned group_count;
	int jail;            /* index into jails[], or BOOTCONF_NONE outside any jail */
	uint32_t privileges; /* BOOTCONF_PRIV_* */
	uint8_t key[BOOTCONF_KEY_MAX]; /* TLS pre-shared key: never printed */
	unsigned key_len;              /* 0: none */
	unsigned line;
};

/* The device policy of vmmctl, like a device node's owner, group and mode. */
struct bootconf_vmmctl {
	uint32_t owner_uid;
	int owner;          /* index into principals[] of that uid, or BOOTCONF_NONE */
	uint32_t group_gid; /* meaningful only if group is not BOOTCONF_NONE */
	int group;          /* index into groups[], or BOOTCONF_NONE: the group bits match nobody */
	unsigned mode;      /* 0..0777 */
	unsigned line;      /* 0: all defaults */
};

struct bootconf_tunables {
	unsigned maxcpu;          /* vCPUs per VM, 1..BOOTCONF_VM_MAXCPU */
	unsigned maxvms_per_user; /* VMs per uid */
	uint64_t maxmem_per_user; /* bytes of guest memory per uid */
	unsigned maxcpu_line, maxvms_line, maxmem_line; /* 0: the default */
};

struct bootconf_passthrough {
	char compatible[BOOTCONF_NAME_MAX];
	unsigned line;
};

struct bootconf_vm {
	char name[BOOTCONF_NAME_MAX];
	char image[BOOTCONF_NAME_MAX]; /* a boot module */
	unsigned cpus;
	uint64_t memory;               /* bytes, a multiple of BOOTCONF_PAGE_SIZE */
	int owner;                     /* index into principals[] */
	bool monitor;                  /* destroyed when its last handle goes */
	unsigned line;
};

struct bootconf {
	struct bootconf_task tasks[BOOTCONF_TASKS_MAX];
	unsigned task_count;
	char endpoints[BOOTCONF_ENDPOINTS_MAX][BOOTCONF_NAME_MAX];
	unsigned endpoint_count;
	struct bootconf_give gives[BOOTCONF_GIVES_MAX];
	unsigned give_count;
	int console_endpoint; /* index into endpoints[] of the console service's, or BOOTCONF_NONE */

	struct bootconf_group groups[BOOTCONF_GROUPS_MAX];
	unsigned group_count;
	struct bootconf_jail jails[BOOTCONF_JAILS_MAX];
	unsigned jail_count;
	struct bootconf_principal principals[BOOTCONF_PRINCIPALS_MAX];
	unsigned principal_count;
	struct bootconf_vmmctl vmmctl;
	struct bootconf_tunables tunables;
	struct bootconf_passthrough passthrough[BOOTCONF_PASSTHROUGH_MAX];
	unsigned passthrough_count;
	struct bootconf_vm vms[BOOTCONF_VMS_MAX];
	unsigned vm_count;

	unsigned skipped; /* lines ignored */
	unsigned fatal;   /* fatal errors: the system must not start */
};

/*
 * Parses text (len bytes, need not be NUL-terminated) into cfg and applies
 * the defaults. Returns true if the system may start, false after a fatal
 * error (cfg->fatal counts them; report has named each). report may be
 * NULL.
 */
bool bootconf_parse(struct bootconf *cfg, const char *text, size_t len, const struct bootconf_machine *machine,
		    bootconf_report_fn report, void *ctx);

/* The badge of principal i's session capability, and back. The reverse
 * lookup checks the range: a badge is never trusted blindly. */
static inline uint64_t bootconf_principal_badge(unsigned index)
{
	return (uint64_t)index + 1;
}
const struct bootconf_principal *bootconf_principal_by_badge(const struct bootconf *cfg, uint64_t badge);

/*
 * A session capability's rights: call (CV_RIGHT_WRITE) plus endpoint user
 * rights saying what the vmmctl service allows: read (list, info, open)
 * and write (create, destroy). These two belong in include/uapi/vmmctl.h
 * once the vmmctl protocol is defined there.
 */
#define BOOTCONF_SESSION_READ CV_RIGHT_USER(0)
#define BOOTCONF_SESSION_WRITE CV_RIGHT_USER(1)

static inline uint32_t bootconf_session_rights(const struct bootconf_give *g)
{
	return CV_RIGHT_WRITE | BOOTCONF_SESSION_READ | (g->session_write ? BOOTCONF_SESSION_WRITE : 0);
}

/* Indexes by name, or BOOTCONF_NONE. */
int bootconf_find_task(const struct bootconf *cfg, const char *name);
int bootconf_find_endpoint(const struct bootconf *cfg, const char *name);
int bootconf_find_group(const struct bootconf *cfg, const char *name);
int bootconf_find_principal(const struct bootconf *cfg, const char *name);
int bootconf_find_jail(const struct bootconf *cfg, const char *path);

/* Whether principal p is a member of group g (an index into groups[]). */
bool bootconf_principal_in_group(const struct bootconf_principal *p, int group);

/*
 * One-line summaries for the console (no trailing newline): what a line
 * declared, after defaults. None prints a principal's key. Each writes at
 * most size bytes including the NUL and returns buf; BOOTCONF_DESCRIBE_MAX
 * holds the longest possible line.
 */
#define BOOTCONF_DESCRIBE_MAX 512
char *bootconf_describe_group(const struct bootconf *cfg, unsigned i, char *buf, size_t size);
char *bootconf_describe_jail(const struct bootconf *cfg, unsigned i, char *buf, size_t size);
char *bootconf_describe_principal(const struct bootconf *cfg, unsigned i, char *buf, size_t size);
char *bootconf_describe_vmmctl(const struct bootconf *cfg, char *buf, size_t size);
char *bootconf_describe_tunables(const struct bootconf *cfg, char *buf, size_t size);
char *bootconf_describe_vm(const struct bootconf *cfg, unsigned i, char *buf, size_t size);

/* A byte count with the largest binary suffix that divides it exactly
 * ("16M", "1536K", "4097"), the form the configuration accepts. */
char *bootconf_format_size(uint64_t bytes, char *buf, size_t size);

#endif
