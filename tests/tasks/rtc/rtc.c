// SPDX-License-Identifier: BSD-2-Clause
// A user-level driver for QEMU virt's PL031 real-time clock, run as the
// root task: maps the device's registers, binds its interrupt to a
// notification, and takes two alarm interrupts (the second proves that
// acknowledging unmasks it). Also checks notifications themselves: signal
// and wait, badges, and a notification bound to a thread that receives on
// an endpoint. Prints "rtc: NAME ok" / "rtc: NAME FAIL: why".
#include <stdio.h>
#include <string.h>

#include <cv/runtime.h>
#include <cv/syscall.h>
#include <uapi/root.h>

#define RTC_VA 0x0000002000000000ull
#define RTCDR 0x00   /* data: seconds */
#define RTCMR 0x04   /* match */
#define RTCCR 0x0c   /* control: start */
#define RTCIMSC 0x10 /* interrupt mask set/clear */
#define RTCRIS 0x14  /* raw interrupt status */
#define RTCICR 0x1c  /* interrupt clear */

enum {
	SLOT_NTFN = CV_ROOT_SLOT_FIRST_FREE,
	SLOT_NTFN_BADGED,
	SLOT_EP,
	SLOT_NTFN2,
};

static int failures;

static void check(const char *name, int ok, const char *why)
{
	if (ok) {
		printf("rtc: %s ok\n", name);
	} else {
		printf("rtc: %s FAIL: %s\n", name, why);
		failures++;
	}
}

static volatile uint32_t *reg(unsigned off)
{
	return (volatile uint32_t *)(uintptr_t)(RTC_VA + off);
}

static void notification_checks(void)
{
	uint64_t word = 0;

	check("ntfn_create", cv_notification_create(CV_ROOT_SLOT_QUOTA, SLOT_NTFN2) == CV_OK, "create failed");
	check("ntfn_empty_nonblock", cv_wait(SLOT_NTFN2, CV_WAIT_NONBLOCK, &word) == CV_E_WOULD_BLOCK && word == 0,
	      "a fresh notification had bits");
	check("ntfn_mint", cv_cap_mint(SLOT_NTFN2, SLOT_NTFN_BADGED, CV_RIGHTS_ALL, 0x100) == CV_OK, "mint failed");
	(void)cv_signal(SLOT_NTFN2, 0x1);
	(void)cv_signal(SLOT_NTFN_BADGED, 0x2);
	check("ntfn_signal_wait", cv_wait(SLOT_NTFN2, 0, &word) == CV_OK && word == 0x103,
	      "the word is not the OR of bits and badge");
	check("ntfn_cleared", cv_wait(SLOT_NTFN2, CV_WAIT_NONBLOCK, &word) == CV_E_WOULD_BLOCK,
	      "waiting did not clear the word");

	/* Bound to this thread: an endpoint receive returns the signal. */
	struct cv_msg m = {.info = CV_IPC_NONBLOCK};
	check("ntfn_bind", cv_notification_bind(SLOT_NTFN2, CV_ROOT_SLOT_THREAD) == CV_OK, "bind failed");
	check("ep_create", cv_endpoint_create(CV_ROOT_SLOT_QUOTA, SLOT_EP) == CV_OK, "endpoint create failed");
	(void)cv_signal(SLOT_NTFN2, 0x40);
	m.info = CV_IPC_NONBLOCK;
	enum cv_status st = cv_recv(SLOT_EP, &m);
	check("bound_recv", st == CV_OK && (m.info & CV_IPC_NOTIFICATION) && m.badge == 0x40,
	      "receive did not deliver the bound notification");
	m.info = CV_IPC_NONBLOCK;
	check("bound_recv_empty", cv_recv(SLOT_EP, &m) == CV_E_WOULD_BLOCK, "a second receive got something");
	check("ntfn_bind_twice", cv_notification_bind(SLOT_NTFN2, CV_ROOT_SLOT_THREAD) == CV_E_BUSY,
	      "a second binding was accepted");
}

static const struct cv_root_device *find_rtc(void)
{
	const struct cv_root_devices *list = (const struct cv_root_devices *)(uintptr_t)CV_ROOT_DEVICES_VA;

	for (uint32_t i = 0; i < list->count && i < CV_ROOT_DEVICES_MAX; i++)
		if (!strcmp(list->devices[i].compatible, "arm,pl031"))
			return &list->devices[i];
	return NULL;
}

static int alarm(const struct cv_root_device *d, int n)
{
	uint64_t word = 0;
	char name[32];

	uint32_t now = *reg(RTCDR);
	*reg(RTCMR) = now + 1;
	*reg(RTCIMSC) = 1;
	enum cv_status st = cv_wait(SLOT_NTFN, 0, &word);
	int ok = st == CV_OK && word == 0x8 && (*reg(RTCRIS) & 1) && *reg(RTCDR) >= now + 1;
	snprintf(name, sizeof(name), "alarm_%d", n);
	check(name, ok, "no alarm interrupt, or the wrong signal");
	*reg(RTCICR) = 1;
	check(n == 1 ? "ack_1" : "ack_2", cv_irq_ack(d->irq_slot) == CV_OK, "acknowledge failed");
	return ok;
}

int main(void *arg)
{
	(void)arg;
	uint64_t word;

	notification_checks();
	const struct cv_root_device *d = find_rtc();
	check("found", d && d->irq_slot && d->irq == 34, "no arm,pl031 with interrupt 34 among the root's devices");
	if (!d || !d->irq_slot)
		goto out;
	check("map", cv_device_map(d->device_slot, CV_ROOT_SLOT_TASK, RTC_VA, 0, 1) == CV_OK, "device map failed");
	check("map_bad_range", cv_device_map(d->device_slot, CV_ROOT_SLOT_TASK, RTC_VA + 0x10000, 1, 1) == CV_E_BAD_ARG,
	      "mapping past the device was accepted");
	check("ntfn", cv_notification_create(CV_ROOT_SLOT_QUOTA, SLOT_NTFN) == CV_OK, "create failed");
	check("bind", cv_irq_bind(d->irq_slot, SLOT_NTFN, 0x8) == CV_OK, "irq bind failed");
	check("bind_twice", cv_irq_bind(d->irq_slot, SLOT_NTFN, 0x8) == CV_E_BUSY, "a second binding was accepted");
	printf("rtc: time %u\n", (unsigned)*reg(RTCDR));
	*reg(RTCCR) = 1;
	if (alarm(d, 1))
		alarm(d, 2);
	*reg(RTCIMSC) = 0;
	check("no_flood", cv_wait(SLOT_NTFN, CV_WAIT_NONBLOCK, &word) == CV_E_WOULD_BLOCK,
	      "an interrupt arrived without an alarm");
out:
	printf("rtc: done %d failed\n", failures);
	return 0;
}
