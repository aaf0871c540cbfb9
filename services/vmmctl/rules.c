// SPDX-License-Identifier: BSD-2-Clause
#include "rules.h"

#include <string.h>

static bool needs_write(enum vmmctl_op op)
{
	return op == VMMCTL_OP_CREATE || op == VMMCTL_OP_DESTROY;
}

/* The rwx bits of the principal's class, as a file's mode gives them:
 * owner first, then group, then everyone else. */
static unsigned mode_bits(const struct bootconf *cfg, const struct bootconf_principal *p)
{
	const struct bootconf_vmmctl *pol = &cfg->vmmctl;

	if (p->uid == pol->owner_uid)
		return (pol->mode >> 6) & 7;
	if (pol->group != BOOTCONF_NONE && bootconf_principal_in_group(p, pol->group))
		return (pol->mode >> 3) & 7;
	return pol->mode & 7;
}

int rules_session_check(const struct bootconf *cfg, const struct bootconf_principal *p, uint32_t session_rights,
			enum vmmctl_op op)
{
	unsigned bits = mode_bits(cfg, p);

	if (!(bits & 4) || (needs_write(op) && !(bits & 2)))
		return VMMCTL_EACCES;
	if (p->jail != BOOTCONF_NONE && !(cfg->jails[p->jail].allow & BOOTCONF_ALLOW_VMM))
		return VMMCTL_EPERM;
	if (!(session_rights & VMMCTL_SESSION_READ))
		return VMMCTL_EPERM;
	if (needs_write(op) && !(session_rights & VMMCTL_SESSION_WRITE))
		return VMMCTL_EPERM;
	return VMMCTL_OK;
}

bool rules_superuser(const struct bootconf_principal *p)
{
	return p->uid == 0 && p->jail == BOOTCONF_NONE;
}

bool rules_privileged(const struct bootconf_principal *p, uint32_t priv)
{
	return rules_superuser(p) || (p->privileges & priv) == priv;
}

bool rules_passthrough_allowed(const struct bootconf *cfg, const struct bootconf_principal *p)
{
	if (!rules_privileged(p, BOOTCONF_PRIV_VMM_PPTDEV))
		return false;
	return p->jail == BOOTCONF_NONE || (cfg->jails[p->jail].allow & BOOTCONF_ALLOW_VMM_PPT);
}

static bool printable(char c)
{
	/* Names are words of a command line: no blanks, no controls. */
	return c > ' ' && c < 0x7f;
}

int rules_check_name(const char *field, uint32_t len, bool plain)
{
	uint32_t have = len > VMMCTL_PATH_MAX + 1 ? VMMCTL_PATH_MAX + 1 : len;
	uint32_t component = 0, longest = 0;

	if (len == 0)
		return VMMCTL_EINVAL;
	for (uint32_t i = 0; i < have; i++) {
		char c = field[i];
		if (!printable(c))
			return VMMCTL_EINVAL;
		if (c != '/') {
			component++;
			continue;
		}
		if (plain || component == 0)
			return VMMCTL_EINVAL;
		longest = component > longest ? component : longest;
		component = 0;
	}
	for (uint32_t i = have; i <= VMMCTL_PATH_MAX; i++)
		if (field[i])
			return VMMCTL_EINVAL;
	if (len <= VMMCTL_PATH_MAX && component == 0)
		return VMMCTL_EINVAL; /* ends in '/' */
	longest = component > longest ? component : longest;
	if (len > VMMCTL_PATH_MAX || longest > VMMCTL_NAME_MAX)
		return VMMCTL_ENAMETOOLONG;
	return VMMCTL_OK;
}

/* The jail directly below `parent` called name[0..len). */
static jail_t child_jail(const struct bootconf *cfg, jail_t parent, const char *name, size_t len)
{
	for (unsigned i = 0; i < cfg->jail_count; i++) {
		const struct bootconf_jail *j = &cfg->jails[i];
		if (j->parent == parent && strlen(j->name) == len && memcmp(j->name, name, len) == 0)
			return (jail_t)i;
	}
	return BOOTCONF_NONE;
}

bool rules_resolve(const struct bootconf *cfg, jail_t from, const char *path, uint32_t len, jail_t *jail,
		   char name[VMMCTL_NAME_MAX + 1])
{
	jail_t at = from;
	uint32_t start = 0;

	for (uint32_t i = 0; i < len; i++) {
		if (path[i] != '/')
			continue;
		at = child_jail(cfg, at, path + start, i - start);
		if (at == BOOTCONF_NONE)
			return false;
		start = i + 1;
	}
	if (len - start > VMMCTL_NAME_MAX)
		return false;
	memcpy(name, path + start, len - start);
	name[len - start] = 0;
	*jail = at;
	return true;
}

bool rules_visible(const struct bootconf *cfg, jail_t viewer, jail_t jail)
{
	for (jail_t j = jail;; j = cfg->jails[j].parent) {
		if (j == viewer)
			return true;
		if (j == BOOTCONF_NONE)
			return false;
	}
}

void rules_display_name(const struct bootconf *cfg, jail_t viewer, jail_t jail, const char *name,
			char out[VMMCTL_PATH_MAX + 1])
{
	const char *parts[VMMCTL_JAIL_DEPTH_MAX + 1];
	unsigned n = 0;
	size_t used = 0;

	parts[n++] = name;
	for (jail_t j = jail; j != viewer && j != BOOTCONF_NONE && n <= VMMCTL_JAIL_DEPTH_MAX; j = cfg->jails[j].parent)
		parts[n++] = cfg->jails[j].name;
	while (n--) {
		size_t l = strlen(parts[n]);
		if (used + l + 1 > VMMCTL_PATH_MAX)
			break;
		memcpy(out + used, parts[n], l);
		used += l;
		if (n)
			out[used++] = '/';
	}
	out[used] = 0;
}

bool rules_body_clean(const struct vmmctl_request *b, unsigned args, bool name)
{
	if (b->flags || b->vcpus || b->memory || b->cursor || b->reserved)
		return false;
	for (unsigned i = args; i < 2; i++)
		if (b->arg[i])
			return false;
	if (name)
		return true;
	if (b->name_len)
		return false;
	for (size_t i = 0; i < sizeof(b->name); i++)
		if (b->name[i])
			return false;
	return true;
}
