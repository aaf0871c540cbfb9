# SPDX-License-Identifier: BSD-2-Clause
# A user-level driver (tests/tasks/rtc) for the PL031 real-time clock:
# device registers mapped into a task, its interrupt delivered through a
# notification and acknowledged, plus notification semantics. On both CPU
# models.
. tests/scenario/lib.sh
CHECKS="ntfn_create ntfn_empty_nonblock ntfn_mint ntfn_signal_wait ntfn_cleared ntfn_bind ep_create
	bound_recv bound_recv_empty ntfn_bind_twice found map map_bad_range ntfn bind bind_twice
	alarm_1 ack_1 alarm_2 ack_2 no_flood"
for cpu in max cortex-a57; do
	label=driver_${cpu//-/_}
	boot "$label" --boot direct --cpu "$cpu" --smp 4 --initrd "$BUILD/user/rtc.pack" \
		--timeout 60 --until '^rtc: done' --fail-on 'capvisor panic'
	expect_checks "$label" rtc $CHECKS
	expect "$label/done" '^rtc: done 0 failed'
	expect_not "$label/no_panic" 'capvisor panic'
done
finish
