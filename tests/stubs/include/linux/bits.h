/* Stub of <linux/bits.h>. */
#ifndef _STUB_LINUX_BITS_H
#define _STUB_LINUX_BITS_H
#define BIT(nr)		(1UL << (nr))
#define GENMASK(h, l)	(((~0UL) << (l)) & (~0UL >> (63 - (h))))
#endif
