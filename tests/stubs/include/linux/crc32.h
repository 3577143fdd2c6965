/* Stub of <linux/crc32.h>. */
#ifndef _STUB_LINUX_CRC32_H
#define _STUB_LINUX_CRC32_H
#include <linux/kernel.h>
#define crc32(seed, data, length) crc32_le(seed, (unsigned char const *)(data), length)
#endif
