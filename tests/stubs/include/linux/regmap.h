/* Stub of <linux/regmap.h>. */
#ifndef _STUB_LINUX_REGMAP_H
#define _STUB_LINUX_REGMAP_H
#include <linux/device.h>
struct regmap;
struct i2c_client;
struct regmap_config {
	const char *name;
	int reg_bits;
	int val_bits;
	unsigned int max_register;
};
int regmap_read(struct regmap *map, unsigned int reg, unsigned int *val);
int regmap_write(struct regmap *map, unsigned int reg, unsigned int val);
int regmap_bulk_read(struct regmap *map, unsigned int reg, void *val, size_t val_count);
int regmap_bulk_write(struct regmap *map, unsigned int reg, const void *val,
		      size_t val_count);
struct regmap *__devm_regmap_init_i2c(struct i2c_client *i2c,
				      const struct regmap_config *config, void *key,
				      const char *lock_name);
#define devm_regmap_init_i2c(i2c, config) __devm_regmap_init_i2c(i2c, config, NULL, NULL)
#endif
