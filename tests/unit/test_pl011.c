// SPDX-License-Identifier: BSD-2-Clause
// services/vmm/pl011.c: the emulated console UART's registers and
// interrupts over a console page, driven as a guest and an observer would
// drive them: reset values, TX set by every write and cleared only by ICR,
// RX as a crossing of the trigger level (FIFO on and off), RT while input
// waits, the output line reported exactly when (RIS & IMSC) changes, the
// Linux amba-pl011 driver's start-up, receive and transmit sequences, and
// a ring writer that ran ahead or lies about its head.
#include "unit.h"

#include <string.h>

#include "../../services/vmm/pl011.h"

#define DR 0x000
#define FR 0x018
#define LCR_H 0x02c
#define CR 0x030
#define IFLS 0x034
#define IMSC 0x038
#define RIS 0x03c
#define MIS 0x040
#define ICR 0x044
#define FR_RXFE (1u << 4)
#define FR_RXFF (1u << 6)
#define FR_TXFF (1u << 5)
#define FR_TXFE (1u << 7)
#define FEN (1u << 4)
#define RX PL011_INT_RX
#define TX PL011_INT_TX
#define RT PL011_INT_RT

static struct vmmctl_console page;
static struct pl011 u;
static unsigned rises, falls;
static bool level;

static void line(void *ctx, bool high)
{
	CHECK(ctx == &u);
	CHECK(high != level); /* only changes are reported */
	level = high;
	if (high)
		rises++;
	else
		falls++;
}

static void reset(void)
{
	memset(&page, 0, sizeof(page));
	rises = falls = 0;
	level = false;
	pl011_init(&u, &page, line, &u);
}

/* An observer typing: bytes into the in ring, then the head. */
static void type(const char *s)
{
	for (; *s; s++)
		page.in[page.in_head % VMMCTL_CONSOLE_IN] = *s, page.in_head++;
}

static size_t drain(char *buf, size_t max)
{
	size_t n = 0;
	while (!(pl011_read(&u, FR) & FR_RXFE) && n < max)
		buf[n++] = (char)pl011_read(&u, DR);
	buf[n] = '\0';
	return n;
}

UNIT_TEST(reset_values)
{
	reset();
	CHECK_EQ(pl011_read(&u, FR), FR_TXFE | FR_RXFE);
	CHECK_EQ(pl011_read(&u, RIS), 0);
	CHECK_EQ(pl011_read(&u, MIS), 0);
	CHECK_EQ(pl011_read(&u, IMSC), 0);
	CHECK_EQ(pl011_read(&u, IFLS), 0x12);
	CHECK_EQ(pl011_read(&u, CR), 0x301);
	CHECK_EQ(pl011_read(&u, DR), 0); /* empty: nothing taken */
	CHECK_EQ(page.in_tail, 0);
	CHECK_EQ(pl011_read(&u, 0xfe0), 0x11);
	CHECK_EQ(pl011_read(&u, 0xfe8), 0x14); /* revision 1: 16-deep FIFOs to Linux */
	CHECK_EQ(pl011_read(&u, 0xffc), 0xb1);
	CHECK_EQ(pl011_read(&u, 0xfe1), 0); /* not a register */
	CHECK_EQ(pl011_read(&u, 0x800), 0);
	CHECK(!pl011_line(&u));
	CHECK_EQ(rises + falls, 0);
}

UNIT_TEST(setup_registers_keep_what_is_written)
{
	reset();
	pl011_write(&u, 0x024, 0x12345); /* IBRD: 16 bits */
	pl011_write(&u, 0x028, 0xff);    /* FBRD: 6 bits */
	pl011_write(&u, LCR_H, 0x70);
	pl011_write(&u, CR, 0x0b01);
	pl011_write(&u, IFLS, 0xff);
	pl011_write(&u, IMSC, 0xffff);
	CHECK_EQ(pl011_read(&u, 0x024), 0x2345);
	CHECK_EQ(pl011_read(&u, 0x028), 0x3f);
	CHECK_EQ(pl011_read(&u, LCR_H), 0x70);
	CHECK_EQ(pl011_read(&u, CR), 0x0b01);
	CHECK_EQ(pl011_read(&u, IFLS), 0x3f);
	CHECK_EQ(pl011_read(&u, IMSC), PL011_INT_ALL);
	pl011_write(&u, 0x800, 1); /* reserved: ignored */
	pl011_write(&u, FR, 0xffff); /* read-only */
	CHECK_EQ(pl011_read(&u, FR), FR_TXFE | FR_RXFE);
	CHECK_EQ(rises + falls, 0); /* nothing raised: no cause */
}

