# SPDX-License-Identifier: BSD-2-Clause
# The vmmctl contract (docs/vmmctl.md): the test task tests/tasks/vmmctl
# drives the service through libvmctl with the sessions of several
# principals (tests/config/vmmctl.conf) and checks every answer; the
# service's log must name each denial with its principal. On -cpu max
# (the service is arch-independent user code; the kernel paths it uses are
# tested on both models elsewhere).
. tests/scenario/lib.sh
pack=$LOGDIR/vmmctl.pack
tools/modpack.sh "$pack" root="$BUILD/user/root.elf" config=tests/config/vmmctl.conf \
	vmmctl="$BUILD/user/vmmctl.elf" vmmctltest="$BUILD/user/vmmctltest.elf" vmm="$BUILD/user/vmm.elf" \
	hello="$BUILD/guests/hello.elf" notelf=tests/config/vmmctl.conf rtcpass="$BUILD/guests/rtcpass.elf" \
	echo="$BUILD/guests/echo.elf" >/dev/null
label=vmmctl_max
boot "$label" --boot direct --cpu max --smp 4 --initrd "$pack" --timeout 200 \
	--until '^vmmctltest: done' --fail-on 'capvisor panic'
expect "$label/service_ready" '^vmmctl: ready: 7 principals, 3 jails; maxcpu 4, 6 VMs and 256 MiB per user'
for name in $(sed -n 's/^\(ok\|FAIL\) \([a-z0-9_]*\).*/\2/p' "$LOG" | sort -u); do
	if grep -aqE "^ok $name"$'\r'"?\$" "$LOG" && ! grep -aq "^FAIL $name:" "$LOG"; then
		pass "$label/$name"
	else
		fail "$label/$name" "$(grep -a "^FAIL $name:" "$LOG" | head -1)"
	fi
done
expect "$label/done" '^vmmctltest: done 0 failed'
expect "$label/log_denial_eacces" '^vmmctl: denied list - to nobody \(uid 65534\): EACCES'
expect "$label/log_denial_eperm_jail" '^vmmctl: denied list - to closer \(uid 3001\): EPERM'
expect "$label/log_denial_persistent" '^vmmctl: denied create up to user \(uid 1002\): EPERM'
expect "$label/log_create" '^vmmctl: create opvm by operator \(uid 1001\)'
expect "$label/log_destroy" '^vmmctl: destroyed opvm \(owner operator, uid 1001\): destroy'
expect "$label/log_monitor_close" '^vmmctl: destroyed launched \(owner user, uid 1002\): its last handle was closed'
expect "$label/boot_vm_monitor" '^vmmctl: boot VM bootvm \(owner operator, monitor mode\): image hello, 1 vCPU\(s\), 16 MiB'
expect "$label/boot_vm_persistent" '^vmmctl: boot VM keeper \(owner root, persistent\): image hello, 1 vCPU\(s\), 16 MiB'
expect "$label/boot_vm_ran" '^vmm: bootvm: the guest powered off'
expect "$label/boot_vm_monitor_gone" '^vmmctl: destroyed bootvm \(owner operator, uid 1001\): its last handle was closed'
expect "$label/vmm_started" '^vmm: guest: started, 1 vCPU\(s\), 16 MiB'
expect "$label/vmm_guest_off" '^vmm: guest: the guest powered off'
expect "$label/vmm_monitor_vm_gone" '^vmmctl: destroyed guest \(owner user, uid 1002\): its last handle was closed'
expect "$label/log_passthrough" '^vmmctl: passthrough to rtc \(owner operator\): 1 page\(s\) at 0x9010000, with its interrupt'
expect "$label/log_lost_handle" '^vmmctl: destroyed lost \(owner user, uid 1002\): its handle never reached its client'
expect_not "$label/no_panic" 'capvisor panic'
finish
