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
    holders = {n for n, entries in table.by_name.items() if any(a.holder for a in entries)}
    assert "alloc_etherdev" in holders and not holders & (plain | managed)
    assert prefilter.kind_names(table, "allocator") == plain | managed | holders
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


def test_builtin_database_told_without_allocators_has_none():
    """`surely_no_allocators` (read from the text, so that a file the filter
    skips never decodes the database) agrees with the decoded database; it is
    never sure of a user's database."""
    if summarydb._builtin_names_no_allocator():
        assert not summarydb.load(None).allocators()
    assert not summarydb.surely_no_allocators("user.db")
    assert not summarydb.surely_no_allocators("none")


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


# ------------------------------------------------------------ demand-driven dataflow


def _units(path):
    from analyzer.frontend import treesitter

    with open(path, "rb") as f:
        source = f.read()
    return treesitter.parse(path, source), treesitter.parse(path, source)


def _frees(fr):
    return [(f.call.span, {(s.span, s.api, st) for s, st in f.reached}) for f in fr.frees]


def _leaks(fr):
    return [(x.site.span, x.exit, x.holder, x.reason, x.tentative) for x in fr.leaks]


@pytest.mark.parametrize("path", list(_fixtures()), ids=lambda p: os.path.relpath(p, HERE))
def test_demand_gives_the_same_summaries_and_results(path):
    from analyzer.engine import analyse

    table, db = apis.load(), summarydb.load(None)
    full_unit, lazy_unit = _units(path)
    full = analyse(full_unit, table, db)
    lazy = analyse(lazy_unit, table, db, demand=True)
    by_line = {fr.function.span.line: fr for fr in full.functions}
    for fr in lazy.functions:  # what is listed is what the full run found there
        other = by_line[fr.function.span.line]
        assert _leaks(fr) == _leaks(other)
        assert _frees(fr) == _frees(other)
        assert fr.summary == other.summary
    # Every function that may allocate or free is listed.
    listed = {fr.function.span.line for fr in lazy.functions}
    for fr in full.functions:
        if fr.leaks or fr.frees or any(s.param is None for _, _, s in fr.stores):
            assert fr.function.span.line in listed
    for fn in full_unit.functions:  # and every summary is there when asked for
        assert lazy.summaries.get(fn.name) == full.summaries.get(fn.name)


def test_demand_skips_functions_nothing_asks_about():
    from analyzer.engine import analyse
    from analyzer.frontend import treesitter

    source = b"""
static int helper(struct foo *f) { return regmap_write(f->map, 1, 2); }
static int unrelated(struct foo *f, void *data) { f->data = data; return 0; }
static int probe(struct foo *f)
{
        char *buf = kzalloc(16, GFP_KERNEL);
        if (!buf)
                return -ENOMEM;
        if (helper(f))
                return -EIO;
        kfree(buf);
        return 0;
}
"""
    table, db = apis.load(), summarydb.load(None)
    lazy = analyse(treesitter.parse("x.c", source), table, db, demand=True)
    assert [fr.function.name for fr in lazy.functions] == ["probe"]
    assert len(lazy.functions[0].leaks) == 1  # buf leaks when helper() fails
    full = analyse(treesitter.parse("x.c", source), table, db)
    assert {fr.function.name for fr in full.functions} >= {"probe", "unrelated"}
