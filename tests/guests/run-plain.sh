#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Boots each test guest directly on QEMU's virt machine, without capvisor,
# to validate the guests themselves (tests/guests/README.md). A developer
# tool, not part of `make test`: the test suite runs guests under the
# hypervisor.
#
# usage: tests/guests/run-plain.sh [--build DIR] [--cpus "MODEL..."]
#                                  [--timeout SEC] [--no-build] [GUEST...]
# Without GUEST names it runs every guest. A guest passes when it prints
# "done 0 failed", no FAIL line, and powers QEMU off before the timeout;
# hostile passes when it prints "hostile: looping" and no FAIL or done
# line (QEMU is then killed). Prints one line per guest and CPU model and
# ends with "N passed, N failed"; logs go to BUILD/guests/logs.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
BUILD=build/arm64 CPUS="max cortex-a57" TIMEOUT=60 BUILD_FIRST=1
GUESTS=()
while [ $# -gt 0 ]; do
	case "$1" in
	--build) BUILD=$2; shift 2 ;;
	--cpus) CPUS=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--no-build) BUILD_FIRST=0; shift ;;
	-*) echo "run-plain: unknown option $1" >&2; exit 2 ;;
	*) GUESTS+=("$1"); shift ;;
	esac
done
if [ ${#GUESTS[@]} -eq 0 ]; then
	for f in tests/guests/*/objects.mk; do
		d=$(basename "$(dirname "$f")")
		# echo and uartirq wait for typed input (vmctl console); lib is
		# no guest.
		[ "$d" = lib ] || [ "$d" = echo ] || [ "$d" = uartirq ] || GUESTS+=("$d")
	done
fi

ELFS=()
for g in "${GUESTS[@]}"; do ELFS+=("$BUILD/guests/$g.elf"); done
if [ "$BUILD_FIRST" = 1 ]; then
	make -s "${ELFS[@]}" || exit 2
fi

LOGS=$BUILD/guests/logs
mkdir -p "$LOGS"
passed=0 failed=0

# run_one GUEST CPU: boots, waits for power-off, the timeout or (hostile)
# its last line; sets RESULT to "" on success or a reason.
run_one() {
	local guest=$1 cpu=$2 log=$LOGS/$1-$2.log pid exited=0 start=$SECONDS
	qemu-system-aarch64 -M virt,gic-version=3 -cpu "$cpu" -smp 4 -m 256M \
		-nographic -monitor none -kernel "$BUILD/guests/$guest.elf" \
		</dev/null >"$log" 2>&1 &
	pid=$!
	while :; do
		if ! kill -0 "$pid" 2>/dev/null; then
			exited=1
			break
		fi
		if [ "$guest" = hostile ] && grep -q '^hostile: looping' "$log"; then
			break
		fi
		if [ $((SECONDS - start)) -ge "$TIMEOUT" ]; then
			break
		fi
		sleep 0.1
	done
	if [ "$exited" = 0 ]; then
		kill "$pid" 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -9 "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null

	local clean fail_line
	clean=$(tr -d '\r' <"$log")
	fail_line=$(grep -m1 '^FAIL' <<<"$clean")
	RESULT=
	if [ -n "$fail_line" ]; then
		RESULT=$fail_line
	elif [ "$guest" = hostile ]; then
		if grep -q '^done' <<<"$clean"; then
			RESULT="hostile printed a done line"
		elif ! grep -q '^hostile: looping$' <<<"$clean"; then
			RESULT="no 'hostile: looping' within ${TIMEOUT}s"
		fi
	elif ! grep -q '^done 0 failed$' <<<"$clean"; then
		RESULT="no 'done 0 failed'"
		[ "$exited" = 1 ] || RESULT="$RESULT within ${TIMEOUT}s"
	elif [ "$exited" = 0 ]; then
		RESULT="did not power off (SYSTEM_OFF) within ${TIMEOUT}s"
	fi
}

for guest in "${GUESTS[@]}"; do
	for cpu in $CPUS; do
		run_one "$guest" "$cpu"
		if [ -z "$RESULT" ]; then
			echo "ok $guest ($cpu)"
			passed=$((passed + 1))
		else
			echo "FAIL $guest ($cpu): $RESULT (log: $LOGS/$guest-$cpu.log)"
			failed=$((failed + 1))
		fi
	done
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
