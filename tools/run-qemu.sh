#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Boots capvisor in QEMU, either through UEFI firmware from the boot disk (as
# a machine would) or directly (-kernel with the raw image, x0 = device tree;
# 0.2 s instead of seconds of firmware). Every run outside --interactive has
# a timeout and QEMU is killed when it ends, matched or not.
#
# usage: tools/run-qemu.sh [options] [-- extra QEMU arguments]
#   --arch ARCH          arm64 (default)
#   --build DIR          build directory (default build/ARCH)
#   --boot uefi|direct   how to boot (default uefi)
#   --disk FILE          boot disk for --boot uefi (default BUILD/boot.img)
#   --kernel FILE        raw image for --boot direct (default BUILD/capvisor.bin)
#   --initrd FILE        module archive for --boot direct
#   --append TEXT        kernel command line for --boot direct
#   --cpu MODEL          QEMU CPU model (default max,pauth-impdef=on)
#   --smp N              CPUs (default 4)
#   --mem SIZE           RAM (default 1G)
#   --machine SPEC       QEMU machine (default: the one capvisor targets)
#   --icount             count instructions: -icount shift=0,sleep=off
#   --interactive        console on this terminal (Ctrl-A X quits QEMU)
#   --log FILE           console log (default: a temporary file, printed)
#   --timeout SEC        give up after SEC seconds (default 60)
#   --until REGEX        stop with success once the console matches REGEX
#                        (given more than once: once it matches all of them)
#   --fail-on REGEX      stop with failure once the console matches REGEX
#   --input SCRIPT       type into the serial console as a person would, by
#                        SCRIPT's lines, in order (the timeout still applies):
#                          wait REGEX   until the console, after what the
#                                       last wait matched, matches REGEX
#                                       (carriage returns left out, so $
#                                       is the end of a line or of what
#                                       the console printed so far)
#                          type TEXT    TEXT and Enter (a carriage return)
#                          send TEXT    bytes as printf(1) reads them: \003
#                          sleep SEC    pause
#                        lines starting with # are ignored; without --until,
#                        the run succeeds once the whole script is done
#   --input-wait SEC     a wait of the script gives up, failing the run, after
#                        SEC seconds (default 30)
# exit: 0 when --until matched (or, without --until, QEMU exited by itself
# before the timeout), 1 on timeout, on --fail-on or when QEMU exited early.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ARCH=arm64 BUILD= BOOT=uefi DISK= KERNEL= INITRD= APPEND=
CPU=max,pauth-impdef=on SMP=4 MEM=1G ICOUNT=0 INTERACTIVE=0
LOG= TIMEOUT=60 UNTIL= FAIL_ON= MACHINE= INPUT= INPUT_WAIT=30
UNTIL_ALL=()
EXTRA=()
while [ $# -gt 0 ]; do
	case "$1" in
	--arch) ARCH=$2; shift 2 ;;
	--build) BUILD=$2; shift 2 ;;
	--boot) BOOT=$2; shift 2 ;;
	--disk) DISK=$2; shift 2 ;;
	--kernel) KERNEL=$2; shift 2 ;;
	--initrd) INITRD=$2; shift 2 ;;
	--append) APPEND=$2; shift 2 ;;
	--cpu) CPU=$2; shift 2 ;;
	--smp) SMP=$2; shift 2 ;;
	--mem) MEM=$2; shift 2 ;;
	--machine) MACHINE=$2; shift 2 ;;
	--icount) ICOUNT=1; shift ;;
	--interactive) INTERACTIVE=1; shift ;;
	--log) LOG=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--until) UNTIL=$2; UNTIL_ALL+=("$2"); shift 2 ;;
	--fail-on) FAIL_ON=$2; shift 2 ;;
	--input) INPUT=$2; shift 2 ;;
	--input-wait) INPUT_WAIT=$2; shift 2 ;;
	--) shift; EXTRA=("$@"); break ;;
	*) echo "run-qemu: unknown option $1" >&2; exit 2 ;;
	esac
done
BUILD=${BUILD:-build/$ARCH}
DISK=${DISK:-$BUILD/boot.img}
KERNEL=${KERNEL:-$BUILD/capvisor.bin}

case "$ARCH" in
arm64)
	QEMU=qemu-system-aarch64
	MACHINE=${MACHINE:-virt,virtualization=on,gic-version=3,acpi=off}
	CODE=/usr/share/AAVMF/AAVMF_CODE.fd
	VARS=/usr/share/AAVMF/AAVMF_VARS.fd
	;;
*) echo "run-qemu: unknown arch $ARCH" >&2; exit 2 ;;
esac

args=(-M "$MACHINE" -cpu "$CPU" -smp "$SMP" -m "$MEM" -nographic -nic none -no-reboot)
[ $ICOUNT = 1 ] && args+=(-icount shift=0,sleep=off)
case "$BOOT" in
uefi)
	[ -f "$DISK" ] || { echo "run-qemu: no boot disk $DISK (run make)" >&2; exit 2; }
	# The variable store is opened read-only-with-overlay: no 64 MiB copy.
	args+=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$CODE"
		-drive "if=pflash,format=raw,unit=1,snapshot=on,file=$VARS"
		-drive "if=none,id=bootdisk,format=raw,snapshot=on,file=$DISK"
		-device virtio-blk-device,drive=bootdisk
		-boot menu=on,splash-time=0)
	;;
