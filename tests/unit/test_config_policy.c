// SPDX-License-Identifier: BSD-2-Clause
// The boot configuration's identities and vmmctl policy: groups, jails,
// principals, the vmmctl line, tunables, passthrough and boot VMs; their
// defaults, and which errors are fatal.
#include "unit.h"

#include <string.h>

#include "config_test.h"

#define KEY32 "00112233445566778899aabbccddeeff"
#define LONG31 "abcdefghijklmnopqrstuvwxyz01234" /* the longest name */

static const char *const full =
	"group wheel gid=0\n"
	"group vmm gid=800\n"
	"jail web allow.vmm allow.vmm_ppt\n"
	"jail web/inner allow.vmm allow.vmm_ppt\n"
	"jail lab\n"
	"principal root uid=0 groups=wheel,vmm\n"
	"principal operator uid=1001 groups=vmm priv=vmm_create,vmm_pptdev key=" KEY32 "\n"
	"principal alice uid=0x3ea\n"
	"principal webadm uid=2001 jail=web/inner groups=vmm\n"
	"vmmctl owner=operator group=wheel mode=0640\n"
	"set vmm.maxcpu=2\n"
	"set vmm.maxvms_per_user=3\n"
	"set vmm.maxmem_per_user=512M\n"
	"passthrough arm,pl031\n"
	"vm demo image=guest cpus=2 mem=16M owner=operator monitor\n"
	"vm demo image=guest owner=webadm\n"
	"vm plain image=guest\n";

UNIT_TEST(policy_full_example)
{
	CHECK(parse(full));
	CHECK_EQ(captured_count, 0);
	CHECK_EQ(cfg.group_count, 2);
	CHECK(!strcmp(cfg.groups[1].name, "vmm"));
	CHECK_EQ(cfg.groups[1].gid, 800);
	CHECK_EQ(cfg.groups[1].line, 2);

	CHECK_EQ(cfg.jail_count, 3);
	CHECK(!strcmp(cfg.jails[1].path, "web/inner"));
	CHECK(!strcmp(cfg.jails[1].name, "inner"));
	CHECK_EQ(cfg.jails[1].parent, 0);
	CHECK_EQ(cfg.jails[1].depth, 2);
	CHECK_EQ(cfg.jails[1].allow, BOOTCONF_ALLOW_VMM | BOOTCONF_ALLOW_VMM_PPT);
	CHECK_EQ(cfg.jails[0].allow, BOOTCONF_ALLOW_VMM | BOOTCONF_ALLOW_VMM_PPT);
	CHECK_EQ(cfg.jails[0].parent, BOOTCONF_NONE);
	CHECK_EQ(cfg.jails[2].allow, 0);

	CHECK_EQ(cfg.principal_count, 4);
	const struct bootconf_principal *root = &cfg.principals[0], *op = &cfg.principals[1];
	CHECK_EQ(root->uid, 0);
	CHECK_EQ(root->group_count, 2);
	CHECK(bootconf_principal_in_group(root, 0));
	CHECK(bootconf_principal_in_group(root, 1));
	CHECK_EQ(root->jail, BOOTCONF_NONE);
	CHECK_EQ(root->privileges, 0);
	CHECK_EQ(root->key_len, 0);
	CHECK_EQ(op->uid, 1001);
	CHECK(!bootconf_principal_in_group(op, 0));
	CHECK_EQ(op->privileges, BOOTCONF_PRIV_VMM_CREATE | BOOTCONF_PRIV_VMM_PPTDEV);
	CHECK_EQ(op->key_len, 16);
	CHECK_EQ(op->key[0], 0x00);
	CHECK_EQ(op->key[1], 0x11);
	CHECK_EQ(op->key[15], 0xff);
	CHECK_EQ(cfg.principals[2].uid, 1002);
	CHECK_EQ(cfg.principals[2].group_count, 0);
	CHECK_EQ(cfg.principals[3].jail, 1);
	CHECK_EQ(cfg.principals[3].line, 9);

	CHECK_EQ(cfg.vmmctl.owner, 1);
	CHECK_EQ(cfg.vmmctl.owner_uid, 1001);
	CHECK_EQ(cfg.vmmctl.group, 0);
	CHECK_EQ(cfg.vmmctl.group_gid, 0);
	CHECK_EQ(cfg.vmmctl.mode, 0640);
	CHECK_EQ(cfg.vmmctl.line, 10);

	CHECK_EQ(cfg.tunables.maxcpu, 2);
	CHECK_EQ(cfg.tunables.maxvms_per_user, 3);
	CHECK_EQ(cfg.tunables.maxmem_per_user, 512ull << 20);
	CHECK_EQ(cfg.tunables.maxcpu_line, 11);

	CHECK_EQ(cfg.passthrough_count, 1);
	CHECK(!strcmp(cfg.passthrough[0].compatible, "arm,pl031"));

	/* The same VM name in two jails' namespaces is two VMs. */
	CHECK_EQ(cfg.vm_count, 3);
	CHECK(!strcmp(cfg.vms[0].image, "guest"));
	CHECK_EQ(cfg.vms[0].cpus, 2);
	CHECK_EQ(cfg.vms[0].memory, 16ull << 20);
	CHECK_EQ(cfg.vms[0].owner, 1);
	CHECK(cfg.vms[0].monitor);
	CHECK_EQ(cfg.vms[1].owner, 3);
	CHECK_EQ(cfg.vms[1].cpus, 1);
	CHECK_EQ(cfg.vms[1].memory, 256ull << 20);
	CHECK(!cfg.vms[1].monitor);
	CHECK_EQ(cfg.vms[2].owner, 0); /* no owner=: the principal with uid 0 */

	CHECK_EQ(bootconf_find_principal(&cfg, "webadm"), 3);
	CHECK_EQ(bootconf_find_principal(&cfg, "webadm2"), BOOTCONF_NONE);
	CHECK_EQ(bootconf_find_jail(&cfg, "web/inner"), 1);
	CHECK_EQ(bootconf_find_jail(&cfg, "inner"), BOOTCONF_NONE);
	CHECK_EQ(bootconf_find_group(&cfg, "wheel"), 0);
}

