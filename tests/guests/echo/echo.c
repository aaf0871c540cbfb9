// SPDX-License-Identifier: BSD-2-Clause
// The demo's interactive guest (vmctl console): prints a banner, echoes
// each typed byte, answers every line in capitals, and powers off on the
// line "off". Between looks at the UART it sleeps in WFI until a virtual
// timer interrupt, so an idle echo guest costs next to nothing.
#include "gic.h"
#include "guest.h"
#include "mmio.h"
#include "psci.h"
#include "timer.h"

#define UART_BASE 0x09000000ul
#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_RXFE (1u << 4)
#define POLL_HZ 50
#define LINE_MAX 80
#define TIMER_PRIORITY 0x80

static volatile unsigned int fired;

static void timer_irq(uint32_t intid)
{
	(void)intid;
	timer_stop();
	fired = 1;
}

/* One poll period in WFI. The check and the WFI run with IRQs masked so
 * the tick cannot slip in between (WFI wakes for a masked interrupt). */
static void nap(void)
{
	fired = 0;
	timer_arm(timer_now() + timer_freq() / POLL_HZ);
	irq_disable();
	while (!fired) {
		wfi();
		irq_enable();
		irq_disable();
	}
	irq_enable();
}

static int uart_getc(void)
{
	if (mmio_read32(UART_BASE + UART_FR) & UART_FR_RXFE)
		return -1;
	return (int)(mmio_read32(UART_BASE + UART_DR) & 0xff);
}

static int same(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

void guest_main(void)
{
	char line[LINE_MAX + 1];
	unsigned int len = 0;

	gic_init_dist();
	if (!gic_init_cpu()) {
		printf("echo: no GIC redistributor\n");
		return;
	}
	gic_set_priority(GIC_INTID_VTIMER, TIMER_PRIORITY);
	gic_set_edge(GIC_INTID_VTIMER, false);
	gic_enable(GIC_INTID_VTIMER);
	irq_set_handler(timer_irq);
	irq_enable();
	printf("echo guest ready: lines come back in capitals; \"off\" powers off\n");
	for (;;) {
		int c = uart_getc();
		if (c < 0) {
			nap();
			continue;
		}
		if (c == '\r' || c == '\n') {
			line[len] = '\0';
			printf("\n");
			if (same(line, "off")) {
				printf("echo guest: powering off\n");
				psci_system_off();
			}
			for (unsigned int i = 0; i < len; i++)
				if (line[i] >= 'a' && line[i] <= 'z')
					line[i] = (char)(line[i] - 'a' + 'A');
			printf("%s\n", line);
			len = 0;
			continue;
		}
		if (c == 0x7f || c == 0x08) {
			if (len) {
				len--;
				uart_puts("\b \b");
			}
			continue;
		}
		if (c >= ' ' && c < 0x7f && len < LINE_MAX) {
			line[len++] = (char)c;
			uart_putc((char)c);
		}
	}
}
