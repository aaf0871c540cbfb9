// SPDX-License-Identifier: BSD-2-Clause
// tools/modpack.sh: builds packs from real files and checks them byte by
// byte against include/boot/modpack.h — header, entries in argument order,
// page-aligned data, zero padding, exact contents — and that bad arguments
// fail without leaving a file. Runs the script from the source tree (the
// working directory, as tests/run.sh sets it, or $CAPVISOR_ROOT).
#define _DEFAULT_SOURCE /* mkdtemp, realpath */
#include "unit.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boot/boot_info.h>
#include <boot/modpack.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the test reads the pack in place");

static char dir[64];
static char script[512];

static void cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (dir[0] && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

static void setup(void)
{
	const char *root = getenv("CAPVISOR_ROOT");

	if (!dir[0]) {
		strcpy(dir, "/tmp/cv-modpack-XXXXXX");
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			exit(2);
		}
		atexit(cleanup);
	}
	snprintf(script, sizeof(script), "%s/tools/modpack.sh", root ? root : ".");
	if (access(script, X_OK) != 0) {
		fprintf(stderr, "%s not found: run from the source tree or set CAPVISOR_ROOT\n", script);
		exit(2);
	}
}

static void path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static void write_file(const char *name, const unsigned char *data, size_t len)
{
	char p[128];
	FILE *f;

	path(p, sizeof(p), name);
	f = fopen(p, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(p);
		exit(2);
	}
}

