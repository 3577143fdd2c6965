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
