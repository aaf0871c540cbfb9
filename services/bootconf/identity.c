// SPDX-License-Identifier: BSD-2-Clause
// Who may do what: group, jail and principal. These lines define the
// identities vmmctl checks and the jails that confine them, so an error in
// one is fatal: skipping it could leave a principal unconfined or with a
// group it should not have, or make a name or uid mean two identities.
#include <string.h>

#include "internal.h"

enum group_option { GR_GID };
static const char *const group_options[] = {[GR_GID] = "gid="};

bool bootconf_parse_group(struct bootconf_line *l, char **w, int n)
{
	struct bootconf *cfg = l->cfg;
	struct bootconf_group g = {.line = l->line};
	uint32_t seen = 0;
	uint64_t gid;

	if (n < 2)
		return bootconf_reject(l, "group: expected NAME gid=N");
	if (bootconf_identity_error(w[1]))
		return bootconf_reject(l, "group: %s", bootconf_identity_error(w[1]));
	strcpy(g.name, w[1]);
	for (int i = 2; i < n; i++) {
		const char *v;
		if (bootconf_option(l, "group", w[i], group_options, BOOTCONF_ARRAY_SIZE(group_options), &seen, &v) < 0)
			return false;
		if (!bootconf_parse_number(v, BOOTCONF_ID_MAX, &gid))
			return bootconf_reject(l, "group: gid must be 0..%u", BOOTCONF_ID_MAX);
		g.gid = (uint32_t)gid;
	}
	if (!seen)
		return bootconf_reject(l, "group: gid= is required");
	for (unsigned i = 0; i < cfg->group_count; i++) {
		if (!strcmp(cfg->groups[i].name, g.name))
			return bootconf_reject(l, "group: %s declared twice (line %u)", g.name, cfg->groups[i].line);
		if (cfg->groups[i].gid == g.gid)
			return bootconf_reject(l, "group: gid %u is group %s's already", g.gid, cfg->groups[i].name);
	}
	if (cfg->group_count == BOOTCONF_GROUPS_MAX)
		return bootconf_reject(l, "group: too many (at most %d)", BOOTCONF_GROUPS_MAX);
	cfg->groups[cfg->group_count++] = g;
	return true;
}

enum jail_option { J_ALLOW_VMM, J_ALLOW_VMM_PPT };
static const char *const jail_options[] = {[J_ALLOW_VMM] = "allow.vmm", [J_ALLOW_VMM_PPT] = "allow.vmm_ppt"};

/* Checks each component of "a/b/c"; sets the depth and where the last
 * component starts. */
static bool check_jail_path(struct bootconf_line *l, const char *path, unsigned *depth, const char **last)
{
	char component[BOOTCONF_NAME_MAX + 1];

	*depth = 0;
	for (const char *s = path;; s++) {
		const char *slash = strchr(s, '/');
		size_t len = slash ? (size_t)(slash - s) : strlen(s);
		if (++*depth > BOOTCONF_JAIL_DEPTH_MAX)
			return bootconf_reject(l, "jail: nested deeper than %d", BOOTCONF_JAIL_DEPTH_MAX);
		if (len >= sizeof(component))
			return bootconf_reject(l, "jail: name longer than 31 characters");
		memcpy(component, s, len);
		component[len] = '\0';
		if (bootconf_identity_error(component))
			return bootconf_reject(l, "jail: %s", bootconf_identity_error(component));
		*last = s;
		if (!slash)
			return true;
		s = slash;
	}
}

bool bootconf_parse_jail(struct bootconf_line *l, char **w, int n)
{
	struct bootconf *cfg = l->cfg;
	struct bootconf_jail j = {.parent = BOOTCONF_NONE, .line = l->line};
	uint32_t seen = 0;
	const char *last = NULL;

	if (n < 2)
		return bootconf_reject(l, "jail: expected PATH [allow.vmm] [allow.vmm_ppt]");
	if (!check_jail_path(l, w[1], &j.depth, &last))
		return false;
	strcpy(j.path, w[1]);
	strcpy(j.name, last);
	for (int i = 2; i < n; i++) {
		const char *v;
		int option = bootconf_option(l, "jail", w[i], jail_options, BOOTCONF_ARRAY_SIZE(jail_options), &seen,
					     &v);
		if (option < 0)
			return false;
		j.allow |= option == J_ALLOW_VMM ? BOOTCONF_ALLOW_VMM : BOOTCONF_ALLOW_VMM_PPT;
	}
	if (bootconf_find_jail(cfg, j.path) != BOOTCONF_NONE)
		return bootconf_reject(l, "jail: %s declared twice", j.path);
	if (j.depth > 1) {
		char parent[BOOTCONF_PATH_MAX];
		size_t len = (size_t)(last - w[1]) - 1;
		memcpy(parent, w[1], len);
		parent[len] = '\0';
		j.parent = bootconf_find_jail(cfg, parent);
		if (j.parent == BOOTCONF_NONE)
			return bootconf_reject(l, "jail: parent %s not declared (declare parents first)", parent);
	}
	if (cfg->jail_count == BOOTCONF_JAILS_MAX)
		return bootconf_reject(l, "jail: too many (at most %d)", BOOTCONF_JAILS_MAX);
	/* As in FreeBSD, a jail has no permission its parent lacks. Dropping
	 * one only takes a grant away, so the line stays. */
	if (j.parent != BOOTCONF_NONE) {
		const struct bootconf_jail *p = &cfg->jails[j.parent];
		uint32_t dropped = j.allow & ~p->allow;
		if (dropped & BOOTCONF_ALLOW_VMM)
			bootconf_note(l, "jail %s: allow.vmm dropped: its parent %s lacks it", j.path, p->path);
		if (dropped & BOOTCONF_ALLOW_VMM_PPT)
			bootconf_note(l, "jail %s: allow.vmm_ppt dropped: its parent %s lacks it", j.path, p->path);
		j.allow &= p->allow;
	}
	cfg->jails[cfg->jail_count++] = j;
	return true;
}

