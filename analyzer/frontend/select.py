"""One file -> IR with the frontend this run chose (see `flags.resolve`).

The precise frontend never costs a file: when libclang is missing, has no
flags for the file, or cannot parse it, the file is read by tree-sitter
and the reason is kept for the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analyzer import ir
from analyzer.frontend import treesitter
from analyzer.frontend.flags import FlagsError, FrontendChoice, flags_for


@dataclass
class Parsed:
    unit: ir.Unit
    fallback: dict[str, str] = field(default_factory=dict)  # function -> why tree-sitter
    file_note: str | None = None  # why the whole file went to tree-sitter


def file_only(choice: FrontendChoice) -> bool:
    """Does this run read nothing but the checked file (no headers, no build)?"""
    return choice.mode != "clang" or choice.source is None


def parse(path: str, source: bytes, choice: FrontendChoice, known: frozenset[str]) -> Parsed:
    if file_only(choice):
        return Parsed(treesitter.parse(path, source))
    if not path.endswith(".c"):
        return _whole_file(path, source, "headers are read by tree-sitter")
    try:
        args = flags_for(choice.source, path)
    except FlagsError as exc:
        return _whole_file(path, source, str(exc))
    if args is None:
        return _whole_file(path, source, f"no compile command in {choice.source.describe()}")
    from analyzer.frontend import clang  # libclang loads only when precise mode runs

    try:
        outcome = clang.parse(path, source, args, known)
    except clang.ClangUnavailable as exc:
        return _whole_file(path, source, str(exc))
    except RecursionError:
        return _whole_file(path, source, "clang frontend: nesting too deep")
    except Exception as exc:  # a bug of the precise frontend costs precision, not the file
        return _whole_file(path, source, f"clang frontend error: {type(exc).__name__}: {exc}")
    return Parsed(outcome.unit, outcome.fallback)


def _whole_file(path: str, source: bytes, why: str) -> Parsed:
    unit = treesitter.parse(path, source)
    return Parsed(unit, {fn.name: why for fn in unit.functions}, why)
