// SPDX-License-Identifier: BSD-2-Clause
// The VM table, handle badges, per-uid limits and the log.
#include <stdio.h>
#include <string.h>

#include "vmmctl.h"

struct vm vms[VMS_MAX];

static struct uid_use {
	bool used;
	uint32_t uid;
	unsigned vms;
	uint64_t memory;
} uid_uses[BOOTCONF_PRINCIPALS_MAX];

static uint64_t next_badge = HANDLE_BADGE_BASE;

void vm_describe(const struct vm *vm, jail_t viewer, struct vmmctl_vm_info *out)
{
	memset(out, 0, sizeof(*out));
	rules_display_name(&config, viewer, vm->jail, vm->name, out->name);
	memcpy(out->owner, config.principals[vm->owner].name, sizeof(out->owner) - 1);
	out->uid = vm->uid;
	out->flags = vm->flags | (vm->monitored ? VMMCTL_VM_MONITORED : 0);
	out->vcpus = vm->vcpus;
	out->state = vm->state;
	out->memory = vm->memory;
}

struct vm *vm_find(jail_t jail, const char *name)
{
	for (unsigned i = 0; i < VMS_MAX; i++)
		if (vms[i].live && vms[i].jail == jail && strcmp(vms[i].name, name) == 0)
			return &vms[i];
	return NULL;
}

struct vm *vm_by_badge(uint64_t badge)
{
	for (unsigned i = 0; i < VMS_MAX; i++)
		if (vms[i].used && vms[i].badge == badge)
			return &vms[i];
	return NULL;
}

struct vm *vm_alloc(void)
{
	for (unsigned i = 0; i < VMS_MAX; i++) {
		if (!vms[i].used) {
			memset(&vms[i], 0, sizeof(vms[i]));
			vms[i].used = true;
			/* Never reused: a dead VM's handles can never name a new one. */
			vms[i].badge = next_badge++;
			return &vms[i];
		}
	}
	return NULL;
}

cv_slot_t vm_slot(const struct vm *vm, unsigned which)
{
	return SLOTS_BASE + (cv_slot_t)(vm - vms) * SLOTS_PER_VM + which;
}

static struct uid_use *uid_use(uint32_t uid, bool make)
{
	struct uid_use *free_entry = NULL;

	for (unsigned i = 0; i < BOOTCONF_PRINCIPALS_MAX; i++) {
		if (uid_uses[i].used && uid_uses[i].uid == uid)
			return &uid_uses[i];
		if (!uid_uses[i].used && !free_entry)
			free_entry = &uid_uses[i];
	}
	if (!make || !free_entry)
		return NULL;
	memset(free_entry, 0, sizeof(*free_entry));
	free_entry->used = true;
	free_entry->uid = uid;
	return free_entry;
}

bool uid_room(uint32_t uid, uint64_t memory)
{
	const struct uid_use *u = uid_use(uid, false);
	unsigned vms_used = u ? u->vms : 0;
	uint64_t mem_used = u ? u->memory : 0;

	return vms_used < config.tunables.maxvms_per_user && memory <= config.tunables.maxmem_per_user - mem_used;
}

void uid_charge(uint32_t uid, uint64_t memory, bool add)
{
	struct uid_use *u = uid_use(uid, add);

	if (!u)
		return;
	if (add) {
		u->vms++;
		u->memory += memory;
		return;
	}
	u->vms--;
	u->memory -= memory;
	if (!u->vms)
		u->used = false;
}

const char *vmmctl_errname(int err)
{
	switch (err) {
	case VMMCTL_OK: return "ok";
	case VMMCTL_EPERM: return "EPERM";
	case VMMCTL_ENOENT: return "ENOENT";
	case VMMCTL_EIO: return "EIO";
	case VMMCTL_ENXIO: return "ENXIO";
	case VMMCTL_ENOMEM: return "ENOMEM";
	case VMMCTL_EACCES: return "EACCES";
	case VMMCTL_EFAULT: return "EFAULT";
	case VMMCTL_EBUSY: return "EBUSY";
	case VMMCTL_EEXIST: return "EEXIST";
	case VMMCTL_EINVAL: return "EINVAL";
	case VMMCTL_ENOSPC: return "ENOSPC";
	case VMMCTL_EOPNOTSUPP: return "EOPNOTSUPP";
	case VMMCTL_ENAMETOOLONG: return "ENAMETOOLONG";
	case VMMCTL_ENOSYS: return "ENOSYS";
	default: return "error";
	}
}

void vmm_log(const char *who_name, uint32_t uid, const char *what, const char *vm_name, int err)
{
	if (err)
		printf("vmmctl: denied %s %s to %s (uid %u): %s\n", what, vm_name, who_name, uid, vmmctl_errname(err));
	else
		printf("vmmctl: %s %s by %s (uid %u)\n", what, vm_name, who_name, uid);
}
