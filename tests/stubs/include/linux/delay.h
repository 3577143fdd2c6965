/* Stub of <linux/delay.h>. */
#ifndef _STUB_LINUX_DELAY_H
#define _STUB_LINUX_DELAY_H
void usleep_range_state(unsigned long min, unsigned long max, unsigned int state);
static inline void usleep_range(unsigned long min, unsigned long max)
{
	usleep_range_state(min, max, 2);
}
void msleep(unsigned int msecs);
#endif
