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
