"""The CI gate on a real git repository: --diff-base, --patch, --baseline."""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from unidiff import PatchSet

from analyzer import gate
from analyzer.cli import main

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GATE = os.path.join(HERE, "fixtures", "gate")
DRIVER = "drivers/misc/gate.c"


def git(repo, *args) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.org",
        "GIT_COMMITTER_NAME": "Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    proc = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return proc.stdout


def line_of(path: str, marker: str) -> int:
    with open(path, encoding="utf-8") as f:
        return next(n for n, line in enumerate(f, 1) if marker in line)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """Base commit with before.c's one leak, then the change to after.c on top."""
    repo = tmp_path / "linux"
    (repo / "drivers/misc").mkdir(parents=True)
    git(repo, "init", "-q")
    shutil.copy(os.path.join(GATE, "before.c"), repo / DRIVER)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "misc: gate driver")
    shutil.copy(os.path.join(GATE, "after.c"), repo / DRIVER)
    git(repo, "commit", "-qam", "misc: gate: add gate_write()")
    monkeypatch.chdir(repo)
    return repo


def run_json(capsys, *argv):
    code = main([*argv, "--format", "json"])
    out, err = capsys.readouterr()
    return code, (json.loads(out)["findings"] if out else None), err


NEW_LEAK_LINE = line_of(os.path.join(GATE, "after.c"), "the new leak")


def test_fixture_change_moves_the_old_leak_by_20_lines(repo, capsys):
    """The premise: the old leak is still there, 20 lines further down."""
    code, findings, _ = run_json(capsys, "check", DRIVER)
    old_line = line_of(os.path.join(GATE, "before.c"), "expect: DML001")
    assert code == 1
    assert sorted(f["line"] for f in findings) == [old_line + 20, NEW_LEAK_LINE]


def test_diff_base_reports_exactly_the_new_leak(repo, capsys):
    code, findings, _ = run_json(capsys, "check", "--diff-base", "HEAD~1")
    assert code == 1
    assert [(f["file"], f["line"], f["function"]) for f in findings] == [
        (DRIVER, NEW_LEAK_LINE, "gate_write")
    ]


def test_diff_base_without_change_is_clean(repo, capsys):
    code, findings, _ = run_json(capsys, "check", "--diff-base", "HEAD")
    assert code == 0
    assert findings == []


def test_diff_base_sees_uncommitted_and_untracked_files(repo, capsys):
    shutil.copy(os.path.join(GATE, "before.c"), repo / "drivers/misc/copy.c")
    code, findings, _ = run_json(capsys, "check", "--diff-base", "HEAD")
    assert code == 1
    assert [f["file"] for f in findings] == ["drivers/misc/copy.c"]


def test_diff_base_paths_restrict(repo, capsys):
    code, findings, _ = run_json(capsys, "check", "--diff-base", "HEAD~1", "drivers/other")
    assert code == 0 and findings == []


def test_patch_reports_the_same_as_diff_base(repo, capsys):
    mail = repo.parent / "0001-gate.patch"
    mail.write_text(git(repo, "format-patch", "-1", "--stdout"))
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    code, findings, _ = run_json(capsys, "check", "--patch", str(mail))
    assert code == 1
    assert [(f["file"], f["line"], f["function"]) for f in findings] == [
        (DRIVER, NEW_LEAK_LINE, "gate_write")
    ]
    with open(os.path.join(GATE, "before.c"), "rb") as f:
        assert (repo / DRIVER).read_bytes() == f.read(), "--patch changed the tree on disk"


def test_patch_from_stdin_like_format_patch_pipe(repo):
    """`git format-patch -1 --stdout | devmlint check --patch -`, in a subprocess."""
    mail = git(repo, "format-patch", "-1", "--stdout")
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    proc = subprocess.run(
        [sys.executable, "-m", "analyzer.cli", "check", "--patch", "-"],
        input=mail.encode(),
        capture_output=True,
        cwd=repo,
        env={**os.environ, "PYTHONPATH": ROOT},
    )
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{DRIVER}:{NEW_LEAK_LINE}:")


def test_patch_that_does_not_apply_is_exit_2(repo, capsys):
    mail = git(repo, "format-patch", "-1", "--stdout")
    # The tree is already at the patched version: its context is not there.
    patch = repo.parent / "p.patch"
    patch.write_text(mail.replace("static int gate_read", "static int gate_rd"))
    code, findings, err = run_json(capsys, "check", "--patch", str(patch))
    assert code == 2 and findings is None
    assert err.startswith("devmlint: error: --patch: drivers/misc/gate.c: hunk 1")
    assert "does not apply" in err and "Traceback" not in err


