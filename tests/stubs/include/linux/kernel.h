/* Stub of <linux/kernel.h>: pulls in the basics, as the real one does. */
#ifndef _STUB_LINUX_KERNEL_H
#define _STUB_LINUX_KERNEL_H

#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/types.h>

#define PAGE_SIZE	4096UL
#define ARRAY_SIZE(arr)	(sizeof(arr) / sizeof((arr)[0]))
#define offsetof(TYPE, MEMBER)	__builtin_offsetof(TYPE, MEMBER)
#define container_of(ptr, type, member) ({				\
	void *__mptr = (void *)(ptr);					\
	((type *)(__mptr - offsetof(type, member))); })
#define min(x, y)	((x) < (y) ? (x) : (y))
#define max(x, y)	((x) > (y) ? (x) : (y))
#define WARN_ON(condition) ({						\
	int __ret_warn_on = !!(condition);				\
	unlikely(__ret_warn_on);					\
})
#define BUG_ON(condition) do { if (unlikely(condition)) __builtin_trap(); } while (0)

int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
char *kasprintf(gfp_t gfp, const char *fmt, ...) __printf(2, 3);
int kstrtou32(const char *s, unsigned int base, u32 *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
u32 crc32_le(u32 crc, unsigned char const *p, size_t len);

#endif
