"""A third-party rule package installs and runs through the entry-point group."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def test_third_party_plugin_runs(tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            os.path.join(HERE, "plugin_pkg"),
        ],
        check=True,
        capture_output=True,
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(target), ROOT]))
    listed = subprocess.run(
        [sys.executable, "-m", "analyzer.cli", "rules"], env=env, capture_output=True, text=True
    )
    assert "XMP001" in listed.stdout and "DML001" in listed.stdout
    fixture = os.path.join(HERE, "fixtures", "dml001", "basic.c")
    run = subprocess.run(
        [sys.executable, "-m", "analyzer.cli", "check", "--format", "json", "-j", "1", fixture],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1, run.stderr
    rules = {f["rule"] for f in json.loads(run.stdout)["findings"]}
    assert rules == {"DML001", "XMP001"}
    only = subprocess.run(
        [
            sys.executable,
            "-m",
            "analyzer.cli",
            "check",
            "--select",
            "XMP001",
            "--format",
            "json",
            "-j",
            "1",
            fixture,
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert {f["rule"] for f in json.loads(only.stdout)["findings"]} == {"XMP001"}
