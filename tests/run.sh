#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Runs every test: the host unit-test programs, then the scenario tests
# (QEMU boots, two at a time). Prints one line per test, "ok NAME" or
# "FAIL NAME: reason (log: PATH)", and ends with "N passed, N failed".
#
# The runner knows which tests must report (tests/expected.txt): one that
# did not run or printed no result counts as failed, so nothing passes by
# being skipped.
#
# usage: tests/run.sh [--arch ARCH] [--build DIR] [--host-build DIR] [--jobs N] [PATTERN]
#   PATTERN  only run scenario scripts whose name contains it (and skip the
#            expectation check for the others)
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
ARCH=arm64 BUILD= HOSTBUILD=build/host JOBS=2 PATTERN=
while [ $# -gt 0 ]; do
	case "$1" in
	--arch) ARCH=$2; shift 2 ;;
	--build) BUILD=$2; shift 2 ;;
	--host-build) HOSTBUILD=$2; shift 2 ;;
	--jobs) JOBS=$2; shift 2 ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	*) PATTERN=$1; shift ;;
	esac
done
BUILD=${BUILD:-build/$ARCH}
LOGDIR=$BUILD/test-logs
# One run at a time per build directory: runs share the log directory.
mkdir -p "$BUILD"
exec 9>"$BUILD/.test-run.lock"
flock 9
rm -rf "$LOGDIR"
mkdir -p "$LOGDIR"
RESULTS=$LOGDIR/results
: >"$RESULTS"

# Unit-test programs print "ok NAME" / "FAIL NAME: ..." per case and exit
# non-zero if any failed or none ran.
run_unit() {
	local prog=$1 name
	name=unit/$(basename "$prog")
	local log=$LOGDIR/$(basename "$prog").log
	"$prog" >"$log" 2>&1
	local rc=$?
	sed -n -e "s|^ok \(.*\)|ok $name/\1|p" -e "s|^FAIL \([^:]*\)\(.*\)|FAIL $name/\1\2 (log: $log)|p" "$log"
	if [ $rc = 0 ]; then
		echo "ok $name"
	else
		echo "FAIL $name: exit status $rc (log: $log)"
	fi
}

# A scenario script prints its own "ok/FAIL NAME" lines; one that prints
# none is a single test named after it, judged by its exit status.
run_scenario() {
	local script=$1 name
	name=scenario/$(basename "$script" .sh)
	local out=$LOGDIR/$(basename "$script" .sh).out
	BUILD=$BUILD ARCH=$ARCH LOGDIR=$LOGDIR ROOT=$ROOT timeout -k 5 300 bash "$script" >"$out" 2>&1
	local rc=$?
	if grep -qE '^(ok|FAIL) ' "$out"; then
		grep -E '^(ok|FAIL) ' "$out"
		[ $rc = 0 ] || grep -q '^FAIL ' "$out" || echo "FAIL $name: exit status $rc (output: $out)"
	elif [ $rc = 0 ]; then
		echo "ok $name"
	else
		echo "FAIL $name: $(tail -1 "$out") (output: $out)"
	fi
}
export -f run_scenario
export LOGDIR BUILD ARCH ROOT

start=$SECONDS
for prog in "$HOSTBUILD"/unit/*; do
	[ -x "$prog" ] && [ -f "$prog" ] || continue
	case "$prog" in *.d) continue ;; esac
	[ -n "$PATTERN" ] && continue
	run_unit "$prog" | tee -a "$RESULTS"
done

ls tests/scenario/*.sh 2>/dev/null | grep -v '/lib\.sh$' | grep -- "${PATTERN:-.}" |
	xargs -r -P "$JOBS" -I{} bash -c 'run_scenario "$@"' _ {} | tee -a "$RESULTS"

# Every expected test must have reported.
if [ -z "$PATTERN" ]; then
	while read -r expected; do
		case "$expected" in '' | '#'*) continue ;; esac
		if ! grep -qE "^(ok|FAIL) $expected(:| |$)" "$RESULTS"; then
			echo "FAIL $expected: did not run or printed no result" | tee -a "$RESULTS"
		fi
	done <tests/expected.txt
fi

passed=$(grep -c '^ok ' "$RESULTS")
failed=$(grep -c '^FAIL ' "$RESULTS")
echo "tests took $((SECONDS - start)) s; logs in $LOGDIR"
if [ $((passed + failed)) = 0 ]; then
	echo "no test ran"
	failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
