// SPDX-License-Identifier: BSD-2-Clause
// What the configuration declared about who may do what, printed once at
// boot so that the console log shows the policy the system runs with.
#include <stdio.h>

#include "summary.h"

void summary_print(const struct bootconf *cfg)
{
	char line[BOOTCONF_DESCRIBE_MAX];

	for (unsigned i = 0; i < cfg->group_count; i++)
		printf("root: %s\n", bootconf_describe_group(cfg, i, line, sizeof(line)));
	for (unsigned i = 0; i < cfg->jail_count; i++)
		printf("root: %s\n", bootconf_describe_jail(cfg, i, line, sizeof(line)));
	for (unsigned i = 0; i < cfg->principal_count; i++)
		printf("root: %s\n", bootconf_describe_principal(cfg, i, line, sizeof(line)));
	printf("root: %s\n", bootconf_describe_vmmctl(cfg, line, sizeof(line)));
	printf("root: %s\n", bootconf_describe_tunables(cfg, line, sizeof(line)));
	for (unsigned i = 0; i < cfg->vm_count; i++)
		printf("root: %s\n", bootconf_describe_vm(cfg, i, line, sizeof(line)));
}
