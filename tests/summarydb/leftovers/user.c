// SPDX-License-Identifier: GPL-2.0
/* Callers in another file: one loses what the failed attach left. */
#include <linux/slab.h>

struct gizmo {
	void *log;
	int state;
};

int gizmo_attach(struct gizmo *g);
int gizmo_attach_kept(struct gizmo *g);
void gizmo_teardown(struct gizmo *g);

struct gizmo *gizmo_new(void)
{
	struct gizmo *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return NULL;
	if (gizmo_attach(g)) {
		kfree(g);
		return NULL;
	}
	return g;
}

struct gizmo *gizmo_new_kept(void)
{
	struct gizmo *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return NULL;
	if (gizmo_attach_kept(g)) {
		gizmo_teardown(g);
		kfree(g);
		return NULL;
	}
	return g;
}

struct gplug {
	struct kref kref;
	void *log;
};

int gplug_attach(struct gplug *p);

static void gplug_release(struct kref *kref)
{
	struct gplug *p = container_of(kref, struct gplug, kref);

	kfree(p->log);
	kfree(p);
}

void gplug_put(struct gplug *p)
{
	if (p)
		kref_put(&p->kref, gplug_release);
}

struct gplug *gplug_new(void)
{
	struct gplug *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return NULL;
	kref_init(&p->kref);
	if (gplug_attach(p)) {
		gplug_put(p);
		return NULL;
	}
	return p;
}
