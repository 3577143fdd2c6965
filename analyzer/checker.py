"""Check one file: read, parse, analyse, run the rules. Never raises.

Everything that can go wrong with one input file (unreadable, binary, too
big, a parser or engine failure) becomes a `FileResult.error`, so one bad
file costs only itself.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import re
import stat
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from analyzer import apis as apis_mod
from analyzer import ir, prefilter, summarydb
from analyzer.config import apply_suppressions
from analyzer.engine import analyse
from analyzer.findings import Finding
from analyzer.frontend import select, treesitter
from analyzer.frontend.flags import FrontendChoice
from analyzer.frontend.preprocess import Flip
from analyzer.plugins import Context, Rule

DEFAULT_MAX_BYTES = 4 * 1024 * 1024
DEFAULT_TIMEOUT = 30.0  # seconds one file may take: a guard against pathological input


class Skipped(ValueError):
    """A file deliberately not analysed (binary, too large): a notice, not an error."""


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    functions: int = 0
    error: str | None = None  # the file could not be read: an input error
    skipped: str | None = None  # deliberately not checked (binary, too large, too slow)
    # (mtime_ns, size, sha256 or None) of the file as read: what a cache entry is valid for.
    stamp: tuple[int, int, str | None] | None = None
    frontends: dict[str, str] = field(default_factory=dict)  # function -> frontend
    fallback: dict[str, str] = field(default_factory=dict)  # function -> why not clang


@dataclass
class Options:
    rules: list[type[Rule]]
    api_extra: list[tuple[dict, str]] = field(default_factory=list)
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT  # 0: no limit (enforced by analyzer.runner)
    summaries: str | None = None  # summary database path; None = built-in, "none" = off
    frontend: FrontendChoice = field(default_factory=FrontendChoice)
    # Skip files that name nothing an enabled rule needs (analyzer/prefilter.py).
    prefilter: bool = True


def read_source(path: str, max_bytes: int) -> bytes:
    if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or a device would block or never end
        raise Skipped("not a regular file")
    with open(path, "rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise Skipped(f"larger than {max_bytes} bytes (--max-bytes)")
    if b"\0" in data[:65536]:
        raise Skipped("binary file (NUL bytes)")
    return data


def check_file(path: str, options: Options) -> FileResult:
    result = FileResult(path)
    try:
        # Stat before reading: if the file changes in between, the next run sees
        # a new mtime and compares content hashes (never a stale hit).
        st = os.stat(path)
        source = read_source(path, options.max_bytes)
        result.stamp = (st.st_mtime_ns, st.st_size, hashlib.sha256(source).hexdigest())
    except FileNotFoundError:
        result.error = "no such file"
        return result
    except PermissionError:
        result.error = "permission denied"
        return result
    except IsADirectoryError:
        result.error = "is a directory"
        return result
    except Skipped as exc:
        result.skipped = str(exc)
        result.stamp = (st.st_mtime_ns, st.st_size, None)
        return result
    except (OSError, ValueError) as exc:
        result.error = str(exc) if isinstance(exc, ValueError) else exc.strerror or str(exc)
        return result
    checked = check_source(path, source, options)
    checked.stamp = result.stamp
    return checked


_TABLES: dict[str, apis_mod.ApiTable] = {}


def _api_table(extra: list[tuple[dict, str]]) -> apis_mod.ApiTable:
    """Built-in plus configured APIs, parsed once per process, not once per file."""
    if not extra:
        return apis_mod.load()
    key = json.dumps(extra, sort_keys=True, default=str)
    if key not in _TABLES:
        _TABLES[key] = apis_mod.load(extra)
    return _TABLES[key]


# Young-generation threshold while one file is checked (CPython's default is 700).
_FILE_GC_THRESHOLD = 100_000


@contextlib.contextmanager
def _file_gc() -> Iterator[None]:
    """Collect garbage at the pace of files, not of allocations, while one file is checked.

    A file's IR, worlds and results live until its check ends, so with the
    default thresholds the collector walks them again and again (full
    collections over the whole heap midway through large files): a fifth of
    the CPU of a run.  A higher young threshold still bounds the garbage a
    pathological file can pile up.  The previous thresholds come back after
    the file, and the next allocation past them collects its cycles (the unit
    and its results refer to each other), by the collector's usual rules.
    """
    before = gc.get_threshold()
    # Off already, or another thread's check could restore what this one set:
    # the thresholds are the process's (the runner checks in its main thread).
    if before[0] == 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    gc.set_threshold(max(before[0], _FILE_GC_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def check_source(path: str, source: bytes, options: Options) -> FileResult:
    """Check source text already in memory (the CI gate analyses old and patched versions)."""
    with _file_gc():
        return _check_source(path, source, options)


def _check_source(path: str, source: bytes, options: Options) -> FileResult:
    result = FileResult(path)
    try:
        table = _api_table(options.api_extra)
        # Every enabled rule declares what it needs (and so reads only the
        # results of functions that may allocate or free): see prefilter.py.
        # The filter reads only the database's allocators; a database that
        # surely has none filters as no database does, and is decoded only
        # for a file the filter keeps.
        no_db_allocators = summarydb.surely_no_allocators(options.summaries)
        filter_db = None if no_db_allocators else summarydb.load(options.summaries)
        declared = (
            options.prefilter and prefilter.build(options.rules, table, filter_db) is not None
        )
        if declared and select.file_only(options.frontend):
            if not prefilter.build(options.rules, table, filter_db).wanted(source):
                return result  # names nothing any enabled rule needs: nothing to find
        db = summarydb.load(options.summaries)
        parsed = select.parse(path, source, options.frontend, frozenset(table.by_name))
        unit = parsed.unit
        own = [fn for fn in unit.functions if fn.header is None]
        result.functions = len(own)
        result.frontends = {fn.name: fn.frontend for fn in own}
        result.fallback = parsed.fallback if options.frontend.mode == "clang" else {}
        result.findings.extend(_run_rules(unit, path, table, db, declared, options))
        if unit.frontend == "treesitter":  # (clang reads the configuration's branches)
            others = _other_branches(unit, path, source, table, db, declared, options)
            result.findings.extend(others)
    except RecursionError:
        result.error = "internal error: nesting too deep to analyse"
    except Exception as exc:  # a bug of ours must not stop the run
        result.error = f"internal error: {type(exc).__name__}: {exc}"
    result.findings = apply_suppressions(source, result.findings)
    result.findings.sort(key=Finding.sort_key)
    return result


def _run_rules(
    unit: ir.Unit,
    path: str,
    table: apis_mod.ApiTable,
    db: summarydb.SummaryDb,
    declared: bool,
    options: Options,
    only: frozenset[str] | None = None,
) -> list[Finding]:
    engine_result = analyse(unit, table, db, demand=declared, only=only)
    ctx = Context(engine_result, table, path)
    helpers = {fn.name for fn in unit.functions if fn.header is not None}
    findings = []
    for rule_cls in options.rules:
        findings.extend(f for f in rule_cls().check(ctx) if f.function not in helpers)
    engine_result.release()  # (the rules are done with it)
    return findings


def _other_branches(
    unit: ir.Unit,
    path: str,
    source: bytes,
    table: apis_mod.ApiTable,
    db: summarydb.SummaryDb,
    declared: bool,
    options: Options,
) -> list[Finding]:
    """The findings of the #else branches inside functions that the file was
    not read with (`#ifdef NOT_DONE .. break; #else .. return -1; #endif`):
    the file is read again, in a configuration that takes them
    (`preprocess.Flip`: `NOT_DONE` undefined for every group that asks, so
    an allocation under another `#ifdef NOT_DONE` is gone too; more readings
    where two branches need a macro both ways, are nested, or are of one
    #elif chain), and a finding
    counts when its line is in one of them.

    The tree-sitter frontend has no configuration, so it reads each #if
    group with one branch; without this, code under #else is never analysed.
    Only findings whose line is in such a branch are taken: the rest of the
    file was analysed already, as read the first time. Findings are reported
    at exits and at calls of the APIs the rules know, so a branch with
    neither (`#ifdef __BIG_ENDIAN`'s other byte order) is not read again:
    most of them, and the second reading costs a whole analysis.

    An #else inside the first branch of a group whose #else is read too
    gets a reading of its own, as does each branch of an #elif chain. A failure of the
    second reading costs its findings only, never the first reading's."""
    bodies = [(fn.span.line, fn.span.end_line) for fn in unit.functions if fn.header is None]
    inside = [
        alt
        for alt in unit.alternatives
        if any(lo < alt.first_line and alt.last_line < hi for lo, hi in bodies)
        and _may_report(unit.lines[alt.first_line - 1 : alt.last_line], table)
    ]
    if not inside:
        return []
    lines = {n for alt in inside for n in range(alt.first_line, alt.last_line + 1)}
    # Findings in those lines are in the functions that hold them, or left
    # for their callers' error paths to confirm: only those are analysed
    # (and what their analyses ask for), not the rest of the file again.
    found: dict[tuple, Finding] = {}
    for flip in Flip.readings(inside):
        try:
            other = treesitter.parse(path, source, flip)
            holders = {
                fn.name
                for fn in other.functions
                if any(fn.span.line < alt.first_line <= fn.span.end_line for alt in inside)
            }
            # (callers as this reading sees them: a call may sit in a branch it takes)
            only = frozenset(holders | {fn.name for fn in other.functions if fn.calls & holders})
            new = _run_rules(other, path, table, db, declared, options, only)
        except Exception:  # (a bug of ours, RecursionError too: the first reading stands)
            continue
        for f in new:
            if f.line in lines:
                found.setdefault((f.rule, f.line, f.column, f.message), f)
    return list(found.values())


_EXIT_OR_CALL = re.compile(r"\b(?:return|goto)\b|(\w+)\s*\(")


def _may_report(lines: list[str], table) -> bool:
    """Does the text hold an exit, or a call of an API the table knows?"""
    for m in _EXIT_OR_CALL.finditer("\n".join(lines)):
        if m.group(1) is None or m.group(1) in table.by_name:
            return True
    return False


sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
