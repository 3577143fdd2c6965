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

#endif