UNIT_TEST(tx_set_by_write_cleared_by_icr)
{
	reset();
	pl011_write(&u, IMSC, TX);
	CHECK_EQ(rises, 0); /* the TRM: no TX before a byte has left */
	CHECK_EQ(pl011_read(&u, RIS), 0);
	pl011_write(&u, DR, 'A');
	CHECK_EQ(page.out_head, 1);
	CHECK_EQ(page.out[0], 'A');
	CHECK_EQ(pl011_read(&u, RIS), TX);
	CHECK_EQ(pl011_read(&u, MIS), TX);
	CHECK_EQ(rises, 1);
	pl011_write(&u, DR, 'B'); /* still set: no second rise */
	CHECK_EQ(rises, 1);
	CHECK(!(pl011_read(&u, FR) & FR_TXFF));
	pl011_write(&u, ICR, RX); /* another bit: TX stays */
	CHECK_EQ(pl011_read(&u, RIS), TX);
	pl011_write(&u, ICR, TX);
	CHECK_EQ(pl011_read(&u, RIS), 0);
	CHECK_EQ(falls, 1);
	pl011_write(&u, DR, 'C');
	CHECK_EQ(rises, 2);
	pl011_write(&u, IMSC, 0); /* masked: the line falls, RIS stays */
	CHECK_EQ(falls, 2);
	CHECK_EQ(pl011_read(&u, RIS), TX);
	CHECK_EQ(pl011_read(&u, MIS), 0);
	pl011_write(&u, IMSC, TX); /* unmasked with TX set: rises at once */
	CHECK_EQ(rises, 3);
	CHECK(!memcmp(page.out, "ABC", 3));
}

UNIT_TEST(rx_char_mode_level_follows_the_holding_register)
{
	reset(); /* FIFOs off after reset: RX at one byte */
	pl011_write(&u, IMSC, RX);
	type("abc");
	CHECK_EQ(rises, 0); /* nobody looked yet */
	pl011_look(&u);
	CHECK_EQ(rises, 1);
	CHECK_EQ(pl011_read(&u, RIS), RX | RT);
	CHECK(pl011_read(&u, FR) & FR_RXFF); /* the holding register is full */
	CHECK_EQ(pl011_read(&u, DR), 'a');
	CHECK_EQ(pl011_read(&u, DR), 'b');
	CHECK_EQ(falls, 0); /* the next byte arrived each time */
	CHECK_EQ(pl011_read(&u, DR), 'c');
	CHECK_EQ(falls, 1);
	CHECK_EQ(pl011_read(&u, RIS), 0);
	CHECK_EQ(pl011_read(&u, FR), FR_TXFE | FR_RXFE);
	CHECK_EQ(page.in_tail, 3);
	/* ICR clears RX with the byte still there; the next read's byte
	 * sets it again. */
	type("xy");
	pl011_look(&u);
	CHECK_EQ(rises, 2);
	pl011_write(&u, ICR, RX);
	CHECK_EQ(falls, 2);
	CHECK_EQ(pl011_read(&u, DR), 'x');
	CHECK_EQ(rises, 3);
	CHECK_EQ(pl011_read(&u, DR), 'y');
	CHECK_EQ(falls, 3);
}

UNIT_TEST(rx_fifo_trigger_level_and_timeout)
{
	char buf[64];

	reset();
	pl011_write(&u, LCR_H, FEN | 0x60);
	pl011_write(&u, IMSC, RX);
	type("12345"); /* 5 < 8 (half of 16) */
	pl011_look(&u);
	CHECK_EQ(pl011_read(&u, RIS), RT);
	CHECK_EQ(rises, 0); /* RT is masked */
	CHECK(!(pl011_read(&u, FR) & FR_RXFF));
	type("6789"); /* 9: crossed 8 */
	pl011_look(&u);
	CHECK_EQ(pl011_read(&u, RIS), RX | RT);
	CHECK_EQ(rises, 1);
	CHECK_EQ(pl011_read(&u, DR), '1');
	CHECK_EQ(pl011_read(&u, RIS), RX | RT); /* 8 left: still at the level */
	CHECK_EQ(pl011_read(&u, DR), '2');
	CHECK_EQ(pl011_read(&u, RIS), RT); /* 7: below */
	CHECK_EQ(falls, 1);
	CHECK_EQ(drain(buf, sizeof(buf) - 1), 7);
	CHECK(!strcmp(buf, "3456789"));
	CHECK_EQ(pl011_read(&u, RIS), 0); /* empty: RT gone too */
	/* Other trigger levels: 1/8 of 16 is 2, 7/8 is 14. */
	pl011_write(&u, IFLS, 0 << 3);
	type("a");
	pl011_look(&u);
	CHECK_EQ(pl011_read(&u, RIS), RT);
	type("b");
	pl011_look(&u);
	CHECK_EQ(pl011_read(&u, RIS), RX | RT);
	drain(buf, sizeof(buf) - 1);
	pl011_write(&u, IFLS, 4 << 3);
	type("abcdefghijklm"); /* 13 */
	pl011_look(&u);
	CHECK_EQ(pl011_read(&u, RIS), RT);
	type("n");
	pl011_look(&u);
	CHECK_EQ(pl011_read(&u, RIS), RX | RT);
}