def test_not_a_patch_and_missing_patch_are_exit_2(repo, capsys):
    (repo.parent / "notes.txt").write_text("hello\n")
    code, _, err = run_json(capsys, "check", "--patch", str(repo.parent / "notes.txt"))
    assert code == 2 and "no file changes" in err
    code, _, err = run_json(capsys, "check", "--patch", str(repo.parent / "missing.patch"))
    assert code == 2 and "No such file" in err


def test_diff_base_outside_git_and_unknown_rev_are_exit_2(tmp_path, repo, capsys, monkeypatch):
    code, _, err = run_json(capsys, "check", "--diff-base", "no-such-rev")
    assert code == 2 and "unknown revision 'no-such-rev'" in err
    outside = tmp_path / "plain"
    outside.mkdir()
    monkeypatch.chdir(outside)
    code, _, err = run_json(capsys, "check", "--diff-base", "HEAD")
    assert code == 2 and "needs a git work tree" in err


def test_baseline_hides_known_findings_and_survives_moves(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(os.path.join(GATE, "before.c"), "gate.c")
    assert main(["check", "--write-baseline", "base.json", "gate.c"]) == 0
    saved = json.loads((tmp_path / "base.json").read_text())
    assert [e["function"] for e in saved["findings"]] == ["gate_read"]
    code, findings, _ = run_json(capsys, "check", "--baseline", "base.json", "gate.c")
    assert code == 0 and findings == []
    shutil.copy(os.path.join(GATE, "after.c"), "gate.c")
    code, findings, _ = run_json(capsys, "check", "--baseline", "base.json", "gate.c")
    assert code == 1
    assert [(f["line"], f["function"]) for f in findings] == [(NEW_LEAK_LINE, "gate_write")]


def test_bad_baseline_is_exit_2(tmp_path, capsys):
    bad = tmp_path / "b.json"
    bad.write_text("{not json")
    code, _, err = run_json(capsys, "check", "--baseline", str(bad), GATE)
    assert code == 2 and "not a devmlint baseline" in err
    bad.write_text('{"version": 1, "findings": [{"file": "x.c"}]}')
    code, _, err = run_json(capsys, "check", "--baseline", str(bad), GATE)
    assert code == 2 and "'fingerprint'" in err


def _finding(line, fp="same", related=()):
    from analyzer.findings import Finding, Related

    rel = [Related("f.c", r, "allocated") for r in related]
    return Finding("DML001", "n", "warning", "high", "f.c", line, 1, line, "fn", "m", rel, fp)


def test_introduced_counts_fingerprints_and_prefers_changed_lines():
    old = [_finding(10)]
    new = [_finding(10), _finding(30, related=[25])]
    assert [f.line for f in gate.introduced(old, new, added={25, 26})] == [30]
    # The same two findings, but the change wrote the first: that one is new.
    assert [f.line for f in gate.introduced(old, new, added={10})] == [10]
    assert gate.introduced(new, new, added={10, 30}) == []


def _apply(old: str, new: str) -> str:
    diff = "".join(
        difflib.unified_diff(old.splitlines(True), new.splitlines(True), "a/f.c", "b/f.c", n=3)
    )
    if not diff:
        return old
    (pf,) = PatchSet(diff)
    return gate.apply_file(old.encode(), pf).decode()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(["a\n", "b\n", "{\n", "}\n", "x = 1;\n"]), max_size=30),
    st.lists(st.sampled_from(["a\n", "c\n", "}\n", "y = 2;\n"]), max_size=30),
)
def test_apply_file_reproduces_any_edit(old_lines, new_lines):
    old, new = "".join(old_lines), "".join(new_lines)
    assert _apply(old, new) == new


def test_apply_file_finds_moved_hunks_and_missing_final_newline():
    old = "".join(f"line {i}\n" for i in range(1, 41))
    new = old.replace("line 30\n", "line thirty\n") + "tail"
    diff = "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True), "a/f", "b/f"))
    diff = diff.replace("+tail", "+tail\n\\ No newline at end of file")
    (pf,) = PatchSet(diff)
    shifted = "".join(f"extra {i}\n" for i in range(5)) + old  # the file grew since the patch
    assert (
        gate.apply_file(shifted.encode(), pf).decode()
        == "".join(f"extra {i}\n" for i in range(5)) + new
    )


