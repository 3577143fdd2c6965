"""The rewrites that make raw kernel C parse keep every byte offset and line."""

from __future__ import annotations

from analyzer.frontend import treesitter
from analyzer.frontend.preprocess import Flip, prepare

SOURCE = b"""static int __init foo_probe(struct platform_device *pdev)
{
	void __iomem *base;
	char *buf __free(kfree) = kzalloc(4, GFP_KERNEL);
#ifdef CONFIG_FOO
	if (x) {
#else
	if (y) {
#endif
		/* walk the list */
		list_for_each_entry(pos, &head, node) {
			kfree(pos);
		}
	}
#if 0
	broken(
#endif
	return 0;
}
"""


def test_same_length_and_lines():
    out = prepare(SOURCE).text
    assert len(out) == len(SOURCE)
    assert out.count(b"\n") == SOURCE.count(b"\n")
    for a, b in zip(out.split(b"\n"), SOURCE.split(b"\n"), strict=True):
        assert len(a) == len(b)


def test_annotations_blanked_and_cleanup_recorded():
    prepared = prepare(SOURCE)
    assert b"__init" not in prepared.text and b"__iomem" not in prepared.text
    assert b"__free" not in prepared.text
    assert prepared.cleanups == {(4, "buf"): "kfree"}


def test_first_branch_kept_and_if0_dropped():
    out = prepare(SOURCE).text
    assert b"if (x)" in out and b"if (y)" not in out
    assert b"broken(" not in out
    assert b"#ifdef" not in out and b"#endif" not in out


def test_known_macros_choose_the_branch():
    src = b"""#define HAVE_A
#ifndef HAVE_A
a_missing();
#else
a_present();
#endif
#if !defined(FROM_BUILD)
build_missing();
#elif 1
build_present();
#endif
#undef HAVE_A
#ifdef HAVE_A
a_again();
#endif
#ifndef UNKNOWN
unknown_first();
#else
unknown_second();
#endif
"""
    text = prepare(src, frozenset({"FROM_BUILD"})).text
    assert len(text) == len(src) and text.count(b"\n") == src.count(b"\n")
    kept = [
        w
        for w in (
            b"a_missing",
            b"a_present",
            b"build_missing",
            b"build_present",
            b"a_again",
            b"unknown_first",
            b"unknown_second",
        )
        if w in text
    ]
    assert kept == [b"a_present", b"build_present", b"unknown_first"]


def test_iterator_after_comment_becomes_loop():
    out = prepare(SOURCE).text
    assert b"list_for_each_entry" not in out
    assert b"while" in out


def test_iterator_call_with_semicolon_stays_a_call():
    src = b"void f(void) { device_for_each_child(dev, NULL, fn); }\n"
    assert prepare(src).text == src


def test_function_is_parsed_without_errors():
    unit = treesitter.parse("x.c", SOURCE)
    (fn,) = unit.functions
    assert fn.name == "foo_probe"
    assert fn.parse_errors == 0
    assert any(n.cleanup == "kfree" for n in fn.nodes)


def test_else_branch_is_an_alternative_a_second_reading_takes():
    prepared = prepare(SOURCE)
    # `#ifdef CONFIG_FOO .. #else`: the #else line (`if (y) {`) is the
    # alternative; `#if 0` has none (its only other branch is empty)
    [alt] = prepared.alternatives
    assert SOURCE[alt.start : alt.end] == b"\tif (y) {\n"
    assert b"if (x)" in prepared.text and b"if (y)" not in prepared.text
    assert alt.macro == ("CONFIG_FOO", False)  # (#else: CONFIG_FOO undefined)
    [reading] = Flip.readings([alt])
    for flip in (reading, Flip(groups={alt.group: alt.index})):
        flipped = prepare(SOURCE, flip=flip).text
        assert b"if (y)" in flipped and b"if (x)" not in flipped
        assert len(flipped) == len(SOURCE) and b"broken" not in flipped
    every = prepare(SOURCE, every_branch=True).text
    assert b"if (x)" in every and b"if (y)" in every and b"#else" not in every


NESTED = b"""#include <linux/slab.h>
struct nd { int mode; };
static int nest(struct nd *d, int w)
{
	char *buf = kmalloc(16, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
#ifdef OUTER_X
#ifdef INNER_Y
	d->mode = 1;
#else
	if (w)
		return -EINVAL;
#endif
#else
	if (w > 2)
		return -EIO;
#endif
	kfree(buf);
	return 0;
}
"""


ELIF = b"""#include <linux/slab.h>
struct nd { int mode; };
static int chain(struct nd *d, int w)
{
	char *buf = kmalloc(16, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
#if defined(MODE_A)
	d->mode = 1;
#elif defined(MODE_B)
	if (w)
		return -EINVAL;
#else
	if (w > 2)
		return -EIO;
#endif
	kfree(buf);
	return 0;
}
"""


def _dml001_lines(name: str, source: bytes) -> list[int]:
    """The lines of the DML001 findings of a whole check of `source`."""
    from analyzer.checker import Options, check_source
    from analyzer.plugins import discover

    result = check_source(name, source, Options(list(discover()[0].values())))
    assert result.error is None
    return sorted(f.line for f in result.findings if f.rule == "DML001")


def test_nested_else_branches_each_read():
    """An #else inside the first branch of a group whose #else is read too
    gets a reading of its own (no one configuration holds both), and what
    leaks in each is reported: no frontend parity fixture can show this,
    since clang reads one configuration."""
    alternatives = prepare(NESTED).alternatives
    assert len(alternatives) == 2 and len(Flip.readings(alternatives)) == 2
    assert _dml001_lines("nested.c", NESTED) == [14, 18]


def test_every_branch_of_an_elif_chain_read():
    """Each branch of an #elif chain gets a reading (one configuration takes one)."""
    alternatives = prepare(ELIF).alternatives
    assert [a.index for a in alternatives] == [1, 2] and len(Flip.readings(alternatives)) == 2
    assert _dml001_lines("chain.c", ELIF) == [13, 16]
