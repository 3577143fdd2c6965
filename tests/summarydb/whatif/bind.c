// SPDX-License-Identifier: GPL-2.0
/*
 * A subsystem's helpers as the tree has them: when a step fails they free
 * what they made, so the database records no leftover of theirs. user.c
 * calls them; changed.c is a change that makes them leave the log behind.
 */
#include <linux/slab.h>

struct gizmo {
	void *log;
	char *name;
	struct gizmo *owner;
};

int gizmo_start(struct gizmo *g);

/* user.c frees the gizmo when it fails: it would lose a leftover */
int gizmo_bind(struct gizmo *g)
{
	g->log = kzalloc(64, GFP_KERNEL);
	if (!g->log)
		return -ENOMEM;
	if (gizmo_start(g)) {
		kfree(g->log);
		g->log = NULL;
		return -EIO;
	}
	return 0;
}

/* user.c frees a member of the gizmo itself before the gizmo */
int gizmo_bind_named(struct gizmo *g)
{
	g->log = kzalloc(64, GFP_KERNEL);
	if (!g->log)
		return -ENOMEM;
	if (gizmo_start(g)) {
		kfree(g->log);
		g->log = NULL;
		return -EIO;
	}
	return 0;
}

/* user.c runs a teardown first */
int gizmo_bind_torn(struct gizmo *g)
{
	g->log = kzalloc(64, GFP_KERNEL);
	if (!g->log)
		return -ENOMEM;
	if (gizmo_start(g)) {
		kfree(g->log);
		g->log = NULL;
		return -EIO;
	}
	return 0;
}

/* a bool: false is its failure, and user.c frees the gizmo then */
bool gizmo_check(struct gizmo *g)
{
	g->log = kzalloc(64, GFP_KERNEL);
	if (!g->log)
		return false;
	if (gizmo_start(g)) {
		kfree(g->log);
		g->log = NULL;
		return false;
	}
	return true;
}

/* a bool whose caller frees the gizmo when it succeeds */
bool gizmo_check_late(struct gizmo *g)
{
	g->log = kzalloc(64, GFP_KERNEL);
	if (!g->log)
		return false;
	if (gizmo_start(g)) {
		kfree(g->log);
		g->log = NULL;
		return false;
	}
	return true;
}

/* user.c frees the gizmo through a helper that frees its members */
int gizmo_bind_helper(struct gizmo *g)
{
	g->log = kzalloc(64, GFP_KERNEL);
	if (!g->log)
		return -ENOMEM;
	if (gizmo_start(g)) {
		kfree(g->log);
		g->log = NULL;
		return -EIO;
	}
	return 0;
}

/* user.c frees a member through another name for the gizmo */
int gizmo_bind_alias(struct gizmo *g)
{
	g->log = kzalloc(64, GFP_KERNEL);
	if (!g->log)
		return -ENOMEM;
	if (gizmo_start(g)) {
		kfree(g->log);
		g->log = NULL;
		return -EIO;
	}
	return 0;
}

/* user.c frees a member through a local copy of it */
int gizmo_bind_copy(struct gizmo *g)
{
	g->log = kzalloc(64, GFP_KERNEL);
	if (!g->log)
		return -ENOMEM;
	if (gizmo_start(g)) {
		kfree(g->log);
		g->log = NULL;
		return -EIO;
	}
	return 0;
}

/* memory left in another object the gizmo points to, which user.c does not free */
int gizmo_bind_deep(struct gizmo *g)
{
	g->owner->log = kzalloc(64, GFP_KERNEL);
	if (!g->owner->log)
		return -ENOMEM;
	if (gizmo_start(g)) {
		kfree(g->owner->log);
		g->owner->log = NULL;
		return -EIO;
	}
	return 0;
}
