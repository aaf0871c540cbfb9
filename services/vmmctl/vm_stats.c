// SPDX-License-Identifier: BSD-2-Clause
// VM_STATS (docs/vmmctl.md): each vCPU's counters from the kernel
// (CV_SYS_VCPU_STATS), grouped into struct vmmctl_vm_stats so the whole VM
// fits one reply, bhyvectl --get-stats style.
#include <string.h>

#include <cv/syscall.h>

#include "vmmctl.h"

static struct vmmctl_vm_stats stats_out;

static void group(const struct cv_vcpu_stats *s, struct vmmctl_vcpu_stats *out)
{
	out->entries = s->entries;
	out->exits = 0;
	for (unsigned i = 0; i < CV_VCPU_STATS_EXITS; i++)
		out->exits += s->exits[i];
	out->hypercalls = s->hvc_null + s->psci;
	out->waits = s->wfi + s->wfe;
	out->emulated = s->sysreg + s->gic_mmio;
	out->virq_taken = s->virq_taken;
	out->host_irqs = s->host_irqs;
}

int vm_op_stats(struct request *r)
{
	struct vm *vm = r->vm;

	memset(&stats_out, 0, sizeof(stats_out));
	stats_out.version = VMMCTL_STATS_VERSION;
	stats_out.vcpus = vm->vcpus;
	for (unsigned i = 0; i < vm->vcpus && i < CV_VM_VCPUS_MAX; i++) {
		struct cv_vcpu_stats s;
		enum cv_status st = cv_vcpu_stats(vm_slot(vm, VMSLOT_VCPU + i), &s);
		if (st != CV_OK)
			return vm_kernel_err(st);
		group(&s, &stats_out.vcpu[i]);
	}
	r->out = &stats_out;
	r->out_len = sizeof(stats_out);
	return VMMCTL_OK;
}
