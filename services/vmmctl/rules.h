/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The vmmctl contract's rules as pure functions (docs/vmmctl.md): the
 * checks every request passes first, privilege, VM names and how jails
 * see them. No state and no system calls, so the host unit test
 * (tests/unit/test_vmmctl_rules.c) can try every case.
 */
#ifndef VMMCTL_RULES_H
#define VMMCTL_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uapi/vmmctl.h>

#include "../bootconf/bootconf.h"

/* The jail of a principal or VM; BOOTCONF_NONE is the host. */
typedef int jail_t;

/*
 * The checks before anything else, in the contract's order: the device
 * policy (owner, group, mode: EACCES), the jail's allow.vmm (EPERM), the
 * session's rights (EPERM for CREATE/DESTROY without write). Read
 * operations need the r bit of the principal's class, CREATE and DESTROY
 * the w bit. Returns 0 or the error number.
 */
int rules_session_check(const struct bootconf *cfg, const struct bootconf_principal *p, uint32_t session_rights,
			enum vmmctl_op op);

/* uid 0 outside any jail, or granted priv (BOOTCONF_PRIV_*). */
bool rules_privileged(const struct bootconf_principal *p, uint32_t priv);

/* The super-user: uid 0 outside any jail. */
bool rules_superuser(const struct bootconf_principal *p);

/* May the principal pass devices through (vmm_pptdev, and allow.vmm_ppt
 * in a jail)? */
bool rules_passthrough_allowed(const struct bootconf *cfg, const struct bootconf_principal *p);

/*
 * A request's name field (len bytes used of a field of VMMCTL_PATH_MAX + 1;
 * len may claim more). CREATE takes a plain name, the others a path
 * "jail/.../name" relative to the caller's jail. Returns 0, EINVAL
 * (empty, a byte that is not printable, '/' in a plain name, an empty
 * component, bytes after len not zero) or ENAMETOOLONG (a component over
 * VMMCTL_NAME_MAX, or the whole over VMMCTL_PATH_MAX), checked in that
 * order.
 */
int rules_check_name(const char *field, uint32_t len, bool plain);

/*
 * A handle operation's request body: the operation reads its first `args`
 * words of arg[] (0..2) and, if `name`, the name field (checked by
 * rules_check_name); every other field must be zero, as the protocol says,
 * so that a field given a meaning later cannot be misread by this
 * service. False: EINVAL.
 */
bool rules_body_clean(const struct vmmctl_request *b, unsigned args, bool name);

/*
 * Resolves a checked path as seen from jail `from` into the VM's jail and
 * its last component (NUL-terminated, at most VMMCTL_NAME_MAX bytes).
 * False if a jail component names no jail directly below: the VM is then
 * invisible (ENOENT), never "permission denied".
 */
bool rules_resolve(const struct bootconf *cfg, jail_t from, const char *path, uint32_t len, jail_t *jail,
		   char name[VMMCTL_NAME_MAX + 1]);

/* Is `jail` the jail `viewer` or below it (the host sees every jail)? */
bool rules_visible(const struct bootconf *cfg, jail_t viewer, jail_t jail);

/* The VM's name as `viewer` sees it: "sub/name" for a VM in a jail below
 * (viewer must see it: rules_visible). */
void rules_display_name(const struct bootconf *cfg, jail_t viewer, jail_t jail, const char *name,
			char out[VMMCTL_PATH_MAX + 1]);

#endif
