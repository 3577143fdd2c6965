"""The pre-commit hook, installed from this checkout with the real `pre-commit` tool.

pre-commit clones a hook repository at a revision, so the test first
snapshots this checkout's working tree (committed or not) into a
throw-away git repository, then installs the hook from there into a
second throw-away repository and commits drivers to it.  The hook's
environment is built by pre-commit itself (`pip install` of this
package), as it is for users.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LEAKY = os.path.join(HERE, "fixtures", "gate", "before.c")


def sh(cmd: list[str], cwd, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"{cmd} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture
def env(tmp_path):
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.org",
        "GIT_COMMITTER_NAME": "Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.org",
    }


def snapshot_checkout(dest, env) -> str:
    """This checkout's files as they are now, committed to a new repository: its HEAD."""
    listed = sh(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT, env
    ).stdout
    for name in filter(None, listed.split("\0")):
        src = os.path.join(ROOT, name)
        if os.path.isfile(src):
            os.makedirs(os.path.join(dest, os.path.dirname(name)), exist_ok=True)
            shutil.copy2(src, os.path.join(dest, name))
    sh(["git", "init", "-q"], dest, env)
    sh(["git", "add", "-A"], dest, env)
    sh(["git", "commit", "-qm", "snapshot"], dest, env)
    return sh(["git", "rev-parse", "HEAD"], dest, env).stdout.strip()


def test_hook_refuses_a_leak_and_accepts_the_fix(tmp_path, env):
    hook_repo = tmp_path / "devmlint-src"
    hook_repo.mkdir()
    rev = snapshot_checkout(hook_repo, env)
    work = tmp_path / "driver-repo"
    work.mkdir()
    sh(["git", "init", "-q"], work, env)
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: devmlint\n"
    )
    pre_commit = [sys.executable, "-m", "pre_commit"]
    sh([*pre_commit, "install"], work, env)
    sh(["git", "add", ".pre-commit-config.yaml"], work, env)
    sh(["git", "commit", "-qm", "add pre-commit config"], work, env)  # no C file: passes

    with open(LEAKY, encoding="utf-8") as f:
        leaky = f.read()
    (work / "gate.c").write_text(leaky)
    sh(["git", "add", "gate.c"], work, env)
    refused = sh(["git", "commit", "-qm", "leaky driver"], work, env, check=False)
    assert refused.returncode != 0
    said = refused.stdout + refused.stderr  # git shows the hook's output on stderr
    assert "devmlint" in said and "Failed" in said
    assert "gate.c:24:3: warning:" in said and "[DML001]" in said
    assert sh(["git", "rev-list", "--count", "HEAD"], work, env).stdout.strip() == "1"

    fixed = leaky.replace(
        "return ret; // expect: DML001", "{\n\t\tkfree(buf);\n\t\treturn ret;\n\t}"
    )
    assert fixed != leaky
    (work / "gate.c").write_text(fixed)
    sh(["git", "add", "gate.c"], work, env)
    accepted = sh(["git", "commit", "-qm", "fixed driver"], work, env, check=False)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Passed" in accepted.stdout + accepted.stderr
    assert sh(["git", "rev-list", "--count", "HEAD"], work, env).stdout.strip() == "2"
