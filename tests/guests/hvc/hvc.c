// SPDX-License-Identifier: BSD-2-Clause
// Hypercalls: capvisor's null call and its documented results, PSCI's
// version and feature queries, unknown function IDs, registers kept
// across a call, 10,000 null calls in a row, and the exit state a monitor
// reads and replaces (test_hvc.h).
#include <uapi/hypercall.h>

#include "gic.h"
#include "guest.h"
#include "psci.h"
#include "sysreg.h"
#include "test_hvc.h"

#define NULL_LOOP 10000
#define UNKNOWN_VENDOR_FN 0xc6001234u
#define UNKNOWN_PSCI_FN 0x840000ffu

uint64_t hvc_clobbered(uint64_t fn);
void hvc_state_echo(uint64_t fn, uint64_t out[31]);

static void check_null(bool capvisor)
{
	if (!capvisor) {
		skip("null_hypercall", "not under capvisor");
		return;
	}
	struct hvc_result r = hvc_call(CV_HVC_NULL, 0x1234, 0xf0f0, 7);
	check("null_hypercall",
	      r.x0 == 0 && r.x1 == 0x1235 && r.x2 == (0xf0f0 ^ CV_HVC_NULL_XOR) &&
		      r.x3 == CV_HVC_NULL_MAGIC,
	      "x0..x3 = 0x%lx 0x%lx 0x%lx 0x%lx", r.x0, r.x1, r.x2, r.x3);
}

static void check_psci(void)
{
	int64_t v = psci_version();
	check("psci_version", v >= 2 && v < 0x10000000, "PSCI_VERSION returned 0x%lx (need 0.2+)",
	      (uint64_t)v);
	if (v < 0x10000) {
		// PSCI_FEATURES exists from 1.0 on.
		skip("psci_features_cpu_on", "PSCI older than 1.0");
		skip("psci_features_unknown", "PSCI older than 1.0");
		return;
	}
	int64_t f = psci_features(PSCI_CPU_ON);
	check("psci_features_cpu_on", f == 0, "PSCI_FEATURES(CPU_ON) returned %ld", f);
	f = psci_features(UNKNOWN_PSCI_FN);
	check("psci_features_unknown", f == PSCI_NOT_SUPPORTED,
	      "PSCI_FEATURES(0x%x) returned %ld", UNKNOWN_PSCI_FN, f);
}

static void check_unknown(bool capvisor)
{
	bool undef;
	struct hvc_result r = hvc_call_catch(UNKNOWN_VENDOR_FN, 1, 2, 3, &undef);

	// Without EL2, QEMU makes an HVC that is not PSCI undefined; a
	// hypervisor must answer it.
	if (undef && !capvisor) {
		skip("unknown_vendor_hvc", "HVC is undefined without a hypervisor");
		return;
	}
	check("unknown_vendor_hvc", !undef && (int64_t)r.x0 == CV_SMCCC_NOT_SUPPORTED,
	      "0x%x returned 0x%lx%s", UNKNOWN_VENDOR_FN, r.x0, undef ? " (undefined)" : "");
}

static void check_preserved(bool capvisor)
{
	uint64_t bad = hvc_clobbered(PSCI_VERSION);
	check("psci_preserves_regs", bad == 0, "PSCI_VERSION changed registers (mask 0x%lx)", bad);
	if (!capvisor) {
		skip("null_preserves_regs", "not under capvisor");
		return;
	}
	bad = hvc_clobbered(CV_HVC_NULL);
	check("null_preserves_regs", bad == 0, "CV_HVC_NULL changed registers (mask 0x%lx)", bad);
}

static void check_null_loop(bool capvisor)
{
	if (!capvisor) {
		skip("null_hypercall_loop", "not under capvisor");
		return;
	}
	unsigned int bad = 0, first_bad = 0;
	uint64_t seed = 0x243f6a8885a308d3ull;
	for (unsigned int i = 0; i < NULL_LOOP; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		uint64_t a1 = seed, a2 = seed >> 7 ^ i;
		struct hvc_result r = hvc_call(CV_HVC_NULL, a1, a2, i);
		if (r.x0 != 0 || r.x1 != a1 + 1 || r.x2 != (a2 ^ CV_HVC_NULL_XOR) ||
		    r.x3 != CV_HVC_NULL_MAGIC) {
			if (!bad++)
				first_bad = i;
		}
	}
	check("null_hypercall_loop", bad == 0, "%u of %u calls wrong, first at %u", bad, NULL_LOOP,
	      first_bad);
}

// The monitor sees x0..x30 and EL1 registers in the exit and replaces
// the general registers in its reply, which also raises an SPI.
static void check_exit_state(bool capvisor)
{
	uint64_t out[31];
	unsigned bad = 0, first_bad = 0;

	if (!capvisor) {
		skip("exit_state", "not under capvisor");
		skip("reply_irq", "not under capvisor");
		return;
	}
	gic_init_dist();
	if (!check("gic_init", gic_init_cpu(), "redistributor did not wake"))
		return;
	gic_set_edge(TEST_STATE_SPI, true);
	gic_enable(TEST_STATE_SPI);
	hvc_state_echo(TEST_HVC_STATE_ECHO, out);
	for (unsigned n = 3; n < 31; n++) {
		if (out[n] != ((TEST_STATE_PATTERN + n) ^ TEST_STATE_FLIP) && !bad++)
			first_bad = n;
	}
	check("exit_state",
	      out[0] == 0 && out[1] == read_sysreg(vbar_el1) && out[2] == read_sysreg(sctlr_el1) && bad == 0,
	      "monitor saw mask 0x%lx; x1 0x%lx (VBAR 0x%lx), x2 0x%lx (SCTLR 0x%lx); %u of x3..x30 wrong, first x%u = 0x%lx",
	      out[0], out[1], read_sysreg(vbar_el1), out[2], read_sysreg(sctlr_el1), bad, first_bad,
	      bad ? out[first_bad] : 0);
	// Interrupts are masked here: the acknowledge register still tells.
	uint32_t intid = gic_ack();
	if (intid < GIC_INTID_SPECIAL)
		gic_eoi(intid);
	check("reply_irq", intid == TEST_STATE_SPI, "acknowledged INTID %u, expected SPI %u", intid,
	      TEST_STATE_SPI);
	gic_disable(TEST_STATE_SPI);
}

void guest_main(void)
{
	bool capvisor = under_capvisor();

	printf("hvc: %s\n", capvisor ? "under capvisor" : "not under capvisor");
	check_null(capvisor);
	check_psci();
	check_unknown(capvisor);
	check_preserved(capvisor);
	check_null_loop(capvisor);
	check_exit_state(capvisor);
}
