/* Stub of <linux/idr.h>. */
#ifndef _STUB_LINUX_IDR_H
#define _STUB_LINUX_IDR_H
#include <linux/types.h>
struct idr {
	void *idr_rt;
	unsigned int idr_base;
	unsigned int idr_next;
};
int idr_alloc(struct idr *idr, void *ptr, int start, int end, gfp_t gfp);
void *idr_remove(struct idr *idr, unsigned long id);
struct ida {
	void *xa_head;
};
void ida_destroy(struct ida *ida);
int ida_alloc(struct ida *ida, gfp_t gfp);
void ida_free(struct ida *ida, unsigned int id);
#define DEFINE_IDA(name) struct ida name = { 0 }
#endif
