// SPDX-License-Identifier: GPL-2.0
/* A driver calling into core.c. `// expect:` = reported with the database
 * built from core.c and without it; `// without-db:` = reported only without
 * it; `// with-db:` = reported only with it (at low confidence);
 * `// with-db-shown:` = reported only with it, shown, when the file is in a
 * kernel tree; `// with-db-anywhere:` = the same, in a tree or not. */
#include <linux/slab.h>

#include "core.h"

static int demo_add(struct demo *d)
{
	struct widget *w;
	int ret;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	ret = widget_register(w);
	if (ret) {
		kfree(w);
		return ret;
	}
	ret = demo_enable(d);
	if (ret)
		return ret; // without-db: DML001
	return 0;
}

static int demo_send(struct demo *d)
{
	struct widget_req *req;

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	req->data = kmalloc(64, GFP_KERNEL);
	if (!req->data) {
		widget_req_done(req);
		return -ENOMEM; // without-db: DML001
	}
	if (demo_busy(d)) {
		widget_req_done(req);
		return -EBUSY; // without-db: DML001
	}
	return demo_queue(d, req);
}

static int demo_sum(struct demo *d)
{
	u8 *buf;
	int ret;

	buf = kmalloc(16, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = demo_read(d, buf, 16);
	if (ret)
		goto out;
	if (widget_checksum(buf, 16) != d->sum)
		return -EIO; // expect: DML001
	ret = 0;
out:
	kfree(buf);
	return ret;
}

static int demo_attach(struct demo *d)
{
	struct widget *w;
	int ret;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	ret = widget_attach(w);
	if (ret) {
		kfree(w);
		return ret;
	}
	if (demo_busy(d))
		return -EBUSY; // expect: DML001
	d->w = w;
	return 0;
}

static int demo_gadget(struct demo *d)
{
	struct gadget_attr *attr;
	int ret;

	attr = kzalloc(sizeof(*attr), GFP_KERNEL);
	if (!attr)
		return -ENOMEM;
	ret = gadget_register(attr);
	if (ret)
		return ret; // expect: DML001
	d->registered = true;
	return 0;
}

static int demo_device(struct demo *d)
{
	struct widget *w;
	int ret;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	ret = widget_add_device(w);
	if (ret)
		return ret; // without-db: DML001
	d->w = w;
	return 0;
}

static int demo_mode(struct demo *d)
{
	struct widget *w;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	if (widget_set_mode(w, 1))
		return -EINVAL; // without-db: DML001
	d->w = w;
	return 0;
}

static int demo_probe(struct demo *d)
{
	struct widget *w;
	int ret;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	ret = widget_probe_device(w);
	if (ret)
		return ret; // expect: DML001
	d->w = w;
	return 0;
}

static int demo_try(struct demo *d)
{
	struct widget *w;
	int ret;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	ret = demo_probe_widget(d, w);
	if (ret) {
		widget_discard(w);
		return ret; // without-db: DML001
	}
	d->w = w;
	return 0;
}

static int demo_speed(struct demo *d)
{
	char *label;
	int ret;

	label = kstrdup("fast", GFP_KERNEL);
	if (!label)
		return -ENOMEM;
	ret = widget_set_speed(d->w, 3);
	if (ret)
		return ret; // without-db: DML001
	d->label = label;
	return 0;
}

static int demo_fill(struct demo *d)
{
	struct widget_buf *buf;
	int ret;

	buf = widget_buf_alloc(64);
	if (!buf)
		return -ENOMEM;
	ret = demo_enable(d);
	if (ret)
		return ret; // with-db: DML001
	ret = demo_load(d, buf);
	widget_buf_free(buf);
	return ret;
}

static int demo_name(struct demo *d)
{
	char *name;
	int ret;

	name = widget_describe(d->id);
	if (!name)
		return -ENOMEM;
	ret = demo_rename(d, name);
	if (ret)
		return ret; // with-db: DML001
	kfree(name);
	return 0;
}

static int demo_state(struct demo *d)
{
	struct widget_state *st;

	st = widget_state_get(d->id);
	if (!st)
		return -ENOMEM;
	if (demo_busy(d))
		return -EBUSY;
	d->state = st;
	return 0;
}

static int demo_serial(struct demo *d)
{
	char *serial;

	serial = widget_read_serial(d->id);
	if (IS_ERR(serial))
		return PTR_ERR(serial);
	if (demo_busy(d))
		return -EBUSY;
	d->serial = serial;
	return 0;
}

static int demo_command(struct demo *d)
{
	struct demo_cmd *cmd;

	cmd = (struct demo_cmd *)widget_cmd_alloc(d->w, 16);
	if (!cmd)
		return -ENOMEM;
	if (demo_send(d, cmd))
		return -EIO; // with-db: DML001
	widget_cmd_free(d->w, (struct widget_cmd *)cmd);
	return 0;
}

static int demo_controls(struct demo *d)
{
	struct widget_ctl *ctl;
	int ret;

	ctl = kzalloc(sizeof(*ctl), GFP_KERNEL);
	if (!ctl)
		return -ENOMEM;
	ret = widget_ctl_add(d->w, ctl);
	if (ret)
		return ret; // without-db: DML001
	return 0;
}

/* Leaves another file's allocation where the caller asked for it. */
static int demo_alloc_buf(struct widget_buf **out)
{
	*out = widget_buf_alloc(64);
	if (!*out)
		return -ENOMEM;
	return 0;
}

static int demo_start(struct demo *d)
{
	int ret;

	ret = demo_alloc_buf(&d->buf);
	if (ret)
		return ret;
	ret = demo_go(d);
	if (ret) {
		kfree(d);
		return ret; // with-db: DML001
	}
	return 0;
}

static void demo_ctx_free(struct demo_res *res)
{
	struct demo_ctx *ctx = container_of(res, struct demo_ctx, res);

	demo_bind_query(res);
	kfree(ctx);
}

/* On failure the resource goes to the destructor it was given. */
static int demo_res_init(struct demo_res *res, void (*res_free)(struct demo_res *))
{
	int ret;

	ret = widget_res_init(res);
	if (ret) {
		res_free(res);
		return ret;
	}
	return 0;
}

static int demo_ctx_define(struct demo *d)
{
	struct demo_ctx *ctx;
	int ret;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ret = demo_res_init(&ctx->res, demo_ctx_free);
	if (ret)
		return ret;
	d->ctx = ctx;
	return 0;
}

/*
 * A member only the driver's set-up frees, on failure: lost when the
 * release frees the context, unless another file frees it on a teardown
 * (core_other.c's widget_ctx_teardown, which the database records).
 */
struct widget_ctx {
	u8 *scratch;
};

int widget_ctx_start(struct widget_ctx *ctx);

static int drv_ctx_setup(struct widget_ctx *ctx)
{
	ctx->scratch = kzalloc(64, GFP_KERNEL);
	if (!ctx->scratch)
		return -ENOMEM;
	if (widget_ctx_start(ctx)) {
		kfree(ctx->scratch);
		return -EIO;
	}
	return 0;
}

static void drv_ctx_release(struct widget_ctx *ctx)
{
	kfree(ctx);
} // without-db: DML001

/*
 * A member another file fills for good (core.c's widget_dev_set_label, which
 * frees it only on its own failure): a release that frees the structure
 * without it loses it. The alias has a teardown in core_other.c.
 */

static void drv_widget_dev_release(struct widget_dev *wd)
{
	kfree(wd);
} // with-db-shown: DML001

void widget_dev_shutdown(struct widget_dev *wd);

static void drv_widget_dev_release_handed(struct widget_dev *wd)
{
	widget_dev_shutdown(wd);
	kfree(wd);
}

/* The same, in a structure of the driver's that embeds the widget_dev. */
struct drv_widget {
	struct widget_dev wd;
	int irq;
};

static void drv_widget_release(struct drv_widget *w)
{
	kfree(w);
} // with-db-shown: DML001

void widget_dev_quiesce(struct widget_dev *wd);

/* Handed to a function the database found to do nothing to its memory. */
static void drv_widget_dev_release_quiet(struct widget_dev *wd)
{
	widget_dev_quiesce(wd);
	kfree(wd);
} // with-db-shown: DML001

/* A member the driver fills for good, in the widget_dev it embeds: the
 * release gives that widget_dev to a function the database found to do
 * nothing to its memory, so the note is still lost (nvdimm's
 * `perf_pmu_unregister(&nd_pmu->pmu)`). */
struct drv_noted {
	struct widget_dev base;
	int irq;
};

int widget_dev_register(struct widget_dev *wd);

static int drv_noted_setup(struct drv_noted *n)
{
	int ret;

	n->base.note = kstrdup("noted", GFP_KERNEL);
	if (!n->base.note)
		return -ENOMEM;
	ret = widget_dev_register(&n->base);
	if (ret) {
		kfree(n->base.note);
		return ret;
	}
	return 0;
}

static void drv_noted_release(struct drv_noted *n)
{
	widget_dev_quiesce(&n->base);
	kfree(n);
} // with-db-anywhere: DML001

/* The same, but another function gives the widget_dev to a call that makes
 * a device from it and keeps the result: that device may hold the note now
 * (the database's "does nothing" says nothing of what a callee copies into
 * what it returns). */
struct drv_twin {
	struct widget_dev proto;
	struct widget_dev *twin;
};

struct widget_dev *widget_dev_spawn(struct widget_dev *tmpl);

static int drv_twin_setup(struct drv_twin *t)
{
	int ret;

	t->proto.note = kstrdup("twin", GFP_KERNEL);
	if (!t->proto.note)
		return -ENOMEM;
	ret = widget_dev_register(&t->proto);
	if (ret) {
		kfree(t->proto.note);
		return ret;
	}
	return 0;
}

static int drv_twin_clone(struct drv_twin *t)
{
	t->twin = widget_dev_spawn(&t->proto);
	return t->twin ? 0 : -ENOMEM;
}

static void drv_twin_release(struct drv_twin *t)
{
	kfree(t);
}

/* The same, the made device returned (clean). */
struct drv_twin_ret {
	struct widget_dev seed;
};

static int drv_twin_ret_setup(struct drv_twin_ret *t)
{
	int ret;

	t->seed.note = kstrdup("twin", GFP_KERNEL);
	if (!t->seed.note)
		return -ENOMEM;
	ret = widget_dev_register(&t->seed);
	if (ret) {
		kfree(t->seed.note);
		return ret;
	}
	return 0;
}

struct widget_dev *drv_twin_ret_clone(struct drv_twin_ret *t)
{
	return widget_dev_spawn(&t->seed);
}

static void drv_twin_ret_release(struct drv_twin_ret *t)
{
	kfree(t);
}

/* The same, the made device taken by a declaration (clean). */
struct drv_twin_decl {
	struct widget_dev model;
	struct widget_dev *twin;
};

static int drv_twin_decl_setup(struct drv_twin_decl *t)
{
	int ret;

	t->model.note = kstrdup("twin", GFP_KERNEL);
	if (!t->model.note)
		return -ENOMEM;
	ret = widget_dev_register(&t->model);
	if (ret) {
		kfree(t->model.note);
		return ret;
	}
	return 0;
}

static int drv_twin_decl_clone(struct drv_twin_decl *t)
{
	struct widget_dev *w = widget_dev_spawn(&t->model);

	if (!w)
		return -ENOMEM;
	t->twin = w;
	return 0;
}

static void drv_twin_decl_release(struct drv_twin_decl *t)
{
	kfree(t);
}
