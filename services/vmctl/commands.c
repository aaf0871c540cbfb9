// SPDX-License-Identifier: BSD-2-Clause
// vmctl's commands (docs/vmctl.1) over libvmctl: list, info, create, run,
// destroy, console, start, stop, reset, stats, regs. Portable: what
// depends on the system is behind platform.h.
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <vmctl.h>

#include "args.h"
#include "platform.h"

#define POLL_MS 10
#define START_WAIT_MS 2000 /* how long create waits for its VMM to start the VM */
#define ESCAPE '~'

static const char *state_name(uint32_t state)
{
	switch (state) {
	case VMMCTL_VM_CREATED: return "created";
	case VMMCTL_VM_RUNNING: return "running";
	case VMMCTL_VM_STOPPED: return "stopped";
	case VMMCTL_VM_DYING: return "dying";
	default: return "unknown";
	}
}

/* "vmctl: create demo: permission denied"; returns VMCTL_EXIT_FAIL. */
static int fail(const char *cmd, const char *name, const char *why)
{
	fflush(stdout);
	if (name)
		fprintf(stderr, "vmctl: %s %s: %s\n", cmd, name, why);
	else
		fprintf(stderr, "vmctl: %s: %s\n", cmd, why);
	return VMCTL_EXIT_FAIL;
}

static int fail_err(const char *cmd, const char *name, int err)
{
	return fail(cmd, name, vmctl_strerror(err));
}

static void print_header(void)
{
	printf("%-16s %-8s %5s %7s  %-10s %s\n", "NAME", "STATE", "VCPUS", "MEMORY", "OWNER", "MODE");
}

static void print_row(const struct vmmctl_vm_info *vm)
{
	char mem[24];

	vmctl_format_size(vm->memory, mem, sizeof(mem));
	printf("%-16s %-8s %5u %7s  %-10s %s\n", vm->name, state_name(vm->state), vm->vcpus, mem, vm->owner,
	       vm->flags & VMMCTL_CREATE_DESTROY_ON_CLOSE ? "monitor" : "persistent");
}

static int cmd_list(void)
{
	struct vmmctl_list page;
	uint64_t cursor = 0;

	/* Errors before the header: nothing half-printed. */
	int err = vmctl_list(plat_session(), &cursor, &page);
	if (err)
		return fail_err("list", NULL, err);
	print_header();
	for (;;) {
		for (uint32_t i = 0; i < page.count && i < VMMCTL_LIST_PAGE; i++)
			print_row(&page.vm[i]);
		if (!cursor)
			return VMCTL_EXIT_OK;
		if ((err = vmctl_list(plat_session(), &cursor, &page)))
			return fail_err("list", NULL, err);
	}
}

static int cmd_info(const struct vmctl_cmd *c)
{
	struct vmmctl_vm_info vm;
	char mem[24];
	int err = vmctl_info(plat_session(), c->name, &vm);

	if (err)
		return fail_err("info", c->name, err);
	vmctl_format_size(vm.memory, mem, sizeof(mem));
	printf("name:   %s\n", vm.name);
	printf("state:  %s\n", state_name(vm.state));
	printf("vcpus:  %u\n", vm.vcpus);
	printf("memory: %s\n", mem);
	printf("owner:  %s (uid %u)\n", vm.owner, vm.uid);
	printf("mode:   %s\n", vm.flags & VMMCTL_CREATE_DESTROY_ON_CLOSE
				    ? "monitor (destroyed when its last handle goes)"
				    : "persistent (until destroyed)");
	return VMCTL_EXIT_OK;
}

/* Waits until the VMM has started the VM (or it went another way). */
static uint32_t await_start(cv_slot_t handle)
{
	struct vmmctl_vm_info vm = {.state = VMMCTL_VM_CREATED};

	for (unsigned waited = 0; waited < START_WAIT_MS; waited += POLL_MS) {
		if (vmctl_vm_info(handle, &vm) || vm.state != VMMCTL_VM_CREATED)
			break;
		plat_sleep_ms(POLL_MS);
	}
	return vm.state;
}

/* Create, load, start a VMM: what create and run share. On failure the VM
 * is gone again and the message printed; *handle is released. */
