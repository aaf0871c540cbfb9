// SPDX-License-Identifier: BSD-2-Clause
// The console service (docs/console.md): owns the PL011 UART at user
// level and serves the console protocol (cv/console.h) on its endpoint.
// Output of every client is printed a whole line at a time with the
// client's "[name] " prefix; input goes to one client at a time, the one
// with the focus. One thread does everything: it waits in RECV on the
// endpoint, and the UART's interrupt reaches it there through a
// notification bound to it. No request ever makes it wait for anything
// else, so a client can never stall the console for the others.
//
// Started by the root task with the capabilities (start information,
// include/uapi/start.h): "uart" (device: the PL011's registers),
// "uart_irq" (its interrupt), "console" (the endpoint, unbadged, with
// READ and WRITE).
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cv/console.h>
#include <cv/runtime.h>
#include <cv/syscall.h>
#include <cv/task.h>
#include <uapi/start.h>

#include "mux.h"

#define UART_VA 0x0000002000000000ull

/* PL011 registers (ARM DDI 0183) and the bits we use. */
#define UART_DR 0x00
#define UART_DR_ERRORS 0xf00u  /* overrun, break, parity, framing */
#define UART_FR 0x18
#define UART_FR_RXFE (1u << 4) /* receive FIFO empty */
#define UART_FR_TXFF (1u << 5) /* transmit FIFO full */
#define UART_CR 0x30
#define UART_CR_UARTEN (1u << 0)
#define UART_CR_TXE (1u << 8)
#define UART_CR_RXE (1u << 9)
#define UART_IMSC 0x38
#define UART_ICR 0x44
#define UART_INT_RX (1u << 4) /* receive */
#define UART_INT_RT (1u << 6) /* receive timeout: bytes below the FIFO level */

#define SIG_UART 1ull /* the UART's bit in our bound notification */
#define FAILURES_MAX 100 /* receive failures in a row before giving up */

static struct mux mux;
static volatile uint32_t *uart;
static cv_slot_t ep_slot, irq_slot;
static cv_slot_t slot_hint = CV_SLOT_SELF_QUOTA + 1;
static cv_slot_t give_slot; /* a capability sent with the last reply, deleted after */

static uint32_t uart_read(unsigned off)
{
	return uart[off / 4];
}

static void uart_write(unsigned off, uint32_t v)
{
	uart[off / 4] = v;
}

/* Polled output. The kernel writes its own messages into the same FIFO,
 * so its lines and ours can only interleave byte-wise when both print at
 * the same moment. */
static void uart_emit(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	for (size_t i = 0; i < n; i++) {
		while (uart_read(UART_FR) & UART_FR_TXFF)
			;
		uart_write(UART_DR, (unsigned char)s[i]);
	}
}

/* The service's own lines, "[console] ...", in order with the clients'. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	int n = snprintf(buf, sizeof(buf), "[console] ");

	va_start(ap, fmt);
	int m = vsnprintf(buf + n, sizeof(buf) - (size_t)n - 2, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	n += m < (int)sizeof(buf) - n - 2 ? m : (int)sizeof(buf) - n - 3;
	buf[n++] = '\r';
	buf[n++] = '\n';
	uart_emit(NULL, buf, (size_t)n);
}

/* An empty slot of our capability space, 0 if none is left. */
static cv_slot_t slot_alloc(void)
{
	struct cv_cap_info ci;

	for (cv_slot_t s = slot_hint; s < 0x10000; s++) {
		enum cv_status st = cv_cap_info(s, &ci);
		if (st == CV_E_EMPTY_SLOT) {
			slot_hint = s + 1;
			return s;
		}
		if (st == CV_E_BAD_SLOT)
			break;
	}
	return 0;
}

static void slot_free(cv_slot_t s)
{
	(void)cv_cap_delete(s);
	if (s < slot_hint)
		slot_hint = s;
}

/* Input: everything in the receive FIFO to the focus client, then the
 * interrupt is acknowledged. The status is cleared before reading, so a
 * byte arriving meanwhile raises it again. */
static void uart_rx(void)
{
	char buf[64];
	size_t n = 0;
	struct mux_client *wake = NULL;

	uart_write(UART_ICR, UART_INT_RX | UART_INT_RT);
	while (!(uart_read(UART_FR) & UART_FR_RXFE)) {
		uint32_t d = uart_read(UART_DR);
		if (!(d & UART_DR_ERRORS))
			buf[n++] = (char)(d & 0xff);
		if (n == sizeof(buf)) {
			struct mux_client *c = mux_input(&mux, buf, n);
			wake = c ? c : wake;
			n = 0;
		}
	}
	struct mux_client *c = mux_input(&mux, buf, n);
	wake = c ? c : wake;
	if (wake && wake->used && wake->notifier)
		(void)cv_signal(wake->notifier, CV_CONSOLE_SIGNAL_INPUT);
	(void)cv_irq_ack(irq_slot);
}

