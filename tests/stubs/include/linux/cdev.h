/* Stub of <linux/cdev.h>. */
#ifndef _STUB_LINUX_CDEV_H
#define _STUB_LINUX_CDEV_H
#include <linux/fs.h>
#include <linux/types.h>
struct file_operations;
struct cdev {
	const struct file_operations *ops;
	unsigned int count;
};
void cdev_init(struct cdev *cdev, const struct file_operations *fops);
int cdev_add(struct cdev *p, unsigned int dev, unsigned int count);
void cdev_del(struct cdev *p);
#endif
