/* Stub of <linux/kthread.h>. */
#ifndef _STUB_LINUX_KTHREAD_H
#define _STUB_LINUX_KTHREAD_H
#include <linux/types.h>

struct task_struct;

/* (a macro in the kernel; a function here is the same call to both frontends) */
struct task_struct *kthread_run(int (*threadfn)(void *data), void *data, const char *namefmt, ...);
int kthread_stop(struct task_struct *k);

#endif
