// SPDX-License-Identifier: GPL-2.0
#include "core.h"

/* Another configuration's definition of widget_attach: it keeps nothing. */
int widget_attach(struct widget *w)
{
	return w->id ? 0 : -ENODEV;
}

/* Two callers that free what widget_describe() returns, as its users do. */
void widget_log(struct widget *w)
{
	char *text = widget_describe(w->id);

	pr_info("%s\n", text);
	kfree(text);
}

int widget_label(struct widget *w, char *out, size_t len)
{
	char *text;

	text = widget_describe(w->id);
	if (!text)
		return -ENOMEM;
	strscpy(out, text, len);
	kfree(text);
	return 0;
}

void widget_show_state(struct widget *w)
{
	struct widget_state *st = widget_state_get(w->id);

	pr_info("%d\n", st ? st->v : 0);
}

void widget_print_serial(struct widget *w)
{
	char *serial = widget_read_serial(w->id);

	pr_info("%s\n", serial);
	kfree(serial);
}

int widget_check_serial(struct widget *w)
{
	char *serial = widget_read_serial(w->id);
	int ret;

	if (IS_ERR(serial))
		return PTR_ERR(serial);
	ret = strcmp(serial, w->serial) ? -EINVAL : 0;
	kfree(serial);
	return ret;
}

int widget_copy_serial(struct widget *w, char *out)
{
	char *serial;

	serial = widget_read_serial(w->id);
	if (!serial)
		return -EIO;
	strcpy(out, serial);
	kfree(serial);
	return 0;
}

/* The teardown of a driver's context lives here, not in the driver. */
void widget_ctx_teardown(struct widget_ctx *ctx)
{
	kfree(ctx->scratch);
}


/* The alias's teardown, through a structure that embeds the widget_dev. */
struct widget_dev_obj {
	struct widget_dev wd;
	int refs;
};

void widget_dev_obj_teardown(struct widget_dev_obj *o)
{
	kfree(o->wd.alias);
}

/* Another driver's release frees the label with its own structure: that
 * tells nothing of the releases of other files, which must free it too. */
struct widget_dev_box {
	struct widget_dev wd;
};

void widget_dev_box_release(struct widget_dev_box *b)
{
	kfree(b->wd.label);
	kfree(b);
}

void widget_dev_default_tag(struct widget_dev *wd)
{
	wd->tag = "none";
}
