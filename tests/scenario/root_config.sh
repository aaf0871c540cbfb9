# SPDX-License-Identifier: BSD-2-Clause
# The root task (services/root) reads its boot configuration from a module,
# reports bad lines with their numbers, loads and starts the tasks it names
# with the capabilities it gives them. Both CPU models.
. tests/scenario/lib.sh
pack=$LOGDIR/root_config.pack
tools/modpack.sh "$pack" root="$BUILD/user/root.elf" config=tests/config/root_test.conf \
	hello="$BUILD/user/hello.elf" >/dev/null
for cpu in max cortex-a57; do
	label=root_${cpu//-/_}
	boot "$label" --boot direct --cpu "$cpu" --smp 4 --initrd "$pack" --timeout 60 \
		--until '^hello: done.*(\n|.)*^hello: done' --fail-on 'capvisor panic'
	expect "$label/unknown_task_reported" '^root: config:9: give: no task of that name'
	expect "$label/summary" '^root: configuration: 3 tasks, 1 endpoints, 3 capabilities to give, 1 lines ignored'
	expect "$label/missing_module_reported" '^root: config:10: task broken: no module named missing; not started'
	expect "$label/started_hello" '^root: started hello \(module hello, cpu 1, priority 20, 512 frames, 2 capabilities given\)'
	expect "$label/started_hello2" '^root: started hello2 \(module hello, cpu 2, priority 10, 300 frames, 1 capabilities given\)'
	expect "$label/ready" '^root: ready'
	if [ "$(grep -ac '^hello: done 0 failed' "$LOG")" = 2 ]; then
		pass "$label/both_ran"
	else
		fail "$label/both_ran" "expected two 'hello: done 0 failed' lines"
	fi
	expect_not "$label/no_panic" 'capvisor panic'
done
finish
