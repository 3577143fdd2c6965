"""What a rule reports: one finding, with the locations a reviewer needs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields

# Default output shows medium and high; low findings rest on a convention the
# code at hand cannot confirm and are shown on request (--min-confidence low).
CONFIDENCES = ("low", "medium", "high")


@dataclass(frozen=True, slots=True)
class Related:
    file: str
    line: int
    message: str


@dataclass(slots=True)
class Finding:
    rule: str
    name: str
    severity: str  # "warning" | "error"
    confidence: str  # "high" | "medium" | "low"
    file: str
    line: int
    column: int
    end_line: int
    function: str
    message: str
    related: list[Related] = field(default_factory=list)
    fingerprint: str = ""
    fix: str | None = None

    def to_json(self) -> dict:
        # Field by field, not `asdict`: its recursive deep copy was a twentieth
        # of a one-file-change run (every cached finding of the tree is written).
        data = {name: getattr(self, name) for name in _FINDING_FIELDS}
        data["related"] = [
            {"file": r.file, "line": r.line, "message": r.message} for r in self.related
        ]
        return data

    def sort_key(self):
        return (self.file, self.line, self.column, self.rule, self.message)


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))


def fingerprint(*parts: str) -> str:
    """Line-independent identity: rule, function, access path, normalised code."""
    text = "\x1f".join(" ".join(p.split()) for p in parts)
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:32]
