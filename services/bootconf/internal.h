/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the parser's files share: the state of the line being parsed, the
 * lexical helpers (lex.c) and one function per statement.
 */
#ifndef BOOTCONF_INTERNAL_H
#define BOOTCONF_INTERNAL_H

#include "bootconf.h"

#define BOOTCONF_LINE_MAX 512 /* with the NUL */
#define BOOTCONF_WORDS_MAX 16
#define BOOTCONF_MESSAGE_MAX 192
#define BOOTCONF_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct bootconf_line {
	struct bootconf *cfg;
	const struct bootconf_machine *machine;
	bootconf_report_fn report;
	void *ctx;
	unsigned line;
	/* What an error on this line is: BOOTCONF_SKIPPED for statements that
	 * only grant, BOOTCONF_FATAL for those that define or restrict. */
	enum bootconf_severity on_error;
	/* Which of the vmmctl line's options were given: the others get
	 * their defaults once every line is read. */
	bool vmmctl_owner_given, vmmctl_group_given;
};

/* Reports an error on the current line with the line's severity and
 * counts it; returns false so that parsers can `return bootconf_reject()`. */
__attribute__((format(printf, 2, 3))) bool bootconf_reject(struct bootconf_line *l, const char *fmt, ...);
/* A remark on a line that is applied anyway. */
__attribute__((format(printf, 2, 3))) void bootconf_note(struct bootconf_line *l, const char *fmt, ...);

/* ---- lex.c ---- */

/* Splits s in place into at most max words at blanks; `#` outside a word
 * starts a comment; a value may be "quoted". -1: too many words, or an
 * unterminated quote. */
int bootconf_split(char *s, char **words, int max);

/* Why s is not a valid name, or NULL if it is. Plain names (tasks,
 * modules, endpoints, compatible strings, as=) are letters, digits and
 * `_ - . ,`; identity names (groups, principals, jail components, VMs)
 * leave out `,` (it separates lists) and must not start with `-` or `.`. */
const char *bootconf_name_error(const char *s);
const char *bootconf_identity_error(const char *s);

/* Decimal or 0x hexadecimal, at most max. */
bool bootconf_parse_number(const char *s, uint64_t max, uint64_t *out);
/* A number of bytes with an optional K, M, G or T suffix (powers of 1024,
 * either case), at most BOOTCONF_SIZE_MAX. */
bool bootconf_parse_size(const char *s, uint64_t *out);
/* 1 to 4 octal digits, at most 0777. */
bool bootconf_parse_mode(const char *s, unsigned *out);
/* BOOTCONF_KEY_MIN..BOOTCONF_KEY_MAX bytes as an even number of hex digits. */
bool bootconf_parse_key(const char *s, uint8_t *key, unsigned *len);

/*
 * Options of a statement: keys[] holds "name=" for a valued option and
 * "name" for a flag. Returns the index of the key word matches and sets
 * *value (NULL for a flag), or -1 after rejecting the line: an unknown
 * option, or one given twice (*seen remembers which were).
 */
int bootconf_option(struct bootconf_line *l, const char *statement, const char *word, const char *const *keys,
		    unsigned count, uint32_t *seen, const char **value);

/* The names of BOOTCONF_PRIV_* bits, bit i at index i. */
#define BOOTCONF_PRIVILEGES 3
extern const char *const bootconf_privilege_names[BOOTCONF_PRIVILEGES];

/* ---- the statements: each parses one line's words, w[0] its keyword ---- */

bool bootconf_parse_endpoint(struct bootconf_line *l, char **w, int n);
bool bootconf_parse_console(struct bootconf_line *l, char **w, int n);
bool bootconf_parse_task(struct bootconf_line *l, char **w, int n);
bool bootconf_parse_give(struct bootconf_line *l, char **w, int n);
bool bootconf_parse_group(struct bootconf_line *l, char **w, int n);
bool bootconf_parse_jail(struct bootconf_line *l, char **w, int n);
bool bootconf_parse_principal(struct bootconf_line *l, char **w, int n);
bool bootconf_parse_vmmctl(struct bootconf_line *l, char **w, int n);
bool bootconf_parse_set(struct bootconf_line *l, char **w, int n);
bool bootconf_parse_passthrough(struct bootconf_line *l, char **w, int n);
bool bootconf_parse_vm(struct bootconf_line *l, char **w, int n);

/* After the last line: the defaults, and the checks that need them. */
void bootconf_finish_vmm(struct bootconf_line *l);

#endif
