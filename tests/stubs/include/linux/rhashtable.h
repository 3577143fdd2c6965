/* Stub of <linux/rhashtable.h>. */
#ifndef _STUB_LINUX_RHASHTABLE_H
#define _STUB_LINUX_RHASHTABLE_H
#include <linux/types.h>
struct rhash_head {
	struct rhash_head *next;
};
struct rhashtable {
	void *tbl;
};
struct rhashtable_params {
	u16 key_len;
	u16 key_offset;
	u16 head_offset;
};
int rhashtable_insert_fast(struct rhashtable *ht, struct rhash_head *obj,
			   const struct rhashtable_params params);
#endif
