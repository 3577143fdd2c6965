/* Stub of <linux/io.h>. */
#ifndef _STUB_LINUX_IO_H
#define _STUB_LINUX_IO_H
#include <linux/types.h>
#include <linux/compiler.h>
u32 readl(const volatile void __iomem *addr);
void writel(u32 value, volatile void __iomem *addr);
void memcpy_fromio(void *dst, const volatile void __iomem *src, size_t count);
void memcpy_toio(volatile void __iomem *dst, const void *src, size_t count);
#endif
