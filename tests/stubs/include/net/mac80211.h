/* Stub of <net/mac80211.h>: an ieee80211_hw carries the driver's private area in priv. */
#ifndef _STUB_NET_MAC80211_H
#define _STUB_NET_MAC80211_H
#include <linux/types.h>

struct ieee80211_ops;

struct ieee80211_hw {
	void *priv;
	int queues;
};

struct ieee80211_hw *ieee80211_alloc_hw(size_t priv_data_len, const struct ieee80211_ops *ops);
void ieee80211_free_hw(struct ieee80211_hw *hw);
int ieee80211_register_hw(struct ieee80211_hw *hw);
#endif
