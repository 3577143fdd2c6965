/* Stub of <linux/pm_runtime.h>. */
#ifndef _STUB_LINUX_PM_RUNTIME_H
#define _STUB_LINUX_PM_RUNTIME_H
#include <linux/device.h>
int __pm_runtime_idle(struct device *dev, int rpmflags);
int __pm_runtime_resume(struct device *dev, int rpmflags);
static inline int pm_runtime_put(struct device *dev)
{
	return __pm_runtime_idle(dev, 5);
}
static inline int pm_runtime_resume_and_get(struct device *dev)
{
	return __pm_runtime_resume(dev, 4);
}
#endif
