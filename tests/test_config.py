"""Configuration files ([tool.devmlint] / .devmlint.toml) and inline suppression."""

from __future__ import annotations

import os
import re
import shutil

import pytest

from analyzer.cli import main

HERE = os.path.dirname(os.path.abspath(__file__))
GATE_BEFORE = os.path.join(HERE, "fixtures", "gate", "before.c")
SUPPRESSED = os.path.join(HERE, "fixtures", "config", "suppressed.c")

# A driver whose only allocator is the project's own: unknown to devmlint
# until the configuration declares it.
CUSTOM_ALLOC = b"""
static int cust(struct cust_dev *cd)
{
	struct cust_buf *b = cust_buf_get(cd, 64);
	int ret;

	if (!b)
		return -ENOMEM;
	ret = cust_fill(cd, b);
	if (ret)
		return ret;
	cust_buf_put(b);
	return 0;
}
"""

ALLOCATOR_TOML = """
[[{prefix}allocator]]
family = "cust"
prototypes = ["struct cust_buf *cust_buf_get(struct cust_dev *cd, size_t len)"]

[[{prefix}free]]
pointer = "b"
families = ["cust"]
prototypes = ["void cust_buf_put(struct cust_buf *b)"]
"""


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """project/ with a nested driver directory holding one leaky file."""
    nested = tmp_path / "project" / "drivers" / "misc"
    nested.mkdir(parents=True)
    shutil.copy(GATE_BEFORE, nested / "leaky.c")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "project"


def test_pyproject_found_walking_up(tree, capsys):
    assert run(capsys, "check", str(tree / "drivers"))[0] == 1
    (tree / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.devmlint]\nignore = ["DML001"]\n'
    )
    code, out, _ = run(capsys, "check", str(tree / "drivers" / "misc"))
    assert (code, out) == (0, "")


def test_pyproject_without_our_table_is_passed_over(tree, capsys):
    (tree / "drivers" / "pyproject.toml").write_text("[tool.black]\nline-length = 80\n")
    (tree / ".devmlint.toml").write_text('exclude = ["misc"]\n')
    code, out, _ = run(capsys, "check", str(tree / "drivers"))
    assert (code, out) == (0, "")


def test_dotfile_wins_over_pyproject_in_same_directory(tree, capsys):
    (tree / "pyproject.toml").write_text('[tool.devmlint]\nignore = ["DML001"]\n')
    (tree / ".devmlint.toml").write_text('min-confidence = "high"\n')
    assert run(capsys, "check", str(tree))[0] == 1


def test_exclude_patterns_relative_to_config(tree, capsys):
    (tree / "drivers" / "keep").mkdir()
    shutil.copy(GATE_BEFORE, tree / "drivers" / "keep" / "k.c")
    (tree / ".devmlint.toml").write_text('exclude = ["drivers/misc/*.c"]\n')
    code, out, _ = run(capsys, "check", str(tree))
    assert code == 1
    assert [line.split(":")[0] for line in out.splitlines()] == [
        str(tree / "drivers" / "keep" / "k.c")
    ]


def test_select_and_ignore_from_config_and_explicit_config(tree, capsys):
    (tree / ".devmlint.toml").write_text('select = ["DML001"]\n')
    assert run(capsys, "check", str(tree))[0] == 1
    (tree / ".devmlint.toml").write_text('ignore = ["dml001"]\n')
    assert run(capsys, "check", str(tree))[0] == 0
    # An explicit --config is used instead of the one found.
    other = tree.parent / "other.toml"
    other.write_text("select = []\n")
    assert run(capsys, "check", "--config", str(other), str(tree))[0] == 1


@pytest.mark.parametrize("where", ["pyproject", "dotfile"])
def test_extra_allocators_from_config(tree, capsys, where):
    driver = tree / "drivers" / "cust.c"
    driver.write_bytes(CUSTOM_ALLOC)
    assert run(capsys, "check", str(driver))[0] == 0  # unknown allocator: nothing tracked
    if where == "pyproject":
        text = "[tool.devmlint]\n" + ALLOCATOR_TOML.format(prefix="tool.devmlint.")
        (tree / "pyproject.toml").write_text(text)
    else:
        (tree / ".devmlint.toml").write_text(ALLOCATOR_TOML.format(prefix=""))
    code, out, _ = run(capsys, "check", str(driver))
    assert code == 1
    assert "`b` (cust_buf_get() at line 4)" in out and ":11:" in out


BAD = [
    # (file name, content, line named, text the message must hold)
    (
        "pyproject.toml",
        '[tool.devmlint]\nselect = ["DML001"]\nbogus = 1\n',
        3,
        "unknown key 'bogus'",
    ),
    ("pyproject.toml", '[tool.devmlint]\n\nselect = "DML001"\n', 3, "select: expected a list"),
    (".devmlint.toml", 'min-confidence = "sure"\n', 1, "min-confidence: expected one of"),
    (".devmlint.toml", 'select = ["DML001"\nignore = 3\n', 2, "invalid TOML"),
    (".devmlint.toml", '\n\nignore = ["DML999"]\n', 3, "ignore: unknown rule code(s): DML999"),
    (
        "pyproject.toml",
        "[tool.devmlint]\nselect = []\n\n[[tool.devmlint.allocator]]\n"
        'prototypes = ["void *f(int n)"]\n',
        4,
        "[[tool.devmlint.allocator]] entry 1: allocator entries need 'family'",
    ),
    (
        "pyproject.toml",
        "[tool.devmlint]\n\nsink = 3\n",
        3,
        "sink: expected [[tool.devmlint.sink]] tables",
    ),
    (
        ".devmlint.toml",
        '[[sink]]\npointer = "p"\nprototypes = ["int q(void *p"]\n',
        1,
        "[[sink]] entry 1: cannot parse prototype 'int q(void *p'",
    ),
    (
        ".devmlint.toml",
        '[[free]]\npointer = "p"\nprototypes = ["void g(void *p)"]\n\n'
        '[[free]]\npointer = "q"\nprototypes = ["void h(void *p)"]\n',
        5,
        "has no parameter named 'q'",
    ),
]


@pytest.mark.parametrize("name,content,line,text", BAD, ids=[b[3][:30] for b in BAD])
def test_bad_config_names_file_line_and_key(tree, capsys, name, content, line, text):
    (tree / name).write_text(content)
    code, out, err = run(capsys, "check", str(tree))
    assert code == 2 and out == ""
    assert err.startswith(f"devmlint: error: {tree / name}:{line}: "), err
    assert text in err and err.count("\n") == 1


def test_suppression_comments_are_what_hides_the_findings(tmp_path, capsys):
    """The fixture's suppressed functions do leak: with the comments gone they are reported."""
    code, out, _ = run(capsys, "check", SUPPRESSED)
    assert code == 1 and len(out.splitlines()) == 2
    stripped = tmp_path / "stripped.c"
    with open(SUPPRESSED, encoding="utf-8") as f:
        stripped.write_text(re.sub(r"devmlint: ignore\[[^\]]*\]", "", f.read()))
    code, out, _ = run(capsys, "check", str(stripped))
    assert code == 1 and len(out.splitlines()) == 4


def test_suppression_comment_parsing():
    from analyzer.config import suppressed_codes

    assert suppressed_codes(b"x; /* devmlint: ignore[dml001, DML003] */") == {"DML001", "DML003"}
    assert suppressed_codes(b"x; // devmlint: ignore") == {"*"}
    assert suppressed_codes(b"/* devmlint: ignored for now */") is None
    assert suppressed_codes(b"/* devmlint ignore[DML001] */") is None
