/* Stub of <linux/module.h>. */
#ifndef _STUB_LINUX_MODULE_H
#define _STUB_LINUX_MODULE_H
#include <linux/init.h>
#include <linux/kernel.h>
struct module;
extern struct module __this_module;
#define THIS_MODULE (&__this_module)
#define MODULE_LICENSE(x)	static const char __mod_license[] __maybe_unused = x
#define MODULE_AUTHOR(x)	static const char __mod_author[] __maybe_unused = x
#define MODULE_DESCRIPTION(x)	static const char __mod_description[] __maybe_unused = x
#define MODULE_DEVICE_TABLE(type, name)
#endif
