/* Stub of <linux/i2c.h>: i2c_master_send/recv are static inline, as in 6.1. */
#ifndef _STUB_LINUX_I2C_H
#define _STUB_LINUX_I2C_H
#include <linux/device.h>

struct i2c_client {
	unsigned short flags;
	unsigned short addr;
	char name[20];
	struct device dev;
	int irq;
};

struct i2c_device_id {
	char name[20];
	unsigned long driver_data;
};

int i2c_transfer_buffer_flags(const struct i2c_client *client, char *buf, int count,
			      u16 flags);

static inline int i2c_master_recv(const struct i2c_client *client, char *buf, int count)
{
	return i2c_transfer_buffer_flags(client, buf, count, 1);
}

static inline int i2c_master_send(const struct i2c_client *client, const char *buf, int count)
{
	return i2c_transfer_buffer_flags(client, (char *)buf, count, 0);
}

static inline void i2c_set_clientdata(struct i2c_client *client, void *data)
{
	dev_set_drvdata(&client->dev, data);
}

static inline void *i2c_get_clientdata(const struct i2c_client *client)
{
	return dev_get_drvdata(&client->dev);
}

struct i2c_driver {
	int (*probe)(struct i2c_client *client);
	int (*probe_new)(struct i2c_client *client);
	void (*remove)(struct i2c_client *client);
	struct device_driver driver;
	const struct i2c_device_id *id_table;
};
int i2c_register_driver(void *owner, struct i2c_driver *driver);
void i2c_del_driver(struct i2c_driver *driver);
#define i2c_add_driver(driver) i2c_register_driver(NULL, driver)
#define module_i2c_driver(__i2c_driver) \
	module_driver(__i2c_driver, i2c_add_driver, i2c_del_driver)

s32 i2c_smbus_read_i2c_block_data(const struct i2c_client *client, u8 command, u8 length,
				  u8 *values);
#endif
