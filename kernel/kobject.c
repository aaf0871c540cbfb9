// SPDX-License-Identifier: BSD-2-Clause
#include "kobject.h"

#include <string.h>
#include <uapi/status.h>

#include "arch/mmu.h"
#include "device.h"
#include "endpoint.h"
#include "frame.h"
#include "notification.h"
#include "memory.h"
#include "panic.h"
#include "task.h"
#include "thread.h"

struct cap_system kernel_caps;

int kmem_alloc(struct quota *q, size_t frames, uint64_t *pa)
{
	return kmem_alloc_aligned(q, frames, 4096, pa);
}

int kmem_alloc_aligned(struct quota *q, size_t frames, uint64_t align, uint64_t *pa)
{
	int err = quota_charge(q, frames);
	if (err)
		return err;
	if (memory_alloc_frames(frames, align, pa)) {
		if (quota_uncharge(q, frames))
			panic("kmem: uncharging what was just charged failed");
		return CV_E_NO_MEMORY;
	}
	arch_zero_pages(arch_phys_to_virt(*pa), frames * 4096);
	return CV_OK;
}

static void quota_obj_free(struct quota_obj *qo);

void kmem_free(struct quota *q, uint64_t pa, size_t frames)
{
	if (memory_free_frames(pa, frames))
		panic("kmem: freeing 0x%lx (%zu frames) failed", (unsigned long)pa, frames);
	if (quota_uncharge(q, frames))
		panic("kmem: quota accounting broken (uncharging %zu frames)", frames);
	/* A quota whose capabilities are all gone dies with its last use. */
	if (q->parent && q->used == 0) {
		struct quota_obj *qo = container_of(q, struct quota_obj, quota);
		if (qo->orphan)
			quota_obj_free(qo);
	}
}

static void quota_obj_free(struct quota_obj *qo)
{
	if (quota_destroy_child(&qo->quota))
		panic("kmem: destroying an idle quota failed");
	kmem_free(qo->paid_from, qo->pa, 1);
}

static void obj_destroy(struct kobj *obj, void *ctx)
{
	(void)ctx;
	switch (obj->type) {
	case CV_OBJ_TASK:
	case CV_OBJ_VM:
		task_obj_destroy(container_of(obj, struct task, obj));
		break;
	case CV_OBJ_THREAD:
	case CV_OBJ_VCPU:
		thread_obj_destroy(container_of(obj, struct thread, obj));
		break;
	case CV_OBJ_ENDPOINT:
		endpoint_destroy(container_of(obj, struct endpoint, obj));
		break;
	case CV_OBJ_NOTIFICATION:
		notification_destroy(container_of(obj, struct notification, obj));
		break;
	case CV_OBJ_IRQ:
		irq_unbind(container_of(obj, struct irq_obj, obj));
		break;
	case CV_OBJ_FRAME:
		frame_destroy(container_of(obj, struct frame, obj));
		break;
	case CV_OBJ_DEVICE:
		break; /* the kernel's own: it outlives capabilities to it */
	case CV_OBJ_QUOTA: {
		struct quota_obj *qo = container_of(obj, struct quota_obj, obj);
		if (qo->quota.used == 0)
			quota_obj_free(qo);
		else
			qo->orphan = true;
		break;
	}
	default:
		panic("kobject: no destructor for objects of type %u", obj->type);
	}
}

static const struct cap_ops kernel_cap_ops = {
	.obj_destroy = obj_destroy,
	.close_event = endpoint_close_event,
	.watch_cancelled = endpoint_watch_cancelled,
};

void kobject_init(void)
{
	cap_system_init(&kernel_caps, &kernel_cap_ops, NULL);
}

/* Dying tasks whose capability spaces still hold capabilities. */
static struct task *reaper_list;

void reaper_queue(struct task *t)
{
	t->reap_next = reaper_list;
	reaper_list = t;
}

void reaper_run(void)
{
	while (reaper_list) {
		struct task *t = reaper_list;
		reaper_list = t->reap_next;
		/* Unbounded for now: a task's space is small. Bounded, resumable
		 * reaping comes with preemption points in the kernel. */
		while (cap_space_destroy(&t->cspace, 256) == CV_E_PREEMPTED)
			;
		task_release_memory(t);
	}
}