static int make_vm(const struct vmctl_cmd *c, const char *cmd, cv_slot_t *handle, bool detach)
{
	cv_slot_t h = plat_slot();
	uint32_t flags = c->monitor ? VMMCTL_CREATE_DESTROY_ON_CLOSE : 0;
	char why[96];
	int err = vmctl_create(plat_session(), c->name, flags, c->cpus, c->memory, h);

	if (err) {
		plat_release(h);
		return fail_err(cmd, c->name, err);
	}
	uint64_t entry;
	err = vmctl_vm_load(h, c->image, &entry);
	if (err) {
		snprintf(why, sizeof(why), "image %s: %s", c->image,
			 err == VMMCTL_ENOENT ? "no such boot module" : vmctl_strerror(err));
	} else if ((err = plat_start_vmm(h, c->name, detach))) {
		snprintf(why, sizeof(why), "starting its VMM: %s", vmctl_strerror(err));
	}
	if (err) {
		/* A monitor-mode VM goes with our handle; a persistent one
		 * must be destroyed. */
		if (!c->monitor)
			(void)vmctl_vm_destroy(h);
		plat_release(h);
		return fail(cmd, c->name, why);
	}
	*handle = h;
	return VMCTL_EXIT_OK;
}

static int cmd_create(const struct vmctl_cmd *c)
{
	cv_slot_t h;
	char mem[24];
	int st = make_vm(c, "create", &h, true);

	if (st)
		return st;
	uint32_t state = await_start(h);
	/* The VMM holds its own copy: for -M, the VM lives as long as it. */
	plat_release(h);
	vmctl_format_size(c->memory, mem, sizeof(mem));
	printf("vmctl: created %s (%u vCPU%s, %s, %s), %s %s\n", c->name, c->cpus, c->cpus == 1 ? "" : "s", mem,
	       c->monitor ? "monitor mode" : "persistent", state_name(state), c->image);
	return VMCTL_EXIT_OK;
}

/* Output a whole line at a time (run: nothing is typed, so nothing needs
 * showing before its line ends, and whole lines never mix with others on
 * the terminal). */
static char line_buf[256];
static size_t line_len;

static void lines_flush(void)
{
	if (line_len) {
		if (line_buf[line_len - 1] != '\n')
			line_buf[line_len++] = '\n';
		plat_out(line_buf, line_len);
		line_len = 0;
	}
}

static void lines_out(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		line_buf[line_len++] = p[i];
		if (p[i] == '\n' || line_len == sizeof(line_buf) - 1)
			lines_flush();
	}
}

/* Shows a VM's console: output as it comes; with `input`, typed bytes go
 * to the guest, and "~." at the start of a line returns. `until_end`:
 * returns when the VMM vmctl started has ended (the guest powered off) or
 * the VM was destroyed (run). */
static int show_console(const char *cmd, const char *name, cv_slot_t h, bool input, bool until_end)
{
	cv_slot_t frame = plat_slot();
	bool writable = plat_handle_rights(h) & VMMCTL_VM_CONTROL;
	int err = vmctl_vm_console(h, frame);
	struct vmmctl_console *con = err ? NULL : plat_console_map(frame, writable);

	if (!con) {
		plat_release(frame);
		return fail_err(cmd, name, err ? err : VMMCTL_EIO);
	}
	uint64_t pos = con->out_head > VMMCTL_CONSOLE_OUT ? con->out_head - VMMCTL_CONSOLE_OUT : 0;
	bool line_start = true, tilde = false, open_line = false, done = false, ending = false;
	unsigned tick = 0;
	int status = VMCTL_EXIT_OK;

	while (!done) {
		/* Output: the ring from where we are, in at most two pieces. */
		uint64_t head = con->out_head;
		if (head - pos > VMMCTL_CONSOLE_OUT)
			pos = head - VMMCTL_CONSOLE_OUT; /* fell behind: the oldest is lost */
		while (pos < head) {
			size_t at = (size_t)(pos % VMMCTL_CONSOLE_OUT);
			size_t n = VMMCTL_CONSOLE_OUT - at;
			if (n > head - pos)
				n = (size_t)(head - pos);
			if (input)
				plat_out(&con->out[at], n);
			else
				lines_out(&con->out[at], n);
			open_line = con->out[at + n - 1] != '\n';
			pos += n;
		}
		if (ending)
			break; /* its last output is out */
		/* Input: the escape, then the guest's ring if we may write it. */
		char in[40];
		size_t got = input ? plat_in(in, sizeof(in)) : 0;
		for (size_t i = 0; i < got && !done; i++) {
			char ch = in[i];
			if (tilde) {
				tilde = false;
				if (ch == '.') {
					/* Shown as typed, on a line of its own. */
					plat_out(open_line ? "\n~.\n" : "~.\n", open_line ? 4 : 3);
					open_line = false;
					done = true;
					break;
				}
				if (ch != ESCAPE && writable && con->in_head - con->in_tail < VMMCTL_CONSOLE_IN)
					con->in[con->in_head++ % VMMCTL_CONSOLE_IN] = ESCAPE;
			} else if (ch == ESCAPE && line_start) {
				tilde = true;
				continue;
			}
			line_start = ch == '\n' || ch == '\r';
			if (writable && con->in_head - con->in_tail < VMMCTL_CONSOLE_IN) {
				__atomic_thread_fence(__ATOMIC_RELEASE);
				con->in[con->in_head % VMMCTL_CONSOLE_IN] = ch;
				__atomic_thread_fence(__ATOMIC_RELEASE);
				con->in_head++;
			}
		}
		/* Every so often: is the VM still there, and for run, its VMM? */
		if (!done && ++tick % 5 == 0) {
			struct vmmctl_vm_info vm;
			if (vmctl_vm_info(h, &vm) == VMMCTL_ENXIO) {
				done = true;
				if (!input)
					lines_flush();
				else if (open_line)
					plat_out("\n", 1);
				open_line = false;
				printf("vmctl: %s %s: the VM was destroyed\n", cmd, name);
				status = until_end ? VMCTL_EXIT_OK : VMCTL_EXIT_FAIL;
			} else if (until_end && !plat_vmm_running()) {
				ending = true; /* once more round for its last output */
				continue;
			}
		}
		if (!done)
			plat_sleep_ms(POLL_MS);
	}
	if (!input)
		lines_flush();
	else if (open_line)
		plat_out("\n", 1);
	plat_console_unmap();
	plat_release(frame);
	return status;
}

