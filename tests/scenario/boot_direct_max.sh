# SPDX-License-Identifier: BSD-2-Clause
# Direct boot (QEMU -kernel, device tree in x0) on -cpu max,pauth-impdef=on, 4 CPUs:
# the whole bring-up and its self-tests.
. tests/scenario/lib.sh
boot boot_direct_max --boot direct --cpu max,pauth-impdef=on --smp 4 --append selftest \
	--timeout 90 --until '^capvisor ready' --fail-on 'capvisor panic|selftest: [0-9]+ passed, [1-9]'
expect direct_max/boot_source '^boot: direct \(device tree\)'
check_bringup direct_max 4
finish
