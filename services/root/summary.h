/* SPDX-License-Identifier: BSD-2-Clause */
/* The root task's console summary of the identities and policy it parsed. */
#ifndef ROOT_SUMMARY_H
#define ROOT_SUMMARY_H

#include "../bootconf/bootconf.h"

/* One line each: groups, jails, principals, the vmmctl policy, the
 * tunables and the VMs to start at boot. */
void summary_print(const struct bootconf *cfg);

#endif
