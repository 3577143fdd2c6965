/* SPDX-License-Identifier: GPL-2.0 */
/* A header's static inline helper: every file that includes it calls it. */
static inline void widget_discard(struct widget *w)
{
	kfree(w->name);
	kfree(w);
}

/* A device whose members core.c fills: the label for good (nothing frees it
 * but a release), the alias and tag less surely (see core_other.c). */
struct widget_dev {
	char *label;
	char *alias;
	char *tag;
	char *note;	/* (filled by drivers that embed a widget_dev) */
	int id;
};