UNIT_TEST(policy_describe_lines)
{
	char line[BOOTCONF_DESCRIBE_MAX];

	CHECK(parse(full));
	CHECK(!strcmp(bootconf_describe_group(&cfg, 1, line, sizeof(line)), "group vmm gid=800"));
	CHECK(!strcmp(bootconf_describe_jail(&cfg, 1, line, sizeof(line)), "jail web/inner allow.vmm allow.vmm_ppt"));
	CHECK(!strcmp(bootconf_describe_jail(&cfg, 2, line, sizeof(line)), "jail lab"));
	CHECK(!strcmp(bootconf_describe_principal(&cfg, 0, line, sizeof(line)),
		      "principal root uid=0 groups=wheel,vmm"));
	/* The key: only that there is one. */
	CHECK(!strcmp(bootconf_describe_principal(&cfg, 1, line, sizeof(line)),
		      "principal operator uid=1001 groups=vmm priv=vmm_create,vmm_pptdev (key set)"));
	CHECK(strstr(line, "0011") == NULL);
	CHECK(!strcmp(bootconf_describe_principal(&cfg, 3, line, sizeof(line)),
		      "principal webadm uid=2001 groups=vmm jail=web/inner"));
	CHECK(!strcmp(bootconf_describe_vmmctl(&cfg, line, sizeof(line)),
		      "vmmctl owner=operator group=wheel mode=0640 (uid 1001, gid 0)"));
	CHECK(!strcmp(bootconf_describe_tunables(&cfg, line, sizeof(line)),
		      "tunables vmm.maxcpu=2 vmm.maxvms_per_user=3 vmm.maxmem_per_user=512M"));
	CHECK(!strcmp(bootconf_describe_vm(&cfg, 0, line, sizeof(line)),
		      "vm demo image=guest cpus=2 mem=16M owner=operator monitor"));
	CHECK(!strcmp(bootconf_describe_vm(&cfg, 2, line, sizeof(line)),
		      "vm plain image=guest cpus=1 mem=256M owner=root"));

	/* The longest possible principal line fits the documented buffer. */
	char text[2048] = "group g0 gid=100\n";
	for (int g = 1; g < BOOTCONF_PRINCIPAL_GROUPS_MAX; g++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "group abcdefghijklmnopqrstuvwxyz0123%d gid=%d\n", g, 100 + g);
	strcat(text, "jail " LONG31 "\n"
		     "jail " LONG31 "/" LONG31 "\n"
		     "jail " LONG31 "/" LONG31 "/" LONG31 "\n"
		     "jail " LONG31 "/" LONG31 "/" LONG31 "/" LONG31 "\n"
		     "principal " LONG31 " uid=4294967294 groups=g0");
	for (int g = 1; g < BOOTCONF_PRINCIPAL_GROUPS_MAX; g++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), ",abcdefghijklmnopqrstuvwxyz0123%d", g);
	strcat(text, " jail=" LONG31 "/" LONG31 "/" LONG31 "/" LONG31
		     " priv=vmm_create,vmm_destroy,vmm_pptdev key=" KEY32 "\n");
	CHECK(parse(text));
	CHECK_EQ(cfg.principal_count, 1);
	CHECK_EQ(cfg.principals[0].group_count, BOOTCONF_PRINCIPAL_GROUPS_MAX);
	CHECK_EQ(cfg.principals[0].jail, 3);
	bootconf_describe_principal(&cfg, 0, line, sizeof(line));
	CHECK(strlen(line) < sizeof(line) - 1);
	CHECK(strstr(line, " (key set)") != NULL);
	CHECK(strstr(line, "priv=vmm_create,vmm_destroy,vmm_pptdev") != NULL);
}

