/* Stub of <linux/skbuff.h>: socket buffers and their queues. */
#ifndef _STUB_LINUX_SKBUFF_H
#define _STUB_LINUX_SKBUFF_H
#include <linux/types.h>
struct sk_buff {
	unsigned int len;
	unsigned char *data;
};
struct sk_buff_head {
	struct sk_buff *next;
	struct sk_buff *prev;
	unsigned int qlen;
};
struct sk_buff *skb_dequeue(struct sk_buff_head *list);
void skb_queue_tail(struct sk_buff_head *list, struct sk_buff *newsk);
void kfree_skb(struct sk_buff *skb);
#endif
