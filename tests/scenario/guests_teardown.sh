# SPDX-License-Identifier: BSD-2-Clause
# Destroying a VM whose vCPU waits on a monitor that never replies: a
# second monitor thread takes the VM's first exit (vCPU 0 powering off,
# after starting vCPU 1 spinning on another CPU; or a guest's first UART
# write) and never answers it; the monitor's main thread destroys the VM.
# Teardown must not wait for that reply, and every frame must come back
# (to the count before the VM was made, while a long-lived VM runs).
# On both CPU models.
. tests/scenario/lib.sh

for cpu in max cortex-a57; do
	c=${cpu//-/_}
	run_vms "teardown_$c" "$cpu" "vm memwatch memwatch cpu=3 endless
vm stuck cycle cpu=1 vcpus=2 mem=1 stuck runs=1"
	expect "teardown_$c/stuck_destroyed" '^vmm: stuck: destroyed while its monitor never replied'
	expect "teardown_$c/stuck_memory_back" '^vmm: stuck: destroy took [0-9]+ us, memory back after [0-9]+ us'
	run_vms "teardown_uart_$c" "$cpu" "vm stuckuart hello cpu=2 stuck runs=1"
	expect "teardown_uart_$c/stuck_destroyed" '^vmm: stuckuart: destroyed while its monitor never replied'
	expect "teardown_uart_$c/stuck_memory_back" '^vmm: stuckuart: destroy took [0-9]+ us, memory back after [0-9]+ us'
done
finish
