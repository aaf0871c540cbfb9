# SPDX-License-Identifier: BSD-2-Clause
# The console service's test: conclient is a client task (lines, a long
# line, a partial line completed later, protocol errors, optionally input);
# conboot is a small stand-in root task that starts the console service
# and three conclients the way the root task does (start information,
# badged console capabilities, REGISTER). conboot.pack holds all three
# modules, so it boots directly:
#   tools/run-qemu.sh --boot direct --initrd build/arm64/user/conboot.pack
user-progs-y += conclient conboot
conclient-srcs := tests/tasks/conclient/conclient.c
conclient-ldflags := -Wl,--defsym=__cv_heap_size=0x10000
conboot-srcs := tests/tasks/conclient/conboot.c

# Not the one-module pack of mk/user.mk: the service and the client too.
$(BUILD)/user/conboot.pack: $(BUILD)/user/conboot.elf $(BUILD)/user/console.elf \
		$(BUILD)/user/conclient.elf tools/modpack.sh
	@echo "  MODPACK $@"
	$(Q)tools/modpack.sh $@ root=$(BUILD)/user/conboot.elf console=$(BUILD)/user/console.elf \
		conclient=$(BUILD)/user/conclient.elf
