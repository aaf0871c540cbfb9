// SPDX-License-Identifier: BSD-2-Clause
// What vmmctl enforces and starts: its device policy (vmmctl), its
// tunables (set), the devices it may pass through (passthrough) and the
// VMs it starts at boot (vm); then their defaults.
#include <string.h>

#include "internal.h"

#define DEFAULT_MODE 0660
#define DEFAULT_GROUP "vmm"
#define DEFAULT_VM_MEMORY (256ull << 20) /* bhyve's default */
#define MAXVMS_LIMIT 65535u
#define MAXMEM_DEFAULT_UNIT (1ull << 20)

enum vmmctl_option { V_OWNER, V_GROUP, V_MODE };
static const char *const vmmctl_options[] = {[V_OWNER] = "owner=", [V_GROUP] = "group=", [V_MODE] = "mode="};

/* The principal whose uid is 0 (uids are unique), or BOOTCONF_NONE. */
static int superuser(const struct bootconf *cfg)
{
	for (unsigned i = 0; i < cfg->principal_count; i++)
		if (cfg->principals[i].uid == 0)
			return (int)i;
	return BOOTCONF_NONE;
}

bool bootconf_parse_vmmctl(struct bootconf_line *l, char **w, int n)
{
	struct bootconf *cfg = l->cfg;
	struct bootconf_vmmctl v = {.owner = BOOTCONF_NONE, .group = BOOTCONF_NONE, .mode = DEFAULT_MODE};
	uint32_t seen = 0;

	if (cfg->vmmctl.line)
		return bootconf_reject(l, "vmmctl: declared twice (line %u)", cfg->vmmctl.line);
	for (int i = 1; i < n; i++) {
		const char *value;
		int option = bootconf_option(l, "vmmctl", w[i], vmmctl_options, BOOTCONF_ARRAY_SIZE(vmmctl_options),
					     &seen, &value);
		if (option < 0)
			return false;
		if (option == V_OWNER) {
			v.owner = bootconf_find_principal(cfg, value);
			if (v.owner == BOOTCONF_NONE)
				return bootconf_reject(l, "vmmctl: owner= names no principal (declare it first)");
			v.owner_uid = cfg->principals[v.owner].uid;
		} else if (option == V_GROUP) {
			v.group = bootconf_find_group(cfg, value);
			if (v.group == BOOTCONF_NONE)
				return bootconf_reject(l, "vmmctl: group= names no group (declare it first)");
			v.group_gid = cfg->groups[v.group].gid;
		} else if (!bootconf_parse_mode(value, &v.mode)) {
			return bootconf_reject(l, "vmmctl: mode= must be octal, 0 to 0777");
		}
	}
	l->vmmctl_owner_given = seen & (1u << V_OWNER);
	l->vmmctl_group_given = seen & (1u << V_GROUP);
	v.line = l->line;
	cfg->vmmctl = v;
	return true;
}

/* A tunable: its name, where set stores it, and how it is checked. */
enum tunable { MAXCPU, MAXVMS, MAXMEM };
static const char *const tunable_names[] = {
	[MAXCPU] = "vmm.maxcpu=", [MAXVMS] = "vmm.maxvms_per_user=", [MAXMEM] = "vmm.maxmem_per_user=",
};

/* 0 becomes 1 and anything above the build's limit is clamped to it, as
 * FreeBSD does with hw.vmm.maxcpu; both with a message. */
static unsigned clamp_maxcpu(struct bootconf_line *l, uint64_t wanted, const char *what)
{
	if (wanted == 0) {
		bootconf_note(l, "vmm.maxcpu: %s 0 becomes 1", what);
		return 1;
	}
	if (wanted > BOOTCONF_VM_MAXCPU) {
		bootconf_note(l, "vmm.maxcpu: %s %llu clamped to %d (VM_MAXCPU)", what, (unsigned long long)wanted,
			      BOOTCONF_VM_MAXCPU);
		return BOOTCONF_VM_MAXCPU;
	}
	return (unsigned)wanted;
}

