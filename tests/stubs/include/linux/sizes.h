/* Stub of <linux/sizes.h>. */
#ifndef _STUB_LINUX_SIZES_H
#define _STUB_LINUX_SIZES_H
#define SZ_1K		0x00000400
#define SZ_4K		0x00001000
#define SZ_64K		0x00010000
#define SZ_1M		0x00100000
#endif
