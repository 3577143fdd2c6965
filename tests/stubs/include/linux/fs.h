/* Stub of <linux/fs.h>. */
#ifndef _STUB_LINUX_FS_H
#define _STUB_LINUX_FS_H
#include <linux/types.h>
struct inode {
	unsigned long i_ino;
	void *i_private;
};
struct file {
	unsigned int f_flags;
	void *private_data;
};
struct file_operations {
	int (*release)(struct inode *inode, struct file *file);
};
#define O_RDONLY	00000000
#endif
