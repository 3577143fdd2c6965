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

struct phy_driver {
	int (*probe)(struct phy_device *phydev);
	void (*remove)(struct phy_device *phydev);
};
#endif
