/* Stub of <linux/platform_device.h>. */
#ifndef _STUB_LINUX_PLATFORM_DEVICE_H
#define _STUB_LINUX_PLATFORM_DEVICE_H
#include <linux/device.h>
#include <linux/module.h>

struct platform_device {
	const char *name;
	int id;
	struct device dev;
};

struct platform_driver {
	int (*probe)(struct platform_device *);
	int (*remove)(struct platform_device *);
	void (*remove_new)(struct platform_device *);
	void (*shutdown)(struct platform_device *);
	struct device_driver driver;
};

static inline void *platform_get_drvdata(const struct platform_device *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static inline void platform_set_drvdata(struct platform_device *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

int platform_get_irq(struct platform_device *pdev, unsigned int num);
void __iomem *devm_platform_ioremap_resource(struct platform_device *pdev,
					     unsigned int index);
int __platform_driver_register(struct platform_driver *drv, struct module *owner);
void platform_driver_unregister(struct platform_driver *drv);
#define platform_driver_register(drv) __platform_driver_register(drv, THIS_MODULE)
#define module_platform_driver(__driver)				\
static int __init __driver##_init(void)				\
{									\
	return platform_driver_register(&(__driver));			\
}									\
module_init(__driver##_init);						\
static void __exit __driver##_exit(void)				\
{									\
	platform_driver_unregister(&(__driver));			\
}									\
module_exit(__driver##_exit)
#endif
