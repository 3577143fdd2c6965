/* Stub of <linux/compat.h>. */
#ifndef _STUB_LINUX_COMPAT_H
#define _STUB_LINUX_COMPAT_H
#include <linux/types.h>
#include <linux/compiler.h>
typedef u32 compat_uptr_t;
static inline void __user *compat_ptr(compat_uptr_t uptr)
{
	return (void __user *)(unsigned long)uptr;
}
#endif
