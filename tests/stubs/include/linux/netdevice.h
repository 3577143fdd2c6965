/* Stub of <linux/netdevice.h>. */
#ifndef _STUB_LINUX_NETDEVICE_H
#define _STUB_LINUX_NETDEVICE_H
#include <linux/device.h>
#include <linux/fs.h>
struct net_device {
	char name[16];
	struct device dev;
	void *priv;
};
struct net_device *alloc_etherdev(int sizeof_priv);
void free_netdev(struct net_device *dev);
int register_netdev(struct net_device *dev);
void unregister_netdev(struct net_device *dev);
static inline void *netdev_priv(const struct net_device *dev)
{
	return dev->priv;
}
#define SET_NETDEV_DEV(net, pdev) ((net)->dev.parent = (pdev))
#endif
