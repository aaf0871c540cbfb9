/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot configuration the root task reads (docs/config.md): which tasks
 * to start from which modules, with what resources, and which capabilities
 * each gets. Parsing is pure C (host-tested); bad lines are reported with
 * their line number and skipped, never half-applied.
 */
#ifndef ROOT_CONFIG_H
#define ROOT_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define CONFIG_NAME_MAX 32
#define CONFIG_ARGS_MAX 256
#define CONFIG_TASKS_MAX 16
#define CONFIG_ENDPOINTS_MAX 16
#define CONFIG_GIVES_MAX 64

enum give_kind {
	GIVE_ENDPOINT, /* an endpoint the configuration made */
	GIVE_DEVICE,   /* a device's registers, by compatible string */
	GIVE_IRQ,      /* a device's interrupt, by compatible string */
};

struct config_task {
	char name[CONFIG_NAME_MAX];
	char module[CONFIG_NAME_MAX];
	char args[CONFIG_ARGS_MAX];
	unsigned priority;     /* of its first thread */
	unsigned max_priority;
	unsigned cpu;
	uint64_t quota;        /* frames */
	uint32_t slots;        /* capability slots */
	unsigned line;
};

struct config_give {
	unsigned task;         /* index into tasks[] */
	uint32_t slot;         /* in the task's capability space */
	enum give_kind kind;
	char what[CONFIG_NAME_MAX]; /* endpoint name or compatible string */
	char as[CONFIG_NAME_MAX];   /* the name the task sees (default: what) */
	uint64_t badge;        /* endpoints: 0 = unbadged */
	uint32_t rights;       /* CV_RIGHT_* */
	unsigned line;
};

struct config {
	struct config_task tasks[CONFIG_TASKS_MAX];
	unsigned task_count;
	char endpoints[CONFIG_ENDPOINTS_MAX][CONFIG_NAME_MAX];
	unsigned endpoint_count;
	struct config_give gives[CONFIG_GIVES_MAX];
	unsigned give_count;
	int console_endpoint;  /* index into endpoints[] of the console service's, or -1 */
	unsigned errors;
};

/* Called for each bad line; line is 1-based. */
typedef void (*config_error_fn)(void *ctx, unsigned line, const char *message);

/* Parses text (len bytes, need not be NUL-terminated) into cfg. Returns
 * the number of lines rejected (also in cfg->errors). */
unsigned config_parse(struct config *cfg, const char *text, size_t len, config_error_fn error, void *ctx);

#endif
