/* Stub of <linux/file.h>. */
#ifndef _STUB_LINUX_FILE_H
#define _STUB_LINUX_FILE_H
#include <linux/fs.h>
void fput(struct file *file);
#endif
