"""The stable, versioned JSON format of DESIGN.md."""

from __future__ import annotations

import json
from typing import TextIO

from analyzer.findings import Finding

VERSION = 1


def write(out: TextIO, findings: list[Finding], summary: dict) -> None:
    doc = {
        "version": VERSION,
        "findings": [f.to_json() for f in findings],
        "summary": summary,
    }
    json.dump(doc, out, indent=2)
    out.write("\n")