UNIT_TEST(policy_defaults)
{
	/* Nothing declared: maxcpu = CPUs, maxvms = 4 x CPUs, maxmem = half
	 * the memory; vmmctl owner uid 0, no group, mode 0660. */
	CHECK(parse_on("", 4, 1ull << 30));
	CHECK_EQ(captured_count, 0);
	CHECK_EQ(cfg.tunables.maxcpu, 4);
	CHECK_EQ(cfg.tunables.maxvms_per_user, 16);
	CHECK_EQ(cfg.tunables.maxmem_per_user, 512ull << 20);
	CHECK_EQ(cfg.tunables.maxcpu_line, 0);
	CHECK_EQ(cfg.vmmctl.owner_uid, 0);
	CHECK_EQ(cfg.vmmctl.owner, BOOTCONF_NONE);
	CHECK_EQ(cfg.vmmctl.group, BOOTCONF_NONE);
	CHECK_EQ(cfg.vmmctl.mode, 0660);
	CHECK_EQ(cfg.vmmctl.line, 0);
	char line[BOOTCONF_DESCRIBE_MAX];
	CHECK(!strcmp(bootconf_describe_vmmctl(&cfg, line, sizeof(line)),
		      "vmmctl owner=(uid 0) group=(none) mode=0660 (uid 0)"));
	CHECK(!strcmp(bootconf_describe_tunables(&cfg, line, sizeof(line)),
		      "tunables vmm.maxcpu=4 vmm.maxvms_per_user=16 vmm.maxmem_per_user=512M"));

	/* root:vmm resolves to the principal with uid 0 and the group vmm. */
	CHECK(parse("group vmm gid=800\nprincipal admin uid=0\n"));
	CHECK_EQ(captured_count, 0);
	CHECK_EQ(cfg.vmmctl.owner, 0);
	CHECK_EQ(cfg.vmmctl.group, 0);
	CHECK_EQ(cfg.vmmctl.group_gid, 800);
	/* ... also when the vmmctl line sets only the mode. */
	CHECK(parse("group vmm gid=800\nprincipal admin uid=0\nvmmctl mode=600\n"));
	CHECK_EQ(cfg.vmmctl.mode, 0600);
	CHECK_EQ(cfg.vmmctl.group_gid, 800);
	CHECK_EQ(cfg.vmmctl.owner, 0);
	/* Principals but no group vmm: said, since the group bits then
	 * match nobody. */
	CHECK(parse("principal admin uid=0\n"));
	CHECK_EQ(cfg.vmmctl.group, BOOTCONF_NONE);
	CHECK_EQ(count_of(BOOTCONF_NOTE), 1);
	CHECK(said(BOOTCONF_NOTE, "no group vmm"));
	CHECK_EQ(captured[0].line, 0);

	/* More CPUs than VM_MAXCPU: the default is clamped, with a message. */
	CHECK(parse_on("", 64, 1ull << 30));
	CHECK_EQ(cfg.tunables.maxcpu, BOOTCONF_VM_MAXCPU);
	CHECK(said(BOOTCONF_NOTE, "clamped to 8"));
	CHECK_EQ(cfg.tunables.maxvms_per_user, 256);
	CHECK(parse_on("", 0, 0));
	CHECK_EQ(cfg.tunables.maxcpu, 1);
	CHECK_EQ(cfg.tunables.maxvms_per_user, 4);
	CHECK_EQ(cfg.tunables.maxmem_per_user, 0);
	/* Half of an odd amount, rounded down to whole MiB. */
	CHECK(parse_on("", 1, (1ull << 30) + (5ull << 20) - 1));
	CHECK_EQ(cfg.tunables.maxmem_per_user, (514ull << 20));
	CHECK(parse_on("", 1, UINT64_MAX));
	CHECK_EQ(cfg.tunables.maxmem_per_user, BOOTCONF_SIZE_MAX);
	CHECK(parse_on("", 100000, 1ull << 30));
	CHECK_EQ(cfg.tunables.maxvms_per_user, 65535);
}

