"""GitHub Actions workflow commands: one `::warning file=...::message` a finding.

The runner turns each line into an annotation on the pull request's diff.
Values are escaped as the runner's toolkit does (`%`, CR, LF everywhere;
`:` and `,` also inside properties), or a message with a colon would be cut.
"""

from __future__ import annotations

import os
from typing import TextIO

from analyzer.findings import Finding

_COMMAND = {"error": "error", "warning": "warning"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _relative(path: str, root: str | None) -> str:
    """Annotations attach to a file by its path in the repository."""
    if root is None:
        return path
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return path if rel.startswith("..") else rel.replace(os.sep, "/")


def line_of(f: Finding, root: str | None = None) -> str:
    command = _COMMAND.get(f.severity, "notice")
    props = [f"file={_prop(_relative(f.file, root))}", f"line={f.line}", f"col={f.column}"]
    if f.end_line and f.end_line > f.line:
        props.append(f"endLine={f.end_line}")
    props.append(f"title={_prop(f'{f.rule} {f.name} ({f.confidence})')}")
    return f"::{command} {','.join(props)}::{_data(f.message)}"


def write(out: TextIO, findings: list[Finding], summary: dict, root: str | None = None) -> None:
    for f in findings:
        out.write(line_of(f, root) + "\n")