bool bootconf_parse_set(struct bootconf_line *l, char **w, int n)
{
	struct bootconf_tunables *t = &l->cfg->tunables;
	uint32_t seen = 0;
	const char *v;
	uint64_t x;

	if (n != 2)
		return bootconf_reject(l, "set: expected one NAME=VALUE");
	int which = bootconf_option(l, "set", w[1], tunable_names, BOOTCONF_ARRAY_SIZE(tunable_names), &seen, &v);
	if (which < 0)
		return false;
	unsigned *line = which == MAXCPU ? &t->maxcpu_line : which == MAXVMS ? &t->maxvms_line : &t->maxmem_line;
	if (*line)
		return bootconf_reject(l, "set: %.*s set twice (line %u)", (int)strlen(tunable_names[which]) - 1,
				       tunable_names[which], *line);
	switch ((enum tunable)which) {
	case MAXCPU:
		if (!bootconf_parse_number(v, UINT32_MAX, &x))
			return bootconf_reject(l, "set: vmm.maxcpu must be a number");
		t->maxcpu = clamp_maxcpu(l, x, "set to");
		break;
	case MAXVMS:
		if (!bootconf_parse_number(v, MAXVMS_LIMIT, &x))
			return bootconf_reject(l, "set: vmm.maxvms_per_user must be 0..%u", MAXVMS_LIMIT);
		t->maxvms_per_user = (unsigned)x;
		break;
	case MAXMEM:
		if (!bootconf_parse_size(v, &t->maxmem_per_user))
			return bootconf_reject(l, "set: vmm.maxmem_per_user must be a size "
						  "(N, NK, NM, NG or NT) up to 256T");
		break;
	}
	*line = l->line;
	return true;
}

bool bootconf_parse_passthrough(struct bootconf_line *l, char **w, int n)
{
	struct bootconf *cfg = l->cfg;

	if (n != 2 || bootconf_name_error(w[1]))
		return bootconf_reject(l, "passthrough: expected one compatible string");
	for (unsigned i = 0; i < cfg->passthrough_count; i++)
		if (!strcmp(cfg->passthrough[i].compatible, w[1]))
			return bootconf_reject(l, "passthrough: %s listed twice", w[1]);
	if (cfg->passthrough_count == BOOTCONF_PASSTHROUGH_MAX)
		return bootconf_reject(l, "passthrough: too many (at most %d)", BOOTCONF_PASSTHROUGH_MAX);
	struct bootconf_passthrough *p = &cfg->passthrough[cfg->passthrough_count++];
	strcpy(p->compatible, w[1]);
	p->line = l->line;
	return true;
}

enum vm_option { VM_IMAGE, VM_CPUS, VM_MEM, VM_OWNER, VM_MONITOR };
static const char *const vm_options[] = {
	[VM_IMAGE] = "image=", [VM_CPUS] = "cpus=", [VM_MEM] = "mem=", [VM_OWNER] = "owner=", [VM_MONITOR] = "monitor",
};

static bool vm_option(struct bootconf_line *l, struct bootconf_vm *vm, int option, const char *v)
{
	uint64_t x;

	switch ((enum vm_option)option) {
	case VM_IMAGE:
		if (bootconf_name_error(v))
			return bootconf_reject(l, "vm: bad image= module name (%s)", bootconf_name_error(v));
		strcpy(vm->image, v);
		return true;
	case VM_CPUS:
		if (!bootconf_parse_number(v, BOOTCONF_VM_MAXCPU, &x) || x == 0)
			return bootconf_reject(l, "vm: cpus= must be 1..%d", BOOTCONF_VM_MAXCPU);
		vm->cpus = (unsigned)x;
		return true;
	case VM_MEM:
		if (!bootconf_parse_size(v, &vm->memory) || vm->memory == 0 || vm->memory % BOOTCONF_PAGE_SIZE)
			return bootconf_reject(l, "vm: mem= must be a size, a non-zero multiple of 4K");
		return true;
	case VM_OWNER:
		vm->owner = bootconf_find_principal(l->cfg, v);
		if (vm->owner == BOOTCONF_NONE)
			return bootconf_reject(l, "vm: owner= names no principal (declare it first)");
		return true;
	case VM_MONITOR:
		vm->monitor = true;
		return true;
	}
	return false;
}

