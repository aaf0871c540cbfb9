// SPDX-License-Identifier: BSD-2-Clause
// The configuration's words: splitting a line, names, numbers, sizes,
// modes, keys and options.
#include <stdio.h>
#include <string.h>

#include "internal.h"

int bootconf_split(char *s, char **words, int max)
{
	int n = 0;

	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			break;
		if (n == max)
			return -1;
		words[n++] = s;
		bool quoted = false;
		while (*s && (quoted || (*s != ' ' && *s != '\t'))) {
			if (*s == '"') {
				quoted = !quoted;
				memmove(s, s + 1, strlen(s));
				continue;
			}
			s++;
		}
		if (quoted)
			return -1;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Names are checked whole, never cut to fit: a long name is an error. */
static const char *length_error(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return "empty name";
	if (n >= BOOTCONF_NAME_MAX)
		return "name longer than 31 characters";
	return NULL;
}

const char *bootconf_name_error(const char *s)
{
	const char *e = length_error(s);
	if (e)
		return e;
	for (; *s; s++)
		if (!is_alnum(*s) && *s != '_' && *s != '-' && *s != '.' && *s != ',')
			return "a name has only letters, digits and _ - . ,";
	return NULL;
}

const char *bootconf_identity_error(const char *s)
{
	const char *e = length_error(s);
	if (e)
		return e;
	if (*s == '-' || *s == '.')
		return "a name must not start with - or .";
	for (; *s; s++)
		if (!is_alnum(*s) && *s != '_' && *s != '-' && *s != '.')
			return "a name has only letters, digits and _ - .";
	return NULL;
}

static int digit_value(char c, int base)
{
	int d = -1;
	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	return d < base ? d : -1;
}

/* Digits of one base up to the end of s or a non-digit; *end points
 * after them. Fails on none or on a value above max. */
static bool parse_digits(const char *s, int base, uint64_t max, uint64_t *out, const char **end)
{
	uint64_t v = 0;
	const char *p = s;

	for (int d; *p && (d = digit_value(*p, base)) >= 0; p++) {
		if ((uint64_t)d > max || v > (max - (uint64_t)d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	if (p == s)
		return false;
	*out = v;
	*end = p;
	return true;
}

bool bootconf_parse_number(const char *s, uint64_t max, uint64_t *out)
{
	int base = 10;
	const char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	return parse_digits(s, base, max, out, &end) && *end == '\0';
}

bool bootconf_parse_size(const char *s, uint64_t *out)
{
	uint64_t v;
	const char *end;
	unsigned shift = 0;

	if (!parse_digits(s, 10, BOOTCONF_SIZE_MAX, &v, &end))
		return false;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 't': case 'T': shift = 40; break;
	default: return false;
	}
	if (*end && end[1])
		return false;
	if (v > BOOTCONF_SIZE_MAX >> shift)
		return false;
	*out = v << shift;
	return true;
}

bool bootconf_parse_mode(const char *s, unsigned *out)
{
	uint64_t v;
	const char *end;

	if (strlen(s) > 4 || !parse_digits(s, 8, 0777, &v, &end) || *end)
		return false;
	*out = (unsigned)v;
	return true;
}

bool bootconf_parse_key(const char *s, uint8_t *key, unsigned *len)
{
	size_t digits = strlen(s);

	if (digits % 2 || digits < 2 * BOOTCONF_KEY_MIN || digits > 2 * BOOTCONF_KEY_MAX)
		return false;
	for (size_t i = 0; i < digits; i++)
		if (digit_value(s[i], 16) < 0)
			return false;
	for (size_t i = 0; i < digits / 2; i++)
		key[i] = (uint8_t)(digit_value(s[2 * i], 16) << 4 | digit_value(s[2 * i + 1], 16));
	*len = (unsigned)(digits / 2);
	return true;
}

int bootconf_option(struct bootconf_line *l, const char *statement, const char *word, const char *const *keys,
		    unsigned count, uint32_t *seen, const char **value)
{
	for (unsigned i = 0; i < count; i++) {
		size_t n = strlen(keys[i]);
		bool valued = keys[i][n - 1] == '=';
		if (valued ? strncmp(word, keys[i], n) != 0 : strcmp(word, keys[i]) != 0)
			continue;
		if (*seen & (1u << i))
			return bootconf_reject(l, "%s: %s given twice", statement, keys[i]), -1;
		*seen |= 1u << i;
		*value = valued ? word + n : NULL;
		return (int)i;
	}
	char list[BOOTCONF_MESSAGE_MAX / 2] = "";
	for (unsigned i = 0; i < count; i++) {
		size_t used = strlen(list);
		snprintf(list + used, sizeof(list) - used, "%s%s", i ? " " : "", keys[i]);
	}
	return bootconf_reject(l, "%s: unknown option (%s)", statement, list), -1;
}
