// SPDX-License-Identifier: BSD-2-Clause
// Boot manifest parser: valid files in their variations, and every error
// with the line it must name.
#include "unit.h"

#include <string.h>

#include "manifest.h"

/*
 * Parses text without its NUL: the copy is exactly as long as the text, so
 * AddressSanitizer catches any read past the end.
 */
static enum manifest_status parse(const char *text, struct manifest *m, unsigned *line)
{
	size_t len = strlen(text);
	char *buf = malloc(len ? len : 1);
	enum manifest_status st;

	memcpy(buf, text, len);
	st = manifest_parse(buf, len, m, line);
	free(buf);
	return st;
}

static struct manifest m;

UNIT_TEST(manifest_minimal)
{
	unsigned line = 99;

	CHECK_EQ(parse("kernel \\capvisor\\capvisor.elf\n", &m, &line), MANIFEST_OK);
	CHECK_EQ(line, 0);
	CHECK(strcmp(m.kernel, "\\capvisor\\capvisor.elf") == 0);
	CHECK(strcmp(m.cmdline, "") == 0);
	CHECK_EQ(m.module_count, 0);
}

UNIT_TEST(manifest_full_with_comments_and_blank_lines)
{
	unsigned line;
	const char *text = "# capvisor\n"
			   "\n"
			   "   # indented comment\n"
			   "kernel /capvisor/capvisor.elf\n"
			   "\t\n"
			   "cmdline   console=pl011 loglevel=7  debug \n"
			   "module root \\capvisor\\root.elf\n"
			   "module\tguest-image\tcapvisor/guests/linux.img\n"
			   "module boot.conf /capvisor/boot.conf";

	CHECK_EQ(parse(text, &m, &line), MANIFEST_OK);
	CHECK(strcmp(m.kernel, "\\capvisor\\capvisor.elf") == 0);
	CHECK(strcmp(m.cmdline, "console=pl011 loglevel=7  debug") == 0);
	CHECK_EQ(m.module_count, 3);
	CHECK(strcmp(m.modules[0].name, "root") == 0);
	CHECK(strcmp(m.modules[0].path, "\\capvisor\\root.elf") == 0);
	CHECK(strcmp(m.modules[1].name, "guest-image") == 0);
	/* A relative path is relative to the volume root. */
	CHECK(strcmp(m.modules[1].path, "\\capvisor\\guests\\linux.img") == 0);
	CHECK(strcmp(m.modules[2].name, "boot.conf") == 0);
	CHECK(strcmp(m.modules[2].path, "\\capvisor\\boot.conf") == 0);
}

UNIT_TEST(manifest_crlf_line_endings)
{
	unsigned line;

	CHECK_EQ(parse("kernel \\k.elf\r\ncmdline a b\r\nmodule x \\x\r\n", &m, &line), MANIFEST_OK);
	CHECK(strcmp(m.kernel, "\\k.elf") == 0);
	CHECK(strcmp(m.cmdline, "a b") == 0);
	CHECK(strcmp(m.modules[0].path, "\\x") == 0);
}

UNIT_TEST(manifest_empty_cmdline_is_allowed)
{
	unsigned line;

	CHECK_EQ(parse("cmdline\nkernel k\n", &m, &line), MANIFEST_OK);
	CHECK(strcmp(m.cmdline, "") == 0);
	CHECK(strcmp(m.kernel, "\\k") == 0);
}

UNIT_TEST(manifest_empty_buffer_has_no_kernel)
{
	unsigned line = 99;

	CHECK_EQ(parse("", &m, &line), MANIFEST_ERR_NO_KERNEL);
	CHECK_EQ(line, 0);
	CHECK_EQ(parse("# only a comment\n\n", &m, &line), MANIFEST_ERR_NO_KERNEL);
	CHECK_EQ(parse("module a \\a\ncmdline x\n", &m, &line), MANIFEST_ERR_NO_KERNEL);
	CHECK_EQ(line, 0);
}

