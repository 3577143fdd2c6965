"""The CI gate: report only the findings a change introduces.

A change is a set of files, each with its text before and after
(`Change`).  `--diff-base REV` takes them from git (REV's blob and the
work tree); `--patch FILE` from a unified diff or `git format-patch` mail
applied in memory to the tree at hand, nothing on disk changing.  Both
versions are analysed and findings are matched by their line-independent
fingerprint (rule, function, access path, normalised code): code that
merely moves keeps its fingerprint, so it is not new.  A baseline file
does the same against a saved run.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field

from unidiff import PatchedFile, PatchSet
from unidiff.errors import UnidiffParseError

from analyzer.checker import FileResult, Options, check_source
from analyzer.findings import Finding
from analyzer.frontend import kbuild

SOURCE_SUFFIXES = (".c", ".h")
BASELINE_VERSION = 1
_FUZZ = 200  # how far (lines) a hunk may have moved, as `patch` searches


class GateError(ValueError):
    """Not a git tree, unknown revision, a patch that does not apply: exit 2."""


@dataclass
class Change:
    """One C file a change touches: its text before (None if new) and after."""

    path: str  # as the user sees it (relative to the current directory)
    old: bytes | None
    new: bytes
    added: set[int] = field(default_factory=set)  # lines of `new` the change wrote


# -- where changes come from ------------------------------------------------------


def _git(args: list[str], cwd: str, data: bytes | None = None) -> bytes:
    name = next(a for a in args if not a.startswith("-") and "=" not in a)
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, check=False)
    except FileNotFoundError:
        raise GateError("git is not installed") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GateError(f"git {name}: {message[-1] if message else 'failed'}")
    return proc.stdout


def git_root(cwd: str = ".") -> str:
    try:
        return _git(["rev-parse", "--show-toplevel"], cwd).decode().strip()
    except GateError:
        raise GateError("--diff-base needs a git work tree (run it inside one)") from None


def from_git(rev: str, paths: list[str], cwd: str = ".") -> list[Change]:
    """The C files changed between REV and the work tree (staged or not, and untracked)."""
    root = git_root(cwd)
    try:  # one commit id for the diff and the blobs, however REV is spelled
        base = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd).decode().strip()
    except GateError:
        raise GateError(f"--diff-base: unknown revision {rev!r}") from None
    spec = ["--", *paths] if paths else []
    diff_cmd = ["-c", "core.quotePath=false", "diff", "--no-color", "--no-ext-diff", "-M", "-U0"]
    listing = ["ls-files", "-z", "--others", "--exclude-standard", "--full-name", *spec]
    # Both walk the whole work tree (0.1 s each on Linux drivers/): run them side by side.
    with ThreadPoolExecutor(max_workers=2) as pool:
        # Pathspecs are relative to cwd; without any, the whole work tree counts.
        where = cwd if paths else root
        diff_job = pool.submit(_git, [*diff_cmd, base, *spec], where)
        untracked_job = pool.submit(_git, listing, where)
        diff = diff_job.result().decode("utf-8", "surrogateescape")
        untracked = untracked_job.result()
    try:
        patch = PatchSet(diff)
    except UnidiffParseError as exc:
        raise GateError(f"cannot read git diff output: {exc}") from None
    wanted = []
    for pf in patch:
        if pf.is_removed_file or pf.is_binary_file or not pf.path.endswith(SOURCE_SUFFIXES):
            continue
        old_path = None if pf.is_added_file else _strip(pf.source_file)
        wanted.append((old_path, pf.path, _added_lines(pf)))
    for name in untracked.decode("utf-8", "surrogateescape").split("\0"):
        if name.endswith(SOURCE_SUFFIXES):
            wanted.append((None, name, None))
    olds = _blobs(base, [old for old, _, _ in wanted if old], root)
    changes = []
    for old_path, new_path, added in wanted:
        full = os.path.join(root, new_path)
        try:
            with open(full, "rb") as f:
                new = f.read()
        except OSError as exc:
            raise GateError(f"{full}: {exc.strerror or exc}") from None
        if added is None:  # untracked: every line is new
            added = set(range(1, new.count(b"\n") + 2))
        old = olds.get(old_path) if old_path else None
        changes.append(Change(os.path.relpath(full), old, new, added))
    return changes


def _strip(name: str) -> str:
    """`a/drivers/x.c` -> `drivers/x.c` (git's prefixes, as -p1)."""
    return name.split("/", 1)[1] if name.startswith(("a/", "b/")) else name


def _blobs(rev: str, paths: list[str], root: str) -> dict[str, bytes]:
    """The contents of paths at REV, with one `git cat-file --batch`."""
    if not paths:
        return {}
    out = _git(["cat-file", "--batch"], root, "".join(f"{rev}:{p}\n" for p in paths).encode())
    blobs: dict[str, bytes] = {}
    pos = 0
    for p in paths:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            blobs[p] = out[pos : pos + size]
            pos += size + 1
    return blobs


def from_patch(text: str, cwd: str = ".") -> list[Change]:
    """The C files a unified diff, `git format-patch` mail or series changes, in memory.

    Paths in the patch are relative to the git work tree holding `cwd`
    (as `git am` reads them), or to `cwd` outside git.  In a series a file
    may be patched several times: each patch applies to the text the ones
    before it left.
    """
    try:
        root = git_root(cwd)
    except GateError:
        root = os.path.abspath(cwd)
    try:
        patch = PatchSet(text)
    except UnidiffParseError as exc:
        raise GateError(f"--patch: not a unified diff: {exc}") from None
    if not len(patch):
        raise GateError("--patch: no file changes found in the patch")
    if _hunk_headers(text) != sum(len(pf) for pf in patch):
        raise GateError("--patch: corrupt patch: a line starting with '@@' is not a hunk header")
    before: dict[str, bytes | None] = {}  # path -> its text before the series (None: new)
    now: dict[str, bytes | None] = {}  # path -> its text after the patches so far
    added: dict[str, set[int]] = {}
    for pf in patch:
        source = os.path.join(root, _strip(pf.source_file))
        target = os.path.join(root, _strip(pf.target_file))
        if pf.is_binary_file or not (_is_c(source) or _is_c(target)):
            continue
        old = None if pf.is_added_file else _current(source, now, pf.path)
        if pf.is_added_file and (now.get(target) or target not in now and os.path.exists(target)):
            raise GateError(f"--patch: {pf.path}: patch does not apply: the file it creates exists")
        if source not in before and not pf.is_added_file:
            before[source] = old
        if pf.is_removed_file or (source != target and not pf.is_added_file):
            now[source] = None  # removed, or renamed away
        if pf.is_removed_file:
            continue
        before.setdefault(target, before.get(source) if not pf.is_added_file else None)
        now[target] = apply_file(old or b"", pf)
        added[target] = _added_lines(pf) if target not in added else set()
    changes = []
    for path, new in now.items():
        if new is None or not _is_c(path):
            continue
        lines = added[path] or _diff_added(before[path] or b"", new)
        changes.append(Change(os.path.relpath(path), before[path], new, lines))
    return changes


def _hunk_headers(text: str) -> int:
    """Lines that start a hunk, after the mail's message (unidiff skips malformed ones)."""
    start = min((i for i in (text.find("\ndiff "), text.find("\n--- ")) if i >= 0), default=0)
    return sum(1 for line in text[start:].splitlines() if line.startswith("@@ "))


def _is_c(path: str) -> bool:
    return path.endswith(SOURCE_SUFFIXES)


def _current(path: str, now: dict[str, bytes | None], shown: str) -> bytes:
    """A file's text as the patches so far left it, else as it is on disk."""
    if path in now:
        text = now[path]
        if text is None:
            raise GateError(
                f"--patch: {shown}: patch does not apply: removed earlier in the series"
            )
        return text
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        raise GateError(f"--patch: {shown}: patch does not apply: {exc.strerror or exc}") from None


def _diff_added(old: bytes, new: bytes) -> set[int]:
    """Lines of `new` that are not in `old` (for files a series patched more than once)."""
    a, b = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return {
        j + 1
        for tag, _, _, j1, j2 in matcher.get_opcodes()
        if tag in ("insert", "replace")
        for j in range(j1, j2)
    }


def apply_file(old: bytes, pf: PatchedFile) -> bytes:
    """Apply one file's hunks to its old text, allowing hunks to have moved (offset)."""
    lines = old.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    out: list[str] = []
    pos = 0  # next unconsumed line of `lines`
    offset = 0
    for number, hunk in enumerate(pf, 1):
        body = [ln for ln in hunk if ln.line_type != "\\"]
        expected = [ln.value for ln in body if not ln.is_added]
        # "-5,0" inserts after line 5; "-5,3" replaces lines 5..7.
        base = hunk.source_start - 1 if hunk.source_length else hunk.source_start
        at = _find(lines, expected, max(base + offset, pos), pos)
        if at is None:
            raise GateError(
                f"--patch: {pf.path}: hunk {number} (line {hunk.source_start}) does not apply"
            )
        offset = at - base
        out.extend(lines[pos:at])
        pos = at + len(expected)
        new_lines = _replacement(hunk)
        out.extend(new_lines)
    out.extend(lines[pos:])
    return "".join(out).encode("utf-8", "surrogateescape")


def _replacement(hunk) -> list[str]:
    """The hunk's new lines, honouring `\\ No newline at end of file`."""
    result: list[str] = []
    previous = None
    for ln in hunk:
        if ln.line_type == "\\":
            if previous is not None and not previous.is_removed and result:
                result[-1] = result[-1].rstrip("\n")
            continue
        previous = ln
        if not ln.is_removed:
            result.append(ln.value)
    return result


def _find(lines: list[str], expected: list[str], want: int, floor: int) -> int | None:
    """Where `expected` sits in `lines`, nearest to `want`, not before `floor`."""

    def fits(at: int) -> bool:
        if at < floor or at + len(expected) > len(lines):
            return False
        return all(lines[at + i].rstrip("\r\n") == e.rstrip("\r\n") for i, e in enumerate(expected))

    for delta in range(_FUZZ + 1):
        for at in (want - delta, want + delta) if delta else (want,):
            if fits(at):
                return at
    return None


def _added_lines(pf: PatchedFile) -> set[int]:
    return {ln.target_line_no for hunk in pf for ln in hunk if ln.is_added}


# -- what is new --------------------------------------------------------------------


@dataclass
class GateResult:
    findings: list[Finding]
    results: list[FileResult]  # of the new versions: errors, skips and counts
    sources: dict[str, bytes] = field(default_factory=dict)  # the new versions' text


def run(changes: list[Change], options: Options, jobs: int = 1) -> GateResult:
    """Analyse both versions of each changed file and keep the findings that are new."""
    kbuild.forget()  # Makefiles are read afresh each run (a process may run again)
    if jobs > 1 and len(changes) >= 8:  # a long series: spread the files over processes
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            pairs = list(pool.map(compare, changes, [options] * len(changes)))
    else:
        pairs = [compare(change, options) for change in changes]
    findings = sorted((f for _, new in pairs for f in new), key=Finding.sort_key)
    sources = {change.path: change.new for change in changes}
    return GateResult(findings, [after for after, _ in pairs], sources)


def compare(change: Change, options: Options) -> tuple[FileResult, list[Finding]]:
    """The new version's result, and the findings the change introduced in this file."""
    after = check_source(change.path, change.new, options)
    if not after.findings:
        return after, []  # nothing after the change, so nothing it introduced
    before = check_source(change.path, change.old, options).findings if change.old else []
    return after, introduced(before, after.findings, change.added)


def introduced(old: list[Finding], new: list[Finding], added: set[int]) -> list[Finding]:
    """Findings of `new` beyond those `old` already had, fingerprint by fingerprint.

    When a fingerprint occurs more often after the change, the extra ones
    are taken from the findings on (or pointing at) lines the change wrote.
    """
    before = Counter(f.fingerprint for f in old)
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in new:
        groups[f.fingerprint].append(f)
    out: list[Finding] = []
    for fp, group in groups.items():
        extra = len(group) - before.get(fp, 0)
        if extra <= 0:
            continue
        group.sort(key=lambda f: (not _touches(f, added), f.line))
        out.extend(group[:extra])
    return out


def _touches(f: Finding, added: set[int]) -> bool:
    return f.line in added or any(r.line in added for r in f.related if r.file == f.file)


# -- baseline -----------------------------------------------------------------------


def _key(f: Finding, base_dir: str) -> tuple[str, str]:
    rel = os.path.relpath(os.path.abspath(f.file), base_dir)
    return (rel.replace(os.sep, "/"), f.fingerprint)


def write_baseline(path: str, findings: list[Finding]) -> None:
    """Save the findings' identities (file relative to the baseline, fingerprint)."""
    base_dir = os.path.dirname(os.path.abspath(path))
    entries = []
    for f in findings:
        file, fp = _key(f, base_dir)
        entries.append(
            {"file": file, "fingerprint": fp, "rule": f.rule, "function": f.function,
             "line": f.line, "message": f.message}
        )  # fmt: skip
    doc = {"version": BASELINE_VERSION, "tool": "devmlint", "findings": entries}
    try:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=2)
            fh.write("\n")
    except OSError as exc:
        raise GateError(f"--write-baseline: {path}: {exc.strerror or exc}") from None


def filter_baseline(path: str, findings: list[Finding]) -> list[Finding]:
    """The findings not in the baseline (each baseline entry hides one finding)."""
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except OSError as exc:
        raise GateError(f"--baseline: {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GateError(f"--baseline: {path}: not a devmlint baseline (bad JSON: {exc})") from None
    entries = doc.get("findings") if isinstance(doc, dict) else None
    if not isinstance(entries, list) or doc.get("version") != BASELINE_VERSION:
        raise GateError(f"--baseline: {path}: not a version {BASELINE_VERSION} devmlint baseline")
    try:
        known = Counter((e["file"], e["fingerprint"]) for e in entries)
    except (TypeError, KeyError):
        raise GateError(f"--baseline: {path}: entries need 'file' and 'fingerprint'") from None
    base_dir = os.path.dirname(os.path.abspath(path))
    kept = []
    for f in findings:
        key = _key(f, base_dir)
        if known[key] > 0:
            known[key] -= 1
        else:
            kept.append(f)
    return kept
