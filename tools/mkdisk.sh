#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Builds capvisor's boot disk: an MBR-partitioned image with one EFI system
# partition (FAT) holding
#   \EFI\BOOT\<loader name>        the GNU-EFI loader (BOOTAA64.EFI on arm64)
#   \capvisor\capvisor.elf         the kernel
#   \capvisor\boot.cfg             the boot manifest (docs/boot.md)
#   \capvisor\modules\NAME         one file per --module
# Neither root nor loop devices are needed (mkfs.vfat and mtools work on
# files), and the same inputs give the same image byte for byte.
#
# usage: tools/mkdisk.sh --out IMG --loader EFI --kernel ELF [options]
#   --cmdline TEXT       kernel command line (one line)
#   --module NAME=FILE   a boot module (repeatable, in boot order)
#   --manifest FILE      use FILE as boot.cfg instead of writing one
#                        (for tests that need a broken manifest)
#   --size MIB           image size (default: 32, or more if the files need it)
set -euo pipefail

die() { echo "mkdisk: $*" >&2; exit 1; }

OUT= LOADER= KERNEL= CMDLINE= MANIFEST= SIZE=
MODULES=()
while [ $# -gt 0 ]; do
	case "$1" in
	--out) OUT=$2; shift 2 ;;
	--loader) LOADER=$2; shift 2 ;;
	--kernel) KERNEL=$2; shift 2 ;;
	--cmdline) CMDLINE=$2; shift 2 ;;
	--module) MODULES+=("$2"); shift 2 ;;
	--manifest) MANIFEST=$2; shift 2 ;;
	--size) SIZE=$2; shift 2 ;;
	*) die "unknown option $1 (see the header of $0)" ;;
	esac
done
[ -n "$OUT" ] || die "--out is required"
[ -f "$LOADER" ] || die "no loader '$LOADER' (--loader)"
[ -f "$KERNEL" ] || die "no kernel '$KERNEL' (--kernel)"
[ -z "$MANIFEST" ] || [ -f "$MANIFEST" ] || die "no manifest '$MANIFEST'"
case "$CMDLINE" in *$'\n'* | *$'\r'*) die "--cmdline must be one line" ;; esac
[ ${#CMDLINE} -lt 512 ] || die "--cmdline is longer than 511 bytes"
for tool in mkfs.vfat mmd mcopy; do
	command -v $tool >/dev/null || die "$tool missing (run tools/deps.sh)"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The manifest, unless the caller brought one.
cfg=$tmp/boot.cfg
if [ -n "$MANIFEST" ]; then
	cp "$MANIFEST" "$cfg"
else
	{
		echo "# capvisor boot manifest, written by tools/mkdisk.sh"
		echo 'kernel \capvisor\capvisor.elf'
		[ -z "$CMDLINE" ] || echo "cmdline $CMDLINE"
		for m in ${MODULES[@]+"${MODULES[@]}"}; do
			echo "module ${m%%=*} \\capvisor\\modules\\${m%%=*}"
		done
	} >"$cfg"
fi

# Module names become file names: keep them to what FAT and the manifest take.
content=$(( $(stat -c %s "$LOADER") + $(stat -c %s "$KERNEL") ))
for m in ${MODULES[@]+"${MODULES[@]}"}; do
	name=${m%%=*} file=${m#*=}
	[ "$name" != "$m" ] || die "--module wants NAME=FILE, not '$m'"
	[[ $name =~ ^[A-Za-z0-9._-]{1,47}$ ]] || die "module name '$name': use 1-47 of A-Z a-z 0-9 . _ -"
	[ -f "$file" ] || die "module $name: no file '$file'"
	content=$((content + $(stat -c %s "$file")))
done

# Size: room for the files plus slack for FAT overhead; at least 32 MiB.
need=$(( content / 1048576 + 8 ))
[ -n "$SIZE" ] || SIZE=$(( need > 32 ? need : 32 ))
[ "$SIZE" -ge "$need" ] || die "--size $SIZE MiB is too small for the files ($need MiB needed)"

# The partition starts at 1 MiB, where partitioning tools put it.
START=2048
SECTORS=$(( (SIZE - 1) * 2048 ))
fs=$tmp/fs.img
# --invariant and a fixed volume ID: no random or time-based fields.
mkfs.vfat -C --invariant -i 43415056 -n CAPVISOR -h $START "$fs" $((SECTORS / 2)) >/dev/null

# mtools stamps files with their modification time (-m) and directories
# with the current time unless SOURCE_DATE_EPOCH says otherwise. FAT keeps
# local time from 1980 on: default to its first second, in UTC.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-315532800} TZ=UTC
export MTOOLS_SKIP_CHECK=1
stage=$tmp/stage
mkdir "$stage"
put() { # put SOURCE DEST-PATH-IN-FS
	local staged
	staged=$stage/$(basename "$2")
	cp "$1" "$staged"
	touch -d "@$SOURCE_DATE_EPOCH" "$staged"
	mcopy -m -o -i "$fs" "$staged" "::$2"
	rm -f "$staged"
}
mmd -i "$fs" ::/EFI ::/EFI/BOOT ::/capvisor
put "$LOADER" "/EFI/BOOT/$(basename "$LOADER")"
put "$KERNEL" /capvisor/capvisor.elf
put "$cfg" /capvisor/boot.cfg
if [ ${#MODULES[@]} -gt 0 ]; then
	mmd -i "$fs" ::/capvisor/modules
	for m in "${MODULES[@]}"; do
		put "${m#*=}" "/capvisor/modules/${m%%=*}"
	done
fi

# MBR: one partition of type 0xEF (EFI system partition), LBA only (the
# CHS fields say "beyond CHS" as usual), a fixed disk signature.
le32() { printf "\\x$(printf %02x $(($1 & 255)))\\x$(printf %02x $((($1 >> 8) & 255)))\\x$(printf %02x $((($1 >> 16) & 255)))\\x$(printf %02x $((($1 >> 24) & 255)))"; }
mbr=$tmp/mbr.img
truncate -s $((START * 512)) "$mbr"
{
	le32 0x43415056                 # disk signature, offset 440
	printf '\x00\x00'               # reserved
	printf '\x00\xfe\xff\xff'       # not active; first CHS
	printf '\xef\xfe\xff\xff'       # type EF; last CHS
	le32 $START
	le32 $SECTORS
} | dd of="$mbr" bs=1 seek=440 conv=notrunc status=none
printf '\x55\xaa' | dd of="$mbr" bs=1 seek=510 conv=notrunc status=none

cat "$mbr" "$fs" >"$tmp/disk.img"
mkdir -p "$(dirname "$OUT")"
mv "$tmp/disk.img" "$OUT"
