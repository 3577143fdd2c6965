/* Stub of <linux/init.h>. */
#ifndef _STUB_LINUX_INIT_H
#define _STUB_LINUX_INIT_H
#include <linux/compiler.h>
typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);
#define module_init(fn) static initcall_t __initcall_##fn __maybe_unused = fn
#define module_exit(fn) static exitcall_t __exitcall_##fn __maybe_unused = fn
#endif
