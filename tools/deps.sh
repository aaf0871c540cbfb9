#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Installs what building and testing capvisor needs, from Debian's archive,
# idempotently: packages already installed are skipped, `apt-get update` runs
# only when something is missing, and third-party sources (GNU-EFI for arm64,
# libfdt) are fetched into build/deps only once.
#
# usage: tools/deps.sh [ARCH]        (ARCH defaults to arm64)
set -euo pipefail

ARCH=${1:-arm64}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEPS=$ROOT/build/deps
mkdir -p "$DEPS"

log() { echo "deps: $*"; }
die() { echo "deps: error: $*" >&2; exit 1; }

SUDO=
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || die "run as root or install sudo"
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive

# Packages for the host side of every architecture, then per architecture.
PKGS_COMMON="make gcc libc6-dev binutils gawk coreutils dpkg-dev xz-utils mtools dosfstools device-tree-compiler gdb-multiarch"
case "$ARCH" in
arm64) PKGS_ARCH="gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-system-arm qemu-efi-aarch64 picolibc-aarch64-linux-gnu" ;;
*) die "unknown ARCH '$ARCH' (supported: arm64)" ;;
esac

apt_updated=0
apt_update_once() {
	if [ $apt_updated = 0 ]; then
		log "apt-get update"
		$SUDO apt-get update -qq || die "apt-get update failed"
		apt_updated=1
	fi
}

missing=()
for p in $PKGS_COMMON $PKGS_ARCH; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	apt_update_once
	log "installing ${missing[*]}"
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed"
fi

# Source entries are derived from the machine's own binary entries, so no
# mirror host is ever written into the repository.
ensure_deb_src() {
	if apt-get indextargets 2>/dev/null | grep -q '^Identifier: Sources$'; then
		return
	fi
	local f=/etc/apt/sources.list.d/capvisor-deb-src
	if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
		for s in /etc/apt/sources.list.d/*.sources; do
			case "$s" in *capvisor-deb-src*) continue ;; esac
			sed -n 's/^Types:.*\bdeb\b.*/Types: deb-src/;p' "$s"
			echo
		done | $SUDO tee "$f.sources" >/dev/null
	fi
	if [ -f /etc/apt/sources.list ]; then
		sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list | $SUDO tee "$f.list" >/dev/null
	fi
	apt_updated=0
	apt_update_once
}

# GNU-EFI for arm64: Debian's binary package, unpacked (not installed), so an
# x86-64 build machine can link arm64 EFI applications.
fetch_gnu_efi_arm64() {
	local dest=$DEPS/gnu-efi-arm64
	[ -f "$dest/usr/lib/libgnuefi.a" ] && return
	dpkg --print-foreign-architectures | grep -qx arm64 || {
		log "adding dpkg architecture arm64"
		$SUDO dpkg --add-architecture arm64
		apt_updated=0
	}
	apt_update_once
	local tmp
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -q gnu-efi:arm64 >/dev/null 2>&1) || {
		apt_updated=0; apt_update_once
		(cd "$tmp" && apt-get download -q gnu-efi:arm64 >/dev/null) || die "apt-get download gnu-efi:arm64 failed"
	}
	rm -rf "$dest"
	dpkg -x "$tmp"/gnu-efi_*_arm64.deb "$dest"
	rm -rf "$tmp"
	log "gnu-efi (arm64) unpacked into $dest"
}

# libfdt from a Debian source package, compiled later by the Makefile with the
# kernel's own freestanding flags. device-tree-compiler is its home; when its
# tarballs are missing from the archive, arm-trusted-firmware carries the same
# libfdt unmodified (see docs/build.md).
fetch_libfdt() {
	local dest=$DEPS/libfdt
	[ -f "$dest/SOURCE" ] && [ -f "$dest/src/fdt.c" ] && return
	ensure_deb_src
	command -v dpkg-source >/dev/null || die "dpkg-source missing (dpkg-dev)"
	local tmp
	tmp=$(mktemp -d)
	chmod 755 "$tmp"
	rm -rf "$dest"
	mkdir -p "$dest/src" "$dest/include"
	if (cd "$tmp" && apt-get source -q --download-only device-tree-compiler >/dev/null 2>&1) &&
		(cd "$tmp" && dpkg-source -x --no-check ./device-tree-compiler_*.dsc dtc >/dev/null 2>&1); then
		cp "$tmp"/dtc/libfdt/*.c "$tmp"/dtc/libfdt/libfdt_internal.h "$dest/src/"
		cp "$tmp"/dtc/libfdt/fdt.h "$tmp"/dtc/libfdt/libfdt.h "$tmp"/dtc/libfdt/libfdt_env.h "$dest/include/"
		echo "device-tree-compiler $(cd "$tmp" && ls device-tree-compiler_*.dsc)" >"$dest/SOURCE"
	else
		log "device-tree-compiler source unavailable; using libfdt from arm-trusted-firmware"
		rm -rf "$tmp"/*
		(cd "$tmp" && apt-get source -q --download-only arm-trusted-firmware >/dev/null) ||
			die "neither device-tree-compiler nor arm-trusted-firmware sources could be downloaded"
		(cd "$tmp" && dpkg-source -x --no-check ./arm-trusted-firmware_*.dsc atf >/dev/null) ||
			die "unpacking arm-trusted-firmware failed"
		cp "$tmp"/atf/lib/libfdt/*.c "$tmp"/atf/lib/libfdt/libfdt_internal.h "$dest/src/"
		cp "$tmp"/atf/include/lib/libfdt/*.h "$dest/include/"
		echo "arm-trusted-firmware $(cd "$tmp" && ls arm-trusted-firmware_*.dsc)" >"$dest/SOURCE"
	fi
	rm -rf "$tmp"
	log "libfdt from $(cat "$dest/SOURCE")"
}

case "$ARCH" in
arm64) fetch_gnu_efi_arm64 ;;
esac
fetch_libfdt