UNIT_TEST(manifest_last_line_without_newline_is_read_to_its_end)
{
	unsigned line;

	CHECK_EQ(parse("kernel \\k\ncmdline abc", &m, &line), MANIFEST_OK);
	CHECK(strcmp(m.cmdline, "abc") == 0);
}

/* Runs text and expects status at line. */
static void expect_error(const char *text, enum manifest_status status, unsigned at)
{
	unsigned line = 0;

	CHECK_EQ(parse(text, &m, &line), status);
	CHECK_EQ(line, at);
	CHECK(manifest_strerror(status)[0] != '\0');
}

UNIT_TEST(manifest_unknown_keyword)
{
	expect_error("kernel \\k\n\n# c\ninitrd \\x\n", MANIFEST_ERR_UNKNOWN_KEYWORD, 4);
	/* Keywords are case-sensitive and whole words. */
	expect_error("Kernel \\k\n", MANIFEST_ERR_UNKNOWN_KEYWORD, 1);
	expect_error("kernels \\k\n", MANIFEST_ERR_UNKNOWN_KEYWORD, 1);
	expect_error("kerne \\k\n", MANIFEST_ERR_UNKNOWN_KEYWORD, 1);
}

UNIT_TEST(manifest_missing_and_extra_arguments)
{
	expect_error("kernel\n", MANIFEST_ERR_MISSING_ARGUMENT, 1);
	expect_error("kernel   \t\n", MANIFEST_ERR_MISSING_ARGUMENT, 1);
	expect_error("kernel \\k\nmodule root\n", MANIFEST_ERR_MISSING_ARGUMENT, 2);
	expect_error("kernel \\k\nmodule\n", MANIFEST_ERR_MISSING_ARGUMENT, 2);
	expect_error("kernel \\k extra\n", MANIFEST_ERR_EXTRA_ARGUMENT, 1);
	expect_error("kernel \\k\r\nmodule a \\a b\r\n", MANIFEST_ERR_EXTRA_ARGUMENT, 2);
}

UNIT_TEST(manifest_duplicates)
{
	expect_error("kernel \\a\nkernel \\b\n", MANIFEST_ERR_DUPLICATE_KERNEL, 2);
	expect_error("kernel \\a\ncmdline x\n\ncmdline y\n", MANIFEST_ERR_DUPLICATE_CMDLINE, 4);
	expect_error("kernel \\a\nmodule m \\1\nmodule n \\2\nmodule m \\3\n",
		     MANIFEST_ERR_DUPLICATE_MODULE, 4);
}

UNIT_TEST(manifest_name_length_limit)
{
	char text[256];
	char name[BOOT_MODULE_NAME_MAX + 1];
	unsigned line;

	memset(name, 'n', BOOT_MODULE_NAME_MAX - 1);
	name[BOOT_MODULE_NAME_MAX - 1] = '\0';
	snprintf(text, sizeof(text), "kernel \\k\nmodule %s \\p\n", name);
	CHECK_EQ(parse(text, &m, &line), MANIFEST_OK);
	CHECK_EQ(strlen(m.modules[0].name), BOOT_MODULE_NAME_MAX - 1);

	name[BOOT_MODULE_NAME_MAX - 1] = 'n';
	name[BOOT_MODULE_NAME_MAX] = '\0';
	snprintf(text, sizeof(text), "kernel \\k\nmodule %s \\p\n", name);
	expect_error(text, MANIFEST_ERR_NAME_TOO_LONG, 2);
}

