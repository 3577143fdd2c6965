/* Stub of <linux/iopoll.h>: a statement expression with a loop, as in 6.1. */
#ifndef _STUB_LINUX_IOPOLL_H
#define _STUB_LINUX_IOPOLL_H
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/io.h>
#define read_poll_timeout(op, val, cond, sleep_us, timeout_us, sleep_before_read, args...) \
({ \
	unsigned long __left = (timeout_us); \
	for (;;) { \
		(val) = op(args); \
		if (cond) \
			break; \
		if (!__left--) \
			break; \
		if (sleep_us) \
			usleep_range((sleep_us >> 2) + 1, sleep_us); \
	} \
	(cond) ? 0 : -ETIMEDOUT; \
})
#define readl_poll_timeout(addr, val, cond, delay_us, timeout_us) \
	read_poll_timeout(readl, val, cond, delay_us, timeout_us, false, addr)
#endif
