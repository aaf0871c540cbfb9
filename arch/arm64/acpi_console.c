// SPDX-License-Identifier: BSD-2-Clause
// When the firmware offers only ACPI, capvisor cannot run (it needs a device
// tree), but it can still say so: ACPI's SPCR table names the serial port.
// Only that is read here; everything else about ACPI is left for later.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arch/mmu.h"
#include "arm64_private.h"

#define SPCR_TYPE_PL011 0x03
#define SPCR_TYPE_SBSA_32BIT 0x0d
#define SPCR_TYPE_SBSA 0x0e

struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem[26];
} __attribute__((packed));

static bool checksum_ok(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += p[i];
	return sum == 0;
}

static uint64_t read_u64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* Returns the physical base of the SPCR console if it is a PL011 (or an
 * SBSA UART, which is a subset), else 0. */
uint64_t acpi_find_pl011(uint64_t rsdp_pa)
{
	const uint8_t *rsdp = arch_early_phys_to_virt(rsdp_pa);

	if (memcmp(rsdp, "RSD PTR ", 8) || rsdp[15] < 2 || !checksum_ok(rsdp, 20))
		return 0;
	uint64_t xsdt_pa = read_u64(rsdp + 24);
	const struct acpi_header *xsdt = arch_early_phys_to_virt(xsdt_pa);
	if (memcmp(xsdt->signature, "XSDT", 4) || xsdt->length < sizeof(*xsdt) ||
	    xsdt->length > 65536)
		return 0;
	arch_early_phys_to_virt(xsdt_pa + xsdt->length - 1);
	const uint8_t *entries = (const uint8_t *)xsdt + sizeof(*xsdt);
	size_t count = (xsdt->length - sizeof(*xsdt)) / 8;
	for (size_t i = 0; i < count; i++) {
		uint64_t pa = read_u64(entries + 8 * i);
		const struct acpi_header *h = arch_early_phys_to_virt(pa);
		if (memcmp(h->signature, "SPCR", 4) || h->length < 52)
			continue;
		const uint8_t *spcr = (const uint8_t *)h;
		uint8_t type = spcr[36];
		uint8_t space = spcr[40]; /* generic address: 0 = system memory */
		if (space != 0 ||
		    (type != SPCR_TYPE_PL011 && type != SPCR_TYPE_SBSA && type != SPCR_TYPE_SBSA_32BIT))
			return 0;
		return read_u64(spcr + 44);
	}
	return 0;
}
