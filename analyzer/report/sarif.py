"""SARIF 2.1.0, as GitHub code scanning takes it.

Locations are relative URIs under `%SRCROOT%` (the git work tree, or the
current directory), because code scanning matches results to files by
their path in the repository.  `partialFingerprints` carries devmlint's
line-independent fingerprint, so an alert survives code moving down a
file.  A fix (a unified diff) becomes SARIF `fixes` of whole-line
replacements.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from unidiff import PatchSet
from unidiff.errors import UnidiffParseError

from analyzer import __version__
from analyzer.findings import Finding, Related
from analyzer.plugins import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
_LEVEL = {"error": "error", "warning": "warning", "note": "note"}


def write(
    out: TextIO,
    findings: list[Finding],
    summary: dict,
    rules: list[type[Rule]],
    root: str,
) -> None:
    json.dump(document(findings, summary, rules, root), out, indent=2)
    out.write("\n")


def document(findings: list[Finding], summary: dict, rules: list[type[Rule]], root: str) -> dict:
    """The whole SARIF log: one run of devmlint."""
    known = {r.code: r for r in rules}
    for f in findings:  # a finding of a rule not passed in still gets its descriptor
        known.setdefault(f.rule, None)
    codes = sorted(known)
    index = {code: i for i, code in enumerate(codes)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "devmlint",
                        "version": __version__,
                        "rules": [_descriptor(code, known[code]) for code in codes],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": Path(root).resolve().as_uri() + "/"}},
                "invocations": [{"executionSuccessful": not summary.get("errors")}],
                "results": [_result(f, index[f.rule], root) for f in findings],
            }
        ],
    }


def _descriptor(code: str, rule: type[Rule] | None) -> dict:
    if rule is None:
        return {"id": code}
    return {
        "id": code,
        "name": _pascal(rule.name),
        "shortDescription": {"text": rule.summary or rule.name},
        "fullDescription": {"text": _first_section(rule.doc) or rule.summary or rule.name},
        "help": {"text": rule.doc or rule.summary, "markdown": rule.doc or rule.summary},
        "defaultConfiguration": {"level": _LEVEL.get(rule.severity, "warning")},
        "properties": {"tags": ["memory", "linux-kernel"], "problem.severity": rule.severity},
    }


def _pascal(name: str) -> str:
    """SARIF rule names are identifiers: leak-on-error-path -> LeakOnErrorPath."""
    return "".join(part.capitalize() for part in name.replace("_", "-").split("-"))


def _first_section(doc: str) -> str:
    """The body of the rule page's first section ("What it finds")."""
    lines = [ln for ln in doc.splitlines() if not ln.startswith("## ")]
    text = "\n".join(lines).strip()
    return text.split("\n\n")[0].replace("\n", " ").strip()


def _uri(path: str, root: str) -> str:
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    if rel.startswith(".."):
        return Path(os.path.abspath(path)).as_uri()
    return quote(Path(rel).as_posix())


def _location(path: str, root: str, region: dict) -> dict:
    artifact = {"uri": _uri(path, root)}
    if "://" not in artifact["uri"]:
        artifact["uriBaseId"] = SRCROOT
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def _result(f: Finding, rule_index: int, root: str) -> dict:
    region = {"startLine": max(1, f.line), "startColumn": max(1, f.column)}
    if f.end_line and f.end_line >= f.line:
        region["endLine"] = f.end_line
    result = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL.get(f.severity, "warning"),
        "message": {"text": f.message},
        "locations": [_location(f.file, root, region)],
        "partialFingerprints": {"devmlintFingerprint/v1": f.fingerprint},
        "properties": {"confidence": f.confidence, "function": f.function},
    }
    if f.related:
        result["relatedLocations"] = [_related(i, r, root) for i, r in enumerate(f.related, 1)]
    fixes = _fixes(f.fix, root) if f.fix else []
    if fixes:
        result["fixes"] = fixes
    return result


def _related(i: int, r: Related, root: str) -> dict:
    loc = _location(r.file, root, {"startLine": max(1, r.line)})
    loc["id"] = i
    loc["message"] = {"text": r.message}
    return loc


def _fixes(diff: str, root: str) -> list[dict]:
    """A unified diff as SARIF whole-line replacements (one artifactChange per file)."""
    try:
        patch = PatchSet(diff)
    except UnidiffParseError:
        return []
    changes = []
    for pf in patch:
        if pf.is_added_file or pf.is_removed_file or pf.is_binary_file:
            continue  # SARIF fixes edit existing files
        replacements = []
        for hunk in pf:
            old = [ln for ln in hunk if not ln.is_added]
            new = "".join(ln.value for ln in hunk if not ln.is_removed)
            start = hunk.source_start if hunk.source_length else hunk.source_start + 1
            region = {"startLine": start, "startColumn": 1}
            region |= {"endLine": start + len(old), "endColumn": 1}
            replacements.append({"deletedRegion": region, "insertedContent": {"text": new}})
        location = _location(pf.path, root, {"startLine": 1})["physicalLocation"]
        changes.append(
            {"artifactLocation": location["artifactLocation"], "replacements": replacements}
        )
    if not changes:
        return []
    return [{"description": {"text": "apply devmlint's fix"}, "artifactChanges": changes}]
