/* Stub of <linux/usb.h>. */
#ifndef _STUB_LINUX_USB_H
#define _STUB_LINUX_USB_H
#include <linux/device.h>
struct usb_interface {
	int minor;
	struct device dev;
};
struct usb_device_id {
	u16 match_flags;
	u16 idVendor;
	u16 idProduct;
};
struct usb_driver {
	const char *name;
	int (*probe)(struct usb_interface *intf, const struct usb_device_id *id);
	void (*disconnect)(struct usb_interface *intf);
	const struct usb_device_id *id_table;
};
int usb_register(struct usb_driver *driver);
void usb_deregister(struct usb_driver *driver);
#define module_usb_driver(__usb_driver) \
	module_driver(__usb_driver, usb_register, usb_deregister)
static inline void usb_set_intfdata(struct usb_interface *intf, void *data)
{
	dev_set_drvdata(&intf->dev, data);
}
static inline void *usb_get_intfdata(struct usb_interface *intf)
{
	return dev_get_drvdata(&intf->dev);
}
#endif
