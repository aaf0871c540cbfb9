// SPDX-License-Identifier: BSD-2-Clause
// Host tests of services/vmmctl/rules.c against configurations parsed by
// services/bootconf: the device policy, jails, session rights, privilege,
// names and how jails see each other's VMs.
#include "unit.h"

#include <string.h>

#include "bootconf.h"
#include "rules.h"

static const char conf_text[] = "group wheel gid=0\n"
				"group vmm gid=800\n"
				"jail web allow.vmm\n"
				"jail web/sub allow.vmm\n"
				"jail web2 allow.vmm allow.vmm_ppt\n"
				"jail closed\n"
				"principal root uid=0 groups=wheel,vmm\n"
				"principal operator uid=1001 groups=vmm priv=vmm_create,vmm_destroy,vmm_pptdev\n"
				"principal user uid=1002 groups=vmm\n"
				"principal nobody uid=65534\n"
				"principal webadmin uid=2001 groups=vmm jail=web priv=vmm_pptdev\n"
				"principal web2admin uid=2002 groups=vmm jail=web2 priv=vmm_pptdev\n"
				"principal jailop uid=2003 groups=vmm jail=web priv=vmm_create\n"
				"principal closer uid=3001 groups=vmm jail=closed\n";

static struct bootconf cfg;

static const struct bootconf_principal *who(const char *name)
{
	static bool parsed;
	struct bootconf_machine m = {.cpus = 4, .memory = 1ull << 30};

	if (!parsed) {
		CHECK(bootconf_parse(&cfg, conf_text, sizeof(conf_text) - 1, &m, NULL, NULL));
		parsed = true;
	}
	int i = bootconf_find_principal(&cfg, name);
	CHECK(i >= 0);
	return &cfg.principals[i];
}

#define RW (VMMCTL_SESSION_READ | VMMCTL_SESSION_WRITE)
#define RO VMMCTL_SESSION_READ

UNIT_TEST(vmmctl_policy_order)
{
	/* Not owner, not in group vmm: EACCES before anything else. */
	CHECK_EQ(rules_session_check(&cfg, who("nobody"), RW, VMMCTL_OP_LIST), VMMCTL_EACCES);
	CHECK_EQ(rules_session_check(&cfg, who("nobody"), 0, VMMCTL_OP_CREATE), VMMCTL_EACCES);
	/* In a jail without allow.vmm: EPERM, even read-only. */
	CHECK_EQ(rules_session_check(&cfg, who("closer"), RW, VMMCTL_OP_LIST), VMMCTL_EPERM);
	/* Then the session's rights. */
	CHECK_EQ(rules_session_check(&cfg, who("operator"), RO, VMMCTL_OP_CREATE), VMMCTL_EPERM);
	CHECK_EQ(rules_session_check(&cfg, who("operator"), RO, VMMCTL_OP_DESTROY), VMMCTL_EPERM);
	CHECK_EQ(rules_session_check(&cfg, who("operator"), RO, VMMCTL_OP_LIST), VMMCTL_OK);
	CHECK_EQ(rules_session_check(&cfg, who("operator"), RO, VMMCTL_OP_OPEN), VMMCTL_OK);
	CHECK_EQ(rules_session_check(&cfg, who("operator"), 0, VMMCTL_OP_LIST), VMMCTL_EPERM);
	CHECK_EQ(rules_session_check(&cfg, who("user"), RW, VMMCTL_OP_CREATE), VMMCTL_OK);
	CHECK_EQ(rules_session_check(&cfg, who("webadmin"), RW, VMMCTL_OP_CREATE), VMMCTL_OK);
}

