/* SPDX-License-Identifier: GPL-2.0 */
/* A header's static inline helper: every file that includes it calls it. */
static inline void widget_discard(struct widget *w)
{
	kfree(w->name);
	kfree(w);
}