def test_diff_base_follows_renames_and_works_from_a_subdirectory(repo, capsys, monkeypatch):
    git(repo, "mv", DRIVER, "drivers/misc/gate-i2c.c")
    (repo / "drivers/other").mkdir()
    shutil.copy(os.path.join(GATE, "before.c"), repo / "drivers/other/new.c")  # untracked
    monkeypatch.chdir(repo / "drivers/misc")
    code, findings, _ = run_json(capsys, "check", "--diff-base", "HEAD")
    assert code == 1  # the renamed file's two leaks are not new; the untracked file's is
    assert [(f["file"], f["function"]) for f in findings] == [("../other/new.c", "gate_read")]


def test_parallel_gate_matches_serial():
    from analyzer.checker import Options
    from analyzer.plugins import discover

    with open(os.path.join(GATE, "before.c"), "rb") as f:
        before = f.read()
    with open(os.path.join(GATE, "after.c"), "rb") as f:
        after = f.read()
    changes = [gate.Change(f"d{i}.c", before, after, set()) for i in range(8)]
    changes.append(gate.Change("new.c", None, after, set()))
    options = Options(list(discover()[0].values()))
    serial = gate.run(changes, options, jobs=1)
    parallel = gate.run(changes, options, jobs=2)
    assert [f.to_json() for f in serial.findings] == [f.to_json() for f in parallel.findings]
    assert len(serial.findings) == 8 + 2 and len(parallel.results) == 9


def test_check_needs_paths_or_a_gate_and_one_gate_at_a_time(capsys):
    code, _, err = run_json(capsys, "check")
    assert code == 2 and "check needs a PATH" in err
    code = main(["check", "--diff-base", "HEAD", "--patch", "-"])
    assert code == 2 and "not allowed with argument" in capsys.readouterr().err


def test_patch_code_frame_shows_the_patched_text(repo):
    """On a terminal the code frame is the patched version, not the file on disk."""
    import io

    from analyzer.report import text

    mail = git(repo, "format-patch", "-1", "--stdout")
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    outcome = gate.run(gate.from_patch(mail), _options())
    out = io.StringIO()
    text.write(out, outcome.findings, {}, color=True, sources=outcome.sources)
    assert "kmemdup(data, len, GFP_KERNEL)" not in (repo / DRIVER).read_text()
    shown = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())
    assert "return ret; // expect: DML001 (the new leak)" in shown


def _options():
    from analyzer.checker import Options
    from analyzer.plugins import discover

    return Options(list(discover()[0].values()))


def test_patch_series_applies_in_order(repo, capsys):
    """`git format-patch --stdout A..B`: later patches apply on top of earlier ones."""
    (repo / DRIVER).write_text((repo / DRIVER).read_text().replace("gate_write", "gate_send"))
    git(repo, "commit", "-qam", "misc: gate: rename gate_write()")
    series = repo.parent / "series.mbox"
    series.write_text(git(repo, "format-patch", "--stdout", "HEAD~2..HEAD"))
    assert series.read_text().count("\ndiff --git a/drivers/misc/gate.c") == 2
    git(repo, "reset", "-q", "--hard", "HEAD~2")
    code, findings, _ = run_json(capsys, "check", "--patch", str(series))
    assert code == 1
    assert [(f["line"], f["function"]) for f in findings] == [(NEW_LEAK_LINE, "gate_send")]


def test_patch_deleting_and_creating_files(repo, capsys):
    shutil.copy(os.path.join(GATE, "before.c"), repo / "drivers/misc/fresh.c")
    git(repo, "rm", "-q", DRIVER)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "misc: replace gate by fresh")
    mail = repo.parent / "p.patch"
    mail.write_text(git(repo, "format-patch", "-1", "--stdout"))
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    code, findings, _ = run_json(capsys, "check", "--patch", str(mail))
    assert code == 1
    assert [(f["file"], f["function"]) for f in findings] == [("drivers/misc/fresh.c", "gate_read")]
    # Applied again on the tree that already has it: the new file exists.
    git(repo, "am", "-q", str(mail))
    code, _, err = run_json(capsys, "check", "--patch", str(mail))
    assert code == 2 and "does not apply" in err


def test_corrupt_hunk_header_is_exit_2(repo, capsys):
    mail = git(repo, "format-patch", "-1", "--stdout")
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    patch = repo.parent / "bad.patch"
    patch.write_text(re.sub(r"^@@ -\d+", "@@ -abc", mail, count=1, flags=re.M))
    code, _, err = run_json(capsys, "check", "--patch", str(patch))
    assert code == 2 and "corrupt patch" in err
