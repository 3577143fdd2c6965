"""The text prefilter: files that name nothing an enabled rule needs are not parsed."""

from __future__ import annotations

import os

import pytest

from analyzer import apis, prefilter, summarydb
from analyzer.checker import Options, check_source
from analyzer.plugins import Rule, discover
from analyzer.summarydb import SummaryDb

HERE = os.path.dirname(os.path.abspath(__file__))
BUILTIN = [cls for code, cls in discover()[0].items() if code.startswith("DML")]

NO_ALLOC = b"""
static int foo_probe(struct platform_device *pdev)
{
        struct foo *priv = platform_get_drvdata(pdev);
        int ret = clk_prepare_enable(priv->clk);
        if (ret)
                return ret;
        return 0;
}
"""

DEVM_ONLY = b"""
static int foo_probe(struct platform_device *pdev)
{
        struct foo *priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
        if (!priv)
                return -ENOMEM;
        return 0;
}
"""

DEVM_AND_KFREE = DEVM_ONLY.replace(b"return 0;", b"kfree(priv);\n        return 0;")


def _check(source: bytes, rules, **kw):
    return check_source("x.c", source, Options(list(rules), **kw))


def test_file_naming_no_allocator_is_not_parsed():
    res = _check(NO_ALLOC, BUILTIN)
    assert res.functions == 0 and res.findings == [] and res.error is None
    # Without the prefilter the same file is parsed (and has nothing to find).
    full = _check(NO_ALLOC, BUILTIN, prefilter=False)
    assert full.functions == 1 and full.findings == []


def test_rules_needs_combine_kinds():
    # devm memory alone: no rule can fire (it never leaks; nothing frees it).
    assert _check(DEVM_ONLY, BUILTIN).functions == 0
    # ... but a kfree() of it is DML004's business.
    res = _check(DEVM_AND_KFREE, BUILTIN)
    assert res.functions == 1
    assert [f.rule for f in res.findings] == ["DML004"]


class _Undeclared(Rule):
    code = "XTS001"
    name = "sees-everything"
    summary = "a rule that declares no needs"
    seen: list[str] = []

    def check(self, ctx):
        _Undeclared.seen.append(ctx.path)
        return iter(())


def test_rule_without_declaration_sees_every_file():
    _Undeclared.seen.clear()
    res = _check(NO_ALLOC, [*BUILTIN, _Undeclared])
    assert res.functions == 1 and _Undeclared.seen == ["x.c"]


def test_whole_words_only():
    table = apis.load()
    f = prefilter.TextFilter([[prefilter.kind_names(table, "allocator:plain")]])
    assert f.wanted(b"/* kzalloc */")  # anywhere in the text: a superset is safe
    assert not f.wanted(b"my_kzalloc(x); kzalloc_foo(y); xkmalloc(z);")
    assert f.names_in(b"a = kzalloc(1);\nb=kmalloc(2)") == {b"kzalloc", b"kmalloc"}
    assert f.names_in(b"kzalloc") == {b"kzalloc"}  # at both ends of the text


def test_anchors_cover_every_name():
    table = apis.load()
    names = {n.encode() for n in table.by_name}
    anchors = prefilter._anchors(names)
    assert all(any(a in n for a in anchors) for n in names)
    assert len(anchors) < len(names)


def test_kinds():
    table = apis.load()
    plain = prefilter.kind_names(table, "allocator:plain")
    managed = prefilter.kind_names(table, "allocator:managed")
    assert "kzalloc" in plain and "devm_kzalloc" in managed
    assert not plain & managed
    assert prefilter.kind_names(table, "allocator") == plain | managed
    with pytest.raises(prefilter.KindError):
        prefilter.kind_names(table, "allocator:sometimes")


def test_configured_api_is_a_name_to_look_for():
    extra = [
        ({"allocator": [{"prototype": "void *foo_get_buf(size_t n)", "family": "kmalloc"}]}, "cfg")
    ]
    src = b"int f(void) { char *p = foo_get_buf(4); if (!p) return -1; return -2; }"
    assert _check(src, BUILTIN).functions == 0
    res = _check(src, BUILTIN, api_extra=extra)
    assert res.functions == 1 and [f.rule for f in res.findings] == ["DML001"]


def test_database_allocators_count_as_allocators():
    from analyzer.ownership import Effect, Summary

    db = SummaryDb({"foo_fill": Summary("foo_fill", effects=[Effect(0, "->buf", "alloc", None)])})
    table = apis.load()
    assert "foo_fill" in prefilter.kind_names(table, "allocator:plain", db)
    assert "foo_fill" not in prefilter.kind_names(table, "allocator:plain", summarydb.load(None))


def _fixtures():
    for d, _, names in sorted(os.walk(os.path.join(HERE, "fixtures"))):
        for n in sorted(names):
            if n.endswith((".c", ".h")):
                yield os.path.join(d, n)


@pytest.mark.parametrize("path", list(_fixtures()), ids=lambda p: os.path.relpath(p, HERE))
def test_same_findings_with_and_without_prefilter(path):
    with open(path, "rb") as f:
        source = f.read()
    got = [x.to_json() for x in check_source(path, source, Options(BUILTIN)).findings]
    full = Options(BUILTIN, prefilter=False)
    assert got == [x.to_json() for x in check_source(path, source, full).findings]
