// SPDX-License-Identifier: BSD-2-Clause
// services/vmctl/args.c: vmctl's getopt, sizes, vCPU counts, splitting an
// argument string, and whole commands with their usage errors.
#include "unit.h"

#include <string.h>

#include "../../services/vmctl/args.h"

/* Parses a command given as one string; returns the exit status. */
static int parse(const char *line, struct vmctl_cmd *cmd, char *msg, size_t msglen)
{
	static char buf[256];
	char *argv[VMCTL_ARGS_MAX];

	snprintf(buf, sizeof(buf), "%s", line);
	int argc = vmctl_split(buf, argv, VMCTL_ARGS_MAX);
	CHECK(argc >= 0);
	return vmctl_parse(argc, argv, cmd, msg, msglen);
}

UNIT_TEST(getopt_groups_and_arguments)
{
	char line[] = "vmctl create -Mc2 -m 1G -c3 -- -x";
	char *argv[9];
	CHECK_EQ(vmctl_split(line, argv, 9), 8);
	struct vmctl_getopt g = {.ind = 2};

	CHECK_EQ(vmctl_getopt(&g, 8, argv, "Mc:m:"), 'M');
	CHECK_EQ(vmctl_getopt(&g, 8, argv, "Mc:m:"), 'c');
	CHECK(strcmp(g.arg, "2") == 0);
	CHECK_EQ(vmctl_getopt(&g, 8, argv, "Mc:m:"), 'm');
	CHECK(strcmp(g.arg, "1G") == 0);
	CHECK_EQ(vmctl_getopt(&g, 8, argv, "Mc:m:"), 'c');
	CHECK(strcmp(g.arg, "3") == 0);
	CHECK_EQ(vmctl_getopt(&g, 8, argv, "Mc:m:"), -1);
	CHECK_EQ(g.ind, 7); /* after "--": "-x" is an operand */
}

UNIT_TEST(getopt_errors)
{
	char line[] = "vmctl create -Mq -c";
	char *argv[5];
	CHECK_EQ(vmctl_split(line, argv, 5), 4);
	struct vmctl_getopt g = {.ind = 2};

	CHECK_EQ(vmctl_getopt(&g, 4, argv, "Mc:"), 'M');
	CHECK_EQ(vmctl_getopt(&g, 4, argv, "Mc:"), '?');
	CHECK_EQ(g.opt, 'q');
	CHECK_EQ(vmctl_getopt(&g, 4, argv, "Mc:"), ':');
	CHECK_EQ(g.opt, 'c');
	CHECK_EQ(vmctl_getopt(&g, 4, argv, "Mc:"), -1);
	/* ':' itself is never an option; "-" alone is an operand. */
	char line2[] = "vmctl x -:";
	char *argv2[4];
	CHECK_EQ(vmctl_split(line2, argv2, 4), 3);
	struct vmctl_getopt g2 = {.ind = 2};
	CHECK_EQ(vmctl_getopt(&g2, 3, argv2, "c:"), '?');
	char line3[] = "vmctl x -";
	char *argv3[4];
	CHECK_EQ(vmctl_split(line3, argv3, 4), 3);
	struct vmctl_getopt g3 = {.ind = 2};
	CHECK_EQ(vmctl_getopt(&g3, 3, argv3, "c:"), -1);
	CHECK_EQ(g3.ind, 2);
}

UNIT_TEST(sizes)
{
	uint64_t b = 0;

	CHECK(vmctl_parse_size("64", &b) && b == 64ull << 20); /* MiB without a suffix */
	CHECK(vmctl_parse_size("512k", &b) && b == 512ull << 10);
	CHECK(vmctl_parse_size("2G", &b) && b == 2ull << 30);
	CHECK(vmctl_parse_size("1t", &b) && b == 1ull << 40);
	CHECK(!vmctl_parse_size("0", &b));
	CHECK(!vmctl_parse_size("2T", &b));
	CHECK(!vmctl_parse_size("", &b));
	CHECK(!vmctl_parse_size("12X", &b));
	CHECK(!vmctl_parse_size("12MB", &b));
	CHECK(!vmctl_parse_size("-1", &b));
	CHECK(!vmctl_parse_size("99999999999999999999999", &b));

	char buf[24];
	vmctl_format_size(64ull << 20, buf, sizeof(buf));
	CHECK(strcmp(buf, "64M") == 0);
	vmctl_format_size(1ull << 30, buf, sizeof(buf));
	CHECK(strcmp(buf, "1G") == 0);
	vmctl_format_size(1536ull << 10, buf, sizeof(buf));
	CHECK(strcmp(buf, "1536K") == 0);
	vmctl_format_size(1000, buf, sizeof(buf));
	CHECK(strcmp(buf, "1000") == 0);
}

