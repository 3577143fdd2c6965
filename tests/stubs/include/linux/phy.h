/* Stub of <linux/phy.h>: a phy_device's struct device is mdio.dev, not dev. */
#ifndef _STUB_LINUX_PHY_H
#define _STUB_LINUX_PHY_H
#include <linux/device.h>

struct mdio_device {
	struct device dev;
	int addr;
};

struct phy_device {
	struct mdio_device mdio;
	void *priv;
};

/* An MDIO bus carries its driver's private area in priv. */
struct mii_bus {
	void *priv;
	const char *name;
};

struct mii_bus *mdiobus_alloc_size(size_t size);
struct mii_bus *mdiobus_alloc(void);
void mdiobus_free(struct mii_bus *bus);
int mdiobus_register(struct mii_bus *bus);

struct phy_driver {
	int (*probe)(struct phy_device *phydev);
	void (*remove)(struct phy_device *phydev);
};
#endif
