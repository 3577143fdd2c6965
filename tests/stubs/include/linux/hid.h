/* Stub of <linux/hid.h>: a HID device a transport driver makes. */
#ifndef _STUB_LINUX_HID_H
#define _STUB_LINUX_HID_H
#include <linux/device.h>

struct hid_device {
	unsigned char *dev_rdesc;
	void *driver_data;
	struct device dev;
};

struct hid_device *hid_allocate_device(void);
int hid_add_device(struct hid_device *hdev);
void hid_destroy_device(struct hid_device *hdev);
#endif
