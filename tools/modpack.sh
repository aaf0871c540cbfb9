#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Builds a module pack (include/boot/modpack.h): several boot modules in
# one file, so a direct boot (QEMU -initrd) carries the root task, its
# configuration and other modules. Entries are in argument order; every
# module's data starts on a MODPACK_ALIGN (4 KiB) boundary; integers are
# little-endian. Needs only bash and coreutils.
#
# usage: tools/modpack.sh OUT NAME=FILE...     build OUT
#        tools/modpack.sh --list PACK          print "NAME OFFSET SIZE" per module
#
# NAME: 1 to 47 printable ASCII characters, no spaces, unique in the pack.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MAGIC=CVMODPK1
ALIGN=4096
HEADER_SIZE=16
ENTRY_SIZE=64
NAME_MAX=47 # name[48], NUL-terminated

die() { echo "modpack: $*" >&2; exit 1; }

# The module limit is the kernel's (include/boot/boot_info.h); read, not copied.
MODULES_MAX=$(sed -n 's/^#define BOOT_MODULES_MAX[[:space:]]\{1,\}\([0-9]\{1,\}\).*/\1/p' \
	"$ROOT/include/boot/boot_info.h")
[ -n "$MODULES_MAX" ] || die "cannot read BOOT_MODULES_MAX from include/boot/boot_info.h"

# Writes $1 as an n-byte ($2) little-endian integer.
le() {
	local v=$1 n=$2 i out=
	for ((i = 0; i < n; i++)); do
		out+=$(printf '\\%03o' $((v & 255)))
		v=$((v >> 8))
	done
	printf "$out"
}

# Writes $1 zero bytes.
zeros() {
	[ "$1" -gt 0 ] && head -c "$1" /dev/zero
	return 0
}

align_up() { echo $((($1 + ALIGN - 1) / ALIGN * ALIGN)); }

# Reads an n-byte ($3) little-endian integer at offset $2 of file $1.
read_le() {
	local v=0 i b
	local -a bytes
	read -r -a bytes < <(od -An -v -tu1 -j "$2" -N "$3" "$1")
	[ ${#bytes[@]} = "$3" ] || die "$1: truncated at offset $2"
	for ((i = $3 - 1; i >= 0; i--)); do
		b=${bytes[$i]}
		v=$(((v << 8) | b))
	done
	echo "$v"
}

list() {
	local pack=$1 count i off name
	[ -f "$pack" ] || die "$pack: no such file"
	[ "$(head -c 8 "$pack")" = "$MAGIC" ] || die "$pack: not a module pack"
	count=$(read_le "$pack" 8 4)
	for ((i = 0; i < count; i++)); do
		off=$((HEADER_SIZE + i * ENTRY_SIZE))
		name=$(head -c $((off + 48)) "$pack" | tail -c 48 | tr -d '\0')
		echo "$name $(read_le "$pack" $((off + 48)) 8) $(read_le "$pack" $((off + 56)) 8)"
	done
}

if [ "${1:-}" = --list ]; then
	[ $# = 2 ] || die "usage: $0 --list PACK"
	list "$2"
	exit 0
fi

[ $# -ge 2 ] || die "usage: $0 OUT NAME=FILE... (at least one module)"
out=$1
shift
[ $# -le "$MODULES_MAX" ] || die "$# modules; a pack holds at most $MODULES_MAX"

names=() files=() sizes=() offsets=()
offset=$(align_up $((HEADER_SIZE + $# * ENTRY_SIZE)))
for arg in "$@"; do
	case "$arg" in *=*) ;; *) die "'$arg' is not NAME=FILE" ;; esac
	name=${arg%%=*}
	file=${arg#*=}
	[ -n "$name" ] && [ ${#name} -le $NAME_MAX ] || die "module name '$name' must be 1 to $NAME_MAX characters"
	[[ "$name" =~ ^[!-~]+$ ]] || die "module name '$name' must be printable ASCII without spaces"
	for n in "${names[@]}"; do
		[ "$n" != "$name" ] || die "module name '$name' given twice"
	done
	[ -f "$file" ] && [ -r "$file" ] || die "$file: not a readable file"
	size=$(stat -L -c %s -- "$file")
	names+=("$name") files+=("$file") sizes+=("$size") offsets+=("$offset")
	offset=$(align_up $((offset + size)))
done

tmp=$out.tmp.$$
trap 'rm -f "$tmp"' EXIT
{
	printf '%s' "$MAGIC"
	le $# 4
	le 0 4
	for i in "${!names[@]}"; do
		printf '%s' "${names[$i]}"
		zeros $((48 - ${#names[$i]}))
		le "${offsets[$i]}" 8
		le "${sizes[$i]}" 8
	done
	pos=$((HEADER_SIZE + $# * ENTRY_SIZE))
	for i in "${!names[@]}"; do
		zeros $((offsets[i] - pos))
		cat -- "${files[$i]}"
		pos=$((offsets[i] + sizes[i]))
	done
} >"$tmp"
# The file must be exactly as planned (a file that changed meanwhile is not).
[ "$(stat -c %s "$tmp")" = "$pos" ] || die "a module changed size while being packed"
mv -f "$tmp" "$out"
trap - EXIT
