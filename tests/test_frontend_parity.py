"""Both frontends on every fixture: the same findings, to the column and the word.

The clang runs parse the fixtures against the stub kernel headers in
tests/stubs/include, so they need no kernel tree.  The configuration turns
on every CONFIG_ option the file tests (tree-sitter reads the first branch
of each #if), and every function must be read by clang itself, or the
test would compare tree-sitter with itself.
"""

from __future__ import annotations

import glob
import os

import pytest

from analyzer.checker import Options, check_file
from analyzer.frontend import clang
from analyzer.plugins import discover
from tests.clang_setup import allyes, clang_choice

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
FILES = sorted(glob.glob(os.path.join(FIXTURES, "**", "*.c"), recursive=True))

pytestmark = pytest.mark.skipif(clang.available() is not None, reason="libclang not loadable")


def _findings(path: str, options: Options):
    result = check_file(path, options)
    assert result.error is None, result.error
    rows = [
        (f.rule, f.confidence, f.line, f.column, f.end_line, f.function, f.message, f.fingerprint)
        for f in result.findings
    ]
    return result, rows


@pytest.mark.parametrize("path", FILES, ids=lambda p: os.path.relpath(p, FIXTURES))
def test_same_findings_in_both_frontends(path):
    rules = list(discover()[0].values())
    ts_result, ts_rows = _findings(path, Options(rules))
    cl_result, cl_rows = _findings(path, Options(rules, frontend=clang_choice(*allyes(path))))
    assert set(ts_result.frontends.values()) == {"treesitter"}
    assert set(cl_result.frontends.values()) == {"clang"}, cl_result.fallback
    assert cl_rows == ts_rows
