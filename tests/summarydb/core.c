// SPDX-License-Identifier: GPL-2.0
/* A subsystem core in its own file: what drivers hand it, it keeps or frees. */
#include <linux/list.h>
#include <linux/slab.h>

#include "core.h"

static LIST_HEAD(widgets);

/* Links the widget into a global list: the core owns it from now on. */
int widget_register(struct widget *w)
{
	if (!w->name)
		return -EINVAL;
	list_add_tail(&w->node, &widgets);
	return 0;
}

/* Frees the request it is given, whatever happens. */
void widget_req_done(struct widget_req *req)
{
	kfree(req->data);
	kfree(req);
}

/* Only reads what it is given. */
int widget_checksum(const u8 *buf, size_t len)
{
	int sum = 0;

	while (len--)
		sum += *buf++;
	return sum;
}

/* Two definitions of one name disagree (one keeps, one borrows): neither is trusted. */
int widget_attach(struct widget *w)
{
	list_add(&w->node, &widgets);
	return 0;
}

/* A static helper is not visible to other files. */
static void widget_drop(struct widget *w)
{
	kfree(w);
}

/* Keeps the attributes only when it succeeds: on failure the half-built
 * gadget is put, and the caller still owns `attr`. */
int gadget_register(struct gadget_attr *attr)
{
	struct gadget *g;
	int ret;

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	g->attr = attr;
	ret = device_register(&g->dev);
	if (ret) {
		put_device(&g->dev);
		return ret;
	}
	return 0;
}

/* Frees a nameless widget; gives the others a reference count, and on
 * failure puts it (the release callback frees the widget): a failing call
 * leaves the caller nothing to free. */
int widget_add_device(struct widget *w)
{
	int ret;

	if (!w->name) {
		kfree(w);
		return -EINVAL;
	}
	device_initialize(&w->dev);
	ret = device_add(&w->dev);
	if (ret) {
		put_device(&w->dev);
		return ret;
	}
	return 0;
}

/* Only ever returns 0, and touches no memory: the database says it never fails. */
int widget_set_speed(struct widget *w, int speed)
{
	if (speed < 0)
		return 0;
	w->speed = speed;
	return 0;
}

/* Fails only when it is given no widget. */
int widget_set_mode(struct widget *w, int mode)
{
	if (!w)
		return -EINVAL;
	w->mode = mode;
	return 0;
}

int widget_hw_probe(struct widget *w);

/* Takes its own reference and puts it again: the first reference stays, and
 * so does the caller's duty to release the widget when this fails. */
int widget_probe_device(struct widget *w)
{
	int ret;

	device_initialize(&w->dev);
	get_device(&w->dev);
	ret = widget_hw_probe(w);
	if (ret) {
		put_device(&w->dev);
		return ret;
	}
	return 0;
}

/* Returns new memory, and this file exports its releaser (a parameter of
 * the type it returns, freed): a caller owns what it returns. */
struct widget_buf *widget_buf_alloc(size_t len)
{
	struct widget_buf *b;

	b = kzalloc(sizeof(*b) + len, GFP_KERNEL);
	if (!b)
		return NULL;
	b->len = len;
	return b;
}

void widget_buf_free(struct widget_buf *b)
{
	if (!b)
		return;
	kfree(b);
}

/* Returns new memory with no releaser here; the tree's callers kfree() it
 * themselves (core_other.c), and that convention makes it an allocator. */
char *widget_describe(int id)
{
	return kasprintf(GFP_KERNEL, "widget-%d", id);
}

/* Returns new memory that no caller in the tree frees: the object may live
 * by rules this tree does not show (a reference count, a cache), so a
 * caller is not taken to own it. */
struct widget_state *widget_state_get(int id)
{
	return kzalloc(sizeof(struct widget_state), GFP_KERNEL);
}

/* Memory made through a callback, which the engine cannot see; its callers
 * (core_other.c, three of them) free what it returns, but a lookup's callers
 * may free what it removes, too: not an allocator on that evidence alone. */
char *widget_read_serial(int id)
{
	return widget_bus->read_serial(id);
}

/* An allocator given the caller's object (which a caller must not take for
 * an accessor of it), with its releaser. */
struct widget_cmd *widget_cmd_alloc(struct widget *w, size_t len)
{
	struct widget_cmd *cmd;

	cmd = kzalloc(sizeof(*cmd) + len, GFP_KERNEL);
	if (!cmd)
		return NULL;
	cmd->id = w->id;
	return cmd;
}

void widget_cmd_free(struct widget *w, struct widget_cmd *cmd)
{
	kfree(cmd);
}

static int __widget_ctl_add(struct widget *w, struct widget_ctl *ctl)
{
	int err;

	err = widget_check_ctl(w, ctl);
	if (err < 0) {
		kfree(ctl);
		return err;
	}
	list_add(&ctl->node, &w->ctls);
	return 0;
}

/* Frees the control when it fails, through the helper whose result it
 * returns: a caller has nothing left to free after a failure. */
int widget_ctl_add(struct widget *w, struct widget_ctl *ctl)
{
	return __widget_ctl_add(w, ctl);
}

/* Keeps the resource only when it succeeds. */
int widget_res_init(struct widget_res *res)
{
	if (!res->ops)
		return -EINVAL;
	list_add(&res->node, &widgets);
	return 0;
}

/* Fills a member for good: this file frees it only when it fails. Nothing
 * in the tree frees it after that, so whoever frees a widget_dev must free
 * the label first. */

int widget_dev_register(struct widget_dev *wd);

int widget_dev_set_label(struct widget_dev *wd, const char *s)
{
	wd->label = kstrdup(s, GFP_KERNEL);
	if (!wd->label)
		return -ENOMEM;
	if (widget_dev_register(wd)) {
		kfree(wd->label);
		wd->label = NULL;
		return -EIO;
	}
	return 0;
}

/* The alias is filled the same way, but core_other.c has a teardown for it. */
int widget_dev_set_alias(struct widget_dev *wd, const char *s)
{
	wd->alias = kstrdup(s, GFP_KERNEL);
	if (!wd->alias)
		return -ENOMEM;
	if (widget_dev_register(wd)) {
		kfree(wd->alias);
		return -EIO;
	}
	return 0;
}

/* Given a widget_dev, does nothing to the memory it reaches (what it
 * allocates, it frees). */
void widget_dev_quiesce(struct widget_dev *wd)
{
	char *msg = kasprintf(GFP_KERNEL, "quiesce %s", wd->label);

	if (msg) {
		pr_info("%s\n", msg);
		kfree(msg);
	}
}

/* The tag is filled the same way, but core_other.c also points it at a
 * string literal: it does not always own what it holds. */
int widget_dev_set_tag(struct widget_dev *wd, const char *s)
{
	wd->tag = kstrdup(s, GFP_KERNEL);
	if (!wd->tag)
		return -ENOMEM;
	if (widget_dev_register(wd)) {
		kfree(wd->tag);
		return -EIO;
	}
	return 0;
}

struct widget_dev *widget_dev_new(const char *name);

/* A device made from a template: the new one points at the template's note.
 * The summary has no effect on `tmpl` (it records what a function does to
 * its arguments' memory, not what it copies into what it returns). */
struct widget_dev *widget_dev_spawn(struct widget_dev *tmpl)
{
	char *name = kasprintf(GFP_KERNEL, "%s-copy", tmpl->label);
	struct widget_dev *wd;

	if (!name)
		return NULL;
	wd = widget_dev_new(name);
	kfree(name);
	if (wd)
		wd->note = tmpl->note;
	return wd;
}