static int cmd_run(const struct vmctl_cmd *c)
{
	cv_slot_t h;
	int st = make_vm(c, "run", &h, false);

	if (st)
		return st;
	char mem[24];
	uint32_t state = await_start(h);
	vmctl_format_size(c->memory, mem, sizeof(mem));
	printf("vmctl: run %s: %s %s (%u vCPU%s, %s) until vmctl ends\n", c->name, state_name(state), c->image,
	       c->cpus, c->cpus == 1 ? "" : "s", mem);
	/* Our handle and the VMM's: the VM ends with vmctl, killed or not.
	 * Without the terminal, it only waits. */
	if (plat_foreground()) {
		st = show_console("run", c->name, h, false, true);
	} else {
		struct vmmctl_vm_info vm;
		while (vmctl_vm_info(h, &vm) != VMMCTL_ENXIO && plat_vmm_running())
			plat_sleep_ms(10 * POLL_MS);
	}
	plat_release(h);
	return st;
}

static int cmd_console(const struct vmctl_cmd *c)
{
	if (!plat_foreground())
		return fail("console", c->name, "needs the terminal: run it in the foreground");
	cv_slot_t h = plat_slot();
	int err = vmctl_open(plat_session(), c->name, h);

	if (err) {
		plat_release(h);
		return fail_err("console", c->name, err);
	}
	printf("vmctl: console of %s; ~. at the start of a line returns\n", c->name);
	int st = show_console("console", c->name, h, true, false);
	plat_release(h);
	return st;
}

static int cmd_destroy(const struct vmctl_cmd *c)
{
	int err = vmctl_destroy(plat_session(), c->name);

	if (err)
		return fail_err("destroy", c->name, err);
	printf("vmctl: destroyed %s\n", c->name);
	return VMCTL_EXIT_OK;
}

/* start: a created VM that never ran gets a VMM (which starts it at its
 * loaded image); one a VMM still serves (it was reset) starts at the
 * loaded image again; a stopped one continues. stop: every vCPU
 * suspended. */
static int cmd_start_stop(const struct vmctl_cmd *c, bool start)
{
	const char *cmd = start ? "start" : "stop";
	struct vmmctl_vm_info vm;
	cv_slot_t h = plat_slot();
	int err = vmctl_open(plat_session(), c->name, h);

	if (!err)
		err = vmctl_vm_info(h, &vm);
	if (!err) {
		if (!start)
			err = vmctl_vm_stop(h);
		else if (vm.state == VMMCTL_VM_CREATED && (vm.flags & VMMCTL_VM_MONITORED))
			err = vmctl_vm_start(h, 0);
		else if (vm.state == VMMCTL_VM_CREATED)
			err = plat_start_vmm(h, c->name, true);
		else
			err = vmctl_vm_resume(h);
	}
	if (!err && start && vm.state == VMMCTL_VM_CREATED)
		(void)await_start(h);
	plat_release(h);
	if (err)
		return fail_err(cmd, c->name, err);
	printf("vmctl: %s %s\n", start ? "started" : "stopped", c->name);
	return VMCTL_EXIT_OK;
}

/* reset: the machine's reset button; nothing is reloaded or restarted. */
static int cmd_reset(const struct vmctl_cmd *c)
{
	cv_slot_t h = plat_slot();
	int err = vmctl_open(plat_session(), c->name, h);

	if (!err)
		err = vmctl_vm_reset(h);
	plat_release(h);
	if (err)
		return fail_err("reset", c->name, err);
	printf("vmctl: reset %s: created, not started; its memory is as the guest left it, "
	       "vmctl start %s runs it again\n",
	       c->name, c->name);
	return VMCTL_EXIT_OK;
}

