/* Stub of <linux/clk-provider.h>. */
#ifndef _STUB_LINUX_CLK_PROVIDER_H
#define _STUB_LINUX_CLK_PROVIDER_H
#include <linux/clk.h>
#include <linux/spinlock.h>
struct clk_core;
struct clk_init_data;
struct of_phandle_args;
struct clk_hw {
	struct clk_core *core;
	struct clk *clk;
	const struct clk_init_data *init;
};
struct clk_gate {
	struct clk_hw hw;
	void __iomem *reg;
	u8 bit_idx;
	u8 flags;
	spinlock_t *lock;
};
int clk_hw_register(struct device *dev, struct clk_hw *hw);
struct clk *clk_register(struct device *dev, struct clk_hw *hw);
void clk_hw_unregister(struct clk_hw *hw);
struct clk_hw *of_clk_hw_simple_get(struct of_phandle_args *clkspec, void *data);
int of_clk_add_hw_provider(struct device_node *np,
			   struct clk_hw *(*get)(struct of_phandle_args *clkspec, void *data),
			   void *data);
#endif
