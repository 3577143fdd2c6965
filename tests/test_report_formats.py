"""SARIF 2.1.0 (validated against the official schema) and GitHub annotations."""

from __future__ import annotations

import json
import os
import shutil

import jsonschema
import pytest

from analyzer.cli import main
from analyzer.findings import Finding, Related
from analyzer.plugins import discover
from analyzer.report import github, sarif

HERE = os.path.dirname(os.path.abspath(__file__))
# The official OASIS schema, a copy of ../shared/schemas/ kept in the repository
# so that a clone tests alone, on any machine.
SCHEMA = os.path.join(HERE, "schemas", "sarif-schema-2.1.0.json")
FIXTURES = os.path.join(HERE, "fixtures", "dml001")


@pytest.fixture(scope="module")
def validator():
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_sarif_of_the_fixtures_validates_and_carries_metadata(
    validator, tmp_path, capsys, monkeypatch
):
    shutil.copytree(FIXTURES, tmp_path / "drivers")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "json", "drivers"]) == 1
    expected = json.loads(capsys.readouterr().out)["findings"]
    assert main(["check", "--format", "sarif", "drivers"]) == 1
    doc = json.loads(capsys.readouterr().out)
    validator.validate(doc)
    (run,) = doc["runs"]
    rule = run["tool"]["driver"]["rules"][0]
    assert rule["id"] == "DML001" and rule["name"] == "LeakOnErrorPath"
    assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
    assert "## Fix" in rule["help"]["markdown"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    results = run["results"]
    assert len(results) == len(expected)
    for res, f in zip(results, expected, strict=True):
        (loc,) = res["locations"]
        assert loc["physicalLocation"]["artifactLocation"] == {
            "uri": f["file"],
            "uriBaseId": "%SRCROOT%",
        }
        assert loc["physicalLocation"]["region"]["startLine"] == f["line"]
        assert res["partialFingerprints"]["devmlintFingerprint/v1"] == f["fingerprint"]
        assert [r["physicalLocation"]["region"]["startLine"] for r in res["relatedLocations"]] == [
            r["line"] for r in f["related"]
        ]
        assert res["ruleId"] == f["rule"] and res["level"] == "warning"


def test_sarif_fix_becomes_line_replacements(validator, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fix = (
        "--- a/foo.c\n+++ b/foo.c\n@@ -3,3 +3,2 @@\n ctx\n-\tkfree(buf);\n ctx2\n"
        "@@ -10,0 +10,1 @@\n+\tnew line;\n"
    )
    f = Finding(
        "DML006", "convert-to-devm", "warning", "high", "foo.c", 4, 2, 4, "probe",
        "use devm_kzalloc()", [Related("foo.c", 2, "allocated here")], "fp", fix,
    )  # fmt: skip
    rules, _ = discover()
    doc = sarif.document([f], {"errors": 0}, list(rules.values()), str(tmp_path))
    validator.validate(doc)
    (result,) = doc["runs"][0]["results"]
    assert {r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]} == set(rules) | {"DML006"}
    (change,) = result["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "foo.c"
    first, second = change["replacements"]
    assert first["deletedRegion"] == {
        "startLine": 3,
        "startColumn": 1,
        "endLine": 6,
        "endColumn": 1,
    }
    assert first["insertedContent"]["text"] == "ctx\nctx2\n"
    assert second["deletedRegion"]["startLine"] == second["deletedRegion"]["endLine"] == 11


def test_github_annotations_escape_what_the_runner_would_cut():
    f = Finding(
        "DML001", "leak-on-error-path", "warning", "medium", "drivers/a,b:c.c", 7, 3, 9, "fn",
        "100% lost: `buf`\nsecond line", [], "fp",
    )  # fmt: skip
    line = github.line_of(f)
    assert line == (
        "::warning file=drivers/a%2Cb%3Ac.c,line=7,col=3,endLine=9,"
        "title=DML001 leak-on-error-path (medium)::100%25 lost: `buf`%0Asecond line"
    )


def test_github_format_paths_are_relative_to_the_work_tree(capsys, tmp_path, monkeypatch):
    (tmp_path / "drivers").mkdir()
    shutil.copy(os.path.join(FIXTURES, "basic.c"), tmp_path / "drivers")
    monkeypatch.chdir(tmp_path / "drivers")
    assert main(["check", "--format", "github", str(tmp_path / "drivers")]) == 1
    out = capsys.readouterr().out.splitlines()
    # Not in git: relative to the current directory, as SARIF's %SRCROOT%.
    assert out and all(ln.startswith("::warning file=basic.c,line=") for ln in out)
