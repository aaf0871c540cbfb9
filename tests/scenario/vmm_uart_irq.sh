# SPDX-License-Identifier: BSD-2-Clause
# The VMM's PL011 raises interrupts (docs/vmm.md, "The UART's interrupt"):
# boots the console service, vmmctl and the console shell
# (tests/config/uart_irq.conf), creates a monitor-mode VM running the
# uartirq guest, and types lines into `vmctl console` as a person would,
# each once the guest has answered the one before and gone back to sleep. The guest sleeps in WFI with no
# timer and reads input only in its UART interrupt handler (INTID 33), so
# every answer proves an interrupt; it checks the transmit interrupt
# first, and at "off" that no interrupt came without input, that the
# line was low after each, and that only these interrupts woke it. After
# "one" it takes a line a byte per interrupt and leaves the cause
# standing, which only a level re-delivers. The VMM's count says how the
# line went: input typed at a sleeping guest can only have raised it out
# of band, the TX interrupts and the falls in exit replies.
. tests/scenario/lib.sh

pack=$LOGDIR/vmm_uart_irq.pack
INPUT=$LOGDIR/vmm_uart_irq.input
tools/modpack.sh "$pack" root="$BUILD/user/root.elf" config=tests/config/uart_irq.conf \
	console="$BUILD/user/console.elf" vmmctl="$BUILD/user/vmmctl.elf" shell="$BUILD/user/shell.elf" \
	vmctl="$BUILD/user/vmctl.elf" vmm="$BUILD/user/vmm.elf" uartirq="$BUILD/guests/uartirq.elf" >/dev/null

# What is typed, and the answer each must bring back before the next.
# After "one" the guest takes a line a byte per interrupt and leaves the
# cause standing: only the line's level brings the next byte.
LINES=("hello" "a line longer than the receive trigger level" "x" "Mixed Case 123" "one" "abc")
WANTS=("HELLO" "A LINE LONGER THAN THE RECEIVE TRIGGER LEVEL" "X" "MIXED CASE 123"
	"uartirq: the next line one byte per interrupt" "ABC")
prompt='\[shell\] operator@capvisor\$ $'
{
	printf 'wait %s\ntype vmctl create -M u uartirq\n' "$prompt"
	printf 'wait %s\ntype vmctl console u\n' "$prompt"
	printf 'wait uartirq guest ready\n'
	for i in "${!LINES[@]}"; do
		# The answer, then the handler's marker: after it the guest sleeps.
		printf 'type %s\nwait ^\\[shell\\] %s$\nwait uartirq: interrupt [0-9]+: [0-9]+ bytes?(, .*)?$\nsleep 0.3\n' \
			"${LINES[$i]}" "${WANTS[$i]}"
	done
	printf 'type off\nwait uartirq: .* wake-ups\nwait done [0-9]+ failed\n'
	# The VMM ended with its guest (its line may come before the guest's
	# last ones, which vmctl relays); vmctl console still holds a handle.
	printf 'sleep 0.5\nsend ~.\nwait %s\ntype vmctl list\nwait %s\n' "$prompt" "$prompt"
} >"$INPUT"

label=uart_irq
LOG=$LOGDIR/$label.log
$RUN_QEMU --log "$LOG" --boot direct --cpu max --smp 4 --initrd "$pack" --timeout 150 --input "$INPUT" \
	--fail-on 'capvisor panic' >"$LOG.run" 2>&1 || true

expect "$label/vm_created" '^\[shell\] vmctl: created u \(1 vCPU, 64M, monitor mode\), running uartirq'
for c in gic_init tx_set_after_output tx_irq_on_unmask tx_masked_by_handler tx_quiet_after_icr \
	tx_irq_after_write tx_no_other_irqs rx_every_irq_had_input rx_line_low_after_irq \
	rx_irqs_per_line_and_byte rx_level_one_byte_each rx_woken_only_by_irqs; do
	if grep -aqE "^\[shell\] ok $c"$'\r'"?\$" "$LOG"; then
		pass "$label/$c"
	else
		fail "$label/$c" "$(grep -aE "^\[shell\] FAIL $c:" "$LOG" | head -1 | tr -d '\r')"
	fi
done
expect "$label/guest_done" '^\[shell\] done 0 failed'
# Every typed line came back, each after at least one interrupt marker.
missing=
for i in "${!WANTS[@]}"; do
	grep -aqE "^\[shell\] ${WANTS[$i]}"$'\r'"?\$" "$LOG" || missing="$missing \"${WANTS[$i]}\""
done
if [ -z "$missing" ]; then
	pass "$label/echoed_from_interrupts"
else
	fail "$label/echoed_from_interrupts" "no answer to:$missing"
fi
# The interrupts, by the guest's count: one marker per interrupt, none
# without input, as many as it says it took.
markers=$(grep -acE '^\[shell\] uartirq: interrupt [0-9]+: [1-9][0-9]* bytes?' "$LOG")
singles=$(grep -acE '^\[shell\] uartirq: interrupt [0-9]+: 1 byte, cause left standing' "$LOG")
empty=$(grep -acE '^\[shell\] uartirq: interrupt [0-9]+: 0 bytes' "$LOG")
taken=$(sed -n 's/^\[shell\] uartirq: \([0-9]*\) interrupts for .*/\1/p' "$LOG" | tr -d '\r' | head -1)
if [ "$markers" -ge $((${#LINES[@]} + 1)) ] && [ "$empty" = 0 ] && [ "$markers" = "${taken:-x}" ]; then
	pass "$label/one_marker_per_interrupt"
else
	fail "$label/one_marker_per_interrupt" "$markers markers with input, $empty without, guest says ${taken:-nothing}"
fi
# The VMM: the lines typed at a sleeping guest raised the line out of
# band, the TX interrupts (raised by an IMSC and a DR write) and every
# fall (the guest reading the FIFO, writing ICR) rode on exit replies.
stats=$(grep -aE '^\[[a-z]+\] vmm: u: the guest powered off' "$LOG" | head -1 | tr -d '\r')
if [[ $stats =~ UART\ line:\ ([0-9]+)\ changes\ in\ replies,\ ([0-9]+)\ out\ of\ band ]]; then
	in_band=${BASH_REMATCH[1]} out_of_band=${BASH_REMATCH[2]}
else
	in_band=0 out_of_band=0
fi
if [ "$in_band" -ge 2 ] && [ "$out_of_band" -ge ${#LINES[@]} ]; then
	pass "$label/vmm_raised_in_band_and_out_of_band"
else
	fail "$label/vmm_raised_in_band_and_out_of_band" "${stats:-no power-off line from the VMM}"
fi
# A cause left standing: the line stays high through the interrupt, and
# the vGIC, looking at it again when the guest ends the interrupt, gives
# it once more, a byte at a time ("abc" and its Enter).
if [ "$singles" = 4 ]; then
	pass "$label/standing_cause_taken_again"
else
	fail "$label/standing_cause_taken_again" "$singles one-byte interrupts (want 4); ${stats:-no power-off line from the VMM}"
fi
expect "$label/vm_gone_after_console" '^\[vmmctl\] vmmctl: destroyed u \(owner operator, uid 1001\): its last handle was closed'
expect_not "$label/no_panic" 'capvisor panic'
finish
