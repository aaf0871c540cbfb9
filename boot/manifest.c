// SPDX-License-Identifier: BSD-2-Clause
// Boot manifest parser; the format is documented in docs/boot.md.
#include "manifest.h"

#include <stdbool.h>

/* A view of part of the buffer: never NUL-terminated. */
struct span {
	const char *p;
	size_t len;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool span_equals(struct span s, const char *word)
{
	size_t i = 0;

	for (; i < s.len; i++)
		if (word[i] == '\0' || word[i] != s.p[i])
			return false;
	return word[i] == '\0';
}

/* Removes and returns the next blank-separated token (empty at the end). */
static struct span next_token(struct span *rest)
{
	struct span tok;
	size_t i = 0;

	while (i < rest->len && is_blank(rest->p[i]))
		i++;
	tok.p = rest->p + i;
	while (i < rest->len && !is_blank(rest->p[i]))
		i++;
	tok.len = (size_t)(rest->p + i - tok.p);
	rest->p += i;
	rest->len -= i;
	return tok;
}

static struct span trim(struct span s)
{
	while (s.len > 0 && is_blank(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len > 0 && is_blank(s.p[s.len - 1]))
		s.len--;
	return s;
}

/*
 * Paths are relative to the root of the volume the manifest is on, written
 * with either separator; the firmware wants '\' and a leading one.
 */
static enum manifest_status copy_path(char dst[MANIFEST_PATH_MAX], struct span src)
{
	size_t lead = (src.p[0] == '\\' || src.p[0] == '/') ? 0 : 1;

	if (lead + src.len + 1 > MANIFEST_PATH_MAX)
		return MANIFEST_ERR_PATH_TOO_LONG;
	dst[0] = '\\';
	for (size_t i = 0; i < src.len; i++)
		dst[lead + i] = src.p[i] == '/' ? '\\' : src.p[i];
	dst[lead + src.len] = '\0';
	return MANIFEST_OK;
}

static void copy_text(char *dst, struct span src)
{
	for (size_t i = 0; i < src.len; i++)
		dst[i] = src.p[i];
	dst[src.len] = '\0';
}

static enum manifest_status parse_kernel(struct span rest, struct manifest *m, bool *have_kernel)
{
	struct span path = next_token(&rest);

	if (*have_kernel)
		return MANIFEST_ERR_DUPLICATE_KERNEL;
	if (path.len == 0)
		return MANIFEST_ERR_MISSING_ARGUMENT;
	if (next_token(&rest).len != 0)
		return MANIFEST_ERR_EXTRA_ARGUMENT;
	*have_kernel = true;
	return copy_path(m->kernel, path);
}

static enum manifest_status parse_cmdline(struct span rest, struct manifest *m, bool *have_cmdline)
{
	struct span text = trim(rest);

	if (*have_cmdline)
		return MANIFEST_ERR_DUPLICATE_CMDLINE;
	/* Truncating would boot with options nobody asked for. */
	if (text.len >= BOOT_CMDLINE_MAX)
		return MANIFEST_ERR_CMDLINE_TOO_LONG;
	*have_cmdline = true;
	copy_text(m->cmdline, text);
	return MANIFEST_OK;
}

static enum manifest_status parse_module(struct span rest, struct manifest *m)
{
	struct span name = next_token(&rest);
	struct span path = next_token(&rest);
	struct manifest_module *mod;

	if (name.len == 0 || path.len == 0)
		return MANIFEST_ERR_MISSING_ARGUMENT;
	if (next_token(&rest).len != 0)
		return MANIFEST_ERR_EXTRA_ARGUMENT;
	if (name.len >= BOOT_MODULE_NAME_MAX)
		return MANIFEST_ERR_NAME_TOO_LONG;
	for (unsigned i = 0; i < m->module_count; i++)
		if (span_equals(name, m->modules[i].name))
			return MANIFEST_ERR_DUPLICATE_MODULE;
	if (m->module_count == BOOT_MODULES_MAX)
		return MANIFEST_ERR_TOO_MANY_MODULES;
	mod = &m->modules[m->module_count];
	enum manifest_status st = copy_path(mod->path, path);
	if (st != MANIFEST_OK)
		return st;
	copy_text(mod->name, name);
	m->module_count++;
	return MANIFEST_OK;
}

struct parse_state {
	bool have_kernel;
	bool have_cmdline;
};

static enum manifest_status parse_line(struct span line, struct manifest *m, struct parse_state *st)
{
	struct span keyword;

	/* Printable ASCII only: paths become UCS-2 one byte per character. */
	for (size_t i = 0; i < line.len; i++) {
		unsigned char c = (unsigned char)line.p[i];
		if ((c < 0x20 || c > 0x7e) && c != '\t')
			return MANIFEST_ERR_BAD_CHARACTER;
	}
	keyword = next_token(&line);
	if (keyword.len == 0 || keyword.p[0] == '#')
		return MANIFEST_OK;
	if (span_equals(keyword, "kernel"))
		return parse_kernel(line, m, &st->have_kernel);
	if (span_equals(keyword, "cmdline"))
		return parse_cmdline(line, m, &st->have_cmdline);
	if (span_equals(keyword, "module"))
		return parse_module(line, m);
	return MANIFEST_ERR_UNKNOWN_KEYWORD;
}

enum manifest_status manifest_parse(const char *buf, size_t len, struct manifest *out, unsigned *line)
{
	struct parse_state st = {false, false};
	unsigned number = 0;
	size_t pos = 0;

	*out = (struct manifest){0};
	*line = 0;
	while (pos < len) {
		size_t start = pos, end = pos;
		enum manifest_status status;

		while (end < len && buf[end] != '\n')
			end++;
		pos = end < len ? end + 1 : end;
		if (end > start && buf[end - 1] == '\r')
			end--;
		number++;
		status = parse_line((struct span){buf + start, end - start}, out, &st);
		if (status != MANIFEST_OK) {
			*line = number;
			return status;
		}
	}
	return st.have_kernel ? MANIFEST_OK : MANIFEST_ERR_NO_KERNEL;
}

_Static_assert(MANIFEST_PATH_MAX == 256 && BOOT_MODULE_NAME_MAX == 48 &&
		       BOOT_CMDLINE_MAX == 512 && BOOT_MODULES_MAX == 32,
	       "the limits quoted by manifest_strerror changed");

const char *manifest_strerror(enum manifest_status status)
{
	switch (status) {
	case MANIFEST_OK: return "no error";
	case MANIFEST_ERR_UNKNOWN_KEYWORD: return "unknown keyword (expected kernel, cmdline or module)";
	case MANIFEST_ERR_MISSING_ARGUMENT: return "missing argument";
	case MANIFEST_ERR_EXTRA_ARGUMENT: return "unexpected extra argument";
	case MANIFEST_ERR_DUPLICATE_KERNEL: return "second kernel line";
	case MANIFEST_ERR_DUPLICATE_CMDLINE: return "second cmdline line";
	case MANIFEST_ERR_DUPLICATE_MODULE: return "module name used twice";
	case MANIFEST_ERR_PATH_TOO_LONG: return "path too long (limit 255 bytes)";
	case MANIFEST_ERR_NAME_TOO_LONG: return "module name too long (limit 47 bytes)";
	case MANIFEST_ERR_CMDLINE_TOO_LONG: return "command line too long (limit 511 bytes)";
	case MANIFEST_ERR_TOO_MANY_MODULES: return "too many modules (limit 32)";
	case MANIFEST_ERR_BAD_CHARACTER: return "character other than printable ASCII";
	case MANIFEST_ERR_NO_KERNEL: return "no kernel line";
	}
	return "unknown error";
}
