#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Manual test of the console service's input path (the scenario runner's
# serial is output only): boots conboot.pack with the serial on a pipe,
# types lines and Ctrl-T, and checks where the input went. Prints
# "ok NAME" / "FAIL NAME" lines like the scenario tests.
# usage: tests/tasks/conclient/input-test.sh [BUILD]   (default build/arm64)
set -u
cd "$(dirname "$0")/../../.."
BUILD=${1:-build/arm64}
DIR=$(mktemp -d)
LOG=$DIR/console.log
mkfifo "$DIR/in"
qpid=
trap '[ -n "$qpid" ] && kill -9 $qpid 2>/dev/null; rm -rf "$DIR"' EXIT
# Waits until alpha is gone (the focus is then beta's), then types.
feed() {
	for _ in $(seq 600); do
		grep -aq '^\[alpha\] unterminated' "$LOG" && break
		sleep 0.1
	done
	sleep 1
	printf 'hello there\r'; sleep 1
	printf 'two\rlines\r'; sleep 1
	printf '\024'; sleep 1 # Ctrl-T: to gamma (unnamed: client 3)
	printf 'for gamma\r'; sleep 1
	printf 'quit\r'; sleep 1
	printf '\024'; sleep 1 # back to beta
	printf 'quit\r'
	for _ in $(seq 100); do
		grep -aq '^\[beta\] conclient: input done' "$LOG" && break
		sleep 0.1
	done
}
timeout 120 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3,acpi=off \
	-cpu max,pauth-impdef=on -smp 4 -m 1G -display none -nic none -no-reboot \
	-kernel "$BUILD/capvisor.bin" -initrd "$BUILD/user/conboot.pack" \
	-monitor none -serial stdio <"$DIR/in" >"$LOG" 2>&1 &
qpid=$!
exec 3>"$DIR/in"
feed >&3
kill -9 $qpid 2>/dev/null
wait $qpid 2>/dev/null
qpid=
failed=0
expect() {
	if grep -aq -- "$2" "$LOG"; then echo "ok $1"; else echo "FAIL $1: no line '$2'"; failed=1; fi
}
expect conboot_done '^conboot: done 0 failed'
expect checks '^\[alpha\] conclient: checks done 0 failed'
expect close_flush '^\[alpha\] unterminated'
expect beta_line '^\[beta\] conclient: got "hello there"'
expect beta_two '^\[beta\] conclient: got "two"'
expect beta_lines '^\[beta\] conclient: got "lines"'
expect focus_gamma '^\[console\] input focus: client 3'
expect gamma_line '^\[client 3\] conclient: got "for gamma"'
expect gamma_quit '^\[client 3\] conclient: input done'
expect beta_quit '^\[beta\] conclient: input done'
if grep -aq '^\[client 3\] conclient: got "two"\|^\[beta\] conclient: got "for gamma"' "$LOG"; then
	echo "FAIL routing: input went to the task without the focus"; failed=1
else
	echo "ok routing"
fi
[ $failed = 0 ] || { echo "--- console:"; tr -d '\r' <"$LOG"; }
exit $failed
