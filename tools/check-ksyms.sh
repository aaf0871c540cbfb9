#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Checks that adding the symbol table moved no symbol: the table names the
# first link's addresses, so they must be the final ones.
set -euo pipefail
NM=$1 PASS1=$2 FINAL=$3
strip_ksyms() { "$NM" -n "$1" | grep -v -E ' (ksyms_[a-z]+|__image_end|__image_size)$'; }
if ! diff <(strip_ksyms "$PASS1") <(strip_ksyms "$FINAL") >/dev/null; then
	echo "check-ksyms: symbol addresses changed between links of $FINAL" >&2
	diff <(strip_ksyms "$PASS1") <(strip_ksyms "$FINAL") | head >&2
	exit 1
fi
