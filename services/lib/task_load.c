// SPDX-License-Identifier: BSD-2-Clause
#include <cv/syscall.h>
#include <cv/task.h>

#include <elf/elf_check.h>

#define IMAGE_SPAN_MAX (64ull << 20)

static unsigned map_perms(uint32_t flags)
{
	if (flags & ELF_PF_W)
		return CV_MAP_READ | CV_MAP_WRITE;
	if (flags & ELF_PF_X)
		return CV_MAP_READ | CV_MAP_EXEC;
	return CV_MAP_READ;
}

static enum cv_status load_segments(const struct cv_task_spec *s, const struct elf_load_plan *plan)
{
	for (unsigned i = 0; i < plan->segment_count; i++) {
		const struct elf_load_segment *seg = &plan->segments[i];
		uint64_t va = plan->vaddr_base + seg->image_offset;
		uint64_t start = va & ~4095ull;
		uint64_t end = (va + seg->file_size + seg->zero_size + 4095) & ~4095ull;
		if ((seg->flags & ELF_PF_W) && (seg->flags & ELF_PF_X))
			return CV_E_BAD_ARG;
		/* Fresh pages are zero: only the file's bytes need copying. The
		 * copy goes through the kernel, so read-only pages can be filled. */
		enum cv_status st = cv_task_map_new(s->task_slot, start, (end - start) / 4096, map_perms(seg->flags));
		if (st == CV_OK && seg->file_size)
			st = cv_task_copy_in(s->task_slot, va, (const uint8_t *)s->image + seg->file_offset,
					     seg->file_size);
		if (st != CV_OK)
			return st;
	}
	return CV_OK;
}

enum cv_status cv_task_load(const struct cv_task_spec *s)
{
	struct elf_load_plan plan;

	if (elf_check(s->image, s->size, ELF_MACHINE_AARCH64, IMAGE_SPAN_MAX, &plan) != ELF_CHECK_OK)
		return CV_E_BAD_ARG;
	if (plan.vaddr_base + plan.span > CV_TASK_STACK_TOP - (CV_TASK_STACK_PAGES + 1) * 4096ull)
		return CV_E_BAD_ARG;
	enum cv_status st = cv_task_create(s->quota, s->task_slot, s->max_priority, s->cap_slots);
	if (st != CV_OK)
		return st;
	st = load_segments(s, &plan);
	if (st == CV_OK)
		st = cv_task_map_new(s->task_slot, CV_TASK_STACK_TOP - CV_TASK_STACK_PAGES * 4096ull,
				     CV_TASK_STACK_PAGES, CV_MAP_READ | CV_MAP_WRITE);
	if (st == CV_OK)
		st = cv_thread_create(s->task_slot, s->quota, s->thread_slot, plan.vaddr_base + plan.entry_offset,
				      CV_TASK_STACK_TOP, s->arg, s->priority, s->cpu);
	if (st != CV_OK)
		(void)cv_cap_delete(s->task_slot); /* the last capability: the task dies */
	return st;
}