UNIT_TEST(cpus)
{
	unsigned n = 0;

	CHECK(vmctl_parse_cpus("1", &n) && n == 1);
	CHECK(vmctl_parse_cpus("255", &n) && n == 255);
	CHECK(!vmctl_parse_cpus("0", &n));
	CHECK(!vmctl_parse_cpus("256", &n));
	CHECK(!vmctl_parse_cpus("2x", &n));
	CHECK(!vmctl_parse_cpus("", &n));
}

UNIT_TEST(split)
{
	char s[] = "  create\t-M  demo hello ";
	char *argv[4];

	CHECK_EQ(vmctl_split(s, argv, 4), 4);
	CHECK(!strcmp(argv[0], "create") && !strcmp(argv[1], "-M") && !strcmp(argv[3], "hello"));
	char t[] = "a b c";
	CHECK_EQ(vmctl_split(t, argv, 2), -1);
	char e[] = "   ";
	CHECK_EQ(vmctl_split(e, argv, 2), 0);
}

UNIT_TEST(commands_parse)
{
	struct vmctl_cmd c;
	char msg[128];

	CHECK_EQ(parse("vmctl list", &c, msg, sizeof(msg)), VMCTL_EXIT_OK);
	CHECK_EQ(c.op, VMCTL_LIST);
	CHECK_EQ(parse("vmctl status", &c, msg, sizeof(msg)), VMCTL_EXIT_OK);
	CHECK_EQ(c.op, VMCTL_LIST);
	CHECK_EQ(parse("vmctl create -M -c 2 -m 128M demo hello", &c, msg, sizeof(msg)), VMCTL_EXIT_OK);
	CHECK(c.op == VMCTL_CREATE && c.monitor && c.cpus == 2 && c.memory == 128ull << 20);
	CHECK(!strcmp(c.name, "demo") && !strcmp(c.image, "hello"));
	CHECK_EQ(parse("vmctl create demo hello", &c, msg, sizeof(msg)), VMCTL_EXIT_OK);
	CHECK(!c.monitor && c.cpus == VMCTL_DEFAULT_CPUS && c.memory == VMCTL_DEFAULT_MEMORY);
	CHECK_EQ(parse("vmctl run -M t hello", &c, msg, sizeof(msg)), VMCTL_EXIT_OK);
	CHECK(c.op == VMCTL_RUN && c.monitor);
	CHECK_EQ(parse("vmctl destroy demo", &c, msg, sizeof(msg)), VMCTL_EXIT_OK);
	CHECK(c.op == VMCTL_DESTROY && !strcmp(c.name, "demo"));
	CHECK_EQ(parse("vmctl info web/demo", &c, msg, sizeof(msg)), VMCTL_EXIT_OK);
	CHECK(!strcmp(c.name, "web/demo"));
	CHECK_EQ(parse("vmctl reset demo", &c, msg, sizeof(msg)), VMCTL_EXIT_OK);
	CHECK(c.op == VMCTL_RESET && !strcmp(c.name, "demo") && !c.image);
	CHECK_EQ(parse("vmctl stats web/demo", &c, msg, sizeof(msg)), VMCTL_EXIT_OK);
	CHECK(c.op == VMCTL_STATS && !strcmp(c.name, "web/demo"));
}

