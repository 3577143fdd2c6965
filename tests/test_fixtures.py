"""Every fixture file: the findings are exactly the `// expect:` annotations.

A finding on a line with no annotation is a false positive; an annotation
with no finding is a miss. Both fail, and the message lists them.
"""

from __future__ import annotations

import glob
import os
from collections import Counter

import pytest

from analyzer.checker import Options, check_file
from analyzer.plugins import discover
from tests.expectations import expected

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
FILES = sorted(glob.glob(os.path.join(FIXTURES, "**", "*.c"), recursive=True))


@pytest.mark.parametrize("path", FILES, ids=lambda p: os.path.relpath(p, FIXTURES))
def test_fixture(path):
    rules, _ = discover()
    result = check_file(path, Options(list(rules.values())))
    assert result.error is None
    got = Counter(
        (f.line, f.rule, "low" if f.confidence == "low" else "shown") for f in result.findings
    )
    want = expected(path)
    extra = got - want
    missed = want - got
    assert not extra and not missed, f"false positives {sorted(extra)}, misses {sorted(missed)}"


def test_fixture_set_is_substantial():
    functions = 0
    annotated = 0
    for path in FILES:
        result = check_file(path, Options([], prefilter=False))
        functions += result.functions
        annotated += sum(expected(path).values())
    assert functions >= 40
    assert annotated >= 20
