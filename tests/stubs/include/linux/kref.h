/* Stub of <linux/kref.h>. */
#ifndef _STUB_LINUX_KREF_H
#define _STUB_LINUX_KREF_H
struct kref {
	int refcount;
};
#endif