UNIT_TEST(vmmctl_policy_mode_bits)
{
	struct bootconf c;
	struct bootconf_machine m = {.cpus = 2, .memory = 1ull << 30};
	static const char text[] = "group vmm gid=800\n"
				   "principal root uid=0\n"
				   "principal op uid=5 groups=vmm\n"
				   "principal other uid=6\n"
				   "vmmctl owner=root group=vmm mode=0640\n";

	CHECK(bootconf_parse(&c, text, sizeof(text) - 1, &m, NULL, NULL));
	const struct bootconf_principal *op = &c.principals[bootconf_find_principal(&c, "op")];
	const struct bootconf_principal *other = &c.principals[bootconf_find_principal(&c, "other")];
	const struct bootconf_principal *root = &c.principals[bootconf_find_principal(&c, "root")];
	/* Group may read only: list yes, create no (EACCES: the mode). */
	CHECK_EQ(rules_session_check(&c, op, RW, VMMCTL_OP_LIST), VMMCTL_OK);
	CHECK_EQ(rules_session_check(&c, op, RW, VMMCTL_OP_CREATE), VMMCTL_EACCES);
	CHECK_EQ(rules_session_check(&c, other, RW, VMMCTL_OP_INFO), VMMCTL_EACCES);
	CHECK_EQ(rules_session_check(&c, root, RW, VMMCTL_OP_CREATE), VMMCTL_OK);
}

UNIT_TEST(vmmctl_privilege)
{
	CHECK(rules_superuser(who("root")));
	CHECK(!rules_superuser(who("operator")));
	CHECK(rules_privileged(who("root"), BOOTCONF_PRIV_VMM_CREATE));
	/* A privilege granted in a jail counts (allow.vmm decides use at all). */
	CHECK(rules_privileged(who("jailop"), BOOTCONF_PRIV_VMM_CREATE));
	CHECK(!rules_privileged(who("jailop"), BOOTCONF_PRIV_VMM_DESTROY));
	CHECK(rules_privileged(who("operator"), BOOTCONF_PRIV_VMM_DESTROY));
	CHECK(!rules_privileged(who("user"), BOOTCONF_PRIV_VMM_CREATE));
	CHECK(rules_passthrough_allowed(&cfg, who("operator")));
	CHECK(!rules_passthrough_allowed(&cfg, who("user")));
	/* vmm_pptdev in a jail needs allow.vmm_ppt too. */
	CHECK(!rules_passthrough_allowed(&cfg, who("webadmin")));
	CHECK(rules_passthrough_allowed(&cfg, who("web2admin")));
}

static int name_check(const char *s, uint32_t len, bool plain)
{
	char field[VMMCTL_PATH_MAX + 1] = {0};

	memcpy(field, s, len < sizeof(field) ? len : sizeof(field));
	return rules_check_name(field, len, plain);
}

UNIT_TEST(vmmctl_names)
{
	char long_name[64];

	memset(long_name, 'a', sizeof(long_name));
	CHECK_EQ(name_check("demo", 4, true), VMMCTL_OK);
	CHECK_EQ(name_check("", 0, true), VMMCTL_EINVAL);
	CHECK_EQ(name_check("a/b", 3, true), VMMCTL_EINVAL);
	CHECK_EQ(name_check("a/b", 3, false), VMMCTL_OK);
	CHECK_EQ(name_check("a//b", 4, false), VMMCTL_EINVAL);
	CHECK_EQ(name_check("/b", 2, false), VMMCTL_EINVAL);
	CHECK_EQ(name_check("b/", 2, false), VMMCTL_EINVAL);
	CHECK_EQ(name_check("a b", 3, true), VMMCTL_EINVAL);
	CHECK_EQ(name_check("a\x01", 2, true), VMMCTL_EINVAL);
	CHECK_EQ(name_check("a\x7f", 2, true), VMMCTL_EINVAL);
	CHECK_EQ(name_check("a\0b", 3, true), VMMCTL_EINVAL);
	CHECK_EQ(name_check(long_name, VMMCTL_NAME_MAX, true), VMMCTL_OK);
	CHECK_EQ(name_check(long_name, VMMCTL_NAME_MAX + 1, true), VMMCTL_ENAMETOOLONG);
	/* EINVAL is checked before ENAMETOOLONG. */
	long_name[40] = '\t';
	CHECK_EQ(name_check(long_name, 50, true), VMMCTL_EINVAL);
	long_name[40] = 'a';
	/* A length beyond the field: too long, never truncated. */
	char full[VMMCTL_PATH_MAX + 1];
	memset(full, 'x', sizeof(full));
	for (unsigned i = 10; i < sizeof(full); i += 11)
		full[i] = '/';
	CHECK_EQ(rules_check_name(full, 4000, false), VMMCTL_ENAMETOOLONG);
	/* Bytes after the length must be zero. */
	char field[VMMCTL_PATH_MAX + 1] = "abc";
	CHECK_EQ(rules_check_name(field, 2, true), VMMCTL_EINVAL);
	CHECK_EQ(rules_check_name(field, 3, true), VMMCTL_OK);
}

