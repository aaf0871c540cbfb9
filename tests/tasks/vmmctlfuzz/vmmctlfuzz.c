// SPDX-License-Identifier: BSD-2-Clause
// Fuzzes the vmmctl service with requests built from a seeded generator:
// valid ones mixed with malformed ones (unknown operations, wrong body
// sizes, no body, names with NUL, '/', control bytes or too long, unknown
// flags, reserved fields set, bad vCPU counts and sizes, capabilities of
// the wrong kind attached), sent through sessions of several principals,
// live handles, observe-only copies and dead handles. Handles it gets are
// kept, copied, dropped (monitor-mode VMs then die) at random. Prints per
// operation how many succeeded and how each failed; every operation must
// succeed at least once, the service must still answer, and once all VMs
// are gone the kernel's free memory must be where it started.
// Args: "seed=N requests=N" (defaults: a seed from the counter, 4000).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cv/counter.h>
#include <cv/runtime.h>
#include <uapi/start.h>

#include "vmctl.h"

#define OPS 32           /* operation numbers tried: 0..OPS-1 */
#define ERRS 80          /* error numbers counted: 0..ERRS-1, the rest as ERRS */
#define HANDLES 24
#define SESSIONS 6
#define FIRST_SLOT 256

static uint64_t rng;
static unsigned long count[OPS][ERRS + 1];
static cv_slot_t sessions[SESSIONS], handles[HANDLES], scratch, exit_ep;
static unsigned session_count;
static cv_slot_t next_slot = FIRST_SLOT;