/* A close event when the last capability with this badge outside our
 * task is gone, so the client's entry can go too. Needs a frame of our
 * quota; without it the entry just stays. */
static void watch(uint64_t badge)
{
	cv_slot_t s;

	if (!badge || !(s = slot_alloc()))
		return;
	if (cv_cap_mint(ep_slot, s, CV_RIGHT_READ, badge) == CV_OK)
		(void)cv_endpoint_watch(s);
	slot_free(s); /* the watch stays with the endpoint */
}

static struct mux_client *client(uint64_t badge)
{
	bool created;
	struct mux_client *c = mux_get(&mux, badge, &created);

	if (created)
		watch(badge);
	return c;
}

static void client_gone(uint64_t badge)
{
	struct mux_client *c = mux_find(&mux, badge);

	if (!c)
		return;
	if (c->notifier)
		slot_free(c->notifier);
	mux_remove(&mux, c);
}

static void unpack(const uint64_t *mrs, char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(mrs[i / 8] >> (8 * (i % 8)));
}

static void reply(struct cv_msg *m, enum cv_status st, unsigned count)
{
	memset(m, 0, sizeof(*m));
	m->info = cv_ipc_info(1, 0, 0, 0);
	m->mr[0] = cv_console_mr0(st, count);
}

/* Registers needed for n text bytes after `first` registers. */
static unsigned regs_for(unsigned first, unsigned n)
{
	return first + (n + 7) / 8;
}

/* Fills m with the reply and returns CV_OK, or returns the error to reply. */
static enum cv_status op_write(struct cv_msg *m, unsigned len, bool show)
{
	unsigned n = cv_console_count(m->mr[0]);
	char text[CV_CONSOLE_TEXT_MAX];

	if (n > CV_CONSOLE_TEXT_MAX || regs_for(1, n) > len)
		return CV_E_BAD_ARG;
	unpack(&m->mr[1], text, n);
	struct mux_client *c = client(m->badge);
	if (c) {
		mux_write(&mux, c, text, n);
		if (show)
			mux_show(&mux, c);
	} else {
		/* Table full: no line assembly, but the text is not lost. */
		struct mux_client tmp = {.used = true, .badge = m->badge};
		mux_write(&mux, &tmp, text, n);
		mux_flush(&mux, &tmp);
	}
	reply(m, CV_OK, n);
	return CV_OK;
}

static enum cv_status op_read(struct cv_msg *m)
{
	unsigned max = cv_console_count(m->mr[0]);
	char text[CV_CONSOLE_TEXT_MAX];

	if (!max)
		max = CV_CONSOLE_TEXT_MAX;
	if (max > CV_CONSOLE_TEXT_MAX)
		return CV_E_BAD_ARG;
	struct mux_client *c = client(m->badge);
	if (!c)
		return CV_E_NO_MEMORY;
	size_t n = mux_read(&mux, c, text, max);
	if (!n)
		return CV_E_WOULD_BLOCK;
	reply(m, CV_OK, (unsigned)n);
	for (size_t i = 0; i < n; i++)
		m->mr[1 + i / 8] |= (uint64_t)(unsigned char)text[i] << (8 * (i % 8));
	m->info = cv_ipc_info(regs_for(1, (unsigned)n), 0, 0, 0);
	return CV_OK;
}

static enum cv_status op_notifier(struct cv_msg *m)
{
	struct mux_client *c = client(m->badge);

	if (!c)
		return CV_E_NO_MEMORY;
	if (!c->notifier) {
		cv_slot_t s = slot_alloc();
		if (!s || cv_notification_create(CV_SLOT_SELF_QUOTA, s) != CV_OK) {
			if (s)
				slot_free(s);
			return CV_E_NO_MEMORY;
		}
		c->notifier = s;
	}
	/* The client may wait on it, not signal it. */
	cv_slot_t give = slot_alloc();
	if (!give || cv_cap_copy(c->notifier, give, CV_RIGHT_READ) != CV_OK) {
		if (give)
			slot_free(give);
		return CV_E_NO_MEMORY;
	}
	give_slot = give;
	reply(m, CV_OK, 0);
	m->info = cv_ipc_info(1, 1, give, 0);
	return CV_OK;
}

static enum cv_status op_register(struct cv_msg *m, unsigned len)
{
	unsigned n = cv_console_count(m->mr[0]);
	char name[CV_CONSOLE_NAME_MAX];
	bool created;

	if (m->badge)
		return CV_E_NO_RIGHTS;
	if (!n || n > CV_CONSOLE_NAME_MAX || regs_for(2, n) > len)
		return CV_E_BAD_ARG;
	uint64_t badge = m->mr[1];
	unpack(&m->mr[2], name, n);
	if (!name[0])
		return CV_E_BAD_ARG;
	if (!mux_register(&mux, badge, name, n, &created))
		return CV_E_NO_MEMORY;
	if (created)
		watch(badge);
	reply(m, CV_OK, 0);
	return CV_OK;
}

