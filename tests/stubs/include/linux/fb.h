/* Stub of <linux/fb.h>. */
#ifndef _STUB_LINUX_FB_H
#define _STUB_LINUX_FB_H
#include <linux/device.h>
struct fb_pixmap {
	u8 *addr;
	u32 size;
};
struct fb_info {
	struct fb_pixmap pixmap;
	void *par;
	struct device *device;
};
struct fb_info *framebuffer_alloc(size_t size, struct device *dev);
void framebuffer_release(struct fb_info *info);
int register_framebuffer(struct fb_info *fb_info);
#endif
