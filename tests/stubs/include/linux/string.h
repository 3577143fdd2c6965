/* Stub of <linux/string.h>. */
#ifndef _STUB_LINUX_STRING_H
#define _STUB_LINUX_STRING_H
#include <linux/compiler.h>
#include <linux/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
ssize_t strscpy(char *dst, const char *src, size_t count);
char *kstrdup(const char *s, gfp_t gfp);
const char *kstrdup_const(const char *s, gfp_t gfp);
char *kstrndup(const char *s, size_t max, gfp_t gfp);
void *kmemdup(const void *src, size_t len, gfp_t gfp);
void *memdup_user(const void __user *src, size_t len);
void *memdup_user_nul(const void __user *src, size_t len);
void kfree_const(const void *x);
char *strim(char *s);
char *skip_spaces(const char *s);
#endif