/* stats: each vCPU's counters, one line per counter, as bhyvectl
 * --get-stats prints them. */
static int cmd_stats(const struct vmctl_cmd *c)
{
	static const struct {
		const char *name, *what;
		size_t offset;
	} counters[] = {
		{"entries", "entries into the guest", offsetof(struct vmmctl_vcpu_stats, entries)},
		{"exits", "exits to its VMM", offsetof(struct vmmctl_vcpu_stats, exits)},
		{"hypercalls", "null and PSCI calls the kernel answered", offsetof(struct vmmctl_vcpu_stats, hypercalls)},
		{"waits", "WFI and WFE the kernel handled", offsetof(struct vmmctl_vcpu_stats, waits)},
		{"emulated", "registers the kernel emulated", offsetof(struct vmmctl_vcpu_stats, emulated)},
		{"virq_taken", "virtual interrupts taken", offsetof(struct vmmctl_vcpu_stats, virq_taken)},
		{"host_irqs", "host interrupts during the guest", offsetof(struct vmmctl_vcpu_stats, host_irqs)},
	};
	struct vmmctl_vm_stats st;
	cv_slot_t h = plat_slot();
	int err = vmctl_open(plat_session(), c->name, h);

	if (!err)
		err = vmctl_vm_stats(h, &st);
	plat_release(h);
	if (err)
		return fail_err("stats", c->name, err);
	printf("%-4s %-11s %14s  %s\n", "VCPU", "COUNTER", "VALUE", "WHAT");
	for (uint32_t v = 0; v < st.vcpus && v < CV_VM_VCPUS_MAX; v++)
		for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
			uint64_t value;
			memcpy(&value, (const char *)&st.vcpu[v] + counters[i].offset, sizeof(value));
			printf("%-4u %-11s %14llu  %s\n", (unsigned)v, counters[i].name, (unsigned long long)value,
			       counters[i].what);
		}
	return VMCTL_EXIT_OK;
}

/* regs: each vCPU's general registers, of a VM that does not run (stop
 * it first), as bhyvectl --get-all begins. */
static int cmd_regs(const struct vmctl_cmd *c)
{
	struct vmmctl_vm_info info;
	struct vmmctl_vcpu_state st;
	cv_slot_t h = plat_slot();
	int err = vmctl_open(plat_session(), c->name, h);

	if (!err)
		err = vmctl_vm_info(h, &info);
	for (uint32_t v = 0; !err && v < info.vcpus; v++) {
		if ((err = vmctl_vm_vcpu_state(h, v, &st)))
			break;
		printf("vCPU %u: pc 0x%016llx pstate 0x%08llx sp_el0 0x%016llx\n", (unsigned)v,
		       (unsigned long long)st.pc, (unsigned long long)st.pstate, (unsigned long long)st.sp_el0);
		for (unsigned i = 0; i < 31; i++)
			printf("%s x%-2u 0x%016llx%s", i % 4 ? "" : " ", i, (unsigned long long)st.x[i],
			       i % 4 == 3 || i == 30 ? "\n" : " ");
	}
	plat_release(h);
	if (err == VMMCTL_EBUSY)
		return fail("regs", c->name, "it is running: vmctl stop it first");
	return err ? fail_err("regs", c->name, err) : VMCTL_EXIT_OK;
}

int vmctl_main(int argc, char *argv[])
{
	struct vmctl_cmd c;
	char msg[128];

	if (vmctl_parse(argc, argv, &c, msg, sizeof(msg)) != VMCTL_EXIT_OK) {
		fprintf(stderr, "vmctl: %s\nusage: %s\n", msg, vmctl_usage(c.op));
		return VMCTL_EXIT_USAGE;
	}
	switch (c.op) {
	case VMCTL_LIST: return cmd_list();
	case VMCTL_INFO: return cmd_info(&c);
	case VMCTL_CREATE: return cmd_create(&c);
	case VMCTL_RUN: return cmd_run(&c);
	case VMCTL_DESTROY: return cmd_destroy(&c);
	case VMCTL_CONSOLE: return cmd_console(&c);
	case VMCTL_START: return cmd_start_stop(&c, true);
	case VMCTL_STOP: return cmd_start_stop(&c, false);
	case VMCTL_RESET: return cmd_reset(&c);
	case VMCTL_STATS: return cmd_stats(&c);
	case VMCTL_REGS: return cmd_regs(&c);
	case VMCTL_HELP: break;
	}
	printf("usage: %s\n", vmctl_usage(VMCTL_HELP));
	return VMCTL_EXIT_OK;
}
