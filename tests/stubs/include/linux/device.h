/* Stub of <linux/device.h> and <linux/device/devres.h>. */
#ifndef _STUB_LINUX_DEVICE_H
#define _STUB_LINUX_DEVICE_H
#include <linux/kernel.h>
#include <linux/types.h>

struct device_node;
struct device_driver {
	const char *name;
	const void *of_match_table;
	const void *pm;
};

struct device {
	struct device *parent;
	struct device_node *of_node;
	const char *init_name;
	void *driver_data;
	void *platform_data;
	void (*release)(struct device *dev);
};

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

static inline const char *dev_name(const struct device *dev)
{
	return dev->init_name;
}

int dev_set_name(struct device *dev, const char *name, ...);
void device_initialize(struct device *dev);
int device_add(struct device *dev);
int driver_set_override(struct device *dev, const char **override, const char *s, size_t len);
void put_device(struct device *dev);
void device_unregister(struct device *dev);

void _dev_err(const struct device *dev, const char *fmt, ...);
void _dev_warn(const struct device *dev, const char *fmt, ...);
void _dev_info(const struct device *dev, const char *fmt, ...);
#define dev_err(dev, fmt, ...)	_dev_err(dev, fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...)	_dev_warn(dev, fmt, ##__VA_ARGS__)
#define dev_info(dev, fmt, ...)	_dev_info(dev, fmt, ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...)	do { if (0) _dev_info(dev, fmt, ##__VA_ARGS__); } while (0)
int dev_err_probe(const struct device *dev, int err, const char *fmt, ...);

void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp);
void devm_kfree(struct device *dev, const void *p);
char *devm_kstrdup(struct device *dev, const char *s, gfp_t gfp);

static inline void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp)
{
	return devm_kmalloc(dev, size, gfp | __GFP_ZERO);
}

static inline void *devm_kcalloc(struct device *dev, size_t n, size_t size, gfp_t flags)
{
	return devm_kmalloc(dev, n * size, flags | __GFP_ZERO);
}

typedef void (*dr_release_t)(struct device *dev, void *res);
typedef int (*dr_match_t)(struct device *dev, void *res, void *match_data);
void *devres_alloc(dr_release_t release, size_t size, gfp_t gfp);
void devres_free(void *res);
void devres_add(struct device *dev, void *res);
void *devres_get(struct device *dev, void *new_res, dr_match_t match, void *match_data);

int __devm_add_action_or_reset(struct device *dev, void (*action)(void *), void *data,
			       const char *name);
#define devm_add_action_or_reset(release, action, data) \
	__devm_add_action_or_reset(release, action, data, #action)

int device_property_present(const struct device *dev, const char *propname);
int device_property_read_u32_array(const struct device *dev, const char *propname,
				   u32 *val, size_t nval);
int device_property_read_u8_array(const struct device *dev, const char *propname,
				  u8 *val, size_t nval);
#define module_driver(__driver, __register, __unregister)		\
static int __init __driver##_init(void)					\
{									\
	return __register(&(__driver));					\
}									\
static void __exit __driver##_exit(void)				\
{									\
	__unregister(&(__driver));					\
}									\
static int (*__driver##_initcall)(void) __maybe_unused = __driver##_init;	\
static void (*__driver##_exitcall)(void) __maybe_unused = __driver##_exit
#endif
