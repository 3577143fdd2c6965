/* Stub of <media/v4l2-common.h>: a V4L2 subdevice made from an I2C client. */
#ifndef _STUB_MEDIA_V4L2_COMMON_H
#define _STUB_MEDIA_V4L2_COMMON_H
#include <linux/i2c.h>

struct v4l2_subdev_ops;

struct v4l2_subdev {
	const struct v4l2_subdev_ops *ops;
	void *dev_priv;
	char name[32];
};

void v4l2_i2c_subdev_init(struct v4l2_subdev *sd, struct i2c_client *client,
			  const struct v4l2_subdev_ops *ops);
#endif
