#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Scenario: the UEFI loader is given a kernel ELF it must refuse. For each
# kind of damage it must print why, return to the firmware (which then says
# it failed to start the boot option) and never call ExitBootServices.
# The damaged kernels are made from the real one: the wrong e_machine, and
# the file cut off inside its program headers.
#
# env: BUILD (e.g. build/arm64), ARCH, LOGDIR (logs and disks are kept there)
# exit: 0 on pass; otherwise 1, with the reason as the last line of stdout.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
ARCH=${ARCH:-arm64}
BUILD=${BUILD:-build/$ARCH}
LOGDIR=${LOGDIR:-$BUILD/logs}
NAME=loader_corrupt_kernel

fail() { echo "$NAME: FAIL: $*"; exit 1; }

mkdir -p "$LOGDIR" || fail "cannot create LOGDIR $LOGDIR"
KERNEL=$BUILD/capvisor.elf
LOADER=$(ls "$BUILD"/boot/BOOT*.EFI 2>/dev/null | head -1)
[ -f "$KERNEL" ] || fail "no kernel $KERNEL (run make)"
[ -n "$LOADER" ] || fail "no loader in $BUILD/boot (run make)"
case "$ARCH" in
arm64) WRONG_MACHINE='\x3e\x00' ;; # EM_X86_64
x86_64) WRONG_MACHINE='\xb7\x00' ;; # EM_AARCH64
*) fail "unknown ARCH $ARCH" ;;
esac

# boot_case TAG ELF EXPECTED-REASON LOG
boot_case() {
	local tag=$1 elf=$2 reason=$3 log=$4
	local img=$LOGDIR/$NAME-$tag.img
	local loaded refused returned firmware

	tools/mkdisk.sh --out "$img" --loader "$LOADER" --kernel "$elf" ||
		fail "$tag: could not build the disk"
	# The firmware's own "failed to start" line proves it got control back.
	tools/run-qemu.sh --arch "$ARCH" --build "$BUILD" --boot uefi --disk "$img" \
		--log "$log" --timeout 60 --until 'BdsDxe: failed to start' \
		--fail-on 'capvisor loader: entering kernel' >/dev/null 2>"$log.run"
	grep -aq 'capvisor loader: manifest' "$log" ||
		fail "$tag: the loader never ran (see $log)"
	grep -aq 'capvisor loader: entering kernel' "$log" &&
		fail "$tag: the loader accepted a corrupt kernel (see $log)"
	grep -aqF "is not a valid kernel: $reason" "$log" ||
		fail "$tag: no validation error '$reason' (see $log)"
	refused=$(grep -an 'is not a valid kernel' "$log" | head -1 | cut -d: -f1)
	returned=$(grep -an 'capvisor loader: returning to firmware' "$log" | head -1 | cut -d: -f1)
	firmware=$(grep -an 'BdsDxe: failed to start' "$log" | head -1 | cut -d: -f1)
	[ -n "$returned" ] || fail "$tag: the loader did not say it returned to the firmware (see $log)"
	[ -n "$firmware" ] || fail "$tag: the firmware never got control back: hang? (see $log)"
	[ "$refused" -le "$returned" ] && [ "$returned" -le "$firmware" ] ||
		fail "$tag: messages out of order (see $log)"
	loaded=$(grep -ac 'capvisor loader: kernel .* at 0x' "$log")
	[ "$loaded" = 0 ] || fail "$tag: the loader placed the kernel before refusing it (see $log)"
	echo "$NAME: $tag: refused ($reason) and returned to the firmware"
}

bad=$LOGDIR/$NAME-machine.elf
cp "$KERNEL" "$bad" || fail "cannot copy $KERNEL"
printf "$WRONG_MACHINE" | dd of="$bad" bs=1 seek=18 conv=notrunc status=none ||
	fail "cannot patch e_machine"
boot_case machine "$bad" "ELF file for another machine (e_machine)" "$LOGDIR/$NAME.log"

# 100 bytes: a whole ELF header, a third of the first program header.
bad=$LOGDIR/$NAME-truncated.elf
head -c 100 "$KERNEL" >"$bad" || fail "cannot truncate $KERNEL"
boot_case truncated "$bad" "program headers past the end of the file" "$LOGDIR/$NAME-truncated.log"

echo "$NAME: pass"
