// SPDX-License-Identifier: GPL-2.0
/* Callers of bind.c's helpers in another file, each with its own error path. */
#include <linux/slab.h>

struct gizmo {
	void *log;
	char *name;
	struct gizmo *owner;
};

int gizmo_bind(struct gizmo *g);
int gizmo_bind_named(struct gizmo *g);
int gizmo_bind_torn(struct gizmo *g);
bool gizmo_check(struct gizmo *g);
bool gizmo_check_late(struct gizmo *g);
void gizmo_teardown(struct gizmo *g);
int gizmo_bind_helper(struct gizmo *g);
int gizmo_bind_alias(struct gizmo *g);
int gizmo_bind_copy(struct gizmo *g);
int gizmo_bind_deep(struct gizmo *g);

struct gizmo *gizmo_new(void)
{
	struct gizmo *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return NULL;
	if (gizmo_bind(g)) {
		kfree(g);
		return NULL;
	}
	return g;
}

struct gizmo *gizmo_new_named(const char *name)
{
	struct gizmo *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return NULL;
	g->name = kstrdup(name, GFP_KERNEL);
	if (!g->name || gizmo_bind_named(g)) {
		kfree(g->name);
		kfree(g);
		return NULL;
	}
	return g;
}

struct gizmo *gizmo_new_torn(void)
{
	struct gizmo *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return NULL;
	if (gizmo_bind_torn(g)) {
		gizmo_teardown(g);
		kfree(g);
		return NULL;
	}
	return g;
}

struct gizmo *gizmo_new_checked(void)
{
	struct gizmo *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return NULL;
	if (!gizmo_check(g)) {
		kfree(g);
		return NULL;
	}
	return g;
}

/* A check that passes means the gizmo is not needed: what the check leaves
 * when it fails (false), this keeps. */
struct gizmo *gizmo_new_unless_checked(void)
{
	struct gizmo *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return NULL;
	if (gizmo_check_late(g)) {
		kfree(g);
		return NULL;
	}
	return g;
}

static void gizmo_free(struct gizmo *g)
{
	kfree(g->log);
	kfree(g->name);
	kfree(g);
}

struct gizmo *gizmo_new_helper(void)
{
	struct gizmo *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return NULL;
	if (gizmo_bind_helper(g)) {
		gizmo_free(g);
		return NULL;
	}
	return g;
}

struct gizmo *gizmo_new_alias(void)
{
	struct gizmo *g = kzalloc(sizeof(*g), GFP_KERNEL);
	struct gizmo *h = g;

	if (!g)
		return NULL;
	if (gizmo_bind_alias(h)) {
		kfree(h->log);
		kfree(g);
		return NULL;
	}
	return g;
}

struct gizmo *gizmo_new_copy(void)
{
	struct gizmo *g = kzalloc(sizeof(*g), GFP_KERNEL);
	void *log;

	if (!g)
		return NULL;
	if (gizmo_bind_copy(g)) {
		log = g->log;
		kfree(log);
		kfree(g);
		return NULL;
	}
	return g;
}

struct gizmo *gizmo_new_deep(struct gizmo *owner)
{
	struct gizmo *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return NULL;
	g->owner = owner;
	if (gizmo_bind_deep(g)) {
		kfree(g);
		return NULL;
	}
	return g;
}
