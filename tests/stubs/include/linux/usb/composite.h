/* Stub of <linux/usb/composite.h>. */
#ifndef _STUB_LINUX_USB_COMPOSITE_H
#define _STUB_LINUX_USB_COMPOSITE_H
#include <linux/types.h>
struct usb_descriptor_header {
	u8 bLength;
	u8 bDescriptorType;
};
struct usb_configuration;
struct usb_function {
	const char *name;
	struct usb_descriptor_header **fs_descriptors;
	struct usb_descriptor_header **hs_descriptors;
	int (*bind)(struct usb_configuration *c, struct usb_function *f);
	void (*unbind)(struct usb_configuration *c, struct usb_function *f);
};
int usb_assign_descriptors(struct usb_function *f, struct usb_descriptor_header **fs,
			   struct usb_descriptor_header **hs, struct usb_descriptor_header **ss,
			   struct usb_descriptor_header **ssp);
void usb_free_all_descriptors(struct usb_function *f);
#endif
