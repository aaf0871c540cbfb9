// SPDX-License-Identifier: BSD-2-Clause
// The operations on a session capability (VMMCTL.md's table): CREATE,
// DESTROY, OPEN, LIST and INFO, each checking in the contract's order.
#include <string.h>

#include "vmmctl.h"

static struct vmmctl_vm_info info_out;
static struct vmmctl_list list_out;

/* The VM a path names, if the caller can see it. */
static int lookup(const struct request *r, struct vm **out)
{
	char name[VMMCTL_NAME_MAX + 1];
	jail_t jail;
	int err = rules_check_name(r->body.name, r->body.name_len, false);

	if (err)
		return err;
	if (!rules_resolve(&config, r->who->jail, r->body.name, r->body.name_len, &jail, name))
		return VMMCTL_ENOENT;
	*out = vm_find(jail, name);
	return *out ? VMMCTL_OK : VMMCTL_ENOENT;
}

static bool creator(const struct request *r, const struct vm *vm)
{
	return vm->uid == r->who->uid && vm->jail == r->who->jail;
}

static int op_create(struct request *r)
{
	const struct vmmctl_request *b = &r->body;
	int err;

	if (b->flags & ~VMMCTL_CREATE_FLAGS || b->reserved || b->cursor || b->arg[0] || b->arg[1])
		return VMMCTL_EINVAL;
	if ((err = rules_check_name(b->name, b->name_len, true)))
		return err;
	if (b->vcpus == 0 || b->vcpus > config.tunables.maxcpu || b->memory == 0 ||
	    b->memory % VMMCTL_MEMORY_ALIGN || b->memory > VM_FRAMES_MAX * VM_FRAME_BYTES)
		return VMMCTL_EINVAL;
	if (vm_find(r->who->jail, b->name))
		return VMMCTL_EEXIST;
	if (!(b->flags & VMMCTL_CREATE_DESTROY_ON_CLOSE) && !rules_privileged(r->who, BOOTCONF_PRIV_VMM_CREATE))
		return VMMCTL_EPERM;
	char name[VMMCTL_NAME_MAX + 1] = {0};
	struct vm *vm;
	memcpy(name, b->name, b->name_len);
	err = vm_make(r->who, name, b->flags, b->vcpus, b->memory, &vm);
	if (!err)
		err = machine_handle_copy(vm, VMMCTL_VM_ALL, &r->give);
	if (err && vm)
		vm_unmake(vm);
	if (!err)
		r->vm = vm;
	return err;
}

int vm_make(const struct bootconf_principal *who, const char *name, uint32_t flags, unsigned vcpus, uint64_t memory,
	    struct vm **out)
{
	*out = NULL;
	if (!uid_room(who->uid, memory))
		return VMMCTL_ENOMEM;
	struct vm *vm = vm_alloc();
	if (!vm)
		return VMMCTL_ENOSPC;
	strcpy(vm->name, name);
	vm->jail = who->jail;
	vm->owner = (unsigned)(who - config.principals);
	vm->uid = who->uid;
	vm->flags = flags;
	vm->vcpus = vcpus;
	vm->memory = memory;
	vm->state = VMMCTL_VM_CREATED;
	int err = machine_build(vm);
	if (err) {
		machine_teardown(vm);
		(void)cv_cap_delete(vm_slot(vm, VMSLOT_HANDLE));
		vm->used = false;
		return err;
	}
	vm->live = true;
	uid_charge(vm->uid, vm->memory, true);
	*out = vm;
	return VMMCTL_OK;
}

void vm_unmake(struct vm *vm)
{
	machine_teardown(vm);
	(void)cv_cap_delete(vm_slot(vm, VMSLOT_HANDLE));
	uid_charge(vm->uid, vm->memory, false);
	vm->live = false;
	vm->used = false;
}

static int op_destroy(struct request *r)
{
	struct vm *vm;
	int err = lookup(r, &vm);

	if (err)
		return err;
	if (!creator(r, vm) && !rules_privileged(r->who, BOOTCONF_PRIV_VMM_DESTROY))
		return VMMCTL_EPERM;
	vm_destroy(vm, "destroy");
	return VMMCTL_OK;
}

static int op_open(struct request *r)
{
	struct vm *vm;
	int err = lookup(r, &vm);

	if (err)
		return err;
	if (!creator(r, vm) && !rules_superuser(r->who))
		return VMMCTL_EACCES;
	uint32_t rights = (r->rights & VMMCTL_SESSION_WRITE) ? VMMCTL_VM_ALL : VMMCTL_VM_OBSERVE;
	r->vm = vm;
	return machine_handle_copy(vm, rights, &r->give);
}

static int op_info(struct request *r)
{
	struct vm *vm;
	int err = lookup(r, &vm);

	if (err)
		return err;
	vm_describe(vm, r->who->jail, &info_out);
	r->out = &info_out;
	r->out_len = sizeof(info_out);
	return VMMCTL_OK;
}

static int op_list(struct request *r)
{
	uint64_t cursor = r->body.cursor;

	if (cursor > VMS_MAX || r->body.name_len || r->body.flags)
		return VMMCTL_EINVAL;
	memset(&list_out, 0, sizeof(list_out));
	for (uint64_t i = cursor; i < VMS_MAX; i++) {
		const struct vm *vm = &vms[i];
		if (!vm->live || !rules_visible(&config, r->who->jail, vm->jail))
			continue;
		if (list_out.count == VMMCTL_LIST_PAGE) {
			list_out.next = i;
			break;
		}
		vm_describe(vm, r->who->jail, &list_out.vm[list_out.count++]);
	}
	r->out = &list_out;
	r->out_len = sizeof(list_out);
	return VMMCTL_OK;
}

static const char *op_name(enum vmmctl_op op)
{
	switch (op) {
	case VMMCTL_OP_CREATE: return "create";
	case VMMCTL_OP_DESTROY: return "destroy";
	case VMMCTL_OP_OPEN: return "open";
	case VMMCTL_OP_LIST: return "list";
	case VMMCTL_OP_INFO: return "info";
	default: return "request";
	}
}

/* The name a log line shows: what the caller asked for, made safe. */
static void log_name(const struct request *r, char out[VMMCTL_PATH_MAX + 1])
{
	uint32_t n = r->body.name_len > VMMCTL_PATH_MAX ? VMMCTL_PATH_MAX : r->body.name_len;

	for (uint32_t i = 0; i < n; i++) {
		char c = r->body.name[i];
		out[i] = (c > ' ' && c < 0x7f) ? c : '?';
	}
	out[n] = 0;
	if (!n)
		strcpy(out, "-");
}

int session_op(struct request *r)
{
	int err;
	char shown[VMMCTL_PATH_MAX + 1];

	if (r->op < VMMCTL_OP_CREATE || r->op > VMMCTL_OP_INFO)
		err = VMMCTL_ENOSYS;
	else if ((err = rules_session_check(&config, r->who, r->rights, r->op)))
		;
	else if (!r->has_body)
		err = VMMCTL_EINVAL;
	else if (r->op == VMMCTL_OP_CREATE)
		err = op_create(r);
	else if (r->op == VMMCTL_OP_DESTROY)
		err = op_destroy(r);
	else if (r->op == VMMCTL_OP_OPEN)
		err = op_open(r);
	else if (r->op == VMMCTL_OP_INFO)
		err = op_info(r);
	else
		err = op_list(r);
	log_name(r, shown);
	if (err || r->op == VMMCTL_OP_CREATE)
		vmm_log(r->who->name, r->who->uid, op_name(r->op), shown, err);
	return err;
}
