// SPDX-License-Identifier: GPL-2.0
/* Another driver's function of the same name as one of bind.c's: the tree
 * has two gizmo_bind_deep()s, both clean, and what user.c's caller of one
 * would lose says nothing of the other. */
#include <linux/slab.h>

struct twin {
	void *log;
	struct twin *owner;
};

int twin_start(struct twin *t);

int gizmo_bind_deep(struct twin *t)
{
	t->owner->log = kzalloc(64, GFP_KERNEL);
	if (!t->owner->log)
		return -ENOMEM;
	if (twin_start(t)) {
		kfree(t->owner->log);
		t->owner->log = NULL;
		return -EIO;
	}
	return 0;
}
