/* Stub of <linux/kfifo.h>: the kernel's kfifo_alloc/kfifo_free are macros. */
#ifndef _STUB_LINUX_KFIFO_H
#define _STUB_LINUX_KFIFO_H
#include <linux/gfp.h>
struct kfifo {
	unsigned int in;
	unsigned int out;
	void *data;
};
int kfifo_alloc(void *fifo, unsigned int size, gfp_t gfp_mask);
void kfifo_free(void *fifo);
#endif
