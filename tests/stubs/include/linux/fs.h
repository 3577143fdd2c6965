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
#endif
