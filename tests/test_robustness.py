"""Mutated driver sources: no exception escapes, and other files' findings are kept."""

from __future__ import annotations

import glob
import io
import json
import os
import tempfile
from contextlib import redirect_stderr, redirect_stdout

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.checker import FileResult, Options, check_file
from analyzer.cli import main
from analyzer.plugins import discover

FIXTURES = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "fixtures", "**", "*.c")))
SOURCES = [open(p, "rb").read() for p in FIXTURES]
GOOD = os.path.join(os.path.dirname(__file__), "fixtures", "dml001", "basic.c")
OPTIONS = Options(list(discover()[0].values()))
FRAGMENTS = [
    b"{",
    b"}",
    b"(",
    b")",
    b"#if 0\n",
    b"#ifdef X\n",
    b"#else\n",
    b"#endif\n",
    b"#define M(x) {\n",
    b"/*",
    b"*/",
    b'"',
    b"'",
    b"\\\n",
    b"goto out;",
    b"out:",
    b"kfree(",
    b"kzalloc(",
    b"return",
    b";",
    b"\0",
    b"\xff\xfe",
    b"??=",
    b"__free(",
    b"list_for_each_entry(",
    b"scoped_guard(",
    b"\r",
]


@st.composite
def mutated(draw) -> bytes:
    src = draw(st.sampled_from(SOURCES))
    for _ in range(draw(st.integers(1, 4))):
        n = len(src)
        at = draw(st.integers(0, n))
        kind = draw(st.sampled_from(["delete", "truncate", "bytes", "fragment", "repeat"]))
        if kind == "delete":
            src = src[:at] + src[at + draw(st.integers(1, 200)) :]
        elif kind == "truncate":
            src = src[:at]
        elif kind == "bytes":
            src = src[:at] + draw(st.binary(min_size=1, max_size=64)) + src[at:]
        elif kind == "fragment":
            src = src[:at] + draw(st.sampled_from(FRAGMENTS)) + src[at:]
        else:  # deep nesting and long lines
            piece = draw(st.sampled_from([b"{", b"(", b"if (x) ", b"a", b"#if 1\n"]))
            src = src[:at] + piece * draw(st.integers(10, 3000)) + src[at:]
    return src


def _check_bytes(data: bytes) -> FileResult:
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "mutant.c")
        with open(path, "wb") as f:
            f.write(data)
        return check_file(path, OPTIONS)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_check_file_never_raises(data):
    res = _check_bytes(data)
    assert isinstance(res, FileResult)
    # A caught bug of ours would read "internal error: ..."; only the nesting limit may.
    assert res.error in (None, "internal error: nesting too deep to analyse"), res.error
    for f in res.findings:
        assert f.line >= 1 and f.rule


def _cli(*argv: str) -> tuple[int, dict, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["check", "--format", "json", "--no-cache", "-j", "1", *argv])
    return code, json.loads(out.getvalue()), err.getvalue()


_, GOOD_ALONE, _ = _cli(GOOD)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_other_files_findings_are_kept(data):
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "mutant.c"), "wb") as f:
            f.write(data)
        code, doc, err = _cli(d, GOOD)
    assert code in (0, 1, 2)
    assert "Traceback" not in err
    mine = [f for f in doc["findings"] if f["file"] == GOOD]
    assert mine == GOOD_ALONE["findings"]


def test_ten_megabyte_line():
    line = b"static int x = " + b"1 + " * (10 * 1024 * 1024 // 4) + b"1;\n"
    data = SOURCES[0] + line + SOURCES[0]
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "long.c")
        with open(path, "wb") as f:
            f.write(data)
        code, doc, err = _cli(path, GOOD)
        assert code == 1 and doc["summary"]["skipped"] == 1 and "larger than" in err
        res = check_file(path, Options(OPTIONS.rules, max_bytes=len(data)))
    assert res.error is None
    assert doc["findings"] == GOOD_ALONE["findings"]
