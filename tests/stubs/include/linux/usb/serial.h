/* Stub of <linux/usb/serial.h>. */
#ifndef _STUB_LINUX_USB_SERIAL_H
#define _STUB_LINUX_USB_SERIAL_H
#include <linux/types.h>

struct usb_serial_port {
	void *private;
	int port_number;
};

struct usb_serial_driver {
	int (*port_probe)(struct usb_serial_port *port);
	void (*port_remove)(struct usb_serial_port *port);
};

void usb_set_serial_port_data(struct usb_serial_port *port, void *data);
void *usb_get_serial_port_data(struct usb_serial_port *port);

#endif
