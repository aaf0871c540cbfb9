/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vmctl's command line, as pure functions (no system calls, no libvmctl):
 * a small getopt, sizes and counts, splitting an argument string, and the
 * parse of a whole command into struct vmctl_cmd. The host unit test
 * tests/unit/test_vmctl_args.c drives them directly.
 */
#ifndef VMCTL_ARGS_H
#define VMCTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMCTL_ARGS_MAX 16               /* words of one command line */
#define VMCTL_DEFAULT_CPUS 1u
#define VMCTL_DEFAULT_MEMORY (64ull << 20) /* small test guests; -m sets more */
#define VMCTL_CPUS_MAX 255u             /* the service checks vmm.maxcpu */

/* The exit statuses, as BSD tools have them. */
#define VMCTL_EXIT_OK 0
#define VMCTL_EXIT_FAIL 1   /* the operation failed */
#define VMCTL_EXIT_USAGE 2  /* bad arguments: nothing was done */

enum vmctl_op {
	VMCTL_LIST,
	VMCTL_INFO,
	VMCTL_CREATE,
	VMCTL_RUN,
	VMCTL_DESTROY,
	VMCTL_CONSOLE,
	VMCTL_START,
	VMCTL_STOP,
	VMCTL_RESET,
	VMCTL_STATS,
	VMCTL_REGS,
	VMCTL_HELP,
};

struct vmctl_cmd {
	enum vmctl_op op;
	bool monitor;       /* -M: the VM lives as long as its monitor (its handles) */
	unsigned cpus;
	uint64_t memory;    /* bytes */
	const char *name;   /* the VM */
	const char *image;  /* a boot module the vmmctl service was given */
};

/* getopt(3) without globals: options of one letter, "c:" takes an
 * argument (attached, -c2, or the next word), "--" ends them. */
struct vmctl_getopt {
	int ind;            /* next argv index; start with 1 */
	int pos;            /* position inside a group like -Mc2 */
	int opt;            /* the offending letter after '?' or ':' */
	const char *arg;    /* the option's argument */
};

/* The next option letter; '?' for an unknown one, ':' for a missing
 * argument (g->opt says which); -1 when the options end (argv[g->ind] is
 * the first operand). */
int vmctl_getopt(struct vmctl_getopt *g, int argc, char *const argv[], const char *spec);

/* A memory size as bhyve's -m takes it: a number of MiB, or a number with
 * K, M, G or T (powers of 1024, either case). Non-zero, at most 1T. */
bool vmctl_parse_size(const char *s, uint64_t *bytes);

/* A vCPU count, 1..VMCTL_CPUS_MAX, decimal. */
bool vmctl_parse_cpus(const char *s, unsigned *n);

/* "64M", "1G", "512K" or bytes: the largest unit that divides it. */
void vmctl_format_size(uint64_t bytes, char *buf, size_t len);

/* Splits s in place at blanks and tabs into at most max words; returns
 * their number, or -1 when there are more. */
int vmctl_split(char *s, char *argv[], int max);

/*
 * Parses argv[0] = "vmctl", argv[1] = the command, and its options and
 * operands. Returns VMCTL_EXIT_OK with *cmd filled, or VMCTL_EXIT_USAGE
 * with a message in msg ("create: missing IMAGE") and cmd->op set to the
 * command when it was known (VMCTL_HELP otherwise), so that the usage of
 * that command can be printed.
 */
int vmctl_parse(int argc, char *argv[], struct vmctl_cmd *cmd, char *msg, size_t msglen);

/* The usage line(s) of one command, or of all of them for VMCTL_HELP. */
const char *vmctl_usage(enum vmctl_op op);

#endif