enum principal_option { P_UID, P_GROUPS, P_JAIL, P_PRIV, P_KEY };
static const char *const principal_options[] = {
	[P_UID] = "uid=", [P_GROUPS] = "groups=", [P_JAIL] = "jail=", [P_PRIV] = "priv=", [P_KEY] = "key=",
};

const char *const bootconf_privilege_names[BOOTCONF_PRIVILEGES] = {"vmm_create", "vmm_destroy", "vmm_pptdev"};

/* Calls each(item) for the comma-separated items of list; empty items
 * are errors. */
static bool for_each_item(struct bootconf_line *l, const char *option, const char *list, struct bootconf_principal *p,
			  bool (*each)(struct bootconf_line *, struct bootconf_principal *, const char *))
{
	char item[BOOTCONF_NAME_MAX];

	for (const char *s = list;; s++) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		if (len == 0)
			return bootconf_reject(l, "principal: %s has an empty item", option);
		if (len >= sizeof(item))
			return bootconf_reject(l, "principal: %s: name longer than 31 characters", option);
		memcpy(item, s, len);
		item[len] = '\0';
		if (!each(l, p, item))
			return false;
		if (!comma)
			return true;
		s = comma;
	}
}

static bool add_group(struct bootconf_line *l, struct bootconf_principal *p, const char *name)
{
	if (bootconf_identity_error(name))
		return bootconf_reject(l, "principal: groups=: %s", bootconf_identity_error(name));
	int g = bootconf_find_group(l->cfg, name);
	if (g == BOOTCONF_NONE)
		return bootconf_reject(l, "principal: unknown group %s (declare it first)", name);
	if (bootconf_principal_in_group(p, g))
		return bootconf_reject(l, "principal: group %s listed twice", name);
	if (p->group_count == BOOTCONF_PRINCIPAL_GROUPS_MAX)
		return bootconf_reject(l, "principal: in too many groups (at most %d)", BOOTCONF_PRINCIPAL_GROUPS_MAX);
	p->groups[p->group_count++] = (uint8_t)g;
	return true;
}

static bool add_privilege(struct bootconf_line *l, struct bootconf_principal *p, const char *name)
{
	for (unsigned i = 0; i < BOOTCONF_PRIVILEGES; i++) {
		if (strcmp(name, bootconf_privilege_names[i]))
			continue;
		if (p->privileges & (1u << i))
			return bootconf_reject(l, "principal: privilege %s listed twice", name);
		p->privileges |= 1u << i;
		return true;
	}
	return bootconf_reject(l, "principal: unknown privilege (vmm_create vmm_destroy vmm_pptdev)");
}

static bool principal_option(struct bootconf_line *l, struct bootconf_principal *p, int option, const char *v)
{
	uint64_t uid;

	switch ((enum principal_option)option) {
	case P_UID:
		if (!bootconf_parse_number(v, BOOTCONF_ID_MAX, &uid))
			return bootconf_reject(l, "principal: uid must be 0..%u", BOOTCONF_ID_MAX);
		p->uid = (uint32_t)uid;
		return true;
	case P_GROUPS:
		return for_each_item(l, "groups=", v, p, add_group);
	case P_JAIL:
		p->jail = bootconf_find_jail(l->cfg, v);
		if (p->jail == BOOTCONF_NONE)
			return bootconf_reject(l, "principal: jail= names no jail (declare it first)");
		return true;
	case P_PRIV:
		return for_each_item(l, "priv=", v, p, add_privilege);
	case P_KEY:
		if (!bootconf_parse_key(v, p->key, &p->key_len))
			return bootconf_reject(l, "principal: key= must be %d to %d hex digits, an even number",
					       2 * BOOTCONF_KEY_MIN, 2 * BOOTCONF_KEY_MAX);
		return true;
	}
	return false;
}

bool bootconf_parse_principal(struct bootconf_line *l, char **w, int n)
{
	struct bootconf *cfg = l->cfg;
	struct bootconf_principal p = {.jail = BOOTCONF_NONE, .line = l->line};
	uint32_t seen = 0;

	if (n < 2)
		return bootconf_reject(l, "principal: expected NAME uid=N [options]");
	if (bootconf_identity_error(w[1]))
		return bootconf_reject(l, "principal: %s", bootconf_identity_error(w[1]));
	strcpy(p.name, w[1]);
	for (int i = 2; i < n; i++) {
		const char *v;
		int option = bootconf_option(l, "principal", w[i], principal_options,
					     BOOTCONF_ARRAY_SIZE(principal_options), &seen, &v);
		if (option < 0 || !principal_option(l, &p, option, v))
			return false;
	}
	if (!(seen & (1u << P_UID)))
		return bootconf_reject(l, "principal: uid= is required");
	for (unsigned i = 0; i < cfg->principal_count; i++) {
		if (!strcmp(cfg->principals[i].name, p.name))
			return bootconf_reject(l, "principal: %s declared twice (line %u)", p.name,
					       cfg->principals[i].line);
		if (cfg->principals[i].uid == p.uid)
			return bootconf_reject(l, "principal: uid %u is principal %s's already", p.uid,
					       cfg->principals[i].name);
	}
	if (cfg->principal_count == BOOTCONF_PRINCIPALS_MAX)
		return bootconf_reject(l, "principal: too many (at most %d)", BOOTCONF_PRINCIPALS_MAX);
	cfg->principals[cfg->principal_count++] = p;
	return true;
}
