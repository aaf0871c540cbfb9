#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Boots capvisor with `bench` under -icount shift=0 (one instruction = one
# nanosecond of virtual time, so figures are instruction counts and do not
# depend on the machine's load) and prints its "bench NAME VALUE UNIT" lines.
set -euo pipefail
ARCH=arm64 BUILD=
while [ $# -gt 0 ]; do
	case "$1" in
	--arch) ARCH=$2; shift 2 ;;
	--build) BUILD=$2; shift 2 ;;
	*) echo "bench: unknown option $1" >&2; exit 2 ;;
	esac
done
BUILD=${BUILD:-build/$ARCH}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for cpu in max,pauth-impdef=on cortex-a57; do
	if ! tools/run-qemu.sh --arch "$ARCH" --build "$BUILD" --boot direct --cpu "$cpu" --smp 2 \
		--icount --append bench --initrd "$BUILD/user/bench.pack" --log "$log" --timeout 120 \
		--until '^bench: user done' \
		--fail-on 'capvisor panic' >/dev/null 2>&1; then
		echo "bench: the benchmark boot on -cpu $cpu failed; console:" >&2
		cat "$log" >&2
		exit 1
	fi
	tag=${cpu%%,*}
	grep -a '^bench [a-z_0-9]* [0-9]* ' "$log" | tr -d '\r' | sed "s/^bench \([a-z_0-9]*\)/bench \1@$tag/"
done
