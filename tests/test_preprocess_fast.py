"""The fast preprocessing passes make exactly the rewrites of the simple ones.

The references below are the first, obvious implementations (one regex
alternation of every annotation, a line-by-line directive scan, a
backtracking iterator pattern); hypothesis feeds both kernel-like text.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from analyzer.frontend import preprocess as pp

_REF_ANNOTATION = re.compile(
    r"\b(?:(?P<word>" + "|".join(pp._WORD_ANNOTATIONS) + r")\b(?!\s*\()"
    r"|(?P<call>" + "|".join(pp._CALL_ANNOTATIONS) + r")\s*\()"
)
_REF_FREE = re.compile(r"\*?\s*(?P<var>[A-Za-z_]\w*)\s+__free\s*\(\s*(?P<fn>\w+)\s*\)")
_REF_ITERATOR = re.compile(
    r"\b(?P<name>[A-Za-z_]*\w*?(?:for_each|_foreach)\w*|scoped_guard|scoped_cond_guard)\s*\("
)


def _ref_blank_annotations(buf, text, skip):
    for m in _REF_ANNOTATION.finditer(text.decode("latin-1")):
        start = m.start()
        if any(s <= start < e for s, e in skip):
            continue
        if m.group("word"):
            pp._blank(buf, start, m.end())
            continue
        paren = text.index(b"(", m.start("call"))
        end = pp._match_paren(text, paren)
        if end == -1 and m.group("call").startswith("__attribute"):
            end = pp._match_paren_loose(text, paren)
        if end != -1:
            pp._blank(buf, start, end)


def _ref_directive_lines(text):
    out, pos, lines, i = [], 0, text.split(b"\n"), 0
    while i < len(lines):
        line, start = lines[i], pos
        if line.lstrip().startswith(b"#"):
            logical, end = line, pos + len(line)
            while logical.endswith(b"\\") and i + 1 < len(lines):
                i += 1
                pos = end + 1
                logical = logical[:-1] + lines[i]
                end = pos + len(lines[i])
            out.append((start, end, logical))
            pos = end + 1
        else:
            pos += len(line) + 1
        i += 1
    return out


WORDS = (
    pp._WORD_ANNOTATIONS[:12]
    + pp._CALL_ANNOTATIONS[:8]
    + [
        "__iomem_x",
        "x__iomem",
        "__attribute__",
        "noinline",
        "__le32",
        "caf\xe9",
        "list_for_each",
        "list_for_each_entry",
        "hash_for_each_possible",
        "scoped_guard",
        "xfor_each",
        "for_each_x1",
        "foo",
        "1for_each",
        "_foreach",
        "p",
        "int",
        "__free",
        "__free_pages",
        "9a",
        "kfree",
    ]
)
PUNCT = [
    " ",
    "  ",
    "(",
    ")",
    "((",
    "))",
    ";",
    "{",
    "}",
    "\n",
    "\\\n",
    "#define M ",
    "#if 0\n",
    "\t",
    "\xa0",
    "/* c */",
    ",",
    "*",
    "\r",
]
text = st.lists(st.sampled_from(WORDS + PUNCT), max_size=40).map(
    lambda parts: "".join(parts).encode("latin-1")
)


@settings(max_examples=400, deadline=None)
@given(text)
def test_directive_lines_match_reference(data):
    assert pp._directive_lines(data) == _ref_directive_lines(data)


@settings(max_examples=400, deadline=None)
@given(text)
def test_annotation_blanking_matches_reference(data):
    skip = [(s, e) for s, e, _ in pp._directive_lines(data)]
    fast, ref = bytearray(data), bytearray(data)
    pp._blank_annotations(fast, data, skip)
    _ref_blank_annotations(ref, data, skip)
    assert fast == ref


@settings(max_examples=400, deadline=None)
@given(text)
def test_iterator_pattern_matches_reference(data):
    s = data.decode("latin-1")
    fast = [(m.span(), m.group("name")) for m in pp._iterator_matches(s)]
    ref = [(m.span(), m.group("name")) for m in _REF_ITERATOR.finditer(s)]
    assert fast == ref


@settings(max_examples=400, deadline=None)
@given(text)
@example(b"int *p __free(kfree) = NULL;\n  char *\t\tbuf __free( kvfree ) = x;")
@example(b"9ab __free(f) x*y __free(g) __free_pages(p) a __free (h)")
def test_free_pattern_matches_reference(data):
    s = data.decode("latin-1")
    fast = [(m.start("var"), m.group("var"), m.group("fn")) for m in pp._FREE_RE.finditer(s)]
    ref = [(m.start("var"), m.group("var"), m.group("fn")) for m in _REF_FREE.finditer(s)]
    assert fast == ref
    assert not ref or pp._FREE_CALL.search(data)