UNIT_TEST(policy_maxcpu_clamp)
{
	CHECK(parse_on("set vmm.maxcpu=64\n", 4, 1ull << 30));
	CHECK_EQ(cfg.tunables.maxcpu, BOOTCONF_VM_MAXCPU);
	CHECK_EQ(count_of(BOOTCONF_NOTE), 1);
	CHECK_EQ(captured[0].line, 1);
	CHECK(said(BOOTCONF_NOTE, "64 clamped to 8"));
	CHECK(parse_on("set vmm.maxcpu=0\n", 4, 1ull << 30));
	CHECK_EQ(cfg.tunables.maxcpu, 1);
	CHECK(said(BOOTCONF_NOTE, "0 becomes 1"));
	CHECK(parse_on("set vmm.maxcpu=8\n", 2, 1ull << 30));
	CHECK_EQ(cfg.tunables.maxcpu, 8);
	CHECK_EQ(captured_count, 0);
	CHECK(parse_on("set vmm.maxcpu=4294967295\n", 2, 1ull << 30));
	CHECK_EQ(cfg.tunables.maxcpu, BOOTCONF_VM_MAXCPU);
	/* Set explicitly, the CPU count does not matter. */
	CHECK(parse_on("set vmm.maxcpu=3\n", 64, 1ull << 30));
	CHECK_EQ(cfg.tunables.maxcpu, 3);
	CHECK_EQ(captured_count, 0);
}

UNIT_TEST(policy_sizes)
{
	static const struct {
		const char *text;
		uint64_t bytes;
	} good[] = {
		{"0", 0}, {"4096", 4096}, {"4k", 4096}, {"4K", 4096}, {"16M", 16ull << 20}, {"16m", 16ull << 20},
		{"2G", 2ull << 30}, {"1T", 1ull << 40}, {"256T", 1ull << 48}, {"281474976710656", 1ull << 48},
	};
	static const char *const bad[] = {
		"", "M", "1.5G", "16MB", "16 M", "-1", "0x10M", "257T", "262145G", "281474976710657",
		"18446744073709551616", "99999999999999999999999K", "1P", "4KK",
	};
	char text[128];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "set vmm.maxmem_per_user=\"%s\"\n", good[i].text);
		bool ok = parse(text);
		if (!ok || cfg.tunables.maxmem_per_user != good[i].bytes)
			printf("  good size %s\n", good[i].text);
		CHECK(ok);
		CHECK_EQ(cfg.tunables.maxmem_per_user, good[i].bytes);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "set vmm.maxmem_per_user=\"%s\"\n", bad[i]);
		bool ok = parse(text);
		if (ok || !said(BOOTCONF_FATAL, "must be a size"))
			printf("  bad size \"%s\" accepted\n", bad[i]);
		CHECK(!ok);
		CHECK(said(BOOTCONF_FATAL, "must be a size"));
	}
	char buf[24];
	CHECK(!strcmp(bootconf_format_size(0, buf, sizeof(buf)), "0"));
	CHECK(!strcmp(bootconf_format_size(4097, buf, sizeof(buf)), "4097"));
	CHECK(!strcmp(bootconf_format_size(1536 << 10, buf, sizeof(buf)), "1536K"));
	CHECK(!strcmp(bootconf_format_size(16ull << 20, buf, sizeof(buf)), "16M"));
	CHECK(!strcmp(bootconf_format_size(3ull << 30, buf, sizeof(buf)), "3G"));
	CHECK(!strcmp(bootconf_format_size(1ull << 50, buf, sizeof(buf)), "1024T"));
	CHECK(!strcmp(bootconf_format_size(UINT64_MAX, buf, sizeof(buf)), "18446744073709551615"));
}

UNIT_TEST(policy_modes)
{
	static const struct {
		const char *text;
		unsigned mode;
	} good[] = {{"0", 0}, {"600", 0600}, {"0660", 0660}, {"0777", 0777}, {"0000", 0}, {"7", 07}};
	static const char *const bad[] = {"", "0778", "1777", "0x1b0", "06600", "-660", "66a", "rw-rw----", "8"};
	char text[64];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "vmmctl mode=%s\n", good[i].text);
		CHECK(parse(text));
		CHECK_EQ(cfg.vmmctl.mode, good[i].mode);
		CHECK_EQ(cfg.vmmctl.line, 1);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "vmmctl mode=%s\n", bad[i]);
		bool ok = parse(text);
		if (ok)
			printf("  bad mode \"%s\" accepted\n", bad[i]);
		CHECK(!ok);
		CHECK(said(BOOTCONF_FATAL, "mode= must be octal"));
		/* A refused policy line leaves the default in place. */
		CHECK_EQ(cfg.vmmctl.mode, 0660);
	}
}

