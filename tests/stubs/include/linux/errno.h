/* Stub of <linux/errno.h> (asm-generic/errno-base.h values). */
#ifndef _STUB_LINUX_ERRNO_H
#define _STUB_LINUX_ERRNO_H

#define EPERM		1
#define ENOENT		2
#define EIO		5
#define ENXIO		6
#define E2BIG		7
#define EAGAIN		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define ENOSPC		28
#define ERANGE		34
#define ENAMETOOLONG	36
#define ENODATA		61
#define EOVERFLOW	75
#define EOPNOTSUPP	95
#define ESHUTDOWN	108
#define ETIMEDOUT	110
#define EINPROGRESS	115
#define EPROBE_DEFER	517
#define EIOCBQUEUED	529

#endif
