// SPDX-License-Identifier: GPL-2.0
/*
 * A subsystem's attach helper: it fills the caller's structure and, when a
 * later step fails, returns the error with the buffer still there.
 */
#include <linux/slab.h>

struct gizmo {
	void *log;
	int state;
};

int gizmo_start(struct gizmo *g);

int gizmo_attach(struct gizmo *g)
{
	g->log = kzalloc(64, GFP_KERNEL);
	if (!g->log)
		return -ENOMEM;
	if (gizmo_start(g))
		return -EIO; // expect: DML001
	return 0;
}

/* The same, but its caller runs the teardown that frees the log. */
int gizmo_attach_kept(struct gizmo *g)
{
	g->log = kzalloc(64, GFP_KERNEL);
	if (!g->log)
		return -ENOMEM;
	if (gizmo_start(g))
		return -EIO; // expect-low: DML001
	return 0;
}

/* Its caller drops the last reference, whose release frees the log. */
struct gplug {
	struct kref kref;
	void *log;
};

int gplug_start(struct gplug *p);

int gplug_attach(struct gplug *p)
{
	p->log = kzalloc(64, GFP_KERNEL);
	if (!p->log)
		return -ENOMEM;
	if (gplug_start(p))
		return -EIO; // expect-low: DML001
	return 0;
}
