/* Stub of <linux/scatterlist.h>. */
#ifndef _STUB_LINUX_SCATTERLIST_H
#define _STUB_LINUX_SCATTERLIST_H
#include <linux/types.h>

struct scatterlist {
	unsigned long page_link;
	unsigned int offset;
	unsigned int length;
};

void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int buflen);
void *sg_virt(struct scatterlist *sg);
void sg_chain(struct scatterlist *prv, unsigned int prv_nents, struct scatterlist *sgl);

struct sg_table {
	struct scatterlist *sgl;
	unsigned int nents;
	unsigned int orig_nents;
};
int sg_alloc_table(struct sg_table *table, unsigned int nents, gfp_t gfp_mask);
void sg_free_table(struct sg_table *table);

#endif