bool bootconf_parse_vm(struct bootconf_line *l, char **w, int n)
{
	struct bootconf *cfg = l->cfg;
	struct bootconf_vm vm = {.cpus = 1, .memory = DEFAULT_VM_MEMORY, .owner = BOOTCONF_NONE, .line = l->line};
	uint32_t seen = 0;

	if (n < 2)
		return bootconf_reject(l, "vm: expected NAME image=MODULE [options]");
	if (bootconf_identity_error(w[1]))
		return bootconf_reject(l, "vm: %s", bootconf_identity_error(w[1]));
	strcpy(vm.name, w[1]);
	for (int i = 2; i < n; i++) {
		const char *v;
		int option = bootconf_option(l, "vm", w[i], vm_options, BOOTCONF_ARRAY_SIZE(vm_options), &seen, &v);
		if (option < 0 || !vm_option(l, &vm, option, v))
			return false;
	}
	if (!(seen & (1u << VM_IMAGE)))
		return bootconf_reject(l, "vm: image= is required");
	if (vm.owner == BOOTCONF_NONE && (vm.owner = superuser(cfg)) == BOOTCONF_NONE)
		return bootconf_reject(l, "vm: owner= is required when no principal has uid 0");
	/* One namespace per jail: the same name may be used in two jails. */
	int jail = cfg->principals[vm.owner].jail;
	for (unsigned i = 0; i < cfg->vm_count; i++)
		if (!strcmp(cfg->vms[i].name, vm.name) && cfg->principals[cfg->vms[i].owner].jail == jail)
			return bootconf_reject(l, "vm: %s declared twice in one jail (line %u)", vm.name,
					       cfg->vms[i].line);
	if (cfg->vm_count == BOOTCONF_VMS_MAX)
		return bootconf_reject(l, "vm: too many (at most %d)", BOOTCONF_VMS_MAX);
	cfg->vms[cfg->vm_count++] = vm;
	return true;
}

static void finish_vmmctl(struct bootconf_line *l)
{
	struct bootconf *cfg = l->cfg;
	struct bootconf_vmmctl *v = &cfg->vmmctl;

	if (!v->line)
		v->mode = DEFAULT_MODE;
	if (!l->vmmctl_owner_given) { /* root: uid 0 */
		v->owner_uid = 0;
		v->owner = superuser(cfg);
	}
	if (!l->vmmctl_group_given) {
		v->group = bootconf_find_group(cfg, DEFAULT_GROUP);
		v->group_gid = v->group == BOOTCONF_NONE ? 0 : cfg->groups[v->group].gid;
		if (v->group == BOOTCONF_NONE && cfg->principal_count) {
			l->line = 0;
			bootconf_note(l, "vmmctl: no group %s declared: the group's bits of mode %04o match nobody",
				      DEFAULT_GROUP, v->mode);
		}
	}
}

static void finish_tunables(struct bootconf_line *l)
{
	struct bootconf_tunables *t = &l->cfg->tunables;
	uint64_t cpus = l->machine->cpus ? l->machine->cpus : 1;

	l->line = 0;
	if (!t->maxcpu_line)
		t->maxcpu = clamp_maxcpu(l, cpus, "default (the CPUs)");
	if (!t->maxvms_line)
		t->maxvms_per_user = (unsigned)(4 * cpus < MAXVMS_LIMIT ? 4 * cpus : MAXVMS_LIMIT);
	/* Half the memory, in whole MiB: one uid alone cannot starve the
	 * others and the services; an appliance with one user raises it. */
	if (!t->maxmem_line) {
		uint64_t half = l->machine->memory / 2;
		if (half > BOOTCONF_SIZE_MAX)
			half = BOOTCONF_SIZE_MAX;
		t->maxmem_per_user = half - half % MAXMEM_DEFAULT_UNIT;
	}
}

/* A VM wider than vmm.maxcpu could not be created; only now is the
 * limit known, since set lines may come anywhere. */
static void finish_vms(struct bootconf_line *l)
{
	struct bootconf *cfg = l->cfg;
	unsigned kept = 0;

	l->on_error = BOOTCONF_SKIPPED;
	for (unsigned i = 0; i < cfg->vm_count; i++) {
		struct bootconf_vm *vm = &cfg->vms[i];
		if (vm->cpus > cfg->tunables.maxcpu) {
			l->line = vm->line;
			bootconf_reject(l, "vm %s: cpus=%u is above vmm.maxcpu (%u)", vm->name, vm->cpus,
					cfg->tunables.maxcpu);
			continue;
		}
		cfg->vms[kept++] = *vm;
	}
	cfg->vm_count = kept;
}

void bootconf_finish_vmm(struct bootconf_line *l)
{
	finish_vmmctl(l);
	finish_tunables(l);
	finish_vms(l);
}
