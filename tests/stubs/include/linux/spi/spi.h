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
int spi_setup(struct spi_device *spi);
static inline void spi_set_drvdata(struct spi_device *spi, void *data)
{
	dev_set_drvdata(&spi->dev, data);
}
static inline void *spi_get_drvdata(struct spi_device *spi)
{
	return dev_get_drvdata(&spi->dev);
}
#endif
