# SPDX-License-Identifier: BSD-2-Clause
# 1000 create/run/destroy cycles of a two-vCPU VM whose second vCPU spins on
# another CPU when its VM is destroyed, next to a long-lived VM that keeps
# checking its memory; on cortex-a57, whose 8-bit VMIDs run out and start
# again several times. Memory must all come back.
. tests/scenario/lib.sh

VM_TIMEOUT=250 run_vms lifecycle_cortex_a57 cortex-a57 "vm memwatch memwatch cpu=3 endless
vm cycle cycle cpu=1 vcpus=2 mem=1 runs=1000"
expect lifecycle_cortex_a57/cycles '^vmm: cycle: powered off \(run 1000,'
expect lifecycle_cortex_a57/vmid_rollover '^stage2: VMIDs ran out, generation 3'
expect lifecycle_cortex_a57/memwatch_ran '^\[memwatch\] memwatch: round 16 ok'
expect_not lifecycle_cortex_a57/memwatch_intact '^\[(memwatch|cycle)\] FAIL'
finish
