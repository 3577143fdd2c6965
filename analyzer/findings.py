"""What a rule reports: one finding, with the locations a reviewer needs."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

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
        data = asdict(self)
        data["related"] = [asdict(r) for r in self.related]
        return data

    def sort_key(self):
        return (self.file, self.line, self.column, self.rule, self.message)


def fingerprint(*parts: str) -> str:
    """Line-independent identity: rule, function, access path, normalised code."""
    text = "\x1f".join(" ".join(p.split()) for p in parts)
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:32]