UNIT_TEST(rx_is_a_crossing_not_a_level)
{
	char buf[64];

	reset();
	pl011_write(&u, LCR_H, FEN);
	type("0123456789"); /* 10 >= 8 */
	pl011_look(&u);
	CHECK_EQ(pl011_read(&u, RIS), RX | RT);
	pl011_write(&u, ICR, RX | RT);
	CHECK_EQ(pl011_read(&u, RIS), 0);
	type("ab"); /* already above the level: no crossing, but a timeout */
	pl011_look(&u);
	CHECK_EQ(pl011_read(&u, RIS), RT);
	CHECK_EQ(drain(buf, sizeof(buf) - 1), 12);
	CHECK(!strcmp(buf, "0123456789ab"));
}

UNIT_TEST(rt_needs_new_input_after_icr)
{
	reset();
	pl011_write(&u, LCR_H, FEN);
	pl011_write(&u, IMSC, RT);
	type("abc");
	pl011_look(&u);
	CHECK_EQ(rises, 1);
	pl011_write(&u, ICR, RT);
	CHECK_EQ(falls, 1);
	pl011_look(&u); /* nothing new */
	CHECK_EQ(pl011_read(&u, RIS), 0);
	CHECK_EQ(rises, 1);
	CHECK_EQ(pl011_read(&u, DR), 'a'); /* a partial read raises nothing */
	CHECK_EQ(rises, 1);
	type("d");
	CHECK_EQ(pl011_read(&u, MIS), RT); /* every access looks */
	CHECK_EQ(rises, 2);
}

/* drivers/tty/serial/amba-pl011.c's interrupt handler: status = RIS & im;
 * ICR of all but TX/RT/RX; RX or RT: FR/DR until RXFE (256 at most); TX:
 * half a FIFO per pass, TXIM off when nothing is left; until status is 0. */
static unsigned im;
static const char *tx_left;
static char rx_got[512];
static size_t rx_len;

static void linux_int(void)
{
	unsigned status = pl011_read(&u, RIS) & im, passes = 256;

	while (status) {
		pl011_write(&u, ICR, status & ~(TX | RT | RX));
		if (status & (RT | RX))
			for (unsigned n = 0; n < 256 && !(pl011_read(&u, FR) & FR_RXFE); n++)
				rx_got[rx_len++] = (char)pl011_read(&u, DR);
		if (status & TX) {
			for (unsigned n = 0; n < PL011_FIFO_DEPTH / 2 && *tx_left; n++)
				pl011_write(&u, DR, (unsigned char)*tx_left++);
			if (!*tx_left) {
				im &= ~TX;
				pl011_write(&u, IMSC, im);
			}
		}
		if (passes-- == 0)
			break;
		status = pl011_read(&u, RIS) & im;
	}
	rx_got[rx_len] = '\0';
}

static void linux_startup(void)
{
	im = 0;
	rx_len = 0;
	pl011_write(&u, ICR, 0x7c0 | RT | RX); /* pl011_hwinit */
	im = pl011_read(&u, IMSC);
	pl011_write(&u, IMSC, RT | RX);
	pl011_write(&u, IFLS, 0x12);
	pl011_write(&u, CR, 0x301);
	pl011_write(&u, LCR_H, 0x70); /* set_termios: 8 bits, FIFOs */
	pl011_write(&u, ICR, RT | RX); /* pl011_enable_interrupts */
	for (unsigned i = 0; i < 2 * PL011_FIFO_DEPTH && !(pl011_read(&u, FR) & FR_RXFE); i++)
		(void)pl011_read(&u, DR);
	im = RT | RX;
	pl011_write(&u, IMSC, im);
}

UNIT_TEST(linux_receive)
{
	reset();
	type("typed before the driver started"); /* the start-up drains it */
	pl011_look(&u);
	linux_startup();
	CHECK(!pl011_line(&u));
	unsigned r = rises, f = falls;
	type("hello\r"); /* short: only the timeout */
	pl011_look(&u);
	CHECK_EQ(rises, r + 1);
	linux_int();
	CHECK_EQ(falls, f + 1);
	CHECK(!strcmp(rx_got, "hello\r"));
	CHECK(!pl011_line(&u));
	/* A long line: RX at the level and RT; one interrupt for all. */
	rx_len = 0;
	type("a line longer than the trigger level\r");
	pl011_look(&u);
	CHECK_EQ(rises, r + 2);
	CHECK_EQ(pl011_read(&u, RIS) & (RX | RT), RX | RT);
	linux_int();
	CHECK_EQ(falls, f + 2);
	CHECK(!strcmp(rx_got, "a line longer than the trigger level\r"));
	/* More than the 256 a pass takes: the loop comes round again. */
	rx_len = 0;
	for (int i = 0; i < 30; i++)
		type("0123456789");
	pl011_look(&u);
	linux_int();
	CHECK_EQ(rx_len, 300);
	CHECK(!pl011_line(&u));
	CHECK_EQ(rises, r + 3);
	CHECK_EQ(falls, f + 3);
}

