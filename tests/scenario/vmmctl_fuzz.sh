# SPDX-License-Identifier: BSD-2-Clause
# A structure-aware message fuzzer against the vmmctl service
# (tests/tasks/vmmctlfuzz): valid and malformed requests through sessions,
# handles and dead handles; every operation must succeed at least once,
# the service must keep answering and all memory must come back.
# VMMCTL_FUZZ_SEED=N replays a seed.
. tests/scenario/lib.sh
conf=$LOGDIR/vmmctl_fuzz.conf
if [ -n "${VMMCTL_FUZZ_SEED:-}" ]; then
	sed "s/args=\"requests=4000\"/args=\"requests=4000 seed=$VMMCTL_FUZZ_SEED\"/" tests/config/vmmctl_fuzz.conf >"$conf"
else
	cp tests/config/vmmctl_fuzz.conf "$conf"
fi
pack=$LOGDIR/vmmctl_fuzz.pack
tools/modpack.sh "$pack" root="$BUILD/user/root.elf" config="$conf" vmmctl="$BUILD/user/vmmctl.elf" \
	vmmctlfuzz="$BUILD/user/vmmctlfuzz.elf" hello="$BUILD/guests/hello.elf" >/dev/null
label=vmmctl_fuzz
boot "$label" --boot direct --cpu max --smp 4 --initrd "$pack" --timeout 240 \
	--until '^vmmctlfuzz: done' --fail-on 'capvisor panic'
expect "$label/seed" '^vmmctlfuzz: seed [0-9]+'
expect "$label/every_op_succeeded" '^vmmctlfuzz: op 29 vm_vcpu_state'
expect_not "$label/no_fail" '^vmmctlfuzz: FAIL'
expect "$label/memory_back" '^vmmctlfuzz: memory back'
expect "$label/done" '^vmmctlfuzz: done 0 failed'
expect_not "$label/no_panic" 'capvisor panic'
finish
