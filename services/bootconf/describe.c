// SPDX-License-Identifier: BSD-2-Clause
// One line per declaration, in the configuration's own syntax with the
// defaults filled in, for the console and for log lines. A principal's
// key is never written: only whether it has one.
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Appends to buf, which holds a string; silently stops at its end (the
 * callers' buffers of BOOTCONF_DESCRIBE_MAX bytes hold every line). */
__attribute__((format(printf, 3, 4))) static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
}

char *bootconf_format_size(uint64_t bytes, char *buf, size_t size)
{
	static const char suffixes[] = "KMGT";
	int unit = -1;

	while (unit < 3 && bytes && bytes % 1024 == 0) {
		bytes /= 1024;
		unit++;
	}
	if (unit < 0)
		snprintf(buf, size, "%llu", (unsigned long long)bytes);
	else
		snprintf(buf, size, "%llu%c", (unsigned long long)bytes, suffixes[unit]);
	return buf;
}

char *bootconf_describe_group(const struct bootconf *cfg, unsigned i, char *buf, size_t size)
{
	snprintf(buf, size, "group %s gid=%u", cfg->groups[i].name, cfg->groups[i].gid);
	return buf;
}

char *bootconf_describe_jail(const struct bootconf *cfg, unsigned i, char *buf, size_t size)
{
	const struct bootconf_jail *j = &cfg->jails[i];

	snprintf(buf, size, "jail %s", j->path);
	if (j->allow & BOOTCONF_ALLOW_VMM)
		append(buf, size, " allow.vmm");
	if (j->allow & BOOTCONF_ALLOW_VMM_PPT)
		append(buf, size, " allow.vmm_ppt");
	return buf;
}

char *bootconf_describe_principal(const struct bootconf *cfg, unsigned i, char *buf, size_t size)
{
	const struct bootconf_principal *p = &cfg->principals[i];

	snprintf(buf, size, "principal %s uid=%u", p->name, p->uid);
	for (unsigned g = 0; g < p->group_count; g++)
		append(buf, size, "%s%s", g ? "," : " groups=", cfg->groups[p->groups[g]].name);
	if (p->jail != BOOTCONF_NONE)
		append(buf, size, " jail=%s", cfg->jails[p->jail].path);
	const char *sep = " priv=";
	for (unsigned b = 0; b < BOOTCONF_PRIVILEGES; b++) {
		if (p->privileges & (1u << b)) {
			append(buf, size, "%s%s", sep, bootconf_privilege_names[b]);
			sep = ",";
		}
	}
	if (p->key_len)
		append(buf, size, " (key set)");
	return buf;
}

char *bootconf_describe_vmmctl(const struct bootconf *cfg, char *buf, size_t size)
{
	const struct bootconf_vmmctl *v = &cfg->vmmctl;

	if (v->owner != BOOTCONF_NONE)
		snprintf(buf, size, "vmmctl owner=%s", cfg->principals[v->owner].name);
	else
		snprintf(buf, size, "vmmctl owner=(uid %u)", v->owner_uid);
	if (v->group != BOOTCONF_NONE)
		append(buf, size, " group=%s", cfg->groups[v->group].name);
	else
		append(buf, size, " group=(none)");
	append(buf, size, " mode=%04o (uid %u", v->mode, v->owner_uid);
	if (v->group != BOOTCONF_NONE)
		append(buf, size, ", gid %u", v->group_gid);
	append(buf, size, ")");
	return buf;
}

char *bootconf_describe_tunables(const struct bootconf *cfg, char *buf, size_t size)
{
	const struct bootconf_tunables *t = &cfg->tunables;
	char mem[24];

	snprintf(buf, size, "tunables vmm.maxcpu=%u vmm.maxvms_per_user=%u vmm.maxmem_per_user=%s", t->maxcpu,
		 t->maxvms_per_user, bootconf_format_size(t->maxmem_per_user, mem, sizeof(mem)));
	return buf;
}

char *bootconf_describe_vm(const struct bootconf *cfg, unsigned i, char *buf, size_t size)
{
	const struct bootconf_vm *vm = &cfg->vms[i];
	char mem[24];

	snprintf(buf, size, "vm %s image=%s cpus=%u mem=%s owner=%s%s", vm->name, vm->image, vm->cpus,
		 bootconf_format_size(vm->memory, mem, sizeof(mem)), cfg->principals[vm->owner].name,
		 vm->monitor ? " monitor" : "");
	return buf;
}
