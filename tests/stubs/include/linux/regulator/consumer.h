/* Stub of <linux/regulator/consumer.h>. */
#ifndef _STUB_LINUX_REGULATOR_CONSUMER_H
#define _STUB_LINUX_REGULATOR_CONSUMER_H
#include <linux/device.h>
struct regulator;
int regulator_enable(struct regulator *regulator);
int regulator_disable(struct regulator *regulator);
struct regulator *devm_regulator_get(struct device *dev, const char *id);
#endif
