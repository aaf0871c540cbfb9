# SPDX-License-Identifier: BSD-2-Clause
# The root task (services/root) reads its boot configuration from a module,
# reports bad lines with their numbers, loads and starts the tasks it names
# with the capabilities it gives them, and prints the identities and the
# vmmctl policy it parsed, one line each. Both CPU models. Then a
# configuration with fatal errors, which it must refuse whole.
. tests/scenario/lib.sh
pack=$LOGDIR/root_config.pack
tools/modpack.sh "$pack" root="$BUILD/user/root.elf" config=tests/config/root_test.conf \
	hello="$BUILD/user/hello.elf" >/dev/null
# The end of a console line (the serial console ends lines with CR LF).
EOL='[[:cntrl:]]?$'
for cpu in max cortex-a57; do
	label=root_${cpu//-/_}
	boot "$label" --boot direct --cpu "$cpu" --smp 4 --initrd "$pack" --timeout 60 \
		--until '^hello: done.*(\n|.)*^hello: done' --fail-on 'capvisor panic'
	expect "$label/unknown_task_reported" '^root: config:29: give: no task of that name \(declare it first\); line ignored'
	expect "$label/summary" '^root: configuration: 3 tasks, 2 endpoints, 5 capabilities to give, 4 lines ignored'
	expect "$label/missing_module_reported" '^root: config:30: task broken: no module named missing; not started'
	expect "$label/started_hello" '^root: started hello \(module hello, cpu 1, priority 20, 512 frames, 3 capabilities given\)'
	expect "$label/started_hello2" '^root: started hello2 \(module hello, cpu 2, priority 10, 300 frames, 2 capabilities given, user webadm\)'
	expect "$label/ready" '^root: ready'
	if [ "$(grep -ac '^hello: done 0 failed' "$LOG")" = 2 ]; then
		pass "$label/both_ran"
	else
		fail "$label/both_ran" "expected two 'hello: done 0 failed' lines"
	fi
	# Identities and policy: one summary line each, defaults filled in.
	expect "$label/group" '^root: group vmm gid=800'"$EOL"
	expect "$label/jail" '^root: jail web allow\.vmm'"$EOL"
	expect "$label/jail_allow_dropped" '^root: config:7: jail web/inner: allow\.vmm_ppt dropped: its parent web lacks it'"$EOL"
	expect "$label/jail_nested" '^root: jail web/inner'"$EOL"
	expect "$label/principal_root" '^root: principal root uid=0 groups=wheel,vmm priv=vmm_create,vmm_destroy,vmm_pptdev'"$EOL"
	expect "$label/principal_operator" '^root: principal operator uid=1001 groups=vmm priv=vmm_create \(key set\)'"$EOL"
	expect "$label/principal_unprivileged" '^root: principal alice uid=1002'"$EOL"
	expect "$label/principal_jailed" '^root: principal webadm uid=2001 jail=web/inner'"$EOL"
	expect_not "$label/key_never_printed" '000102030405060708090a0b0c0d0e0f'
	expect "$label/vmmctl_policy" '^root: vmmctl owner=root group=vmm mode=0660 \(uid 0, gid 800\)'"$EOL"
	expect "$label/maxcpu_clamped" '^root: config:13: vmm\.maxcpu: set to 64 clamped to 8 \(VM_MAXCPU\)'"$EOL"
	expect "$label/tunables" '^root: tunables vmm\.maxcpu=8 vmm\.maxvms_per_user=16 vmm\.maxmem_per_user=64M'"$EOL"
	expect "$label/passthrough" '^root: passthrough arm,pl031 \(registers at 0x9010000, interrupt [0-9]+\)'
	expect "$label/passthrough_missing" '^root: config:16: passthrough no,such-device: no such device'
	expect "$label/boot_vm" '^root: vm demo image=hello cpus=2 mem=16M owner=operator monitor'"$EOL"
	expect "$label/boot_vm_too_wide" '^root: config:18: vm: cpus= must be 1\.\.8; line ignored'
	expect "$label/session_read_only" '^root: session of operator \(badge 2, r\) given to hello as operator'
	expect "$label/session_of_task_user" '^root: session of webadm \(badge 4, rw\) given to hello2 as webadm'
	expect "$label/session_unknown_principal" '^root: config:28: give: no principal of that name \(declare it first\); line ignored'
	expect "$label/task_unknown_user" '^root: config:31: task: user= names no principal \(declare it first\); line ignored'
	expect_not "$label/nothing_fatal" 'refusing to start'
	expect_not "$label/no_panic" 'capvisor panic'
done

pack=$LOGDIR/root_fatal.pack
tools/modpack.sh "$pack" root="$BUILD/user/root.elf" config=tests/config/root_fatal.conf \
	hello="$BUILD/user/hello.elf" >/dev/null
boot root_fatal --boot direct --smp 4 --initrd "$pack" --timeout 30 \
	--until '^root: refusing to start' --fail-on 'capvisor panic'
expect root_fatal/unknown_group '^root: config:8: principal: unknown group vmmx \(declare it first\): refusing to start'
expect root_fatal/bad_mode '^root: config:9: vmmctl: mode= must be octal, 0 to 0777: refusing to start'
expect root_fatal/refused '^root: refusing to start: 2 fatal configuration errors'
expect_not root_fatal/nothing_started '^root: (started|ready)|^hello: '
expect_not root_fatal/no_panic 'capvisor panic'
finish
