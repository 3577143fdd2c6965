"""Lazily built CFGs: the same IR as an eager build, and hints that never miss."""

from __future__ import annotations

import glob
import os

import pytest

from analyzer.engine import _keeps_memory
from analyzer.frontend import treesitter
from analyzer.frontend.preprocess import prepare

FIXTURES = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "fixtures", "**", "*.c")))

TRICKY = b"""
static int f(struct foo *p, char *q)
{
	int n = sizeof(g());
	p->buf = (char *) q;
	h /* a comment */ (p);
	list_for_each_entry(x, &p->list, node) { k(x); }
	return m
		(n);
}
static void g(void) { }
static void cleanup(void) { char *b __free(kfree) = kzalloc(4, GFP_KERNEL); }
"""


def _pairs(source: bytes):
    prepared = prepare(source)
    tree = treesitter.parser().parse(prepared.text)
    for node in treesitter._top_level(tree.root_node):
        if node.type != "function_definition":
            continue
        lazy = treesitter._function(node, prepared.cleanups, prepared.text)
        eager = treesitter._function(node, prepared.cleanups)
        if lazy is not None:
            yield lazy, eager


def _sources():
    return [open(p, "rb").read() for p in FIXTURES] + [TRICKY]


@pytest.mark.parametrize("source", _sources())
def test_lazy_function_equals_eager_build(source):
    pairs = list(_pairs(source))
    assert pairs
    for lazy, eager in pairs:
        assert isinstance(lazy, treesitter.LazyFunction)
        hint, keeps = lazy.call_hint(), lazy.keeps_hint()
        assert hint >= eager.calls, lazy.name
        if _keeps_memory(eager):
            assert keeps, lazy.name
        # Reading the CFG builds it: the same nodes, calls and error count.
        assert lazy.nodes == eager.nodes
        assert (lazy.entry, lazy.exit, lazy.calls) == (eager.entry, eager.exit, eager.calls)
        assert lazy.parse_errors == eager.parse_errors
        assert lazy.call_hint() == lazy.calls  # once built, the hint is the fact


def test_hints_of_the_tricky_cases():
    fns = {lazy.name: lazy for lazy, _ in _pairs(TRICKY)}
    assert {"h", "m", "k", "g"} <= fns["f"].call_hint()
    assert "list_for_each_entry" not in fns["f"].call_hint()  # a loop, not a call
    assert fns["f"].keeps_hint() is True
    assert fns["g"].keeps_hint() is False
    assert fns["cleanup"].keeps_hint() is True


def test_non_ascii_bodies_are_built_eagerly():
    src = b"static int f(void) { return caf\xc3\xa9(1); }\n"
    ((lazy, eager),) = _pairs(src)
    assert not isinstance(lazy, treesitter.LazyFunction)
    assert lazy.calls == eager.calls
