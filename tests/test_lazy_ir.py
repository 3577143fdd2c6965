"""Lazily built CFGs: the same IR as an eager build, and hints that never miss."""

from __future__ import annotations

import glob
import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import ir
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
static int scan(struct foo *p, int n)
{
	static struct bar *s = &bars[pick(n)];
	int (*cb)(int) = pick2;
	int arr[size_of(n)] = { [0] = init(p), .x = p->y };
	struct baz z = (struct baz){ .a = mk(p), .b = q };
#define LOCAL(x) hidden_call(x)
	switch (sel(n)) {
	case CASE_VAL(1): one(p); break;
	default: two(p);
	}
	n = ({ int t = inner(p); t + other; });
	n = p ? : fallback(n);
	for (int i = start(p); i < lim(n); i = step(i)) { body(i); }
	do { again(p); } while (cond(p));
	if ((n = test(p))) { yes(); } else if (n) { no(); } else { neither(); }
again_label:
	__attribute__((fallthrough));
	asm volatile("nop" : : "r"(asmarg(p)));
	n = typeof_call(typeof(x), p) + sizeof(notcalled(p)) + (cast_t)castv;
	(*fnptr)(ptrarg);
	p->ops->method(methodarg);
	arr[idx(n)] = val(n);
	+ * ) broken(p) ( ;
	return ret(p), n;
}
static void stores(struct foo *p, void *q, char *r, int *s)
{
	p->a = (void *)(q);
	x[0] = ((char *) r);
	*out = (s);
	local = q;
	p->b += (int) q;
	p->c = q + 1;
}
static void frees(struct foo *p)
{
	static char *u __free(kfree) = NULL;
	char *v __free(kfree) = kzalloc(4, GFP_KERNEL), *w = NULL;
}
static void no_stores(struct foo *p) { int a = p->x; a = (int) p; }
"""


def _pairs(source: bytes):
    prepared = prepare(source)
    tree = treesitter.parser().parse(prepared.text)
    for node in treesitter._top_level(tree.root_node):
        if node.type != "function_definition":
            continue
        # (as `treesitter.parse` makes them: with the file's text and iterators)
        chars = prepared.text.decode("latin-1")
        lazy = treesitter._function(
            node, prepared.cleanups, prepared.text, chars, prepared.iterators
        )
        eager = treesitter._function(node, prepared.cleanups, iterators=prepared.iterators)
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
        # The calls and names a scan finds before any CFG is built are the CFG's.
        assert (lazy.calls, lazy.names()) == (eager.calls, eager.names()), lazy.name
        assert lazy.keeps_known() == _keeps_memory(eager), lazy.name
        assert lazy._pending is not None
        hint, keeps = lazy.call_hint(), lazy.keeps_hint()
        assert hint >= eager.calls, lazy.name
        if _keeps_memory(eager):
            assert keeps, lazy.name
        # Reading the CFG builds it: the same nodes, calls and error count.
        assert lazy.nodes == eager.nodes
        assert (lazy.entry, lazy.exit, lazy.calls) == (eager.entry, eager.exit, eager.calls)
        assert lazy.parse_errors == eager.parse_errors
        assert lazy.call_hint() == lazy.calls  # once built, the hint is the fact
        # ir.preorder and Function.names walk as ir.walk does.
        exprs = [n.expr for n in eager.nodes if n.expr is not None]
        assert all(ir.preorder(e) == list(ir.walk(e)) for e in exprs), lazy.name
        walked = {ir.unshadow(e.name) for x in exprs for e in ir.walk(x) if isinstance(e, ir.Name)}
        assert eager.names() == walked, lazy.name


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


# The patterns before the fourth speed session: the faster ones must find the same.
_OLD_CALL_HINT = re.compile(rb"([A-Za-z_][A-Za-z0-9_]*)(?=[ \t\r\n\\]*(?:\(|/[*/]))")


def _old_stored(pointers: tuple[str, ...]) -> re.Pattern[bytes]:
    names = b"|".join(re.escape(p.encode()) for p in pointers)
    return re.compile(rb"=[\s()*\w\\]*?\b(?:" + names + rb")\b(?=[\s)\\]*(?:[;,)\]}:?]|$))")


_CODE = st.binary(max_size=40).map(lambda b: bytes(b" ab_19Z(=;,)*\\/\n\t"[x % 17] for x in b))


@given(_CODE)
@settings(max_examples=3000, deadline=None)
def test_call_hint_pattern_finds_what_the_old_one_did(code):
    assert treesitter._CALL_HINT.findall(code) == _OLD_CALL_HINT.findall(code)


@given(_CODE)
@settings(max_examples=3000, deadline=None)
def test_one_pass_finds_the_call_hints_and_the_words(code):
    hint, words = treesitter._hints_and_words(code)
    assert hint == {m.decode() for m in treesitter._CALL_HINT.findall(code)}
    assert words == {m.decode() for m in treesitter._WORD.findall(code)}


@given(_CODE, st.lists(st.sampled_from(["a", "ab", "b_1", "Z"]), min_size=1, max_size=3))
@settings(max_examples=3000, deadline=None)
def test_stored_pattern_per_name_finds_what_the_alternation_did(code, names):
    per_name = any(treesitter._stored(code, n.encode()) for n in names)
    assert per_name == (_old_stored(tuple(names)).search(code) is not None)