UNIT_TEST(manifest_path_length_limit)
{
	char text[2 * MANIFEST_PATH_MAX];
	char path[MANIFEST_PATH_MAX + 1];
	unsigned line;

	/* With its leading '\' a path may be MANIFEST_PATH_MAX - 1 bytes. */
	path[0] = '\\';
	memset(path + 1, 'p', MANIFEST_PATH_MAX - 2);
	path[MANIFEST_PATH_MAX - 1] = '\0';
	snprintf(text, sizeof(text), "kernel %s\n", path);
	CHECK_EQ(parse(text, &m, &line), MANIFEST_OK);
	CHECK_EQ(strlen(m.kernel), MANIFEST_PATH_MAX - 1);

	/* The same length without the '\' grows by one when it is added. */
	snprintf(text, sizeof(text), "kernel %s\n", path + 1);
	CHECK_EQ(parse(text, &m, &line), MANIFEST_OK);
	snprintf(text, sizeof(text), "kernel p%s\n", path + 1);
	expect_error(text, MANIFEST_ERR_PATH_TOO_LONG, 1);
	snprintf(text, sizeof(text), "kernel \\k\n\nmodule a %sp\n", path);
	expect_error(text, MANIFEST_ERR_PATH_TOO_LONG, 3);
}

UNIT_TEST(manifest_cmdline_length_limit)
{
	char text[BOOT_CMDLINE_MAX + 64];
	char cmdline[BOOT_CMDLINE_MAX + 1];
	unsigned line;

	memset(cmdline, 'c', BOOT_CMDLINE_MAX - 1);
	cmdline[BOOT_CMDLINE_MAX - 1] = '\0';
	snprintf(text, sizeof(text), "kernel \\k\ncmdline %s   \n", cmdline);
	CHECK_EQ(parse(text, &m, &line), MANIFEST_OK);
	CHECK_EQ(strlen(m.cmdline), BOOT_CMDLINE_MAX - 1);

	cmdline[BOOT_CMDLINE_MAX - 1] = 'c';
	cmdline[BOOT_CMDLINE_MAX] = '\0';
	snprintf(text, sizeof(text), "kernel \\k\ncmdline %s\n", cmdline);
	expect_error(text, MANIFEST_ERR_CMDLINE_TOO_LONG, 2);
}

UNIT_TEST(manifest_module_count_limit)
{
	char text[64 * (BOOT_MODULES_MAX + 2)];
	size_t len = 0;
	unsigned line;

	len += (size_t)snprintf(text + len, sizeof(text) - len, "kernel \\k\n");
	for (int i = 0; i < BOOT_MODULES_MAX; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "module m%d \\m%d\n", i, i);
	CHECK_EQ(parse(text, &m, &line), MANIFEST_OK);
	CHECK_EQ(m.module_count, BOOT_MODULES_MAX);
	CHECK(strcmp(m.modules[BOOT_MODULES_MAX - 1].name, "m31") == 0);

	snprintf(text + len, sizeof(text) - len, "module extra \\e\n");
	expect_error(text, MANIFEST_ERR_TOO_MANY_MODULES, BOOT_MODULES_MAX + 2);
}

UNIT_TEST(manifest_bad_characters)
{
	static const char nul_inside[] = "kernel \\k\nmodule a \\a\0b\n";
	unsigned line = 0;

	/* A NUL inside the buffer is not the end of it. */
	CHECK_EQ(manifest_parse(nul_inside, sizeof(nul_inside) - 1, &m, &line),
		 MANIFEST_ERR_BAD_CHARACTER);
	CHECK_EQ(line, 2);
	expect_error("kernel \\k\ncmdline caf\xc3\xa9\n", MANIFEST_ERR_BAD_CHARACTER, 2);
	expect_error("kernel \\k\rcmdline x\n", MANIFEST_ERR_BAD_CHARACTER, 1);
	expect_error("\x7f\nkernel \\k\n", MANIFEST_ERR_BAD_CHARACTER, 1);
}

UNIT_TEST(manifest_error_leaves_no_stale_state)
{
	unsigned line;

	CHECK_EQ(parse("kernel \\first\nmodule a \\a\n", &m, &line), MANIFEST_OK);
	CHECK_EQ(parse("cmdline x\n", &m, &line), MANIFEST_ERR_NO_KERNEL);
	CHECK_EQ(m.module_count, 0);
	CHECK(m.kernel[0] == '\0');
}
