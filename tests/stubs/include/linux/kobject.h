/* Stub of <linux/kobject.h> and <linux/sysfs.h>. */
#ifndef _STUB_LINUX_KOBJECT_H
#define _STUB_LINUX_KOBJECT_H
#include <linux/kernel.h>

struct attribute;
struct kobject {
	const char *name;
	struct kobject *parent;
};
struct kobj_type {
	void (*release)(struct kobject *kobj);
};

void kobject_init(struct kobject *kobj, const struct kobj_type *ktype);
int kobject_add(struct kobject *kobj, struct kobject *parent, const char *fmt, ...);
void kobject_put(struct kobject *kobj);
int sysfs_create_files(struct kobject *kobj, const struct attribute *const *attr);
#endif
