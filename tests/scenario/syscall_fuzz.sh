# SPDX-License-Identifier: BSD-2-Clause
# The system-call fuzzer (tests/tasks/fuzz/) as the root task, direct boot,
# 4 CPUs, twice:
#
#   syscall_fuzz      -cpu max, QEMU's single-threaded TCG (the vCPUs take
#                     turns in one host thread): fast, so many calls
#                     (4 x 25000 random ones);
#   syscall_fuzz_a57  -cpu cortex-a57, multi-threaded TCG (the vCPUs really
#                     run at once): fewer calls, because with more vCPUs
#                     than host CPUs every kernel entry waits on the ticket
#                     lock for a descheduled vCPU, but real concurrency.
#
# Each run checks that the fuzzer finished, that every system call
# succeeded at least once, that the ABI checks it makes on every call found
# nothing, that the free memory came back, and that nothing panicked.
# Every failure message names the seed; replay one with
#   FUZZ_SEED=N tests/run.sh syscall_fuzz
# (FUZZ_ITERS=N changes the calls per thread of the first run.)
# Meant for tests/scenario/ (run by tests/run.sh).
. tests/scenario/lib.sh

# fuzz_check NAME REGEX WHAT: like expect, naming the seed on failure.
fuzz_check() {
	if grep -aEq -- "$2" "$LOG"; then
		pass "$1"
	else
		local got
		got=$(grep -aE -- "$3" "$LOG" | head -3 | tr -d '\r' | tr '\n' ' ')
		fail "$1" "seed $seed: no line matches '$2'${got:+; got: $got}"
	fi
}

fuzz_run() {
	local label=$1 cpu=$2 seed_default=$3 iters=$4 timeout=$5
	shift 5
	seed=${FUZZ_SEED:-$seed_default}
	boot "$label" --boot direct --cpu "$cpu" --smp 4 --initrd "$BUILD/user/fuzz.pack" \
		--append "fuzz_seed=$seed fuzz_iters=$iters" --timeout "$timeout" \
		--until '^fuzz: done' --fail-on 'capvisor panic' "$@"
	fuzz_check "$label/seed_printed" "^fuzz: seed $seed " '^fuzz: seed'
	if grep -aEq "^fuzz: done seed=$seed calls=[0-9]+" "$LOG"; then
		pass "$label/finished"
	else
		local last
		last=$(grep -aE '^fuzz: (worker|finished|setup|cleanup)' "$LOG" | tail -2 | tr -d '\r' | tr '\n' ' ')
		fail "$label/finished" "seed $seed: no 'fuzz: done' (hung, killed or the kernel stopped)${last:+; last: $last}"
	fi
	# Set-up, the THREAD_EXIT test and the clean-up of the helper threads.
	if grep -aEq '^fuzz: (setup|cleanup|thread_exit) FAIL' "$LOG"; then
		fail "$label/setup" "seed $seed: $(grep -aE '^fuzz: (setup|cleanup|thread_exit) FAIL' "$LOG" | head -1 | tr -d '\r')"
	else
		fuzz_check "$label/setup" '^fuzz: fuzzing' '^fuzz: '
	fi
	fuzz_check "$label/coverage" '^fuzz: coverage ok' '^fuzz: coverage'
	fuzz_check "$label/oracles" '^fuzz: oracles ok' '^fuzz: (oracles|VIOLATION|  )'
	fuzz_check "$label/memory_back" '^fuzz: memory back ok' '^fuzz: memory back'
	if grep -aq 'capvisor panic' "$LOG"; then
		fail "$label/no_panic" "seed $seed: $(grep -a 'capvisor panic' "$LOG" | head -1 | tr -d '\r')"
	else
		pass "$label/no_panic"
	fi
}

fuzz_run syscall_fuzz max 20240601 "${FUZZ_ITERS:-25000}" 150 -- -accel tcg,thread=single
fuzz_run syscall_fuzz_a57 cortex-a57 20240602 250 200
finish
