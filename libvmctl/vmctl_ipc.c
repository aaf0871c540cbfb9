// SPDX-License-Identifier: BSD-2-Clause
// libvmctl over IPC: each request is one call to the capability, with the
// request body in the calling thread's message buffer.
#include <string.h>

#include <uapi/start.h>

#include "vmctl.h"

static uint64_t first_thread_buffer[CV_IPC_BUFFER_WORDS] __attribute__((aligned(4096)));
static _Thread_local void *buffer; /* this thread's message buffer */

int vmctl_thread_init(cv_slot_t thread, void *page)
{
	if (cv_thread_set_ipc_buffer(thread, (uint64_t)(uintptr_t)page) != CV_OK)
		return VMMCTL_EIO;
	buffer = page;
	return VMMCTL_OK;
}

static int transport_error(enum cv_status st)
{
	switch (st) {
	case CV_E_BAD_SLOT:
	case CV_E_EMPTY_SLOT:
	case CV_E_BAD_TYPE:
	case CV_E_NO_RIGHTS:
		return VMMCTL_EBADF;
	default:
		return VMMCTL_EIO;
	}
}

/* One call: the request in this thread's buffer, capabilities sent from
 * send0/send1 (0: none), one received into recv; *m is the reply. Returns
 * the transport's failure or the service's answer. */
static int call(cv_slot_t cap, enum vmmctl_op op, const struct vmmctl_request *req, cv_slot_t send0,
		cv_slot_t send1, cv_slot_t recv, struct cv_msg *m)
{
	if (!buffer && vmctl_thread_init(CV_SLOT_SELF_THREAD, first_thread_buffer))
		return VMMCTL_EIO;
	uint64_t *words = buffer;
	unsigned caps = !send0 ? 0 : send1 ? 2 : 1;

	*m = (struct cv_msg){.info = cv_ipc_info(2, caps, send0, send1) | CV_IPC_EXTRA, .mr = {op, sizeof(*req)}};
	words[0] = (sizeof(*req) + 7) / 8;
	memcpy(&words[1], req, sizeof(*req));
	enum cv_status st = cv_call(cv_ipc_endpoint_arg(cap, recv, 0), m);
	if (st != CV_OK)
		return transport_error(st);
	return m->mr[0] > 0xffff ? VMMCTL_EIO : (int)m->mr[0];
}

int vmctl_request(cv_slot_t cap, enum vmmctl_op op, const struct vmmctl_request *req, cv_slot_t recv,
		  void *out, uint32_t out_len, uint64_t results[4])
{
	const uint64_t *words;
	struct cv_msg m;
	int err = call(cap, op, req, 0, 0, recv, &m);

	if (err)
		return err;
	words = buffer;
	if (out && out_len) {
		if (!(m.info & CV_IPC_EXTRA) || m.mr[1] != out_len || words[0] * 8 < out_len)
			return VMMCTL_EIO;
		memcpy(out, &words[1], out_len);
	}
	if (recv && ((m.info & CV_IPC_CAPS_MASK) >> CV_IPC_CAPS_SHIFT) == 0)
		return VMMCTL_EIO; /* it said yes but sent nothing */
	if (results)
		memcpy(results, &m.mr[2], 4 * sizeof(results[0]));
	return VMMCTL_OK;
}

/* A request naming a VM. A name too long for the field is sent with its
 * real length, so the service answers ENAMETOOLONG rather than this
 * library truncating it. */
static void named(struct vmmctl_request *req, const char *name)
{
	size_t len = strlen(name);

	memset(req, 0, sizeof(*req));
	req->name_len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	memcpy(req->name, name, len < sizeof(req->name) ? len : sizeof(req->name));
}

int vmctl_create(cv_slot_t session, const char *name, uint32_t flags, unsigned vcpus, uint64_t memory,
		 cv_slot_t handle)
{
	struct vmmctl_request req;

	named(&req, name);
	req.flags = flags;
	req.vcpus = vcpus;
	req.memory = memory;
	return vmctl_request(session, VMMCTL_OP_CREATE, &req, handle, NULL, 0, NULL);
}

int vmctl_destroy(cv_slot_t session, const char *name)
{
	struct vmmctl_request req;

	named(&req, name);
	return vmctl_request(session, VMMCTL_OP_DESTROY, &req, 0, NULL, 0, NULL);
}

int vmctl_open(cv_slot_t session, const char *name, cv_slot_t handle)
{
	struct vmmctl_request req;

	named(&req, name);
	return vmctl_request(session, VMMCTL_OP_OPEN, &req, handle, NULL, 0, NULL);
}

int vmctl_info(cv_slot_t session, const char *name, struct vmmctl_vm_info *out)
{
	struct vmmctl_request req;

	named(&req, name);
	return vmctl_request(session, VMMCTL_OP_INFO, &req, 0, out, sizeof(*out), NULL);
}

