// SPDX-License-Identifier: BSD-2-Clause
// Who may do what (VMMCTL.md): the device policy, jails, the session's
// rights, privilege, names, namespaces, per-user limits and maxcpu.
#include <stdio.h>
#include <string.h>

#include "vmmctltest.h"

#define MONITOR VMMCTL_CREATE_DESTROY_ON_CLOSE

/* A persistent VM made by a privileged session (destroyed by the case). */
static int make(cv_slot_t session, const char *name, uint32_t flags)
{
	return vmctl_create(session, name, flags, 1, 2 * MIB, slot_new());
}

/* Does a LIST through every page show `name`? */
static bool listed(cv_slot_t session, const char *name, unsigned *pages)
{
	uint64_t cursor = 0;
	bool seen = false;
	struct vmmctl_list page;

	*pages = 0;
	do {
		if (vmctl_list(session, &cursor, &page) != VMMCTL_OK)
			return false;
		(*pages)++;
		for (unsigned i = 0; i < page.count; i++)
			seen |= strcmp(page.vm[i].name, name) == 0;
	} while (cursor && *pages < 100);
	return seen;
}

static void policy(void)
{
	struct vmmctl_list page;
	uint64_t cursor = 0;

	expect_err("nongroup_list_eacces", vmctl_list(s.nobody, &cursor, &page), VMMCTL_EACCES);
	expect_err("nongroup_create_eacces", make(s.nobody, "x", MONITOR), VMMCTL_EACCES);
	expect_err("jail_without_allow_vmm_eperm", vmctl_list(s.closed, &cursor, &page), VMMCTL_EPERM);
	expect_err("readonly_session_cannot_create", make(s.operator_ro, "ro", MONITOR), VMMCTL_EPERM);
	expect_err("readonly_session_cannot_destroy", vmctl_destroy(s.operator_ro, "ro"), VMMCTL_EPERM);
	expect_err("readonly_session_lists", vmctl_list(s.operator_ro, &cursor, &page), VMMCTL_OK);
}

static void privilege(void)
{
	cv_slot_t h = slot_new();

	expect_err("unprivileged_persistent_eperm", make(s.user, "up", 0), VMMCTL_EPERM);
	expect_err("unprivileged_monitor_mode_ok", vmctl_create(s.user, "um", MONITOR, 1, 2 * MIB, h), VMMCTL_OK);
	(void)cv_cap_delete(h);
	/* Owner-only destroy: operator's VM, user may not; root may. */
	expect_err("privileged_create", make(s.operator, "opvm", 0), VMMCTL_OK);
	expect_err("owner_only_destroy", vmctl_destroy(s.user, "opvm"), VMMCTL_EPERM);
	expect_err("owner_only_open", vmctl_open(s.user, "opvm", slot_new()), VMMCTL_EACCES);
	expect_err("privileged_destroy", vmctl_destroy(s.root, "opvm"), VMMCTL_OK);
	expect_err("destroyed_is_gone", vmctl_destroy(s.root, "opvm"), VMMCTL_ENOENT);
	expect_err("name_reuse_after_destroy", make(s.operator, "opvm", 0), VMMCTL_OK);
	expect_err("owner_destroys_own", vmctl_destroy(s.operator, "opvm"), VMMCTL_OK);
}

static void names(void)
{
	char name[VMMCTL_NAME_MAX + 2];

	memset(name, 'n', sizeof(name));
	name[VMMCTL_NAME_MAX + 1] = 0;
	expect_err("enametoolong", make(s.operator, name, 0), VMMCTL_ENAMETOOLONG);
	name[VMMCTL_NAME_MAX] = 0;
	expect_err("name_max_ok", make(s.operator, name, 0), VMMCTL_OK);
	expect_err("name_max_destroy", vmctl_destroy(s.operator, name), VMMCTL_OK);
	expect_err("name_slash_einval", make(s.operator, "a/b", 0), VMMCTL_EINVAL);
	expect_err("name_empty_einval", make(s.operator, "", 0), VMMCTL_EINVAL);
	expect_err("name_control_einval", make(s.operator, "a\tb", 0), VMMCTL_EINVAL);
	expect_err("name_high_byte_einval", make(s.operator, "caf\xc3\xa9", 0), VMMCTL_EINVAL);
	/* A NUL inside the name the request says is 4 bytes long. */
	struct vmmctl_request req = {.vcpus = 1, .memory = 2 * MIB, .name_len = 4};
	memcpy(req.name, "ab\0c", 4);
	expect_err("name_nul_einval", vmctl_request(s.operator, VMMCTL_OP_CREATE, &req, slot_new(), NULL, 0, NULL),
		   VMMCTL_EINVAL);
	struct vmmctl_request bad = {.vcpus = 1, .memory = 2 * MIB, .name_len = 1, .reserved = 1};
	bad.name[0] = 'r';
	expect_err("reserved_field_einval",
		   vmctl_request(s.operator, VMMCTL_OP_CREATE, &bad, slot_new(), NULL, 0, NULL), VMMCTL_EINVAL);
	expect_err("unknown_flag_einval", make(s.operator, "f", 1u << 7), VMMCTL_EINVAL);
	expect_err("memory_unaligned_einval", vmctl_create(s.operator, "m", 0, 1, MIB + 1, slot_new()),
		   VMMCTL_EINVAL);
	expect_err("memory_zero_einval", vmctl_create(s.operator, "m", 0, 1, 0, slot_new()), VMMCTL_EINVAL);
	expect_err("unknown_op_enosys",
		   vmctl_request(s.operator, (enum vmmctl_op)99, &req, 0, NULL, 0, NULL), VMMCTL_ENOSYS);
}