UNIT_TEST(vmmctl_handle_op_body)
{
	struct vmmctl_request b = {0};

	CHECK(rules_body_clean(&b, 0, false));
	b.arg[0] = 5;
	CHECK(!rules_body_clean(&b, 0, false));
	CHECK(rules_body_clean(&b, 1, false));
	b.arg[1] = 1;
	CHECK(!rules_body_clean(&b, 1, false));
	CHECK(rules_body_clean(&b, 2, false));
	/* Every field an operation does not read, one at a time. */
	struct vmmctl_request dirty[6];
	for (unsigned i = 0; i < 6; i++)
		memset(&dirty[i], 0, sizeof(dirty[i]));
	dirty[0].flags = 1;
	dirty[1].vcpus = 1;
	dirty[2].memory = 4096;
	dirty[3].cursor = 1;
	dirty[4].reserved = 1;
	dirty[5].name[VMMCTL_PATH_MAX] = 'x';
	for (unsigned i = 0; i < 6; i++)
		CHECK(!rules_body_clean(&dirty[i], 2, false));
	for (unsigned i = 0; i < 5; i++)
		CHECK(!rules_body_clean(&dirty[i], 2, true));
	/* The name is the operation's to check when it reads one. */
	CHECK(rules_body_clean(&dirty[5], 0, true));
	memset(&b, 0, sizeof(b));
	b.name_len = 1;
	CHECK(!rules_body_clean(&b, 2, false));
	CHECK(rules_body_clean(&b, 0, true));
}

UNIT_TEST(vmmctl_jail_views)
{
	int web = bootconf_find_jail(&cfg, "web"), sub = bootconf_find_jail(&cfg, "web/sub");
	int web2 = bootconf_find_jail(&cfg, "web2");
	char name[VMMCTL_NAME_MAX + 1], shown[VMMCTL_PATH_MAX + 1];
	jail_t j;

	(void)who("root");
	CHECK(web >= 0 && sub >= 0 && web2 >= 0);
	CHECK(rules_visible(&cfg, BOOTCONF_NONE, sub));
	CHECK(rules_visible(&cfg, web, sub));
	CHECK(rules_visible(&cfg, web, web));
	CHECK(!rules_visible(&cfg, web2, web));
	CHECK(!rules_visible(&cfg, sub, web));
	CHECK(!rules_visible(&cfg, web, BOOTCONF_NONE));
	CHECK(rules_resolve(&cfg, BOOTCONF_NONE, "web/sub/vm", 10, &j, name));
	CHECK_EQ(j, sub);
	CHECK(strcmp(name, "vm") == 0);
	CHECK(rules_resolve(&cfg, web, "sub/vm", 6, &j, name) && j == sub);
	CHECK(rules_resolve(&cfg, web, "vm", 2, &j, name) && j == web);
	/* A sibling or parent is not below: invisible. */
	CHECK(!rules_resolve(&cfg, web, "web2/vm", 7, &j, name));
	CHECK(!rules_resolve(&cfg, sub, "web/vm", 6, &j, name));
	rules_display_name(&cfg, BOOTCONF_NONE, sub, "vm", shown);
	CHECK(strcmp(shown, "web/sub/vm") == 0);
	rules_display_name(&cfg, web, sub, "vm", shown);
	CHECK(strcmp(shown, "sub/vm") == 0);
	rules_display_name(&cfg, sub, sub, "vm", shown);
	CHECK(strcmp(shown, "vm") == 0);
}
