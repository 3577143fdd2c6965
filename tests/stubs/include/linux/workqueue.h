/* Stub of <linux/workqueue.h>. */
#ifndef _STUB_LINUX_WORKQUEUE_H
#define _STUB_LINUX_WORKQUEUE_H
#include <linux/types.h>
struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);
struct work_struct {
	work_func_t func;
};
struct workqueue_struct;
#define INIT_WORK(_work, _func) ((_work)->func = (_func))
bool queue_work(struct workqueue_struct *wq, struct work_struct *work);
bool schedule_work(struct work_struct *work);
#endif