static void jails(void)
{
	unsigned pages;
	struct vmmctl_vm_info info;

	expect_err("host_vm", make(s.operator, "hostvm", 0), VMMCTL_OK);
	/* FreeBSD's two cases: a jail cannot destroy the host's VM, nor a
	 * sibling jail's, and cannot even see them. */
	expect_err("jail_cannot_destroy_host_vm", vmctl_destroy(s.web, "hostvm"), VMMCTL_ENOENT);
	expect_err("jail_web_creates", vmctl_create(s.web, "webvm", MONITOR, 1, 2 * MIB, slot_new()), VMMCTL_OK);
	expect_err("jail_cannot_destroy_sibling_vm", vmctl_destroy(s.web2, "webvm"), VMMCTL_ENOENT);
	expect_err("jail_cannot_see_sibling_vm", vmctl_info(s.web2, "webvm", &info), VMMCTL_ENOENT);
	check("jail_sibling_not_listed", !listed(s.web2, "webvm", &pages), "web2's LIST shows web's VM");
	check("jail_host_not_listed", !listed(s.web, "hostvm", &pages), "web's LIST shows the host's VM");
	/* Same name in two jails; the host sees both as jail/name. */
	expect_err("same_name_jail_web", vmctl_create(s.web, "same", MONITOR, 1, 2 * MIB, slot_new()), VMMCTL_OK);
	expect_err("same_name_jail_web2", vmctl_create(s.web2, "same", MONITOR, 1, 2 * MIB, slot_new()),
		   VMMCTL_OK);
	expect_err("same_name_again_eexist", vmctl_create(s.web, "same", MONITOR, 1, 2 * MIB, slot_new()),
		   VMMCTL_EEXIST);
	check("host_sees_jail_name", listed(s.root, "web/same", &pages) && listed(s.root, "web2/same", &pages),
	      "root's LIST lacks web/same or web2/same");
	expect_err("host_info_jail_path", vmctl_info(s.root, "web2/same", &info), VMMCTL_OK);
	check("host_info_jail_path_name", strcmp(info.name, "web2/same") == 0, "named \"%s\"", info.name);
	expect_err("jail_path_unknown_enoent", vmctl_info(s.root, "nojail/same", &info), VMMCTL_ENOENT);
	expect_err("jail_readonly_cannot_create", vmctl_create(s.web_ro, "x", MONITOR, 1, 2 * MIB, slot_new()),
		   VMMCTL_EPERM);
	expect_err("host_vm_destroy", vmctl_destroy(s.operator, "hostvm"), VMMCTL_OK);
}

static void limits(void)
{
	cv_slot_t h[16];
	unsigned made = 0;
	int err = VMMCTL_OK;
	struct vmmctl_list page;
	uint64_t cursor = 0;

	/* Per-uid VM count: user creates until ENOMEM, then one goes and
	 * one more fits. */
	while (made < 16) {
		char name[16];
		snprintf(name, sizeof(name), "q%u", made);
		h[made] = slot_new();
		err = vmctl_create(s.user, name, MONITOR, 1, 2 * MIB, h[made]);
		if (err)
			break;
		made++;
	}
	check("quota_exhausted_enomem", err == VMMCTL_ENOMEM && made > 0, "after %u VMs: %s", made,
	      vmctl_strerror(err));
	/* Several pages: the LIST must show all of them. */
	unsigned total = 0, pages = 0;
	do {
		if (vmctl_list(s.user, &cursor, &page) != VMMCTL_OK)
			break;
		total += page.count;
		pages++;
	} while (cursor && pages < 50);
	check("list_pages", total >= made && pages > 1, "%u VMs in %u pages, %u made", total, pages, made);
	if (made) {
		(void)cv_cap_delete(h[made - 1]); /* monitor mode: closing destroys it */
		uint64_t deadline = 0;
		do {
			err = vmctl_create(s.user, "qagain", MONITOR, 1, 2 * MIB, h[made - 1]);
			(void)cv_yield();
		} while (err == VMMCTL_ENOMEM && ++deadline < 1000);
		expect_err("quota_recovers", err, VMMCTL_OK);
	}
	for (unsigned i = 0; i < made; i++)
		(void)cv_cap_delete(h[i]);
	expect_err("maxcpu_over_einval", vmctl_create(s.operator, "cpus", 0, 5, 2 * MIB, slot_new()),
		   VMMCTL_EINVAL);
	expect_err("vcpus_zero_einval", vmctl_create(s.operator, "cpus", 0, 0, 2 * MIB, slot_new()),
		   VMMCTL_EINVAL);
	expect_err("maxcpu_ok", vmctl_create(s.operator, "cpus", 0, 4, 2 * MIB, slot_new()), VMMCTL_OK);
	expect_err("maxcpu_destroy", vmctl_destroy(s.operator, "cpus"), VMMCTL_OK);
}

void cases_access(void)
{
	policy();
	privilege();
	names();
	jails();
	limits();
}
