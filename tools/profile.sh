#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Where the instructions of a `make bench` benchmark go: boots the bench task
# under -icount with QEMU's `-d exec,in_asm,nochain` (every executed
# translation block is logged), keeps the blocks executed between the first
# one in user function FROM and the next one in TO, weights each by its
# length and sums them per function (kernel or user), divided by ROUNDS.
# Translation blocks are cut at branches, so the figures are exact for code
# that runs whole blocks; an interrupt in the window adds its own blocks.
#
# usage: tools/profile.sh [--cpu MODEL] [--from SYM] [--to SYM] [--rounds N]
#                         [--stop REGEX] [--build DIR] [--annotate FUNC] [--nth N]
# --nth N profiles the Nth window (default 1; 2 with --stop '^bench: user
# done' is the cross-CPU IPC round trip).
# --annotate FUNC also lists FUNC's executed blocks: start address, length
# and executions per round (read them against objdump -d).
# defaults: the same-CPU IPC round trip (bench_ipc .. printf, 10000 rounds).
# --guest profiles the bench guest under the test monitor instead (as
# tools/bench.sh runs it; the guest's and the monitor's symbols join the
# kernel's); its default window is the MMIO round trip (the second one from
# timer_now to report, 4096 rounds).
set -euo pipefail
ARCH=arm64 BUILD= CPU=max,pauth-impdef=on FROM= TO= ROUNDS= STOP= ANNOTATE= NTH= GUEST=0
while [ $# -gt 0 ]; do
	case "$1" in
	--build) BUILD=$2; shift 2 ;;
	--cpu) CPU=$2; shift 2 ;;
	--from) FROM=$2; shift 2 ;;
	--to) TO=$2; shift 2 ;;
	--rounds) ROUNDS=$2; shift 2 ;;
	--stop) STOP=$2; shift 2 ;;
	--annotate) ANNOTATE=$2; shift 2 ;;
	--nth) NTH=$2; shift 2 ;;
	--guest) GUEST=1; shift ;;
	*) echo "profile: unknown option $1" >&2; exit 2 ;;
	esac
done
BUILD=${BUILD:-build/$ARCH}
if [ $GUEST = 1 ]; then
	FROM=${FROM:-timer_now} TO=${TO:-report} ROUNDS=${ROUNDS:-4096} NTH=${NTH:-2}
	STOP=${STOP:-'bench mmio_read_vmm_roundtrip'}
	mkdir -p "$BUILD/test-packs"
	echo "vm bench bench cpu=0 vcpus=2" >"$BUILD/test-packs/bench-vm.conf"
	tools/modpack.sh "$BUILD/test-packs/bench-vm.pack" root="$BUILD/user/testvmm.elf" \
		vmm.conf="$BUILD/test-packs/bench-vm.conf" bench="$BUILD/guests/bench.elf" >/dev/null
	PACK=$BUILD/test-packs/bench-vm.pack APPEND=() ELFS=("$BUILD/user/testvmm.elf" "$BUILD/guests/bench.elf")
else
	FROM=${FROM:-bench_ipc} TO=${TO:-printf} ROUNDS=${ROUNDS:-10000} NTH=${NTH:-1}
	STOP=${STOP:-'^bench ipc_call_reply_same_cpu'}
	PACK=$BUILD/user/bench.pack APPEND=(--append bench) ELFS=("$BUILD/user/bench.elf")
fi
NM=${CROSS_COMPILE:-aarch64-linux-gnu-}nm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The trace grows by hundreds of MB a second once the benchmark is done:
# stop as soon as the figure is printed.
tools/run-qemu.sh --arch "$ARCH" --build "$BUILD" --boot direct --cpu "$CPU" --smp 2 --icount \
	"${APPEND[@]}" --initrd "$PACK" --log "$tmp/console" --timeout 300 \
	--until "$STOP" --fail-on 'capvisor panic' \
	-- -d exec,in_asm,nochain -D "$tmp/trace" >/dev/null 2>&1 ||
	{ echo "profile: the benchmark boot failed" >&2; cat "$tmp/console" >&2; exit 1; }

for elf in "$BUILD/capvisor.elf" "${ELFS[@]}"; do "$NM" -n "$elf"; done |
	awk '$2 ~ /^[tTwW]$/ { print $1, $3 }' | sort -u >"$tmp/syms"

gawk -v from="$FROM" -v to="$TO" -v rounds="$ROUNDS" -v symfile="$tmp/syms" -v annotate="$ANNOTATE" -v nth="$NTH" '
function hex(s) { return strtonum("0x" s) }
# The function holding pc: binary search in the sorted symbol table.
function fn(pc,   lo, hi, mid) {
	if (pc in fcache)
		return fcache[pc]
	lo = 1; hi = nsym
	if (nsym == 0 || pc < addr[1])
		return fcache[pc] = "?"
	while (lo < hi) {
		mid = int((lo + hi + 1) / 2)
		if (addr[mid] <= pc) lo = mid; else hi = mid - 1
	}
	return fcache[pc] = name[lo]
}
BEGIN {
	while ((getline line < symfile) > 0) {
		split(line, f, " ")
		nsym++; addr[nsym] = hex(f[1]); name[nsym] = f[2]
	}
	state = 0 # 0: before the window, 1: inside, 2: after
}
/^IN:/ { inblock = 1; start = ""; n = 0; next }
inblock && /^0x[0-9a-f]+:/ {
	if (start == "") start = hex(substr($1, 3, length($1) - 3))
	n++
	next
}
inblock { if (start != "") len[start] = n; inblock = 0 }
/^Trace / {
	if (state == 2) next
	split($4, f, "/")
	pc = hex(f[2])
	name_pc = fn(pc)
	if (state == 0) {
		if (name_pc != from) next
		state = 1
	} else if (name_pc == to) {
		state = ++windows < nth ? 0 : 2
		if (state == 0) { delete count; delete blocks; total = 0 }
		next
	}
	count[name_pc] += len[pc]
	total += len[pc]
	if (name_pc == annotate)
		blocks[pc]++
}
END {
	if (state == 0) { print "profile: the window never opened" > "/dev/stderr"; exit 1 }
	for (k in count)
		printf "%8.1f  %s\n", count[k] / rounds, k | "sort -rn"
	close("sort -rn")
	printf "%8.1f  total per round\n", total / rounds
	for (b in blocks)
		printf "  %x  %2d insns  %6.2f times\n", b, len[b], blocks[b] / rounds | "sort"
	close("sort")
}' "$tmp/trace"
