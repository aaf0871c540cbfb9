# SPDX-License-Identifier: BSD-2-Clause
# The whole system as `make run` boots it: firmware, loader with its
# modules, kernel, the root task reading services/root/demo.conf, the
# console service owning the UART at user level, the vmmctl service, and
# the console shell's prompt (tests/scenario/shell.sh types into it). Then
# the console service with several clients: whole prefixed lines, long and
# partial lines, a client that is not named.
. tests/scenario/lib.sh
boot system_demo --boot uefi --disk "$BUILD/boot.img" --timeout 120 \
	--until '^\[shell\] operator@capvisor\$ ' --fail-on 'capvisor panic'
expect demo/root_config '^root: configuration: 3 tasks, 2 endpoints, [0-9]+ capabilities to give, 0 lines ignored'
expect demo/console_started '^root: started console \(module console'
expect demo/console_ready '^\[console\] ready'
expect demo/vmmctl_ready '^\[vmmctl\] vmmctl: ready: 5 principals, 1 jails'
expect demo/sessions_given '^root: session of webadmin \(badge 5, rw\) given to shell as webadmin'
expect demo/shell_started '^root: started shell \(module shell, .* user operator\)'
expect demo/root_ready '^root: ready'
expect demo/shell_banner '^\[shell\] capvisor console shell: logged in as operator'
expect demo/shell_prompt '^\[shell\] operator@capvisor\$ '
expect_not demo/no_config_errors '^root: config:'
expect_not demo/no_unprefixed_task_output '^(vmmctl|shell|vmctl): '
expect_not demo/no_panic 'capvisor panic'
boot console_clients --boot direct --smp 4 --initrd "$BUILD/user/conboot.pack" --timeout 60 \
	--until '^\[alpha\] unterminated' --fail-on 'capvisor panic'
expect console/boot_done '^conboot: done 0 failed'
expect console/checks '^\[alpha\] conclient: checks done 0 failed'
expect console/unregistered_client '^\[client 3\] conclient: hello from gamma'
expect console/long_line_whole '^\[alpha\] conclient: a long line: 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 the end'
expect console/partial_line_joined '^\[beta\] conclient: partial line, completed'
expect console/flushed_on_close '^\[alpha\] unterminated'
finish
