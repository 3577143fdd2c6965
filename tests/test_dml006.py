"""DML006 convert-to-devm: the fix is an exact, applicable unified diff."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from analyzer.checker import Options, check_file
from analyzer.plugins import discover
from rules.dml006 import ConvertToDevm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = "tests/fixtures/dml006/platform.c"

# The exact fix of the kstrdup() at line 32 (kernel style: tabs, braces dropped).
EXPECTED = os.path.join(ROOT, "tests/fixtures/dml006/platform.c.line32.diff")


def _fixes(path: str) -> dict[int, str]:
    result = check_file(path, Options([ConvertToDevm]))
    assert result.error is None
    return {f.line: f.fix for f in result.findings}


def test_exact_fix(monkeypatch):
    monkeypatch.chdir(ROOT)
    fixes = _fixes(FIXTURE)
    assert set(fixes) == {28, 32, 83}
    with open(EXPECTED, encoding="utf-8") as f:
        assert fixes[32] == f.read()
    assert all(fix for fix in fixes.values())
    # hp_remove is left with nothing using its drvdata local: it goes (-Werror=unused-variable).
    assert (
        "-\tstruct hp_priv *hp = platform_get_drvdata(pdev);\n-\n-\tkfree(hp->cfg);\n"
        in (fixes[83])
    )


@pytest.mark.parametrize("line", [28, 32, 83])
def test_fix_applies_and_rechecks_clean(tmp_path, monkeypatch, line):
    monkeypatch.chdir(ROOT)
    fix = _fixes(FIXTURE)[line]
    target = tmp_path / FIXTURE
    target.parent.mkdir(parents=True)
    shutil.copy(os.path.join(ROOT, FIXTURE), target)
    (tmp_path / "fix.diff").write_text(fix)
    tool = shutil.which("git")
    if tool is not None:
        cmd = [tool, "apply", "--check", "fix.diff"]
    else:
        cmd = ["patch", "--dry-run", "-p1", "-i", "fix.diff"]
    subprocess.run(cmd, cwd=tmp_path, check=True, capture_output=True)
    subprocess.run(["patch", "-p1", "-s", "-i", "fix.diff"], cwd=tmp_path, check=True)
    # Patched: no DML006 left for that allocation, and no DML001-DML005 anywhere.
    monkeypatch.chdir(tmp_path)
    rules = list(discover()[0].values())
    result = check_file(FIXTURE, Options(rules))
    assert result.error is None
    codes = [(f.rule, f.line) for f in result.findings]
    assert not [c for c in codes if c[0] != "DML006"], codes
    assert len([c for c in codes if c[0] == "DML006"]) == 2
    # A second run offers no fix that changes this allocation again.
    again = [f.fix for f in result.findings if f.rule == "DML006"]
    assert all(
        "devm_" not in line_ for fix in again for line_ in fix.splitlines() if line_[:1] == "-"
    )


def _copy(tmp_path) -> str:
    shutil.copytree(os.path.join(ROOT, "tests/fixtures/dml006"), tmp_path / "tests/fixtures/dml006")
    return "tests/fixtures/dml006"


def test_cli_diff_is_one_patch_git_accepts(tmp_path, monkeypatch, capsys):
    from analyzer.cli import main

    monkeypatch.chdir(tmp_path)
    where = _copy(tmp_path)
    assert main(["check", where, "--no-cache", "-q", "--diff"]) == 1
    diff = capsys.readouterr().out
    assert diff.count("--- a/") == 7 and diff.count("devm_k") == 11
    (tmp_path / "all.diff").write_text(diff)
    subprocess.run(["git", "apply", "--check", "all.diff"], cwd=tmp_path, check=True)
    subprocess.run(["patch", "--dry-run", "-s", "-p1", "-i", "all.diff"], cwd=tmp_path, check=True)


def test_cli_fix_applies_once_and_rechecks_clean(tmp_path, monkeypatch, capsys):
    from analyzer.cli import main

    monkeypatch.chdir(tmp_path)
    where = _copy(tmp_path)
    before = (tmp_path / FIXTURE).read_text()
    assert main(["check", where, "--no-cache", "-q", "--fix"]) == 1  # multiline.c: no fix
    after = (tmp_path / FIXTURE).read_text()
    assert after != before and after.count("devm_k") == before.count("devm_k") + 3
    # Idempotent: a second --fix changes nothing.
    assert main(["check", where, "--no-cache", "-q", "--fix"]) == 1  # multiline.c: no fix
    assert (tmp_path / FIXTURE).read_text() == after
    # And the fixed tree has no finding of any rule.
    capsys.readouterr()
    # And the fixed tree has no finding but the one whose call spans lines (no fix yet).
    assert main(["check", where, "--no-cache", "-q", "--format", "json"]) == 1
    assert '"line": 20' in capsys.readouterr().out


def test_multiline_call_has_no_fix(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert _fixes("tests/fixtures/dml006/multiline.c") == {20: None}


def test_combined_fixes_drop_the_local_only_their_sum_leaves_unused(monkeypatch, capsys):
    """cv_remove frees two converted fields: each fix alone keeps `priv` in use, the two
    together leave it unused (-Werror=unused-variable), so the combined patch deletes it."""
    from analyzer.cli import main

    monkeypatch.chdir(ROOT)
    assert main(["check", FIXTURE, "--no-cache", "-q", "--diff"]) == 1
    diff = capsys.readouterr().out
    with open(
        os.path.join(ROOT, "tests/fixtures/dml006/platform.c.all.diff"), encoding="utf-8"
    ) as f:
        assert diff == f.read()
    assert "-\tstruct cv_priv *priv = platform_get_drvdata(pdev);\n-\n" in diff
    # Each fix alone keeps it: the other kfree() still reads it.
    fixes = _fixes(FIXTURE)
    assert "-\tstruct cv_priv *priv = platform_get_drvdata" not in fixes[28] + fixes[32]


def test_tidy_keeps_a_local_that_was_unused_before_or_is_still_used():
    from analyzer.apis import builtin
    from rules.dml006 import drop_locals_left_unused

    getters = builtin().drvdata_getters
    fn = [
        "static int a_remove(struct platform_device *pdev)\n",
        "{\n",
        "\tstruct a_priv *priv = platform_get_drvdata(pdev);\n",
        "\n",
        "\tkfree(priv->buf);\n",
        "\treturn 0;\n",
        "}\n",
    ]
    fixed = fn[:4] + fn[5:]
    assert drop_locals_left_unused(fn, fixed, getters) == fn[:2] + fn[5:]
    # Unused before the fixes too: not touched.
    assert drop_locals_left_unused(fixed, fixed, getters) == fixed
    # Still used: kept.
    assert drop_locals_left_unused(fn, fn, getters) == fn
    # A call that is not a drvdata getter (it may have effects): kept.
    other = [x.replace("platform_get_drvdata", "a_get") for x in fn]
    assert drop_locals_left_unused(other, other[:4] + other[5:], getters) == other[:4] + other[5:]


def test_drvdata_object_exact_fix(monkeypatch, capsys):
    """The drvdata object itself: its probe error-path and remove kfree() lines go, and
    a remove left with nothing but its drvdata local loses the local too."""
    from analyzer.cli import main

    monkeypatch.chdir(ROOT)
    path = "tests/fixtures/dml006/drvdata.c"
    assert set(_fixes(path)) == {28, 83}
    assert main(["check", path, "--no-cache", "-q", "--diff"]) == 1
    with open(os.path.join(ROOT, path + ".diff"), encoding="utf-8") as f:
        assert capsys.readouterr().out == f.read()


def test_drvdata_object_set_through_its_member(monkeypatch, capsys):
    """A setter given a member of the object (`v4l2_i2c_subdev_init(&st->sd, ..)`)
    and one given the object itself set one object: the suggestion and its fix stand."""
    from analyzer.cli import main

    monkeypatch.chdir(ROOT)
    path = "tests/fixtures/dml006/subdev.c"
    assert main(["check", path, "--no-cache", "-q", "--diff"]) == 1
    with open(os.path.join(ROOT, path + ".diff"), encoding="utf-8") as f:
        assert capsys.readouterr().out == f.read()


def test_drvdata_object_silent_cases(monkeypatch):
    """Freed at run time too, freed on a success path of probe, two allocations that may
    become the object, freed by a helper of remove, released by a callback the parser
    cannot read (`kfree(container_of(...))`), a phy_device probe (`&phydev->dev` is not its
    struct device): no suggestion."""
    monkeypatch.chdir(ROOT)
    assert _fixes("tests/fixtures/dml006/drvdata_clean.c") == {}


def test_drvdata_object_fix_applies_and_rechecks_clean(tmp_path, monkeypatch):
    from analyzer.cli import main

    monkeypatch.chdir(tmp_path)
    _copy(tmp_path)
    path = "tests/fixtures/dml006/drvdata.c"
    assert main(["check", path, "--no-cache", "-q", "--fix"]) == 0
    fixed = (tmp_path / path).read_text()
    assert main(["check", path, "--no-cache", "-q", "--fix"]) == 0
    assert (tmp_path / path).read_text() == fixed
    rules = list(discover()[0].values())
    result = check_file(path, Options(rules))
    assert result.error is None and result.findings == []


def test_braceless_if_body(monkeypatch, capsys):
    """`if (ret)` / `kfree(priv);` goes whole (else `return ret;` would become its body);
    `else` / `kfree(priv);` has no safe line edit: a finding with no fix."""
    from analyzer.cli import main

    monkeypatch.chdir(ROOT)
    path = "tests/fixtures/dml006/braceless.c"
    fixes = _fixes(path)
    assert set(fixes) == {22, 61} and fixes[61] is None
    assert main(["check", path, "--no-cache", "-q", "--diff"]) == 1
    with open(os.path.join(ROOT, path + ".diff"), encoding="utf-8") as f:
        assert capsys.readouterr().out == f.read()


def test_emptied_label_is_merged_into_the_next(tmp_path, monkeypatch, capsys):
    """--diff/--fix: `err_free:` emptied right before `err_out:` goes and its gotos jump to
    `err_out`; a label left before a blank line loses the blank. The result re-checks
    clean and a second --fix changes nothing."""
    from analyzer.cli import main

    monkeypatch.chdir(ROOT)
    path = "tests/fixtures/dml006/labels.c"
    assert main(["check", path, "--no-cache", "-q", "--diff"]) == 1
    with open(os.path.join(ROOT, path + ".diff"), encoding="utf-8") as f:
        assert capsys.readouterr().out == f.read()
    monkeypatch.chdir(tmp_path)
    _copy(tmp_path)
    assert main(["check", path, "--no-cache", "-q", "--fix"]) == 0
    fixed = (tmp_path / path).read_text()
    assert "err_free" not in fixed.split("lk_priv")[0]
    assert main(["check", path, "--no-cache", "-q", "--fix"]) == 0
    assert (tmp_path / path).read_text() == fixed


def test_local_named_only_as_a_member_is_unused(monkeypatch, capsys):
    """`&client->dev` does not use a local called `dev`: the fix deletes that local."""
    from analyzer.cli import main

    monkeypatch.chdir(ROOT)
    path = "tests/fixtures/dml006/member.c"
    assert main(["check", path, "--no-cache", "-q", "--diff"]) == 1
    with open(os.path.join(ROOT, path + ".diff"), encoding="utf-8") as f:
        assert capsys.readouterr().out == f.read()
    assert "-\tstruct mb_dev *dev = i2c_get_clientdata(client);\n" in _fixes(path)[16]
