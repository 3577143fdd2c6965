/* Stub of <linux/notifier.h>. */
#ifndef _STUB_LINUX_NOTIFIER_H
#define _STUB_LINUX_NOTIFIER_H
#define NOTIFY_DONE		0x0000
#define NOTIFY_OK		0x0001
#define NOTIFY_STOP_MASK	0x8000
#define NOTIFY_BAD		(NOTIFY_STOP_MASK | 0x0002)
static inline int notifier_from_errno(int err)
{
	if (err)
		return NOTIFY_STOP_MASK | (NOTIFY_OK - err);
	return NOTIFY_OK;
}
#endif