UNIT_TEST(linux_transmit_from_the_interrupt)
{
	reset();
	linux_startup();
	pl011_write(&u, DR, '>'); /* the console wrote before */
	CHECK(!pl011_line(&u));
	/* pl011_start_tx_pio when TXFF stopped it: TXIM on, and TX is set. */
	tx_left = "forty bytes of output the FIFO did not take";
	im |= TX;
	pl011_write(&u, IMSC, im);
	CHECK_EQ(rises, 1);
	linux_int();
	CHECK_EQ(*tx_left, '\0');
	CHECK_EQ(falls, 1);
	CHECK_EQ(page.out_head, 1 + strlen("forty bytes of output the FIFO did not take"));
	CHECK(!memcmp(page.out + 1, "forty bytes", 11));
}

UNIT_TEST(line_reported_once_per_change)
{
	reset();
	pl011_write(&u, IMSC, RX | RT | TX);
	type("x");
	pl011_look(&u);
	pl011_look(&u);
	pl011_write(&u, DR, 'y'); /* another cause while high: no report */
	pl011_write(&u, IMSC, RX | RT | TX);
	CHECK_EQ(rises, 1);
	CHECK_EQ(falls, 0);
	CHECK_EQ(pl011_read(&u, DR), 'x'); /* RX and RT gone, TX left */
	CHECK_EQ(falls, 0);
	pl011_write(&u, ICR, PL011_INT_ALL);
	CHECK_EQ(falls, 1);
	/* A byte typed and read in one access: no change to report. */
	type("z");
	CHECK_EQ(pl011_read(&u, DR), 'z');
	CHECK_EQ(rises, 1);
	CHECK_EQ(falls, 1);
}

UNIT_TEST(no_line_callback)
{
	memset(&page, 0, sizeof(page));
	pl011_init(&u, &page, NULL, NULL);
	pl011_write(&u, IMSC, PL011_INT_ALL);
	pl011_write(&u, DR, 'q');
	CHECK(pl011_line(&u));
	pl011_write(&u, ICR, TX);
	CHECK(!pl011_line(&u));
}

UNIT_TEST(input_typed_before_init_is_not_new)
{
	memset(&page, 0, sizeof(page));
	type("old");
	rises = falls = 0;
	level = false;
	pl011_init(&u, &page, line, &u);
	pl011_write(&u, IMSC, RX | RT);
	pl011_look(&u);
	CHECK_EQ(rises, 0); /* waiting, but nothing arrived since the start */
	CHECK(!(pl011_read(&u, FR) & FR_RXFE));
	CHECK_EQ(pl011_read(&u, DR), 'o');
}

UNIT_TEST(writer_ran_a_ring_ahead)
{
	char buf[VMMCTL_CONSOLE_IN + 8];

	reset();
	for (unsigned i = 0; i < VMMCTL_CONSOLE_IN + 52; i++) {
		page.in[page.in_head % VMMCTL_CONSOLE_IN] = (char)('a' + i % 26);
		page.in_head++;
	}
	pl011_write(&u, LCR_H, FEN);
	CHECK(pl011_read(&u, FR) & FR_RXFF);
	CHECK_EQ(drain(buf, sizeof(buf) - 1), VMMCTL_CONSOLE_IN); /* the oldest 52 are lost */
	CHECK_EQ(buf[0], 'a' + 52 % 26);
	CHECK_EQ(buf[VMMCTL_CONSOLE_IN - 1], 'a' + (VMMCTL_CONSOLE_IN + 51) % 26);
	CHECK_EQ(page.in_tail, page.in_head);
}

UNIT_TEST(hostile_ring_indexes)
{
	char buf[VMMCTL_CONSOLE_IN + 8];

	reset();
	pl011_write(&u, IMSC, RX | RT);
	page.in_tail = 1000;
	page.in_head = 5; /* behind the tail: taken as a lap, at most a ring read */
	pl011_look(&u);
	CHECK_EQ(drain(buf, sizeof(buf) - 1), VMMCTL_CONSOLE_IN);
	CHECK(!pl011_line(&u));
	page.in_head = ~0ull;
	page.in_tail = 0;
	CHECK_EQ(drain(buf, sizeof(buf) - 1), VMMCTL_CONSOLE_IN);
	CHECK_EQ(page.in_tail, ~0ull);
	CHECK(!pl011_line(&u));
}