static uint64_t rnd(void)
{
	/* xorshift64*: enough for choosing, and replayable from the seed */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static const char *const names[] = {"a", "b", "vm0", "web/a", "web/b", "web2/a", "nojail/a", "a/b/c/d/e/f",
				    "vm-1.x", "c", "d"};

static void random_name(struct vmmctl_request *req)
{
	unsigned kind = pick(10);

	memset(req->name, 0, sizeof(req->name));
	if (kind < 6) {
		const char *n = names[pick(sizeof(names) / sizeof(names[0]))];
		req->name_len = (uint32_t)strlen(n);
		memcpy(req->name, n, req->name_len);
		return;
	}
	/* Garbage: any bytes, any length, sometimes a length past the field. */
	req->name_len = kind == 9 ? (uint32_t)rnd() : pick(sizeof(req->name) + 1);
	for (uint32_t i = 0; i < req->name_len && i < sizeof(req->name); i++)
		req->name[i] = (char)(kind == 6 ? 'a' + pick(26) : rnd());
}

/* Fields the operation uses get mostly plausible values, the others
 * mostly zero; a few of each are anything. */
static void random_request(unsigned op, struct vmmctl_request *req)
{
	bool session = op < 16;

	memset(req, 0, sizeof(*req));
	if (session && op != VMMCTL_OP_LIST)
		random_name(req);
	if (op == VMMCTL_OP_CREATE) {
		req->flags = pick(8) ? (uint32_t)pick(2) : (uint32_t)rnd();
		req->vcpus = pick(8) ? 1 + pick(4) : (uint32_t)rnd();
		req->memory = pick(8) ? (1 + pick(64)) * 65536ull : rnd();
	}
	if (op == VMMCTL_OP_LIST)
		req->cursor = pick(4) ? pick(8) : rnd();
	if (op == VMMCTL_OP_VM_IRQ) {
		req->arg[0] = 32 + pick(100);
		req->arg[1] = pick(4);
	} else if (op == VMMCTL_OP_VM_START) {
		req->arg[0] = pick(2) ? 0 : 0x40000000 + 4 * pick(16);
	} else if (!session) {
		req->arg[0] = pick(4);
		req->arg[1] = pick(4);
	}
	if (!pick(16)) {
		req->arg[pick(2)] = rnd();
		req->flags |= (uint32_t)rnd();
	}
	if (!pick(16))
		req->reserved = (uint32_t)rnd();
}

/* Mostly the kind of capability the operation is for; now and then the
 * other kind, or one that is neither (a notification). */
static cv_slot_t random_cap(unsigned op)
{
	unsigned k = pick(20);
	bool session = op < 16;

	if (k == 0)
		return scratch;
	if ((k < 18) == session)
		return sessions[pick(session_count)];
	/* Prefer a slot that holds a handle. */
	for (unsigned tries = 0; tries < 8; tries++) {
		cv_slot_t h = handles[pick(HANDLES)];
		struct cv_cap_info info;
		if (cv_cap_info(h, &info) == CV_OK)
			return h;
	}
	return handles[pick(HANDLES)];
}

static void note(unsigned op, int err)
{
	count[op][err >= 0 && err < ERRS ? err : ERRS]++;
}

/* One request, as libvmctl would send it or subtly not. */
static void one(void)
{
	struct vmmctl_request req;
	uint64_t results[4];
	static const unsigned known[] = {1, 1, 1, 2, 3, 4, 5, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29};
	unsigned op = pick(5) ? known[pick(sizeof(known) / sizeof(known[0]))] : pick(OPS);
	cv_slot_t cap = random_cap(op);
	int err;

	random_request(op, &req);
	if (op == VMMCTL_OP_VM_VCPU_EXIT && pick(4)) {
		err = vmctl_vm_vcpu_exit(cap, (unsigned)req.arg[0], pick(2) ? 0 : (uint32_t)rnd(), exit_ep);
	} else if (op == VMMCTL_OP_CREATE || op == VMMCTL_OP_OPEN) {
		/* The handle arrives into a free handle slot, mostly; now and
		 * then it finds the slot taken, or none named, and is lost. */
		unsigned i = pick(HANDLES);
		cv_slot_t to = pick(8) ? handles[i] : 0;
		if (pick(8))
			(void)cv_cap_delete(handles[i]);
		err = vmctl_request(cap, op, &req, to, NULL, 0, results);
	} else if (op == VMMCTL_OP_LIST || op == VMMCTL_OP_INFO || op == VMMCTL_OP_VM_INFO ||
		   op == VMMCTL_OP_VM_STATS || op == VMMCTL_OP_VM_VCPU_STATE) {
		static union {
			struct vmmctl_list list;
			struct vmmctl_vm_stats stats;
			struct vmmctl_vcpu_state state;
		} out; /* the largest replies */
		uint32_t len = op == VMMCTL_OP_LIST	      ? sizeof(struct vmmctl_list)
			       : op == VMMCTL_OP_VM_STATS      ? sizeof(struct vmmctl_vm_stats)
			       : op == VMMCTL_OP_VM_VCPU_STATE ? sizeof(struct vmmctl_vcpu_state)
							       : sizeof(struct vmmctl_vm_info);
		err = vmctl_request(cap, op, &req, 0, &out, len, results);
	} else if (op == VMMCTL_OP_VM_MEMORY || op == VMMCTL_OP_VM_CONSOLE) {
		cv_slot_t f = next_slot++;
		err = vmctl_request(cap, op, &req, f, NULL, 0, results);
		(void)cv_cap_delete(f);
	} else if (op == VMMCTL_OP_VM_LOAD && pick(2)) {
		err = vmctl_vm_load(cap, pick(2) ? "hello" : "config", NULL);
	} else {
		err = vmctl_request(cap, op, &req, 0, NULL, 0, results);
	}
	note(op, err);
	/* A stopped VM is rare by chance: resume it at once. */
	if (op == VMMCTL_OP_VM_STOP && !err) {
		note(VMMCTL_OP_VM_RESUME, vmctl_vm_resume(cap));
	}
	/* Now and then a handle is copied with fewer rights, or dropped. */
	if (!pick(8)) {
		unsigned a = pick(HANDLES), b = pick(HANDLES);
		if (a != b) {
			(void)cv_cap_delete(handles[b]);
			(void)cv_cap_copy(handles[a], handles[b], CV_RIGHT_WRITE | CV_RIGHT_GRANT | (uint32_t)rnd() << 8);
		}
	}
	if (!pick(32))
		(void)cv_cap_delete(handles[pick(HANDLES)]);
}

/* A fixed well-formed sequence first, so every operation has succeeded
 * once whatever the seed; the random phase then explores around it. */
static void corpus(void)
{
	cv_slot_t root = sessions[0], h = handles[0], h2 = handles[1], f = next_slot++;
	struct vmmctl_vm_info info;
	struct vmmctl_vm_stats stats;
	struct vmmctl_list list;
	uint64_t cursor = 0, base, size;
	unsigned segs;

	note(VMMCTL_OP_CREATE, vmctl_create(root, "corpus", 0, 1, 1 << 20, h));
	note(VMMCTL_OP_INFO, vmctl_info(root, "corpus", &info));
	note(VMMCTL_OP_LIST, vmctl_list(root, &cursor, &list));
	note(VMMCTL_OP_OPEN, vmctl_open(root, "corpus", h2));
	note(VMMCTL_OP_VM_INFO, vmctl_vm_info(h2, &info));
	note(VMMCTL_OP_VM_MEMORY, vmctl_vm_memory(h, 0, f, &base, &size, &segs));
	(void)cv_cap_delete(f);
	note(VMMCTL_OP_VM_VCPU_EXIT, vmctl_vm_vcpu_exit(h, 0, 0, exit_ep));
	note(VMMCTL_OP_VM_LOAD, vmctl_vm_load(h, "hello", NULL));
	note(VMMCTL_OP_VM_CONSOLE, vmctl_vm_console(h, f));
	(void)cv_cap_delete(f);
	note(VMMCTL_OP_VM_START, vmctl_vm_start(h, 0));
	note(VMMCTL_OP_VM_STOP, vmctl_vm_stop(h));
	struct vmmctl_vcpu_state regs;
	note(VMMCTL_OP_VM_VCPU_STATE, vmctl_vm_vcpu_state(h2, 0, &regs));
	note(VMMCTL_OP_VM_RESUME, vmctl_vm_resume(h));
	note(VMMCTL_OP_VM_STATS, vmctl_vm_stats(h2, &stats));
	note(VMMCTL_OP_VM_RESET, vmctl_vm_reset(h));
	note(VMMCTL_OP_VM_START, vmctl_vm_start(h, 0));
	note(VMMCTL_OP_VM_IRQ, vmctl_vm_irq(h, 40, 2));
	note(VMMCTL_OP_VM_DESTROY, vmctl_vm_destroy(h2));
	(void)cv_cap_delete(h); /* a reply's capability needs an empty slot */
	note(VMMCTL_OP_CREATE, vmctl_create(root, "corpus", VMMCTL_CREATE_DESTROY_ON_CLOSE, 1, 1 << 20, h));
	note(VMMCTL_OP_DESTROY, vmctl_destroy(root, "corpus"));
	(void)cv_cap_delete(h);
	(void)cv_cap_delete(h2);
}

static const char *op_name(unsigned op)
{
	static const char *const n[] = {[1] = "create", [2] = "destroy", [3] = "open", [4] = "list", [5] = "info",
					[16] = "vm_info", [17] = "vm_destroy", [18] = "vm_memory",
					[19] = "vm_vcpu_exit", [20] = "vm_load", [21] = "vm_start", [22] = "vm_stop",
					[23] = "vm_resume", [24] = "vm_irq", [25] = "vm_console", [26] = "vm_assign",
					[27] = "vm_reset", [28] = "vm_stats", [29] = "vm_vcpu_state"};
	return op < sizeof(n) / sizeof(n[0]) && n[op] ? n[op] : NULL;
}

static uint64_t arg_value(const char *args, const char *key, uint64_t def)
{
	const char *p = strstr(args, key);

	return p ? strtoull(p + strlen(key), NULL, 0) : def;
}

int main(void *arg)
{
	const struct cv_start_info *si = arg;
	uint64_t free_before = 0, free_after = 0, total;
	unsigned failed = 0;

	for (uint32_t i = 0; i < si->cap_count && session_count < SESSIONS; i++)
		if (!strncmp(si->caps[i].name, "s_", 2))
			sessions[session_count++] = si->caps[i].slot;
	rng = arg_value(si->args, "seed=", cv_counter() | 1);
	uint64_t requests = arg_value(si->args, "requests=", 4000);
	printf("vmmctlfuzz: seed %lu, %lu requests, %u sessions\n", (unsigned long)rng, (unsigned long)requests,
	       session_count);
	if (!session_count)
		return 1;
	scratch = next_slot++;
	(void)cv_notification_create(CV_SLOT_SELF_QUOTA, scratch);
	/* vCPUs that exit here wait for ever: nobody receives. */
	exit_ep = next_slot++;
	(void)cv_endpoint_create(CV_SLOT_SELF_QUOTA, exit_ep);
	for (unsigned i = 0; i < HANDLES; i++)
		handles[i] = next_slot++;
	next_slot = FIRST_SLOT + 4096 / 2; /* reply slots from here on, each used once */
	(void)cv_memory_info(&free_before, &total);
	corpus();
	for (uint64_t n = 0; n < requests && next_slot < 4000; n++)
		one();
	/* The end: every handle goes (monitor-mode VMs die), and a privileged
	 * session destroys what persists. */
	for (unsigned i = 0; i < HANDLES; i++)
		(void)cv_cap_delete(handles[i]);
	for (unsigned round = 0; round < 8; round++) {
		struct vmmctl_list left;
		uint64_t at = 0;
		if (vmctl_list(sessions[0], &at, &left) != VMMCTL_OK || !left.count)
			break;
		for (unsigned i = 0; i < left.count; i++)
			(void)vmctl_destroy(sessions[0], left.vm[i].name);
	}
	/* Generous: on a loaded host the emulated CPUs that must leave the
	 * last vCPUs may be slow to run; a leak never comes back. */
	uint64_t deadline = cv_counter() + 10 * cv_counter_frequency();
	do {
		(void)cv_yield();
		(void)cv_memory_info(&free_after, &total);
	} while (free_after != free_before && cv_counter() < deadline);
	for (unsigned op = 0; op < OPS; op++) {
		const char *name = op_name(op);
		unsigned long total_op = 0;
		for (unsigned e = 0; e <= ERRS; e++)
			total_op += count[op][e];
		if (!total_op && !name)
			continue;
		printf("vmmctlfuzz: op %u %s: %lu ok", op, name ? name : "(none)", count[op][0]);
		for (unsigned e = 1; e <= ERRS; e++)
			if (count[op][e])
				printf(", %lu %s", count[op][e], e < ERRS ? vmctl_strerror((int)e) : "other");
		printf("\n");
		/* VM_ASSIGN needs a device capability, which the fuzzer does
		 * not hold: tests/tasks/vmmctl makes it succeed. */
		if (name && !count[op][0] && op != VMMCTL_OP_VM_ASSIGN) {
			printf("vmmctlfuzz: FAIL op %s never succeeded\n", name);
			failed++;
		}
		if (!name && count[op][0]) {
			printf("vmmctlfuzz: FAIL unknown op %u succeeded\n", op);
			failed++;
		}
	}
	struct vmmctl_list page;
	uint64_t cursor = 0;
	int err = vmctl_list(sessions[0], &cursor, &page);
	if (err) {
		printf("vmmctlfuzz: FAIL the service does not answer afterwards: %s\n", vmctl_strerror(err));
		failed++;
	}
	if (free_after != free_before) {
		printf("vmmctlfuzz: FAIL memory: %lu frames free before, %lu after\n", (unsigned long)free_before,
		       (unsigned long)free_after);
		/* What the service still has, for whoever replays the seed. */
		cursor = 0;
		do {
			if (vmctl_list(sessions[0], &cursor, &page) != VMMCTL_OK)
				break;
			for (unsigned i = 0; i < page.count; i++)
				printf("vmmctlfuzz: left: %s (owner %s, flags %u, state %u)\n", page.vm[i].name,
				       page.vm[i].owner, page.vm[i].flags, page.vm[i].state);
		} while (cursor);
		failed++;
	} else {
		printf("vmmctlfuzz: memory back: %lu frames free\n", (unsigned long)free_after);
	}
	printf("vmmctlfuzz: done %u failed\n", failed);
	return 0;
}