static unsigned char *read_file(const char *name, size_t *len)
{
	char p[128];
	FILE *f;
	unsigned char *buf;
	long n;

	path(p, sizeof(p), name);
	f = fopen(p, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n ? (size_t)n : 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Runs the script in dir with args; its exit status. */
static int run(const char *args)
{
	char cmd[8192];
	char abs_script[512];

	if (!realpath(script, abs_script))
		return -1;
	snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' %s 2>/dev/null", dir, abs_script, args);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int exists(const char *name)
{
	char p[128];

	path(p, sizeof(p), name);
	return access(p, F_OK) == 0;
}

static uint64_t align_up(uint64_t v)
{
	return (v + MODPACK_ALIGN - 1) / MODPACK_ALIGN * MODPACK_ALIGN;
}

struct module {
	const char *name;
	const char *file;
	unsigned char *data;
	size_t size;
};

/* Checks pack (len bytes) holds exactly mods[0..n) in order. */
static void check_pack(const unsigned char *pack, size_t len, const struct module *mods, unsigned n)
{
	struct modpack_header h;
	uint64_t expect_off = align_up(sizeof(h) + n * sizeof(struct modpack_entry));
	uint64_t end = 0;

	CHECK(len >= sizeof(h));
	if (len < sizeof(h))
		return;
	memcpy(&h, pack, sizeof(h));
	CHECK(memcmp(h.magic, MODPACK_MAGIC, 8) == 0);
	CHECK_EQ(h.count, n);
	CHECK_EQ(h.reserved, 0);
	CHECK(len >= sizeof(h) + n * sizeof(struct modpack_entry));
	for (unsigned i = 0; i < n; i++) {
		struct modpack_entry e;

		memcpy(&e, pack + sizeof(h) + i * sizeof(e), sizeof(e));
		/* Name: NUL-terminated, rest of the field zero. */
		CHECK(strcmp(e.name, mods[i].name) == 0);
		for (size_t k = strlen(mods[i].name); k < sizeof(e.name); k++)
			CHECK_EQ(e.name[k], 0);
		CHECK_EQ(e.offset % MODPACK_ALIGN, 0);
		CHECK_EQ(e.offset, expect_off);
		CHECK_EQ(e.size, mods[i].size);
		CHECK(e.offset + e.size <= len);
		if (e.offset + e.size > len)
			return;
		CHECK(memcmp(pack + e.offset, mods[i].data, mods[i].size) == 0);
		/* Everything between the previous module (or the table) and this one is zero. */
		uint64_t gap_start = i ? end : sizeof(h) + n * sizeof(e);
		for (uint64_t k = gap_start; k < e.offset; k++)
			if (pack[k] != 0) {
				CHECK_EQ(pack[k], 0);
				break;
			}
		end = e.offset + e.size;
		expect_off = align_up(end);
	}
	CHECK_EQ(len, end);
}

static unsigned char *pattern(size_t len, unsigned seed)
{
	unsigned char *p = malloc(len ? len : 1);

	for (size_t i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (unsigned char)(seed >> 16);
	}
	return p;
}

UNIT_TEST(modpack_three_modules_layout)
{
	struct module mods[] = {
		{"root", "root.elf", pattern(3, 1), 3},
		{"boot.conf", "boot.conf", pattern(5000, 2), 5000},
		{"empty", "empty.bin", pattern(0, 3), 0},
		{"page", "page.bin", pattern(4096, 4), 4096},
	};
	unsigned n = sizeof(mods) / sizeof(mods[0]);
	size_t len;
	unsigned char *pack;

	setup();
	for (unsigned i = 0; i < n; i++)
		write_file(mods[i].file, mods[i].data, mods[i].size);
	CHECK_EQ(run("out.pack root=root.elf boot.conf=boot.conf empty=empty.bin page=page.bin"), 0);
	pack = read_file("out.pack", &len);
	CHECK(pack != NULL);
	if (pack)
		check_pack(pack, len, mods, n);
	free(pack);

	/* Argument order is entry order. */
	struct module rev[] = {mods[3], mods[1]};
	CHECK_EQ(run("rev.pack page=page.bin boot.conf=boot.conf"), 0);
	pack = read_file("rev.pack", &len);
	CHECK(pack != NULL);
	if (pack)
		check_pack(pack, len, rev, 2);
	free(pack);
	for (unsigned i = 0; i < n; i++)
		free(mods[i].data);
}

UNIT_TEST(modpack_list_mode)
{
	unsigned char *one = pattern(10, 5);
	size_t len;
	unsigned char *out;

	setup();
	write_file("ten.bin", one, 10);
	CHECK_EQ(run("l.pack a=ten.bin bb=ten.bin"), 0);
	CHECK_EQ(run("--list l.pack > l.txt"), 0);
	out = read_file("l.txt", &len);
	CHECK(out != NULL);
	if (out) {
		const char *want = "a 4096 10\nbb 8192 10\n";

		CHECK_EQ(len, strlen(want));
		CHECK(len == strlen(want) && memcmp(out, want, len) == 0);
	}
	free(out);
	free(one);
}

UNIT_TEST(modpack_longest_name_and_most_modules)
{
	char args[4096];
	size_t pos;
	unsigned char one = 'x';
	struct module mods[BOOT_MODULES_MAX];
	static char names[BOOT_MODULES_MAX][48];
	size_t len;
	unsigned char *pack;

	setup();
	write_file("x", &one, 1);
	pos = (size_t)snprintf(args, sizeof(args), "max.pack");
	for (unsigned i = 0; i < BOOT_MODULES_MAX; i++) {
		/* The first name is the longest allowed, 47 characters. */
		if (i == 0)
			snprintf(names[i], sizeof(names[i]), "%s", "m23456789_123456789_123456789_123456789_1234567");
		else
			snprintf(names[i], sizeof(names[i]), "m%u", i);
		mods[i] = (struct module){names[i], "x", &one, 1};
		pos += (size_t)snprintf(args + pos, sizeof(args) - pos, " %s=x", names[i]);
	}
	CHECK_EQ(strlen(names[0]), 47);
	CHECK_EQ(run(args), 0);
	pack = read_file("max.pack", &len);
	CHECK(pack != NULL);
	if (pack)
		check_pack(pack, len, mods, BOOT_MODULES_MAX);
	free(pack);

	/* One more is too many. */
	snprintf(args + pos, sizeof(args) - pos, " extra=x");
	memcpy(args, "big", 3); /* output "big.pack" */
	CHECK(run(args) != 0);
	CHECK(!exists("big.pack"));
}

UNIT_TEST(modpack_bad_arguments_fail_without_output)
{
	static const char *const bad[] = {
		"bad.pack",                       /* no module */
		"bad.pack noequals",              /* not NAME=FILE */
		"bad.pack =x",                    /* empty name */
		"bad.pack 'sp ace=x'",            /* space in name */
		"bad.pack dup=x dup=x",           /* name twice */
		"bad.pack missing=does-not-exist", /* no such file */
		"bad.pack m234567890123456789012345678901234567890123456789=x", /* 48 characters */
		"bad.pack d=.",                   /* a directory */
	};
	unsigned char one = 'x';

	setup();
	write_file("x", &one, 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = run(bad[i]);

		if (rc == 0 || exists("bad.pack"))
			printf("  accepted: %s\n", bad[i]);
		CHECK(rc != 0);
		CHECK(!exists("bad.pack"));
	}
	/* Nor is a temporary file left behind. */
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "ls '%s' | grep -q '[.]tmp[.]'", dir);
	CHECK(system(cmd) != 0);
}
