#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Boots capvisor with `bench`, then the bench guest under the test monitor,
# under -icount shift=0 (one instruction = one nanosecond of virtual time,
# so figures are instruction counts and do not depend on the machine's
# load) and prints their "bench NAME VALUE UNIT" lines.
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
# bench_boots WHAT PACK UNTIL PREFIX TIMEOUT [run-qemu options]: boots PACK
# under -icount on both CPU models until UNTIL (at most TIMEOUT seconds)
# and prints its "PREFIXbench NAME VALUE UNIT" lines as "bench NAME@CPU
# VALUE UNIT".
bench_boots() {
	local what=$1 pack=$2 until=$3 prefix=$4 timeout=$5 cpu tag
	shift 5
	for cpu in max,pauth-impdef=on cortex-a57; do
		if ! tools/run-qemu.sh --arch "$ARCH" --build "$BUILD" --boot direct --cpu "$cpu" --smp 2 \
			--icount --initrd "$pack" --log "$log" --timeout "$timeout" "$@" \
			--until "$until" --fail-on 'capvisor panic' >/dev/null 2>&1; then
			echo "bench: the $what boot on -cpu $cpu failed; console:" >&2
			cat "$log" >&2
			exit 1
		fi
		tag=${cpu%%,*}
		grep -a "^${prefix}bench [a-z_0-9]* [0-9]* " "$log" | tr -d '\r' |
			sed "s/^${prefix}bench \([a-z_0-9]*\)/bench \1@$tag/"
	done
}

bench_boots benchmark "$BUILD/user/bench.pack" '^bench: user done' '' 120 --append bench

# The virtualization benchmarks: the bench guest (tests/guests/bench) under
# the test monitor, vCPU 0 on the monitor's CPU (an MMIO exit is a
# same-CPU IPC round trip), vCPU 1 on the other CPU.
packs=$BUILD/test-packs
mkdir -p "$packs"
echo "vm bench bench cpu=0 vcpus=2" >"$packs/bench-vm.conf"
tools/modpack.sh "$packs/bench-vm.pack" root="$BUILD/user/testvmm.elf" vmm.conf="$packs/bench-vm.conf" \
	bench="$BUILD/guests/bench.elf"
bench_boots "guest benchmark" "$packs/bench-vm.pack" '^vmm: done' '\[bench\] ' 300

# The control service: monitor-mode VM create+destroy cycles through
# libvmctl (tests/tasks/vmmctlbench), service and client on CPU 0.
tools/modpack.sh "$packs/vmmctl-bench.pack" root="$BUILD/user/root.elf" config=tests/config/vmmctl_bench.conf \
	vmmctl="$BUILD/user/vmmctl.elf" vmmctlbench="$BUILD/user/vmmctlbench.elf" >/dev/null
bench_boots "vmmctl benchmark" "$packs/vmmctl-bench.pack" '^vmmctlbench: done' '' 300
