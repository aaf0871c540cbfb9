/* SPDX-License-Identifier: BSD-2-Clause */
/* What the boot-configuration tests share: parsing with the messages
 * captured, and a table runner for lines that must be rejected. */
#ifndef TESTS_UNIT_CONFIG_TEST_H
#define TESTS_UNIT_CONFIG_TEST_H

#include "../../services/bootconf/bootconf.h"

#define CAPTURED_MAX 32

struct captured {
	unsigned line;
	enum bootconf_severity severity;
	char message[256];
};

extern struct bootconf cfg;
extern struct captured captured[CAPTURED_MAX];
extern unsigned captured_count;

/* Parses text (a C string) on a machine of 4 CPUs and 1 GiB. Returns
 * what bootconf_parse returns. */
bool parse(const char *text);
bool parse_on(const char *text, unsigned cpus, uint64_t memory);
bool parse_bytes(const char *text, size_t len);

/* The number of messages of one severity, and whether one of them
 * contains part. */
unsigned count_of(enum bootconf_severity severity);
bool said(enum bootconf_severity severity, const char *part);

/* A text whose only message is an error of one severity on one line. */
struct bad_case {
	const char *text;
	unsigned line;
	enum bootconf_severity severity;
	const char *message_part;
};

/* Runs each case; prints the ones that fail to help whoever reads it. */
void check_bad_cases(const struct bad_case *cases, size_t count);

#endif
