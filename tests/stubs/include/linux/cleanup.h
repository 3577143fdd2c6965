/* Stub of <linux/cleanup.h> (as merged in 6.5). */
#ifndef _STUB_LINUX_CLEANUP_H
#define _STUB_LINUX_CLEANUP_H
#include <linux/compiler.h>

#define DEFINE_FREE(_name, _type, _free) \
	static inline void __free_##_name(void *p) { _type _T = *(_type *)p; _free; }
#define __free(_name)	__cleanup(__free_##_name)
#define __get_and_null_ptr(p) \
	({ __auto_type __ptr = &(p); __auto_type __val = *__ptr; *__ptr = NULL; __val; })
#define no_free_ptr(p)	((typeof(p)) __get_and_null_ptr(p))
#define return_ptr(p)	return no_free_ptr(p)
/* Takes the lock for its body, which runs once (the lock class is not modelled). */
#define scoped_guard(_name, args...) \
	for (int __scoped_once = 1; __scoped_once; __scoped_once = 0)
#endif
