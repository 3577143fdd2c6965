/* Stub of <sound/soc-dai.h>. */
#ifndef _STUB_SOUND_SOC_DAI_H
#define _STUB_SOUND_SOC_DAI_H
#include <linux/types.h>

struct snd_pcm_substream {
	int stream;
};

struct snd_soc_dai {
	void *playback_dma_data;
	void *capture_dma_data;
};

struct snd_soc_dai_ops {
	int (*startup)(struct snd_pcm_substream *ss, struct snd_soc_dai *dai);
	void (*shutdown)(struct snd_pcm_substream *ss, struct snd_soc_dai *dai);
};

void snd_soc_dai_set_dma_data(struct snd_soc_dai *dai, const struct snd_pcm_substream *ss,
			      void *data);
void *snd_soc_dai_get_dma_data(const struct snd_soc_dai *dai,
			       const struct snd_pcm_substream *ss);

#endif
