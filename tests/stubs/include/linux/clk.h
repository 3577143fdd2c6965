/* Stub of <linux/clk.h>. */
#ifndef _STUB_LINUX_CLK_H
#define _STUB_LINUX_CLK_H
#include <linux/device.h>
struct clk;
int clk_prepare(struct clk *clk);
int clk_enable(struct clk *clk);
void clk_disable(struct clk *clk);
void clk_unprepare(struct clk *clk);
struct clk *devm_clk_get(struct device *dev, const char *id);
struct clk *devm_clk_get_enabled(struct device *dev, const char *id);

static inline int clk_prepare_enable(struct clk *clk)
{
	int ret;

	ret = clk_prepare(clk);
	if (ret)
		return ret;
	ret = clk_enable(clk);
	if (ret)
		clk_unprepare(clk);
	return ret;
}

static inline void clk_disable_unprepare(struct clk *clk)
{
	clk_disable(clk);
	clk_unprepare(clk);
}
#endif
