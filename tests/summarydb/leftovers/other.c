// SPDX-License-Identifier: GPL-2.0
/* A static function of the same name as attach.c's: not the one the database knows. */
#include <linux/slab.h>

struct widget {
	void *log;
};

int widget_start(struct widget *w);

static int gizmo_attach(struct widget *w)
{
	w->log = kzalloc(64, GFP_KERNEL);
	if (!w->log)
		return -ENOMEM;
	if (widget_start(w))
		return -EIO; // expect-low: DML001
	return 0;
}

int widget_bind(struct widget *w)
{
	return gizmo_attach(w);
}
