# SPDX-License-Identifier: BSD-2-Clause
# Device passthrough (see guests.sh): the rtcpass guest gets QEMU virt's
# PL031 real-time clock — its registers mapped into the VM's stage 2 by the
# test monitor, its interrupt (INTID 34, level) forwarded with
# CV_SYS_VM_IRQ_BIND — reads the time and takes two alarm interrupts in
# WFI, exactly one per alarm. It runs twice, in two VMs one after the
# other: the second binding succeeds only if destroying the first VM ended
# the first. On both CPU models.
. tests/scenario/lib.sh

for cpu in max cortex-a57; do
	c=${cpu//-/_}
	run_vms "passthrough_$c" "$cpu" "vm rtc rtcpass cpu=1 pass=pl031 runs=2"
	n=$(grep -ac '^vmm: rtc: pl031 at 0x9010000, interrupt 34 passed through' "$LOG")
	if [ "$n" = 2 ]; then
		pass "passthrough_$c/bound_twice"
	else
		fail "passthrough_$c/bound_twice" "the monitor passed the clock through $n times, not 2"
	fi
	n=$(grep -ac '^\[rtc\] done 0 failed' "$LOG")
	if [ "$n" = 2 ]; then
		pass "passthrough_$c/rtcpass"
	else
		fail "passthrough_$c/rtcpass" "'[rtc] done 0 failed' $n times, not 2"
	fi
	expect "passthrough_$c/alarms" '^\[rtc\] ok alarm_2_device'
	expect_not "passthrough_$c/no_fail" '^\[rtc\] (FAIL|skip)'
done
finish
