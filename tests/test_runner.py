"""The run loop: results cache, per-file time limit, order, progress."""

from __future__ import annotations

import json
import os
import time

import pytest

import analyzer.runner as runner
from analyzer.cache import Cache, config_key
from analyzer.checker import FileResult, Options
from analyzer.cli import main
from analyzer.frontend import treesitter
from analyzer.plugins import discover

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "dml001")
LEAKY = os.path.join(FIXTURES, "basic.c")


def run_json(capsys, *argv):
    code = main(["check", "--format", "json", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def _no_parsing(monkeypatch):
    def refuse(path, source):
        raise AssertionError(f"parsed {path} on a warm run")

    monkeypatch.setattr(treesitter, "parse", refuse)


def test_warm_run_parses_nothing_and_round_trips(tmp_path, capsys, monkeypatch):
    cache = tmp_path / "cache"
    _, cold, _ = run_json(capsys, "-j", "1", "--cache-dir", str(cache), FIXTURES)
    assert cold["findings"] and list(cache.rglob("*.json"))
    _no_parsing(monkeypatch)
    _, warm, _ = run_json(capsys, "-j", "1", "--cache-dir", str(cache), FIXTURES)
    assert warm["findings"] == cold["findings"]
    assert warm["summary"]["functions"] == cold["summary"]["functions"]
    assert warm["summary"]["errors"] == 0


def test_parallel_run_fills_the_cache(tmp_path, capsys, monkeypatch):
    cache = tmp_path / "cache"
    _, cold, _ = run_json(capsys, "-j", "2", "--cache-dir", str(cache), FIXTURES)
    _no_parsing(monkeypatch)
    _, warm, _ = run_json(capsys, "-j", "1", "--cache-dir", str(cache), FIXTURES)
    assert warm["findings"] == cold["findings"]


def test_changed_file_is_checked_again(tmp_path, capsys):
    src = tmp_path / "drv.c"
    leaky = open(LEAKY, "rb").read()
    src.write_bytes(leaky)
    cache = str(tmp_path / "cache")
    _, first, _ = run_json(capsys, "-j", "1", "--cache-dir", cache, str(src))
    assert first["findings"]
    src.write_bytes(b"int nothing(void) { return 0; }\n")
    os.utime(src, ns=(time.time_ns() - 10**10, time.time_ns() - 10**10))
    _, second, _ = run_json(capsys, "-j", "1", "--cache-dir", cache, str(src))
    assert second["findings"] == []


def test_changed_file_behind_a_symlink_is_checked_again(tmp_path, capsys):
    """A walked directory's file is looked up with the walk's stat, the target's."""
    real = tmp_path / "real.c"
    real.write_bytes(open(LEAKY, "rb").read())
    tree = tmp_path / "tree"
    tree.mkdir()
    os.symlink(real, tree / "drv.c")
    cache = str(tmp_path / "cache")
    _, first, _ = run_json(capsys, "-j", "1", "--cache-dir", cache, str(tree))
    assert first["findings"]
    real.write_bytes(b"int nothing(void) { return 0; }\n")
    os.utime(real, ns=(time.time_ns() - 10**10, time.time_ns() - 10**10))
    _, second, _ = run_json(capsys, "-j", "1", "--cache-dir", cache, str(tree))
    assert second["findings"] == []


def test_touched_file_with_same_bytes_is_a_hit(tmp_path, capsys, monkeypatch):
    src = tmp_path / "drv.c"
    src.write_bytes(open(LEAKY, "rb").read())
    cache = str(tmp_path / "cache")
    _, first, _ = run_json(capsys, "-j", "1", "--cache-dir", cache, str(src))
    later = time.time_ns() + 10**10
    os.utime(src, ns=(later, later))
    _no_parsing(monkeypatch)
    _, second, _ = run_json(capsys, "-j", "1", "--cache-dir", cache, str(src))
    assert second["findings"] == first["findings"]


def test_configuration_is_part_of_the_key():
    rules = list(discover()[0].values())
    base = config_key(Options(rules))
    assert config_key(Options(rules)) == base
    assert config_key(Options(rules, max_bytes=10)) != base
    assert config_key(Options(rules, timeout=1)) != base
    assert config_key(Options([])) != base
    assert config_key(Options(rules, api_extra=[({"allocator": []}, "x")])) != base
    assert config_key(Options(rules, summaries="none")) != base


def test_summary_database_content_is_part_of_the_key(tmp_path):
    rules = list(discover()[0].values())
    db = tmp_path / "db.json"
    db.write_text('{"a": 1}')
    first = config_key(Options(rules, summaries=str(db)))
    db.write_text('{"a": 2}')
    assert config_key(Options(rules, summaries=str(db))) != first


def test_no_cache_writes_nothing(tmp_path, capsys):
    cache = tmp_path / "cache"
    run_json(capsys, "-j", "1", "--no-cache", "--cache-dir", str(cache), FIXTURES)
    assert not cache.exists()


def test_unwritable_cache_is_a_warning(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    code, doc, err = run_json(capsys, "-j", "1", "--cache-dir", str(blocker / "c"), LEAKY)
    assert code == 1 and doc["findings"]
    assert "warning: cannot write the cache" in err


def test_damaged_cache_is_ignored(tmp_path, capsys):
    cache = tmp_path / "cache"
    _, cold, _ = run_json(capsys, "-j", "1", "--cache-dir", str(cache), LEAKY)
    for shard in cache.rglob("*.json"):
        shard.write_text("{ not json")
    _, again, _ = run_json(capsys, "-j", "1", "--cache-dir", str(cache), LEAKY)
    assert again["findings"] == cold["findings"]


def test_input_errors_are_not_cached(tmp_path):
    rules = list(discover()[0].values())
    cache = Cache.open(tmp_path, Options(rules))
    cache.store(FileResult("x.c", error="permission denied", stamp=(1, 2, "h")))
    assert not cache.shards or not any(s.entries for s in cache.shards.values())


def test_slow_file_is_skipped_and_the_run_goes_on(tmp_path, capsys, monkeypatch):
    slow = tmp_path / "slow.c"
    slow.write_bytes(b"int f(void) { return 0; }\n")
    real = runner.check_file

    def check(path, options):
        if path == str(slow):
            time.sleep(5)
        return real(path, options)

    monkeypatch.setattr(runner, "check_file", check)
    start = time.monotonic()
    code, doc, err = run_json(capsys, "-j", "1", "--no-cache", "--timeout", "0.2", str(slow), LEAKY)
    assert time.monotonic() - start < 4
    assert code == 1 and doc["summary"]["skipped"] == 1
    assert f"{slow}: skipped: took longer than 0.2 s (--timeout)" in err
    assert any(f["file"] == LEAKY for f in doc["findings"])


def test_time_limit_zero_means_none(monkeypatch):
    calls = []
    monkeypatch.setattr(runner, "check_file", lambda p, o: calls.append(p) or FileResult(p))
    runner.check_guarded("a.c", Options([], timeout=0))
    assert calls == ["a.c"]


def test_negative_limits_are_usage_errors(capsys):
    assert main(["check", "--timeout", "-1", LEAKY]) == 2
    assert "--timeout" in capsys.readouterr().err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_progress_callback_sees_every_file(jobs):
    files = sorted(os.path.join(FIXTURES, f) for f in os.listdir(FIXTURES)) * 2
    seen: list[str] = []
    rules = list(discover()[0].values())
    results = runner.run(
        files, Options(rules), int(jobs), None, lambda rs: seen.extend(r.path for r in rs)
    )
    assert [r.path for r in results] == files
    assert sorted(seen) == sorted(files)


class _Tty:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_progress_only_on_a_terminal_for_many_files():
    from analyzer import progress

    assert progress.wanted(1000, quiet=False, stream=_Tty(True))
    assert not progress.wanted(1000, quiet=True, stream=_Tty(True))
    assert not progress.wanted(1000, quiet=False, stream=_Tty(False))
    assert not progress.wanted(3, quiet=False, stream=_Tty(True))


def test_piped_run_prints_no_progress(capsys):
    code = main(["check", "-j", "2", "--no-cache", FIXTURES])
    err = capsys.readouterr().err
    assert code == 1
    assert "files/s" not in err and "ETA" not in err


def test_a_crashing_worker_costs_only_its_file(tmp_path):
    from crashing_rule import CrashOnBoom

    files = []
    for i in range(12):
        f = tmp_path / ("boom.c" if i == 5 else f"ok{i}.c")
        f.write_bytes(b"int f(void) { return 0; }\n")
        files.append(str(f))
    results = runner.run(files, Options([CrashOnBoom]), 2)
    assert [r.path for r in results] == files
    assert results[5].error == "internal error: the worker checking it crashed"
    assert all(r.error is None for i, r in enumerate(results) if i != 5)


def test_workers_are_replaced_and_the_run_finishes(monkeypatch, tmp_path):
    # Several pools in a row (one chunk per worker each): every file is
    # checked once, in order, with the same results as one process.
    monkeypatch.setattr(runner, "CHUNKS_PER_WORKER", 1)
    files = []
    for i in range(40):
        f = tmp_path / f"f{i:02}.c"
        f.write_bytes(open(LEAKY, "rb").read() if i % 7 == 0 else b"int f(void){return 0;}\n")
        files.append(str(f))
    rules = list(discover()[0].values())
    serial = runner.run(files, Options(rules), 1)
    pooled = runner.run(files, Options(rules), 2)
    assert [r.path for r in pooled] == files
    assert [r.findings for r in pooled] == [r.findings for r in serial]
    assert sum(1 for r in pooled if r.findings) == 6


def test_chunks_hand_out_the_largest_files_first(tmp_path):
    files = []
    for i, size in enumerate([10, 5000, 300, 0, 90000, 20]):
        f = tmp_path / f"g{i}.c"
        f.write_bytes(b"x" * size)
        files.append(str(f))
    files.append(str(tmp_path / "gone.c"))  # vanished: size 0, still handed out
    todo = list(range(len(files)))
    chunks = runner._chunks(files, todo, 2, 1)
    assert sorted(i for c in chunks for i in c) == todo  # every file once
    assert chunks[0][0] == 4 and chunks[0] == [4]  # the largest alone: its share of bytes
    assert all(len(c) <= 2 for c in chunks)
    flat = [i for c in chunks for i in c]
    assert flat[:3] == [4, 1, 2]


def test_sigterm_stops_the_run_and_its_workers(tmp_path):
    """A CI job's timeout sends SIGTERM: devmlint stops at once with 143, its
    worker pool shut down (not left running without a parent)."""
    import shutil
    import signal
    import subprocess
    import sys

    fixture = os.path.join(os.path.dirname(__file__), "fixtures", "dml001", "helpers.c")
    for i in range(400):  # a run of many seconds on 2 workers
        shutil.copy(fixture, tmp_path / f"f{i}.c")
    proc = subprocess.Popen(
        [sys.executable, "-m", "analyzer.cli", "check", "-j", "2", "--no-cache", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4)
    assert proc.poll() is None, "the run ended before it could be stopped"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 143
    assert "devmlint: terminated" in err
