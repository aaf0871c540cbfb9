# SPDX-License-Identifier: BSD-2-Clause
# The console shell as a person uses it: boots the system `make run` boots
# (the UEFI disk with services/root/demo.conf) and types the session shown
# in README.md — taken from between its "shell session" markers, so the
# README cannot drift from what works — into the serial console, each line
# only after the prompt appears, checking every line the README says comes
# back, in order. Then, in the same boot, a few commands the README does
# not show (EXTRA below: stop and start, registers, reset and start again, stats,
# Ctrl-C on a launcher, usage errors), and what the sessions show on purpose: input reaching the
# guest, killed launchers taking their VMs along, the denials in vmmctl's
# log, no VM left at the end and all memory back.
. tests/scenario/lib.sh

LOG=$LOGDIR/shell.log
SESSION=$LOGDIR/shell.session
INPUT=$LOGDIR/shell.input
WANT=$LOGDIR/shell.want
# What is typed at the guest's console inside `vmctl console`: shown in
# the README as the guest echoes it (and "~." as vmctl shows it).
CONSOLE_TYPED=("hello" "~.")

awk '/<!-- shell session: begin/ {on = 1; next} /<!-- shell session: end/ {on = 0}
	on && !/^```/' README.md >"$SESSION"
commands=$(grep -cE '^[a-z]+@capvisor\$ ' "$SESSION")
# After the README's session, in the same format: "^C" is Ctrl-C typed
# (the shell shows it so).
cat >>"$SESSION" <<'EXTRA'
operator@capvisor$ vmctl create -M st echo
vmctl: created st (1 vCPU, 64M, monitor mode), running echo
operator@capvisor$ vmctl stop st
vmctl: stopped st
operator@capvisor$ vmctl info st
name:   st
state:  stopped
operator@capvisor$ vmctl stop st
vmctl: stop st: virtual machine busy
exit status 1
operator@capvisor$ vmctl regs st
operator@capvisor$ vmctl start st
vmctl: started st
operator@capvisor$ vmctl info st
name:   st
state:  running
operator@capvisor$ vmctl regs st
vmctl: regs st: it is running: vmctl stop it first
exit status 1
operator@capvisor$ vmctl reset st
vmctl: reset st: created, not started; its memory is as the guest left it, vmctl start st runs it again
operator@capvisor$ vmctl info st
name:   st
state:  created
operator@capvisor$ vmctl stop st
vmctl: stop st: virtual machine busy
exit status 1
operator@capvisor$ vmctl start st
vmctl: started st
operator@capvisor$ vmctl info st
name:   st
state:  running
operator@capvisor$ vmctl stats st
VCPU COUNTER              VALUE  WHAT
operator@capvisor$ vmctl destroy st
vmctl: destroyed st
operator@capvisor$ vmctl run -M fg echo
vmctl: run fg: running echo (1 vCPU, 64M) until vmctl ends
echo guest ready: lines come back in capitals; "off" powers off
^C
exit status 130
operator@capvisor$ vmctl info fg
vmctl: info fg: no such virtual machine
exit status 1
operator@capvisor$ vmctl create -M
vmctl: create: missing NAME
usage: vmctl create [-M] [-c CPUS] [-m MEM] NAME IMAGE
exit status 2
operator@capvisor$ vmctl create -M x nosuchimage
vmctl: create x: image nosuchimage: no such boot module
exit status 1
operator@capvisor$ vmctl console x &
[1] vmctl console x
vmctl: console x: needs the terminal: run it in the foreground
[1] exit status 1  vmctl console x
operator@capvisor$ frob
shell: frob: command not found (help lists them)
operator@capvisor$ vmctl list
NAME             STATE    VCPUS  MEMORY  OWNER      MODE
EXTRA
if [ "$commands" -ge 20 ]; then
	pass shell/readme_session
else
	fail shell/readme_session "README.md has $commands commands between the shell session markers"
fi

# ERE for a literal string.
ere() { printf '%s' "$1" | sed 's/[][\.*^$()+?{}|/]/\\&/g'; }

# The input script for tools/run-qemu.sh, and the lines the log must show
# in order: each command's echo after its prompt, then its output.
: >"$INPUT"
: >"$WANT"
in_console=0 typed=0
while IFS= read -r line; do
	line=${line%"${line##*[! ]}"} # trailing blanks
	if [[ $line =~ ^([a-z]+@capvisor\$\ )(.*)$ ]]; then
		prompt=${BASH_REMATCH[1]} cmd=${BASH_REMATCH[2]}
		# The prompt alone: not the line of a command typed after it.
		printf 'wait \\[shell\\] %s$\ntype %s\n' "$(ere "$prompt")" "$cmd" >>"$INPUT"
		printf '[shell] %s%s\n' "$prompt" "$cmd" >>"$WANT"
		[[ $cmd == "vmctl console "* ]] && in_console=1 || in_console=0
		continue
	fi
	[ "$line" = "^C" ] && printf 'send \\003\n' >>"$INPUT"
	if [ $in_console = 1 ] && [ $typed -lt ${#CONSOLE_TYPED[@]} ] && [ "$line" = "${CONSOLE_TYPED[$typed]}" ]; then
		# "~." must come at the start of a line, with nothing after it.
		[ "$line" = "~." ] && printf 'send %s\n' "$line" >>"$INPUT" || printf 'type %s\n' "$line" >>"$INPUT"
		typed=$((typed + 1))
	fi
	printf 'wait ^\\[shell\\] %s$\n' "$(ere "$line")" >>"$INPUT"
	printf '[shell] %s\n' "$line" >>"$WANT"
done <"$SESSION"
# The end: the last command's answer is in, and the prompt is back. Then,
# once every VMM has seen its VM go (they look twice a second), one more
# command, after which the shell has deleted them all (before its next
# prompt): for the memory check.
printf 'wait \\[shell\\] %s$\nsleep 1.5\ntype vmctl list\nwait \\[shell\\] %s$\n' \
	"$(ere "$prompt")" "$(ere "$prompt")" >>"$INPUT"

$RUN_QEMU --log "$LOG" --boot uefi --disk "$BUILD/boot.img" --timeout 200 --input "$INPUT" \
	--fail-on 'capvisor panic' >"$LOG.run" 2>&1 || true
if [ $typed -eq ${#CONSOLE_TYPED[@]} ]; then
	pass shell/console_input_in_readme
else
	fail shell/console_input_in_readme "the README's vmctl console does not show ${CONSOLE_TYPED[*]}"
fi

# Every wanted line, in order (other lines may come between them).
missing=$(tr -d '\r' <"$LOG" | awk -v want="$WANT" '
	BEGIN { n = 0; while ((getline w < want) > 0) wants[n++] = w; i = 0 }
	i < n && $0 == wants[i] { i++ }
	END { if (i < n) print "line " i + 1 " of " n ": \"" wants[i] "\"" }')
if [ -z "$missing" ] && [ -s "$WANT" ]; then
	pass shell/session_as_in_readme
else
	fail shell/session_as_in_readme "not on the console in order: ${missing:-nothing wanted}$(tail -1 "$LOG.run" 2>/dev/null | sed 's/^/; /')"
fi

expect shell/prompt_as_operator '^\[shell\] operator@capvisor\$ '
# vmctl stats: a row per counter and vCPU; the echo guest made exits and
# took timer interrupts in both of its runs.
expect shell/stats_exits '^\[shell\] 0 +exits +[1-9][0-9]* +exits to its VMM'
expect shell/stats_virq_taken '^\[shell\] 0 +virq_taken +[1-9][0-9]* '
# vmctl regs of the stopped guest: where it stopped, in its RAM, at EL1.
expect shell/regs_stopped_in_guest '^\[shell\] vCPU 0: pc 0x00000000400[0-9a-f]{5} pstate 0x[0-9a-f]{7}[45] '
expect shell/guest_got_input '^\[shell\] HELLO'
# Killing the background launcher took its VMM along: the VM's last
# handle went, and vmmctl destroyed it.
expect shell/killed_launcher_destroys_vm \
	'^\[vmmctl\] vmmctl: destroyed bg \(owner operator, uid 1001\): its last handle was closed'
expect shell/run_ends_with_its_vm \
	'^\[vmmctl\] vmmctl: destroyed once \(owner operator, uid 1001\): its last handle was closed'
expect shell/denial_logged_user '^\[vmmctl\] vmmctl: denied create keep to user \(uid 1002\): EPERM'
expect shell/denial_logged_nobody '^\[vmmctl\] vmmctl: denied list .*to nobody \(uid 65534\): EACCES'
# After the last `vmctl list` only its header: every VM is gone.
left=$(tr -d '\r' <"$LOG" | awk '/^\[shell\] operator@capvisor\$ vmctl list/ {rows = ""; last = 1; next}
	last && /^\[shell\] [^ ]+ +(created|running|stopped|dying) / {rows = rows " " $2}
	/@capvisor\$ / && !/vmctl list/ {last = 0}
	END {print rows}')
if grep -aq '^\[shell\] operator@capvisor\$ vmctl list' "$LOG" && [ -z "$left" ]; then
	pass shell/no_vm_left
else
	fail shell/no_vm_left "VMs still listed at the end:${left:- (no final list)}"
fi
expect shell/ctrl_c_destroys_vm '^\[vmmctl\] vmmctl: destroyed fg \(owner operator, uid 1001\): its last handle was closed'
# Memory: the kernel says how many frames are free whenever a task is
# released. After the first command (vmctl's task gone) and at the end,
# with every VM destroyed and every VMM and job deleted, the same.
first=$(grep -aoE '^task task: released, [0-9]+ frames free' "$LOG" | head -1 | grep -oE '[0-9]+')
last=$(grep -aoE '^task task: released, [0-9]+ frames free' "$LOG" | tail -1 | grep -oE '[0-9]+')
if [ -n "$first" ] && [ "$first" = "$last" ]; then
	pass shell/memory_back
else
	fail shell/memory_back "${first:-?} frames free after the first command, ${last:-?} after the last"
fi
# vmctl never faults. (A VMM fault is the shell's to report and clean up,
# "vmm of NAME: fault ...; killed": the VMM may touch its console page
# while the VM is being destroyed, which unmaps it.)
expect_not shell/no_fault '^\[shell\] vmctl: fault at pc|killed by a fault'
expect_not shell/no_panic 'capvisor panic'
finish
