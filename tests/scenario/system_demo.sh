# SPDX-License-Identifier: BSD-2-Clause
# The whole system as `make run` boots it: firmware, loader with its
# modules, kernel, the root task reading services/root/demo.conf, the
# console service owning the UART at user level, and two tasks printing
# through it with their names as prefixes.
. tests/scenario/lib.sh
boot system_demo --boot uefi --disk "$BUILD/boot.img" --timeout 120 \
	--until '^\[conclient\] conclient: checks done' --until '^\[hello\] hello: done' \
	--fail-on 'capvisor panic'
expect demo/root_config '^root: configuration: 3 tasks, 1 endpoints, 5 capabilities to give, 0 lines ignored'
expect demo/console_started '^root: started console \(module console'
expect demo/console_ready '^\[console\] ready'
expect demo/root_ready '^root: ready'
expect demo/hello_prefixed '^\[hello\] hello: done 0 failed'
expect demo/client_prefixed '^\[conclient\] conclient: checks done 0 failed'
expect demo/long_line_whole '^\[conclient\] conclient: a long line: 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 the end'
expect demo/partial_line_joined '^\[conclient\] conclient: partial line, completed'
expect_not demo/no_unprefixed_task_output '^hello: '
expect_not demo/no_panic 'capvisor panic'
boot console_clients --boot direct --smp 4 --initrd "$BUILD/user/conboot.pack" --timeout 60 \
	--until '^\[alpha\] unterminated' --fail-on 'capvisor panic'
expect console/boot_done '^conboot: done 0 failed'
expect console/checks '^\[alpha\] conclient: checks done 0 failed'
expect console/unregistered_client '^\[client 3\] conclient: hello from gamma'
expect console/flushed_on_close '^\[alpha\] unterminated'
finish
