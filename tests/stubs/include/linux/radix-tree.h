/* Stub of <linux/radix-tree.h>. */
#ifndef _STUB_LINUX_RADIX_TREE_H
#define _STUB_LINUX_RADIX_TREE_H
struct radix_tree_root {
	void *rnode;
};
int radix_tree_insert(struct radix_tree_root *root, unsigned long index, void *item);
#endif
