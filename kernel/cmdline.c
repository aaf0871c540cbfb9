// SPDX-License-Identifier: BSD-2-Clause
#include "cmdline.h"

#include <string.h>

/* Finds NAME as a whole word; returns what follows it (at '=' or the end
 * of the word), or NULL. */
static const char *find(const char *s, const char *name)
{
	size_t n = strlen(name);

	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		const char *word = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if ((size_t)(s - word) >= n && !strncmp(word, name, n) &&
		    (word[n] == '=' || word + n == s))
			return word + n;
	}
	return NULL;
}

bool cmdline_has(const char *cmdline, const char *name)
{
	return find(cmdline, name) != NULL;
}

bool cmdline_get(const char *cmdline, const char *name, char *buf, size_t size)
{
	const char *v = find(cmdline, name);

	if (!v || *v != '=' || size == 0)
		return false;
	v++;
	size_t len = 0;
	while (v[len] && v[len] != ' ' && v[len] != '\t')
		len++;
	if (len >= size)
		return false;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return true;
}