/* Handles what RECV brought; returns whether m is now a reply to send. */
static bool handle(struct cv_msg *m)
{
	if (m->info & CV_IPC_NOTIFICATION) {
		if (m->badge & SIG_UART)
			uart_rx();
		return false;
	}
	if (m->info & CV_IPC_CLOSE_EVENT) {
		client_gone(m->badge);
		return false;
	}
	if (m->info & CV_IPC_FAULT)
		return false; /* we are nobody's fault handler */
	unsigned len = (unsigned)(m->info & CV_IPC_LEN_MASK);
	if (!len) {
		reply(m, CV_E_BAD_ARG, 0);
		return true;
	}
	enum cv_status st;
	switch (cv_console_code(m->mr[0])) {
	case CV_CONSOLE_OP_WRITE:
	case CV_CONSOLE_OP_SHOW:
		st = op_write(m, len, cv_console_code(m->mr[0]) == CV_CONSOLE_OP_SHOW);
		break;
	case CV_CONSOLE_OP_READ:
		st = op_read(m);
		break;
	case CV_CONSOLE_OP_NOTIFIER:
		st = op_notifier(m);
		break;
	case CV_CONSOLE_OP_REGISTER:
		st = op_register(m, len);
		break;
	default:
		st = CV_E_BAD_ARG;
		break;
	}
	if (st != CV_OK)
		reply(m, st, 0);
	return true;
}

static cv_slot_t cap_named(const struct cv_start_info *si, const char *name, uint32_t type)
{
	for (uint32_t i = 0; i < si->cap_count && i < CV_START_CAPS_MAX; i++)
		if (si->caps[i].type == type && !strncmp(si->caps[i].name, name, CV_START_NAME_MAX))
			return si->caps[i].slot;
	return 0;
}

static enum cv_status setup(const struct cv_start_info *si)
{
	cv_slot_t dev = cap_named(si, "uart", CV_OBJ_DEVICE);
	enum cv_status st;

	irq_slot = cap_named(si, "uart_irq", CV_OBJ_IRQ);
	ep_slot = cap_named(si, "console", CV_OBJ_ENDPOINT);
	for (uint32_t i = 0; i < si->cap_count && i < CV_START_CAPS_MAX; i++)
		if (si->caps[i].slot >= slot_hint)
			slot_hint = si->caps[i].slot + 1;
	if (!dev || !irq_slot || !ep_slot) {
		printf("console: needs capabilities uart (device), uart_irq (irq) and console (endpoint)\n");
		return CV_E_EMPTY_SLOT;
	}
	st = cv_device_map(dev, CV_SLOT_SELF_TASK, UART_VA, 0, 1);
	if (st != CV_OK) {
		printf("console: mapping the UART: %s\n", cv_strerror(st));
		return st;
	}
	uart = (volatile uint32_t *)(uintptr_t)UART_VA;
	cv_slot_t ntfn = slot_alloc();
	st = ntfn ? cv_notification_create(CV_SLOT_SELF_QUOTA, ntfn) : CV_E_NO_MEMORY;
	if (st == CV_OK)
		st = cv_notification_bind(ntfn, CV_SLOT_SELF_THREAD);
	if (st == CV_OK)
		st = cv_irq_bind(irq_slot, ntfn, SIG_UART);
	if (st != CV_OK) {
		printf("console: setting up the UART interrupt: %s\n", cv_strerror(st));
		return st;
	}
	/* Leave the line settings (the firmware's) alone; make sure receive
	 * works and interrupts when something arrives. */
	uart_write(UART_CR, uart_read(UART_CR) | UART_CR_UARTEN | UART_CR_TXE | UART_CR_RXE);
	uart_write(UART_IMSC, uart_read(UART_IMSC) | UART_INT_RX | UART_INT_RT);
	return CV_OK;
}

int main(void *arg)
{
	const struct cv_start_info *si = cv_start_info_of(arg);

	if (!si) {
		printf("console: no start information: the root task starts this service\n");
		return 1;
	}
	if (setup(si) != CV_OK)
		return 1;
	mux_init(&mux, uart_emit, NULL);
	say("ready: Ctrl-T moves input to the next task that reads");
	uart_rx(); /* what was typed before we listened */

	struct cv_msg m = {0};
	bool answer = false;
	unsigned failures = 0;
	uint64_t ep_arg = cv_ipc_endpoint_arg(ep_slot, 0, 0);
	for (;;) {
		enum cv_status st = answer ? cv_reply_recv(ep_arg, &m) : cv_recv(ep_arg, &m);
		if (give_slot) {
			slot_free(give_slot);
			give_slot = 0;
		}
		if (st != CV_OK) {
			say("receive: %s", cv_strerror(st));
			if (++failures == FAILURES_MAX)
				return 1;
			answer = false;
			continue;
		}
		failures = 0;
		answer = handle(&m);
	}
}
