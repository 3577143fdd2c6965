"""`check --diff` and `check --fix`: the findings' fixes as one patch, or applied in place.

Each finding's fix is a unified diff made against the file as it was
checked.  Several fixes of one file are applied one after the other to
that file's text: a hunk is found by its removed lines and as much of its
context as still matches (another fix may have deleted a context line),
nearest to where the hunk says it starts.  A fix whose hunk cannot be
placed is left out whole (reported as skipped), never half applied.
Once a file's fixes are in, each rule that fixed something there may tidy
what only their sum leaves behind (`Rule.tidy`: a local that no fix alone
left unused).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from analyzer.findings import Finding

_HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass
class Hunk:
    start: int  # 1-based line of the original file
    lines: list[str]  # " ctx", "-old", "+new" (with their newlines)


@dataclass
class Patched:
    original: list[str]
    lines: list[str]
    header: str  # the path the diffs name, without a/ or b/
    shifts: list[tuple[int, int]] = field(default_factory=list)  # (original line, delta)


def parse(diff: str) -> tuple[str, list[Hunk]]:
    header = ""
    hunks: list[Hunk] = []
    for line in diff.splitlines(keepends=True):
        if line.startswith("--- "):
            header = line[4:].strip()
            header = header[2:] if header.startswith("a/") else header
        elif line.startswith("+++ "):
            continue
        elif line.startswith("@@"):
            m = _HUNK.match(line)
            if m is None:
                raise ValueError(f"bad hunk header: {line.strip()}")
            hunks.append(Hunk(int(m.group(1)), []))
        elif hunks and line[:1] in (" ", "-", "+"):
            hunks[-1].lines.append(line)
        elif hunks and line.startswith("\\"):
            continue
    return header, hunks


def _place(p: Patched, hunk: Hunk) -> tuple[int, int, list[str]] | None:
    """(index in the current text, lines replaced, new lines) or None."""
    body = hunk.lines
    lead = 0
    while lead < len(body) and body[lead][0] == " ":
        lead += 1
    tail = 0
    while tail < len(body) - lead and body[len(body) - 1 - tail][0] == " ":
        tail += 1
    expect = hunk.start - 1 + sum(d for at, d in p.shifts if at < hunk.start)
    # Full context first, then less and less (the other fixes' edits).
    for trim in range(max(lead, tail) + 1):
        a, b = min(trim, lead), min(trim, tail)
        part = body[a : len(body) - b]
        old = [x[1:] for x in part if x[0] in " -"]
        new = [x[1:] for x in part if x[0] in " +"]
        if not old:
            continue
        hits = [i for i in range(len(p.lines) - len(old) + 1) if p.lines[i : i + len(old)] == old]
        if hits:
            at = min(hits, key=lambda i: abs(i - (expect + a)))
            return at, len(old), new
    return None


def apply(p: Patched, diff: str) -> bool:
    """Apply one finding's diff to the patched text; all of it or nothing."""
    _, hunks = parse(diff)
    trial = Patched(p.original, list(p.lines), p.header, list(p.shifts))
    for hunk in hunks:
        placed = _place(trial, hunk)
        if placed is None:
            return False
        at, count, new = placed
        trial.lines[at : at + count] = new
        trial.shifts.append((hunk.start, len(new) - count))
    p.lines, p.shifts = trial.lines, trial.shifts
    return True


Tidy = Callable[[list[str], list[str]], list[str]]


def combine(
    findings: list[Finding], tidy: dict[str, Tidy] | None = None
) -> tuple[dict[str, Patched], list[Finding], list[Finding]]:
    """Every fix applied per file: {file: Patched}, the findings fixed, those skipped;
    then `tidy[rule](original, lines)` of each rule with a fix applied in that file."""
    files: dict[str, Patched] = {}
    done: list[Finding] = []
    skipped: list[Finding] = []
    for f in sorted((f for f in findings if f.fix), key=Finding.sort_key):
        p = files.get(f.file)
        if p is None:
            with open(f.file, encoding="utf-8", errors="surrogateescape", newline="") as fh:
                original = fh.read().splitlines(keepends=True)
            header = parse(f.fix)[0] or f.file
            p = files[f.file] = Patched(original, list(original), header)
        (done if apply(p, f.fix) else skipped).append(f)
    for name, p in files.items():
        for rule in sorted({f.rule for f in done if f.file == name}):
            if tidy and rule in tidy:
                p.lines = tidy[rule](p.original, p.lines)
    return files, done, skipped


def unified(files: dict[str, Patched]) -> str:
    """One patch for every file (git apply / patch -p1 from where the paths start)."""
    out: list[str] = []
    for name in sorted(files):
        p = files[name]
        out.extend(difflib.unified_diff(p.original, p.lines, f"a/{p.header}", f"b/{p.header}"))
    return "".join(out)


def write(files: dict[str, Patched]) -> int:
    """Apply in place; the number of files changed."""
    changed = 0
    for name, p in sorted(files.items()):
        if p.lines == p.original:
            continue
        with open(name, "w", encoding="utf-8", errors="surrogateescape", newline="") as fh:
            fh.write("".join(p.lines))
        changed += 1
    return changed
