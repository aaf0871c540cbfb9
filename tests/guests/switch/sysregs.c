// SPDX-License-Identifier: BSD-2-Clause
// The switch guest's EL1 system registers: seeded values that are valid
// for this CPU and harmless with the MMU off, and access to all of them.
#include "guest.h"
#include "switch.h"

#define NAME(name, exact, irq) #name,
#define EXACT(name, exact, irq) exact,
#define KEPT(name, exact, irq) irq,
const char *const sysreg_names[SR_COUNT] = { SWITCH_SYSREGS(NAME) };
const bool sysreg_exact[SR_COUNT] = { SWITCH_SYSREGS(EXACT) };
const bool sysreg_kept_by_irq[SR_COUNT] = { SWITCH_SYSREGS(KEPT) };

extern char guest_vectors[];

uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Eight MAIR attributes, each a defined encoding: Device (0000dd00) or
 * Normal with both halves non-zero. */
static uint64_t mair_value(uint64_t r)
{
	uint64_t mair = 0;

	for (int i = 0; i < 8; i++, r >>= 8) {
		uint64_t attr = r & 0xff;
		if (!(attr & 0xf0))
			attr &= 0x0c;
		else if (!(attr & 0x0f))
			attr |= 0x04;
		mair |= attr << (i * 8);
	}
	return mair;
}

/* Shareability 0b01 is reserved. */
static uint64_t shareability(uint64_t r)
{
	return (r & 3) == 1 ? 3 : r & 3;
}

/* Valid fields only: T0SZ/T1SZ 16..39, cacheability, shareability, 4 KiB
 * granules, EPD, A1, TBI, IPS within the CPU's PARange, AS only with
 * 16-bit ASIDs. With SCTLR_EL1.M = 0 none of it is used. */
static uint64_t tcr_value(uint64_t r)
{
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	uint64_t parange = mmfr0 & 0xf, asid16 = ((mmfr0 >> 4) & 0xf) == 2;
	uint64_t ips = (r >> 48) % ((parange > 5 ? 5 : parange) + 1);

	return (16 + r % 24) |			/* T0SZ */
	       ((r >> 5) & 1) << 7 |		/* EPD0 */
	       ((r >> 6) & 0xf) << 8 |		/* IRGN0, ORGN0 */
	       shareability(r >> 10) << 12 |	/* SH0; TG0 = 0: 4 KiB */
	       (16 + (r >> 12) % 24) << 16 |	/* T1SZ */
	       ((r >> 17) & 3) << 22 |		/* A1, EPD1 */
	       ((r >> 19) & 0xf) << 24 |	/* IRGN1, ORGN1 */
	       shareability(r >> 23) << 28 |	/* SH1 */
	       2ull << 30 |			/* TG1: 4 KiB */
	       ips << 32 |
	       (asid16 & (r >> 25)) << 36 |	/* AS */
	       ((r >> 26) & 3) << 37;		/* TBI0, TBI1 */
}

/* A cache that exists: L1 instruction (separate L1 caches) or L2. */
static uint64_t csselr_value(uint64_t r)
{
	uint64_t clidr = read_sysreg(clidr_el1);
	bool l1_split = (clidr & 7) == 3, l2 = (clidr >> 3) & 7;

	if (l2 && (!l1_split || (r & 1)))
		return 2; /* level 2, data or unified */
	return l1_split ? 1 : 0;
}

void sysregs_make(uint64_t seed, uint64_t v[SR_COUNT])
{
	uint64_t s = seed, r[SR_COUNT];

	for (int i = 0; i < SR_COUNT; i++)
		r[i] = splitmix64(&s);
	// 8-bit ASIDs and no CnP: valid on every CPU.
	v[SR_ttbr0_el1] = r[SR_ttbr0_el1] & 0x00fffffffffffffeull;
	v[SR_ttbr1_el1] = r[SR_ttbr1_el1] & 0x00fffffffffffffeull;
	v[SR_mair_el1] = mair_value(r[SR_mair_el1]);
	v[SR_amair_el1] = r[SR_amair_el1];
	v[SR_tcr_el1] = tcr_value(r[SR_tcr_el1]);
	v[SR_tpidr_el1] = r[SR_tpidr_el1];
	v[SR_tpidr_el0] = r[SR_tpidr_el0];
	v[SR_tpidrro_el0] = r[SR_tpidrro_el0];
	v[SR_contextidr_el1] = r[SR_contextidr_el1] & 0xffffffff;
	v[SR_vbar_el1] = (uintptr_t)guest_vectors;
	v[SR_sp_el0] = r[SR_sp_el0];
	v[SR_elr_el1] = r[SR_elr_el1];
	// EL1h or EL1t or EL0t, DAIF, NZCV.
	static const uint64_t modes[4] = { 0x5, 0x4, 0x0, 0x5 };
	v[SR_spsr_el1] = modes[r[SR_spsr_el1] & 3] | (r[SR_spsr_el1] & 0x3c0) |
			 (r[SR_spsr_el1] & 0xf0000000);
	v[SR_far_el1] = r[SR_far_el1];
	v[SR_esr_el1] = r[SR_esr_el1] & 0xffffffff;
	v[SR_afsr0_el1] = r[SR_afsr0_el1] & 0xffffffff;
	v[SR_afsr1_el1] = r[SR_afsr1_el1] & 0xffffffff;
	// F = 0 format: attributes, PA[47:12], bit 11 (RES1), NS, SH.
	v[SR_par_el1] = (r[SR_par_el1] & 0xff00fffffffff380ull) | 1ull << 11;
	v[SR_csselr_el1] = csselr_value(r[SR_csselr_el1]);
	// Event stream off (EVNTEN, bit 2); the access controls do nothing at EL1.
	v[SR_cntkctl_el1] = r[SR_cntkctl_el1] & 0x3fb;
	// TDCC only: it traps EL0's DCC accesses, and this guest has no EL0.
	v[SR_mdscr_el1] = 1ull << 12;
	// Far in the future: the timer is disabled while this holds.
	v[SR_cntv_cval_el0] = r[SR_cntv_cval_el0] | 1ull << 62;
}

void sysregs_write(const uint64_t v[SR_COUNT])
{
#define WRITE(name, exact, irq) write_sysreg(name, v[SR_##name]);
	SWITCH_SYSREGS(WRITE)
#undef WRITE
	isb();
}

void sysregs_read(uint64_t v[SR_COUNT])
{
#define READ(name, exact, irq) v[SR_##name] = read_sysreg(name);
	SWITCH_SYSREGS(READ)
#undef READ
}