int vmctl_list(cv_slot_t session, uint64_t *cursor, struct vmmctl_list *out)
{
	struct vmmctl_request req = {.cursor = *cursor};
	int err = vmctl_request(session, VMMCTL_OP_LIST, &req, 0, out, sizeof(*out), NULL);

	if (!err)
		*cursor = out->next;
	return err;
}

static int vm_call(cv_slot_t handle, enum vmmctl_op op, uint64_t a0, uint64_t a1, cv_slot_t recv,
		   uint64_t results[4])
{
	struct vmmctl_request req = {.arg = {a0, a1}};

	return vmctl_request(handle, op, &req, recv, NULL, 0, results);
}

int vmctl_vm_info(cv_slot_t handle, struct vmmctl_vm_info *out)
{
	struct vmmctl_request req = {0};

	return vmctl_request(handle, VMMCTL_OP_VM_INFO, &req, 0, out, sizeof(*out), NULL);
}

int vmctl_vm_destroy(cv_slot_t handle)
{
	return vm_call(handle, VMMCTL_OP_VM_DESTROY, 0, 0, 0, NULL);
}

int vmctl_vm_memory(cv_slot_t handle, unsigned seg, cv_slot_t frame, uint64_t *base, uint64_t *size,
		    unsigned *count)
{
	uint64_t r[4];
	int err = vm_call(handle, VMMCTL_OP_VM_MEMORY, seg, 0, frame, r);

	if (!err) {
		*base = r[0];
		*size = r[1];
		*count = (unsigned)r[2];
	}
	return err;
}

/* A request that carries capabilities (cap1 may be 0). */
static int call_with_caps(cv_slot_t handle, enum vmmctl_op op, const struct vmmctl_request *req, cv_slot_t cap0,
			  cv_slot_t cap1)
{
	struct cv_msg m;

	return call(handle, op, req, cap0, cap1, 0, &m);
}

int vmctl_vm_vcpu_exit(cv_slot_t handle, unsigned vcpu, uint32_t flags, cv_slot_t ep)
{
	struct vmmctl_request req = {.arg = {vcpu, flags}};

	return call_with_caps(handle, VMMCTL_OP_VM_VCPU_EXIT, &req, ep, 0);
}

int vmctl_vm_assign(cv_slot_t handle, cv_slot_t device, cv_slot_t irq, uint64_t gpa, uint32_t pages,
		    uint32_t intid)
{
	struct vmmctl_request req = {.arg = {gpa, pages | (uint64_t)intid << 32}};

	return call_with_caps(handle, VMMCTL_OP_VM_ASSIGN, &req, device, intid ? irq : 0);
}

int vmctl_vm_load(cv_slot_t handle, const char *image, uint64_t *entry)
{
	struct vmmctl_request req;
	uint64_t r[4];

	named(&req, image);
	int err = vmctl_request(handle, VMMCTL_OP_VM_LOAD, &req, 0, NULL, 0, r);
	if (!err && entry)
		*entry = r[0];
	return err;
}

int vmctl_vm_start(cv_slot_t handle, uint64_t pc)
{
	return vm_call(handle, VMMCTL_OP_VM_START, pc, 0, 0, NULL);
}

int vmctl_vm_stop(cv_slot_t handle)
{
	return vm_call(handle, VMMCTL_OP_VM_STOP, 0, 0, 0, NULL);
}

int vmctl_vm_resume(cv_slot_t handle)
{
	return vm_call(handle, VMMCTL_OP_VM_RESUME, 0, 0, 0, NULL);
}

int vmctl_vm_irq(cv_slot_t handle, unsigned intid, unsigned level)
{
	return vm_call(handle, VMMCTL_OP_VM_IRQ, intid, level, 0, NULL);
}

int vmctl_vm_console(cv_slot_t handle, cv_slot_t frame)
{
	return vm_call(handle, VMMCTL_OP_VM_CONSOLE, 0, 0, frame, NULL);
}

int vmctl_vm_reset(cv_slot_t handle)
{
	return vm_call(handle, VMMCTL_OP_VM_RESET, 0, 0, 0, NULL);
}

int vmctl_vm_stats(cv_slot_t handle, struct vmmctl_vm_stats *out)
{
	struct vmmctl_request req = {0};

	return vmctl_request(handle, VMMCTL_OP_VM_STATS, &req, 0, out, sizeof(*out), NULL);
}

int vmctl_vm_vcpu_state(cv_slot_t handle, unsigned vcpu, struct vmmctl_vcpu_state *out)
{
	struct vmmctl_request req = {.arg = {vcpu}};

	return vmctl_request(handle, VMMCTL_OP_VM_VCPU_STATE, &req, 0, out, sizeof(*out), NULL);
}
