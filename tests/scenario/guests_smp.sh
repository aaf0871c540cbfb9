# SPDX-License-Identifier: BSD-2-Clause
# A four-vCPU guest on four CPUs (see guests.sh): PSCI CPU_ON,
# AFFINITY_INFO and CPU_OFF, atomics on shared memory, SGIs between vCPUs.
# On both CPU models.
. tests/scenario/lib.sh

for cpu in max cortex-a57; do
	run_vms "smp_${cpu//-/_}" "$cpu" "vm smp smp cpu=0 vcpus=4"
done
finish
