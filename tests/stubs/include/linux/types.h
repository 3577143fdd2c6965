/* Stub of <linux/types.h> for devmlint's clang-frontend tests (x86-64 sizes). */
#ifndef _STUB_LINUX_TYPES_H
#define _STUB_LINUX_TYPES_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;
typedef unsigned long size_t;
typedef long ssize_t;
typedef long long loff_t;
typedef unsigned int gfp_t;
typedef u64 dma_addr_t;
typedef u64 phys_addr_t;
typedef phys_addr_t resource_size_t;
typedef _Bool bool;
typedef unsigned long uintptr_t;
typedef u32 __le32;
typedef u16 __le16;

enum { false = 0, true = 1 };

#define NULL ((void *)0)

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

typedef struct {
	int counter;
} atomic_t;

#endif
