# SPDX-License-Identifier: BSD-2-Clause
# Thread control (tests/tasks/threads): fault handler and resume by reply,
# suspend/resume, register access, priority ceiling, frames, unmapping
# memory (2 MiB blocks and pages) that another CPU is reading. Both CPU
# models.
. tests/scenario/lib.sh
CHECKS="setup set_fault_handler start start_twice fault_message fault_reply resumed_elsewhere spinner
	regs_busy_while_running suspend suspended_stays read_regs write_regs_bad_pc write_regs resume
	resumed_runs pstate_kept child priority_ceiling task_ceiling quota_back recv_timeout
	recv_timeout_waited call_timeout send_timeout frame_create frame_map_rw frame_map_ro frame_rights
	frame_wx frame_overlap unmap frame_gone_with_cap frame_memory_back block_map block_reader block_read
	block_unmap block_unmap_faults pages_map pages_reader pages_read pages_unmap pages_unmap_faults buffers buffer_unmapped long_message
	long_message_too_long"
for cpu in max cortex-a57; do
	label=threads_${cpu//-/_}
	boot "$label" --boot direct --cpu "$cpu" --smp 4 --initrd "$BUILD/user/threads.pack" \
		--timeout 60 --until '^threads: done' --fail-on 'capvisor panic'
	expect_checks "$label" threads $CHECKS
	expect "$label/done" '^threads: done 0 failed'
	expect_not "$label/no_panic" 'capvisor panic'
done
finish
