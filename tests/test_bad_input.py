"""The bad-input table of README.md, row by row: message and exit code."""

from __future__ import annotations

import json
import os

import pytest

from analyzer.cli import main

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "dml001")
LEAKY = os.path.join(FIXTURES, "basic.c")


def run(capsys, *argv):
    code = main(["check", "--format", "json", "-j", "1", *argv])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out else None), err


def test_non_utf8_file_is_checked_as_bytes(tmp_path, capsys):
    src = open(LEAKY, "rb").read().replace(b"#include", b"/* caf\xe9 \xff */\n#include", 1)
    f = tmp_path / "latin1.c"
    f.write_bytes(src)
    code, doc, err = run(capsys, str(f))
    assert code == 1 and doc["summary"]["errors"] == 0 and err.count("error") == 0
    assert doc["findings"] and all(x["file"] == str(f) for x in doc["findings"])


def test_directory_symlink_loop_is_cut(tmp_path, capsys):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "drv.c").write_bytes(open(LEAKY, "rb").read())
    os.symlink("..", tmp_path / "d" / "up")
    code, doc, err = run(capsys, str(tmp_path))
    assert code == 1
    assert doc["summary"]["files"] == 1 and "Traceback" not in err


def test_file_symlink_loop_is_an_input_error(tmp_path, capsys):
    os.symlink("loop.c", tmp_path / "loop.c")
    code, doc, err = run(capsys, str(tmp_path / "loop.c"), LEAKY)
    assert code == 2
    assert f"{tmp_path / 'loop.c'}: " in err and "symbolic links" in err
    assert any(x["file"] == LEAKY for x in doc["findings"])


def test_dangling_symlink_is_an_input_error(tmp_path, capsys):
    os.symlink("nowhere.c", tmp_path / "gone.c")
    code, _, err = run(capsys, str(tmp_path / "gone.c"))
    assert code == 2 and "no such file" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_skipped_not_read(tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe.c")
    code, doc, err = run(capsys, str(tmp_path), LEAKY)
    assert code == 1 and doc["summary"]["skipped"] == 1
    assert "pipe.c: skipped: not a regular file" in err


def test_missing_path_among_good_ones(tmp_path, capsys):
    code, _, err = run(capsys, str(tmp_path / "none"), LEAKY)
    assert code == 2 and "no such file or directory" in err


def test_bad_number_option_is_a_usage_error(capsys):
    code, _, err = run(capsys, "--max-bytes", "lots", LEAKY)
    assert code == 2 and "--max-bytes" in err and "Traceback" not in err
