/* Stub of <linux/spinlock.h>. */
#ifndef _STUB_LINUX_SPINLOCK_H
#define _STUB_LINUX_SPINLOCK_H
#include <linux/types.h>
typedef struct {
	int locked;
} spinlock_t;
void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
#define spin_lock_init(lock) do { (lock)->locked = 0; } while (0)
#endif
