"""When a function has more paths than the analysis follows.

The worklist is breadth-first and keeps at most `MAX_WORLDS` worlds per
node: past that, the longer paths (through loops, through later branches)
are dropped. These tests lower the limit so a small function is cut, and
check what must survive the cut.
"""

from __future__ import annotations

import pytest

from analyzer import apis, engine, ownership
from analyzer.frontend import treesitter

TEARDOWN = b"""
static void pool_destruct(struct pool *pool)
{
	int i;

	if (pool->a) {
		kfree(pool->a);
		pool->a = NULL;
	}
	if (pool->b) {
		kfree(pool->b);
		pool->b = NULL;
	}
	if (pool->c) {
		kfree(pool->c);
		pool->c = NULL;
	}
	for (i = 0; i < pool->num_units; i++) {
		if (pool->units[i] != NULL) {
			kfree(TO_UNIT(pool->units[i]));
			pool->units[i] = NULL;
		}
	}
}
"""


def _summary(source: bytes, name: str):
    unit = treesitter.parse("t.c", source)
    return engine.analyse(unit, apis.load()).summaries[name]


def test_truncated_teardown_still_names_what_it_frees(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(ownership, "MAX_WORLDS", 2)
    monkeypatch.setattr(ownership, "CROWDED", 1)
    chains = {e.chain: e for e in _summary(TEARDOWN, "pool_destruct").effects}
    # the loop at the end is on no path the cut analysis followed to the exit
    assert chains["->units[]"].on_zero == "escaped"
    assert {"->a", "->b", "->c"} <= chains.keys()


def test_untruncated_teardown_summary_unchanged():
    chains = {e.chain for e in _summary(TEARDOWN, "pool_destruct").effects}
    assert chains == {"->a", "->b", "->c", "->units[]"}


FLAGS_THEN_FREE = b"""
int foo_destroy(struct foo *p, int a, int b, int c, int d)
{
	if (a)
		foo_note(1);
	if (b)
		foo_note(2);
	if (c)
		foo_note(3);
	if (d)
		foo_note(4);
	if (!p)
		return 0;
	kfree(p->buf);
	kfree(p);
	return 0;
}

void y_release(struct y_dev *yd, int idx)
{
	kfree(y_lookup(yd->table, idx));
}
"""


def test_crowded_nodes_keep_what_exits_know_of_pointer_parameters(
    monkeypatch: pytest.MonkeyPatch,
):
    # Sixteen paths reach the NULL test: the node is crowded, and the worlds
    # forget the flags, but not that `p` was NULL on the exit it guards (the
    # summary's "freed" rests on it).
    monkeypatch.setattr(ownership, "CROWDED", 2)
    effects = _summary(FLAGS_THEN_FREE, "foo_destroy").effects
    assert [(e.index, e.chain, e.on_zero) for e in effects if not e.chain] == [(0, "", "freed")]


def test_a_lookup_given_a_table_frees_no_table():
    # (an accessor is a call given one path: `y_lookup(yd->table, idx)` reads it)
    assert _summary(FLAGS_THEN_FREE, "y_release").effects == []
