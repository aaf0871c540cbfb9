// SPDX-License-Identifier: BSD-2-Clause
// Finding what the configuration declared, by name or by badge.
#include <string.h>

#include "internal.h"

const struct bootconf_principal *bootconf_principal_by_badge(const struct bootconf *cfg, uint64_t badge)
{
	if (badge == 0 || badge > cfg->principal_count)
		return NULL;
	return &cfg->principals[badge - 1];
}

int bootconf_find_task(const struct bootconf *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->task_count; i++)
		if (!strcmp(cfg->tasks[i].name, name))
			return (int)i;
	return BOOTCONF_NONE;
}

int bootconf_find_endpoint(const struct bootconf *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->endpoint_count; i++)
		if (!strcmp(cfg->endpoints[i], name))
			return (int)i;
	return BOOTCONF_NONE;
}

int bootconf_find_group(const struct bootconf *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->group_count; i++)
		if (!strcmp(cfg->groups[i].name, name))
			return (int)i;
	return BOOTCONF_NONE;
}

int bootconf_find_principal(const struct bootconf *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->principal_count; i++)
		if (!strcmp(cfg->principals[i].name, name))
			return (int)i;
	return BOOTCONF_NONE;
}

int bootconf_find_jail(const struct bootconf *cfg, const char *path)
{
	for (unsigned i = 0; i < cfg->jail_count; i++)
		if (!strcmp(cfg->jails[i].path, path))
			return (int)i;
	return BOOTCONF_NONE;
}

bool bootconf_principal_in_group(const struct bootconf_principal *p, int group)
{
	for (unsigned i = 0; i < p->group_count; i++)
		if (p->groups[i] == group)
			return true;
	return false;
}
