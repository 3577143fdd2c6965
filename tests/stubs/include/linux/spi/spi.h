/* Stub of <linux/spi/spi.h>. */
#ifndef _STUB_LINUX_SPI_H
#define _STUB_LINUX_SPI_H
#include <linux/device.h>
struct spi_device {
	struct device dev;
	u32 max_speed_hz;
	u8 bits_per_word;
	u32 mode;
	int irq;
};
struct spi_device_id {
	char name[32];
	unsigned long driver_data;
};
struct spi_driver {
	const struct spi_device_id *id_table;
	int (*probe)(struct spi_device *spi);
	void (*remove)(struct spi_device *spi);
	struct device_driver driver;
};
int spi_register_driver(struct spi_driver *sdrv);
void spi_unregister_driver(struct spi_driver *sdrv);
#define module_spi_driver(__spi_driver) \
	module_driver(__spi_driver, spi_register_driver, spi_unregister_driver)
int spi_setup(struct spi_device *spi);
static inline void spi_set_drvdata(struct spi_device *spi, void *data)
{
	dev_set_drvdata(&spi->dev, data);
}
static inline void *spi_get_drvdata(struct spi_device *spi)
{
	return dev_get_drvdata(&spi->dev);
}
struct spi_transfer {
	const void *tx_buf;
	void *rx_buf;
	unsigned int len;
};
struct spi_message {
	void (*complete)(void *context);
	void *context;
};
void spi_message_init(struct spi_message *m);
void spi_message_add_tail(struct spi_transfer *t, struct spi_message *m);
int spi_async(struct spi_device *spi, struct spi_message *message);
struct spi_controller {
	struct device dev;
	u16 num_chipselect;
};
struct spi_controller *devm_spi_alloc_master(struct device *dev, unsigned int size);
void *spi_controller_get_devdata(struct spi_controller *ctlr);
int devm_spi_register_controller(struct device *dev, struct spi_controller *ctlr);
#endif