UNIT_TEST(reset_stats_and_regs_usage)
{
	struct vmctl_cmd c;
	char msg[128];

	CHECK_EQ(parse("vmctl reset", &c, msg, sizeof(msg)), VMCTL_EXIT_USAGE);
	CHECK(!strcmp(msg, "reset: missing NAME") && c.op == VMCTL_RESET);
	CHECK_EQ(parse("vmctl reset demo hello", &c, msg, sizeof(msg)), VMCTL_EXIT_USAGE);
	CHECK(!strcmp(msg, "reset: unexpected argument hello"));
	CHECK_EQ(parse("vmctl reset -M demo", &c, msg, sizeof(msg)), VMCTL_EXIT_USAGE);
	CHECK(!strcmp(msg, "reset: unknown option -M"));
	CHECK_EQ(parse("vmctl stats", &c, msg, sizeof(msg)), VMCTL_EXIT_USAGE);
	CHECK(!strcmp(msg, "stats: missing NAME") && c.op == VMCTL_STATS);
	CHECK_EQ(parse("vmctl stats -c 2 demo", &c, msg, sizeof(msg)), VMCTL_EXIT_USAGE);
	CHECK(!strcmp(msg, "stats: unknown option -c"));
	CHECK(!strcmp(vmctl_usage(VMCTL_RESET), "vmctl reset NAME"));
	CHECK(!strcmp(vmctl_usage(VMCTL_STATS), "vmctl stats NAME"));
	CHECK(strstr(vmctl_usage(VMCTL_HELP), "vmctl reset NAME") != NULL);
	CHECK(strstr(vmctl_usage(VMCTL_HELP), "vmctl stats NAME") != NULL);
	CHECK_EQ(parse("vmctl regs", &c, msg, sizeof(msg)), VMCTL_EXIT_USAGE);
	CHECK(!strcmp(msg, "regs: missing NAME") && c.op == VMCTL_REGS);
	CHECK_EQ(parse("vmctl regs demo", &c, msg, sizeof(msg)), VMCTL_EXIT_OK);
	CHECK(c.op == VMCTL_REGS && !strcmp(c.name, "demo"));
	CHECK(strstr(vmctl_usage(VMCTL_HELP), "vmctl regs NAME") != NULL);
}

UNIT_TEST(commands_usage_errors)
{
	struct vmctl_cmd c;
	char msg[128];

	CHECK_EQ(parse("vmctl", &c, msg, sizeof(msg)), VMCTL_EXIT_USAGE);
	CHECK(!strcmp(msg, "no command given") && c.op == VMCTL_HELP);
	CHECK_EQ(parse("vmctl frob", &c, msg, sizeof(msg)), VMCTL_EXIT_USAGE);
	CHECK(!strcmp(msg, "unknown command frob"));
	CHECK_EQ(parse("vmctl create demo", &c, msg, sizeof(msg)), VMCTL_EXIT_USAGE);
	CHECK(!strcmp(msg, "create: missing IMAGE") && c.op == VMCTL_CREATE);
	CHECK_EQ(parse("vmctl info", &c, msg, sizeof(msg)), VMCTL_EXIT_USAGE);
	CHECK(!strcmp(msg, "info: missing NAME"));
	CHECK_EQ(parse("vmctl info a b", &c, msg, sizeof(msg)), VMCTL_EXIT_USAGE);
	CHECK(!strcmp(msg, "info: unexpected argument b"));
	CHECK_EQ(parse("vmctl list -M", &c, msg, sizeof(msg)), VMCTL_EXIT_USAGE);
	CHECK(!strcmp(msg, "list: unknown option -M"));
	CHECK_EQ(parse("vmctl create -c", &c, msg, sizeof(msg)), VMCTL_EXIT_USAGE);
	CHECK(!strcmp(msg, "create: option -c needs a value"));
	CHECK_EQ(parse("vmctl create -c 0 a b", &c, msg, sizeof(msg)), VMCTL_EXIT_USAGE);
	CHECK(!strcmp(msg, "create: bad vCPU count 0"));
	CHECK_EQ(parse("vmctl create -m 3Q a b", &c, msg, sizeof(msg)), VMCTL_EXIT_USAGE);
	CHECK(!strcmp(msg, "create: bad memory size 3Q"));
	CHECK_EQ(parse("vmctl run t hello", &c, msg, sizeof(msg)), VMCTL_EXIT_USAGE);
	CHECK(strstr(msg, "-M is required") != NULL && c.op == VMCTL_RUN);
	/* Usage lines name the command's own form; help lists them all. */
	CHECK(!strcmp(vmctl_usage(VMCTL_CREATE), "vmctl create [-M] [-c CPUS] [-m MEM] NAME IMAGE"));
	CHECK(strstr(vmctl_usage(VMCTL_HELP), "vmctl console NAME") != NULL);
	CHECK(strstr(vmctl_usage(VMCTL_HELP), "vmctl status") == NULL);
}