direct)
	[ -f "$KERNEL" ] || { echo "run-qemu: no kernel image $KERNEL (run make)" >&2; exit 2; }
	args+=(-kernel "$KERNEL")
	[ -n "$INITRD" ] && args+=(-initrd "$INITRD")
	[ -n "$APPEND" ] && args+=(-append "$APPEND")
	;;
*) echo "run-qemu: --boot must be uefi or direct" >&2; exit 2 ;;
esac
args+=("${EXTRA[@]}")

if [ $INTERACTIVE = 1 ]; then
	echo "run-qemu: $QEMU ${args[*]}"
	echo "run-qemu: Ctrl-A X quits"
	exec "$QEMU" "${args[@]}" -serial mon:stdio
fi

# Every --until pattern is on the console.
all_matched() {
	local re
	for re in "${UNTIL_ALL[@]}"; do
		grep -aEq -- "$re" "$LOG" || return 1
	done
}

own_log=0
if [ -z "$LOG" ]; then
	LOG=$(mktemp)
	own_log=1
fi
: >"$LOG"
# Feeds the --input script into fd 3 (the serial's input); what it waits
# for goes to $LOG.wait, so that a timeout can name it.
feed() {
	local off=0 verb arg hit at give_up
	local LC_ALL=C # offsets and lengths in bytes
	while IFS= read -r line || [ -n "$line" ]; do
		verb=${line%% *}
		arg=${line#"$verb"}
		arg=${arg# }
		case "$verb" in
		''|'#'*) ;;
		wait)
			printf '%s\n' "$arg" >"$LOG.wait"
			give_up=$((SECONDS + INPUT_WAIT))
			until hit=$(tr -d '\r' <"$LOG" | tail -c +$((off + 1)) | grep -aboE -m1 -- "$arg" | head -1) &&
				[ -n "$hit" ]; do
				if [ $SECONDS -ge $give_up ]; then
					: >"$LOG.stuck"
					return
				fi
				sleep 0.1
			done
			at=${hit%%:*}
			hit=${hit#*:}
			off=$((off + at + ${#hit}))
			;;
		type) printf '%s\r' "$arg" >&3 ;;
		send) printf -- "$arg" >&3 ;;
		sleep) sleep "$arg" ;;
		*) echo "run-qemu: --input: unknown line: $line" >&2 ;;
		esac
	done <"$INPUT"
	printf 'the end of the input script\n' >"$LOG.wait"
	: >"$LOG.done"
}

fpid=
if [ -n "$INPUT" ]; then
	[ -f "$INPUT" ] || { echo "run-qemu: no input script $INPUT" >&2; exit 2; }
	rm -f "$LOG.done" "$LOG.stuck"
	FIFO=$(mktemp -u)
	mkfifo "$FIFO"
	exec 3<>"$FIFO"
	"$QEMU" "${args[@]}" -monitor none -serial stdio <&3 >"$LOG" 2>"$LOG.qemu" &
	qpid=$!
	feed &
	fpid=$!
else
	"$QEMU" "${args[@]}" -monitor none -serial "file:$LOG" </dev/null >"$LOG.qemu" 2>&1 &
	qpid=$!
fi
cleanup() {
	[ -n "$fpid" ] && { kill $fpid 2>/dev/null || true; wait $fpid 2>/dev/null || true; }
	kill -9 $qpid 2>/dev/null || true
	wait $qpid 2>/dev/null || true
	[ -n "$INPUT" ] && { exec 3>&-; rm -f "$FIFO"; }
	return 0
}
trap cleanup EXIT

status=1 reason="timeout after ${TIMEOUT}s"
deadline=$((SECONDS + TIMEOUT))
while [ $SECONDS -lt $deadline ]; do
	if [ -n "$FAIL_ON" ] && grep -aEq -- "$FAIL_ON" "$LOG"; then
		reason="console matched failure pattern '$FAIL_ON'"
		break
	fi
	if [ -n "$UNTIL" ] && all_matched; then
		status=0 reason=
		break
	fi
	if [ -n "$INPUT" ] && [ -z "$UNTIL" ] && [ -e "$LOG.done" ]; then
		status=0 reason=
		break
	fi
	if [ -n "$INPUT" ] && [ -e "$LOG.stuck" ]; then
		reason="input: the console did not show it within ${INPUT_WAIT}s"
		break
	fi
	if ! kill -0 $qpid 2>/dev/null; then
		if [ -z "$UNTIL" ]; then
			status=0 reason=
		else
			reason="QEMU exited before the console matched '$UNTIL'"
			[ -s "$LOG.qemu" ] && reason="$reason: $(tail -1 "$LOG.qemu")"
		fi
		break
	fi
	sleep 0.1
done
[ $status = 1 ] && [ -n "$INPUT" ] && [ -s "$LOG.wait" ] && reason="$reason; it was waiting for: $(cat "$LOG.wait")"
cleanup
trap - EXIT
# A last look: the line may have arrived while QEMU was being stopped.
if [ $status = 1 ] && [ -n "$UNTIL" ] && [ -z "$FAIL_ON" ] && all_matched; then
	status=0 reason=
fi
[ $own_log = 1 ] && cat "$LOG"
[ -n "$reason" ] && echo "run-qemu: $reason" >&2
[ $own_log = 1 ] && rm -f "$LOG" "$LOG.qemu"
rm -f "$LOG.wait" "$LOG.done" "$LOG.stuck"
exit $status
