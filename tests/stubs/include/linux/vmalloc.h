/* Stub of <linux/vmalloc.h>. */
#ifndef _STUB_LINUX_VMALLOC_H
#define _STUB_LINUX_VMALLOC_H
#include <linux/types.h>
void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
void vfree(const void *addr);
struct page;
void *vmap(struct page **pages, unsigned int count, unsigned long flags, unsigned long prot);
void vunmap(const void *addr);
#endif
