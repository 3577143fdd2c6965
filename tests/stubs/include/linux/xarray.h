/* Stub of <linux/xarray.h>. */
#ifndef _STUB_LINUX_XARRAY_H
#define _STUB_LINUX_XARRAY_H
#include <linux/types.h>
#include <linux/compiler.h>
struct xarray {
	unsigned int xa_flags;
	void *xa_head;
};
void *xa_load(struct xarray *xa, unsigned long index);
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void *xa_erase(struct xarray *xa, unsigned long index);
static inline bool xa_is_err(const void *entry)
{
	return unlikely(((unsigned long)entry & 3) == 2 && (unsigned long)entry > -4094UL);
}
static inline int xa_err(void *entry)
{
	if (xa_is_err(entry))
		return (long)entry >> 2;
	return 0;
}
#endif
