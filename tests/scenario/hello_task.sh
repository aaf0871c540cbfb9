# SPDX-License-Identifier: BSD-2-Clause
# The hello task as the root task (direct boot, its module pack as the
# initrd), on both CPU models: start-up, stdio, FP, TLS errno, malloc and
# system calls from EL0, then the task ends and its memory comes back.
# Meant for tests/scenario/ (run by tests/run.sh).
. tests/scenario/lib.sh
for cpu in max cortex-a57; do
	label=hello_${cpu//-/_}
	boot "$label" --boot direct --cpu "$cpu" --smp 4 --initrd "$BUILD/user/hello.pack" \
		--timeout 60 --until '^hello: done' --fail-on 'capvisor panic'
	expect "$label/started" '^hello from EL0'
	for what in fp errno tls malloc null_syscall bad_syscall; do
		expect "$label/$what" "^hello: $what ok"
	done
	expect "$label/fp_printf" '^fp 4\.500'
	expect "$label/done" '^hello: done 0 failed'
	expect_not "$label/no_panic" 'capvisor panic'
done
finish
