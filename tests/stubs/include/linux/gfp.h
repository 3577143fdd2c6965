/* Stub of <linux/gfp.h>. */
#ifndef _STUB_LINUX_GFP_H
#define _STUB_LINUX_GFP_H
#include <linux/types.h>
#define ___GFP_IO		0x40u
#define ___GFP_FS		0x80u
#define ___GFP_ZERO		0x100u
#define ___GFP_DIRECT_RECLAIM	0x400u
#define ___GFP_KSWAPD_RECLAIM	0x800u
#define __GFP_ZERO	((gfp_t)___GFP_ZERO)
#define __GFP_RECLAIM	((gfp_t)(___GFP_DIRECT_RECLAIM | ___GFP_KSWAPD_RECLAIM))
#define GFP_ATOMIC	((gfp_t)___GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL	(__GFP_RECLAIM | ((gfp_t)___GFP_IO) | ((gfp_t)___GFP_FS))
#define GFP_NOWAIT	((gfp_t)___GFP_KSWAPD_RECLAIM)
#endif