UNIT_TEST(policy_fatal_lines)
{
	static const struct bad_case cases[] = {
		/* group */
		{"group\n", 1, BOOTCONF_FATAL, "expected NAME gid=N"},
		{"group vmm\n", 1, BOOTCONF_FATAL, "gid= is required"},
		{"group vmm gid=x\n", 1, BOOTCONF_FATAL, "gid must be"},
		{"group vmm gid=4294967295\n", 1, BOOTCONF_FATAL, "gid must be"},
		{"group vmm gid=1 gid=2\n", 1, BOOTCONF_FATAL, "gid= given twice"},
		{"group vmm gid=1 colour=red\n", 1, BOOTCONF_FATAL, "unknown option"},
		{"group vmm gid=1\ngroup vmm gid=2\n", 2, BOOTCONF_FATAL, "vmm declared twice (line 1)"},
		{"group a gid=5\ngroup b gid=5\n", 2, BOOTCONF_FATAL, "gid 5 is group a's already"},
		{"group a/b gid=1\n", 1, BOOTCONF_FATAL, "only letters"},
		{"group a,b gid=1\n", 1, BOOTCONF_FATAL, "only letters"},
		{"group -a gid=1\n", 1, BOOTCONF_FATAL, "must not start with"},
		{"group .a gid=1\n", 1, BOOTCONF_FATAL, "must not start with"},
		{"group abcdefghijklmnopqrstuvwxyz012345 gid=1\n", 1, BOOTCONF_FATAL, "longer than 31"},
		/* jail */
		{"jail\n", 1, BOOTCONF_FATAL, "expected PATH"},
		{"jail web/inner\n", 1, BOOTCONF_FATAL, "parent web not declared"},
		{"jail web/inner\njail web\n", 1, BOOTCONF_FATAL, "declare parents first"},
		{"jail web\njail web\n", 2, BOOTCONF_FATAL, "web declared twice"},
		{"jail web allow.vmm=1\n", 1, BOOTCONF_FATAL, "unknown option"},
		{"jail web allow.vmm allow.vmm\n", 1, BOOTCONF_FATAL, "given twice"},
		{"jail web allow.raw_sockets\n", 1, BOOTCONF_FATAL, "unknown option"},
		{"jail a//b\n", 1, BOOTCONF_FATAL, "empty name"},
		{"jail /a\n", 1, BOOTCONF_FATAL, "empty name"},
		{"jail a/\n", 1, BOOTCONF_FATAL, "empty name"},
		{"jail ..\n", 1, BOOTCONF_FATAL, "must not start with"},
		{"jail a/..\n", 1, BOOTCONF_FATAL, "must not start with"},
		{"jail a,b\n", 1, BOOTCONF_FATAL, "only letters"},
		{"jail abcdefghijklmnopqrstuvwxyz012345\n", 1, BOOTCONF_FATAL, "longer than 31"},
		{"jail a\njail a/abcdefghijklmnopqrstuvwxyz0123456789\n", 2, BOOTCONF_FATAL, "longer than 31"},
		{"jail a\njail a/b\njail a/b/c\njail a/b/c/d\njail a/b/c/d/e\n", 5, BOOTCONF_FATAL, "deeper than 4"},
		/* principal */
		{"principal\n", 1, BOOTCONF_FATAL, "expected NAME"},
		{"principal p\n", 1, BOOTCONF_FATAL, "uid= is required"},
		{"principal p uid=-1\n", 1, BOOTCONF_FATAL, "uid must be"},
		{"principal p uid=4294967295\n", 1, BOOTCONF_FATAL, "uid must be"},
		{"principal p uid=\n", 1, BOOTCONF_FATAL, "uid must be"},
		{"principal p uid=1 uid=2\n", 1, BOOTCONF_FATAL, "uid= given twice"},
		{"principal p uid=1 groups=nope\n", 1, BOOTCONF_FATAL, "unknown group nope"},
		{"principal p uid=1 groups=vmm\ngroup vmm gid=800\n", 1, BOOTCONF_FATAL, "declare it first"},
		{"group vmm gid=800\nprincipal p uid=1 groups=vmm,vmm\n", 2, BOOTCONF_FATAL, "listed twice"},
		{"group vmm gid=800\nprincipal p uid=1 groups=vmm,\n", 2, BOOTCONF_FATAL, "empty item"},
		{"group vmm gid=800\nprincipal p uid=1 groups=,vmm\n", 2, BOOTCONF_FATAL, "empty item"},
		{"principal p uid=1 groups=\n", 1, BOOTCONF_FATAL, "empty item"},
		{"principal p uid=1 groups=a/b\n", 1, BOOTCONF_FATAL, "only letters"},
		{"principal p uid=1 groups=abcdefghijklmnopqrstuvwxyz012345\n", 1, BOOTCONF_FATAL, "longer than 31"},
		{"principal p uid=1 jail=nowhere\n", 1, BOOTCONF_FATAL, "jail= names no jail"},
		{"principal p uid=1 jail=web\njail web\n", 1, BOOTCONF_FATAL, "jail= names no jail"},
		{"jail web\nprincipal p uid=1 jial=web\n", 2, BOOTCONF_FATAL, "unknown option"},
		{"principal p uid=1 priv=vmm_everything\n", 1, BOOTCONF_FATAL, "unknown privilege"},
		{"principal p uid=1 priv=vmm_create,vmm_create\n", 1, BOOTCONF_FATAL, "listed twice"},
		{"principal p uid=1 priv=\n", 1, BOOTCONF_FATAL, "empty item"},
		{"principal p uid=1 key=abc\n", 1, BOOTCONF_FATAL, "hex digits"},
		{"principal p uid=1 key=00112233445566778899aabbccddee\n", 1, BOOTCONF_FATAL, "hex digits"},
		{"principal p uid=1 key=" KEY32 "0\n", 1, BOOTCONF_FATAL, "hex digits"},
		{"principal p uid=1 key=zz112233445566778899aabbccddeeff\n", 1, BOOTCONF_FATAL, "hex digits"},
		{"principal p uid=1 key=" KEY32 KEY32 KEY32 KEY32 "00\n", 1, BOOTCONF_FATAL, "hex digits"},
		{"principal p uid=1\nprincipal p uid=2\n", 2, BOOTCONF_FATAL, "p declared twice (line 1)"},
		{"principal p uid=7\nprincipal q uid=7\n", 2, BOOTCONF_FATAL, "uid 7 is principal p's already"},
		{"principal p uid=7\nprincipal q uid=0x7\n", 2, BOOTCONF_FATAL, "uid 7 is principal p's already"},
		{"principal p/q uid=1\n", 1, BOOTCONF_FATAL, "only letters"},
		{"principal p,q uid=1\n", 1, BOOTCONF_FATAL, "only letters"},
		{"principal \"p q\" uid=1\n", 1, BOOTCONF_FATAL, "only letters"},
		{"principal abcdefghijklmnopqrstuvwxyz012345 uid=1\n", 1, BOOTCONF_FATAL, "longer than 31"},
		/* vmmctl */
		{"vmmctl owner=nobody\n", 1, BOOTCONF_FATAL, "owner= names no principal"},
		{"vmmctl owner=root\nprincipal root uid=0\n", 1, BOOTCONF_FATAL, "owner= names no principal"},
		{"vmmctl group=nogroup\n", 1, BOOTCONF_FATAL, "group= names no group"},
		{"vmmctl user=root\n", 1, BOOTCONF_FATAL, "unknown option"},
		{"vmmctl mode=0600 mode=0660\n", 1, BOOTCONF_FATAL, "mode= given twice"},
		{"vmmctl mode=0600\nvmmctl mode=0600\n", 2, BOOTCONF_FATAL, "declared twice (line 1)"},
		/* set */
		{"set\n", 1, BOOTCONF_FATAL, "expected one NAME=VALUE"},
		{"set vmm.maxcpu=1 vmm.maxvms_per_user=1\n", 1, BOOTCONF_FATAL, "expected one NAME=VALUE"},
		{"set vmm.maxcpu\n", 1, BOOTCONF_FATAL, "unknown option"},
		{"set vmm.maxvms=3\n", 1, BOOTCONF_FATAL, "unknown option"},
		{"set vmm.maxcpu=x\n", 1, BOOTCONF_FATAL, "maxcpu must be a number"},
		{"set vmm.maxcpu=4294967296\n", 1, BOOTCONF_FATAL, "maxcpu must be a number"},
		{"set vmm.maxcpu=\n", 1, BOOTCONF_FATAL, "maxcpu must be a number"},
		{"set vmm.maxvms_per_user=65536\n", 1, BOOTCONF_FATAL, "maxvms_per_user must be 0..65535"},
		{"set vmm.maxvms_per_user=-1\n", 1, BOOTCONF_FATAL, "maxvms_per_user must be"},
		{"set vmm.maxvms_per_user=2\nset vmm.maxvms_per_user=3\n", 2, BOOTCONF_FATAL,
		 "vmm.maxvms_per_user set twice (line 1)"},
		/* anything else */
		{"frobnicate\n", 1, BOOTCONF_FATAL, "unknown keyword"},
		{"Principal p uid=1\n", 1, BOOTCONF_FATAL, "unknown keyword"},
	};
	check_bad_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

UNIT_TEST(policy_skipped_lines)
{
	static const struct bad_case cases[] = {
		/* passthrough */
		{"passthrough\n", 1, BOOTCONF_SKIPPED, "expected one compatible"},
		{"passthrough a b\n", 1, BOOTCONF_SKIPPED, "expected one compatible"},
		{"passthrough a/b\n", 1, BOOTCONF_SKIPPED, "expected one compatible"},
		{"passthrough arm,pl031\npassthrough arm,pl031\n", 2, BOOTCONF_SKIPPED, "listed twice"},
		/* vm */
		{"principal root uid=0\nvm\n", 2, BOOTCONF_SKIPPED, "expected NAME"},
		{"principal root uid=0\nvm x\n", 2, BOOTCONF_SKIPPED, "image= is required"},
		{"principal root uid=0\nvm a/b image=g\n", 2, BOOTCONF_SKIPPED, "only letters"},
		{"principal root uid=0\nvm abcdefghijklmnopqrstuvwxyz012345 image=g\n", 2, BOOTCONF_SKIPPED,
		 "longer than 31"},
		{"principal root uid=0\nvm x image=a/b\n", 2, BOOTCONF_SKIPPED, "bad image="},
		{"principal root uid=0\nvm x image=g cpus=0\n", 2, BOOTCONF_SKIPPED, "cpus= must be 1..8"},
		{"principal root uid=0\nvm x image=g cpus=9\n", 2, BOOTCONF_SKIPPED, "cpus= must be 1..8"},
		{"principal root uid=0\nvm x image=g mem=0\n", 2, BOOTCONF_SKIPPED, "multiple of 4K"},
		{"principal root uid=0\nvm x image=g mem=4097\n", 2, BOOTCONF_SKIPPED, "multiple of 4K"},
		{"principal root uid=0\nvm x image=g mem=1X\n", 2, BOOTCONF_SKIPPED, "multiple of 4K"},
		{"principal root uid=0\nvm x image=g mem=300T\n", 2, BOOTCONF_SKIPPED, "multiple of 4K"},
		{"principal root uid=0\nvm x image=g owner=ghost\n", 2, BOOTCONF_SKIPPED, "owner= names no principal"},
		{"principal root uid=0\nvm x image=g monitor=1\n", 2, BOOTCONF_SKIPPED, "unknown option"},
		{"principal root uid=0\nvm x image=g monitor monitor\n", 2, BOOTCONF_SKIPPED, "given twice"},
		{"principal op uid=5\nvm x image=g\n", 2, BOOTCONF_SKIPPED, "owner= is required"},
		{"principal root uid=0\nvm x image=g\nvm x image=h\n", 3, BOOTCONF_SKIPPED,
		 "x declared twice in one jail (line 2)"},
		/* cpus= is checked against vmm.maxcpu once every line is read */
		{"principal root uid=0\nvm x image=g cpus=4\nset vmm.maxcpu=2\n", 2, BOOTCONF_SKIPPED,
		 "cpus=4 is above vmm.maxcpu (2)"},
	};
	check_bad_cases(cases, sizeof(cases) / sizeof(cases[0]));

	/* A VM skipped at the end leaves the others in order. */
	CHECK(parse_on("principal root uid=0\nvm a image=g cpus=1\nvm b image=g cpus=3\nvm c image=g cpus=2\n", 2,
		       1ull << 30));
	CHECK_EQ(cfg.vm_count, 2);
	CHECK(!strcmp(cfg.vms[0].name, "a"));
	CHECK(!strcmp(cfg.vms[1].name, "c"));
	CHECK_EQ(cfg.skipped, 1);
}

UNIT_TEST(policy_jail_allows_never_exceed_the_parent)
{
	/* Dropping an allow only takes a grant away: a note, not an error. */
	CHECK(parse("jail a\njail a/b allow.vmm allow.vmm_ppt\njail c allow.vmm\njail c/d allow.vmm allow.vmm_ppt\n"));
	CHECK_EQ(cfg.jail_count, 4);
	CHECK_EQ(cfg.jails[1].allow, 0);
	CHECK_EQ(cfg.jails[3].allow, BOOTCONF_ALLOW_VMM);
	CHECK_EQ(count_of(BOOTCONF_NOTE), 3);
	CHECK(said(BOOTCONF_NOTE, "jail a/b: allow.vmm dropped: its parent a lacks it"));
	CHECK(said(BOOTCONF_NOTE, "jail c/d: allow.vmm_ppt dropped"));
	CHECK_EQ(cfg.fatal + cfg.skipped, 0);
	/* Four levels deep is allowed. */
	CHECK(parse("jail a\njail a/b\njail a/b/c\njail a/b/c/d\n"));
	CHECK_EQ(cfg.jails[3].depth, 4);
	CHECK_EQ(cfg.jails[3].parent, 2);
	CHECK(!strcmp(cfg.jails[3].name, "d"));
}

/* A fatal error does not stop the parse: every error is reported, and
 * later lines that name what failed are rejected too. */
UNIT_TEST(policy_fatal_errors_are_all_reported)
{
	const char *text = "group vmm gid=800\n"
			   "principal op uid=1001 groups=vmmx\n"
			   "principal alice uid=1001\n"
			   "endpoint vmmctl\n"
			   "task t module=m user=op\n"
			   "vmmctl mode=0999\n";
	CHECK(!parse(text));
	CHECK_EQ(cfg.fatal, 2);
	CHECK_EQ(cfg.skipped, 1);
	CHECK_EQ(captured[0].line, 2);
	CHECK(strstr(captured[0].message, "unknown group vmmx") != NULL);
	CHECK_EQ(captured[1].line, 5);
	CHECK_EQ(captured[1].severity, BOOTCONF_SKIPPED);
	CHECK_EQ(captured[2].line, 6);
	CHECK_EQ(captured[2].severity, BOOTCONF_FATAL);
	/* alice's uid is free again since op was refused. */
	CHECK_EQ(cfg.principal_count, 1);
	CHECK(!strcmp(cfg.principals[0].name, "alice"));
}

UNIT_TEST(policy_limits)
{
	char text[8192] = "";
	for (int i = 0; i <= BOOTCONF_GROUPS_MAX; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "group g%d gid=%d\n", i, 100 + i);
	CHECK(!parse(text));
	CHECK_EQ(cfg.group_count, BOOTCONF_GROUPS_MAX);
	CHECK(said(BOOTCONF_FATAL, "group: too many (at most 16)"));

	text[0] = '\0';
	for (int i = 0; i <= BOOTCONF_PRINCIPALS_MAX; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "principal p%d uid=%d\n", i, 1000 + i);
	CHECK(!parse(text));
	CHECK_EQ(cfg.principal_count, BOOTCONF_PRINCIPALS_MAX);
	CHECK(said(BOOTCONF_FATAL, "principal: too many (at most 32)"));

	text[0] = '\0';
	for (int i = 0; i <= BOOTCONF_JAILS_MAX; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "jail j%d\n", i);
	CHECK(!parse(text));
	CHECK_EQ(cfg.jail_count, BOOTCONF_JAILS_MAX);

	strcpy(text, "principal p uid=1 groups=g0");
	char groups[1024] = "";
	for (int i = 0; i <= BOOTCONF_PRINCIPAL_GROUPS_MAX; i++)
		snprintf(groups + strlen(groups), sizeof(groups) - strlen(groups), "group g%d gid=%d\n", i, 100 + i);
	for (int i = 1; i <= BOOTCONF_PRINCIPAL_GROUPS_MAX; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), ",g%d", i);
	strcat(groups, text);
	CHECK(!parse(groups));
	CHECK(said(BOOTCONF_FATAL, "in too many groups (at most 8)"));

	text[0] = '\0';
	for (int i = 0; i <= BOOTCONF_PASSTHROUGH_MAX; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "passthrough dev%d\n", i);
	CHECK(parse(text));
	CHECK_EQ(cfg.passthrough_count, BOOTCONF_PASSTHROUGH_MAX);
	CHECK_EQ(cfg.skipped, 1);

	strcpy(text, "principal root uid=0\n");
	for (int i = 0; i <= BOOTCONF_VMS_MAX; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "vm v%d image=g\n", i);
	CHECK(parse(text));
	CHECK_EQ(cfg.vm_count, BOOTCONF_VMS_MAX);
	CHECK(said(BOOTCONF_SKIPPED, "vm: too many (at most 8)"));
}

UNIT_TEST(policy_crlf_and_comments)
{
	CHECK(parse("# identities\r\n"
		    "group vmm gid=800   # the vmm group\r\n"
		    "principal op uid=1001 groups=vmm key=" KEY32 "\r\n"
		    "\r\n"
		    "vmmctl mode=0600\r\n"));
	CHECK_EQ(captured_count, 0);
	CHECK_EQ(cfg.principal_count, 1);
	CHECK_EQ(cfg.principals[0].key_len, 16);
	CHECK_EQ(cfg.principals[0].line, 3);
	CHECK_EQ(cfg.vmmctl.mode, 0600);
	CHECK_EQ(cfg.vmmctl.group_gid, 800);
	/* A # inside a word is part of it, and no name may hold one. */
	CHECK(!parse("group vm#m gid=800\n"));
	CHECK(said(BOOTCONF_FATAL, "only letters"));
}
