"""User configuration and inline suppressions.

Configuration lives in `.devmlint.toml` (keys at the top level) or in the
`[tool.devmlint]` table of `pyproject.toml`, found by walking up from the
checked paths; the first directory holding either wins (`.devmlint.toml`
first), like ruff and mypy, so a kernel subtree can carry its own.

Bad configuration must be fixable from the message alone, so every
error names the file, the line and the key (`ConfigError`, exit 2).
tomllib reports no positions for values, so lines are found again in the
text by the key's name under its table header.
"""

from __future__ import annotations

import fnmatch
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from analyzer import apis as apis_mod
from analyzer.findings import CONFIDENCES, Finding

CONFIG_NAMES = (".devmlint.toml", "pyproject.toml")
_API_SECTIONS = (
    *apis_mod.ROLES,
    "keeps",
    "constructs",
    "releases",
    "teardown",
    "borrows",
    "advances",
    "passes",
    "drops",
    "frees",
)
_LIST_KEYS = ("select", "ignore", "exclude")
_TOML_POS = re.compile(r"\(at line (\d+), column \d+\)")
_API_ENTRY = re.compile(r"\[\[(\w+)\]\] entry (\d+)")


class ConfigError(ValueError):
    """Bad configuration: the message names file, line and key."""


@dataclass
class Config:
    """The settings of one configuration file (all empty when there is none)."""

    path: Path | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    min_confidence: str | None = None
    # Extra API table entries, same schema as rules/apis.toml: [(table, origin)].
    api_extra: list[tuple[dict, str]] = field(default_factory=list)
    _text: str = ""
    _table: str = ""  # the TOML table header the settings sit under ("" = top level)

    @property
    def root(self) -> Path:
        """Exclude patterns are relative to the directory of the configuration file."""
        return Path(os.path.abspath(self.path)).parent if self.path else Path.cwd()

    def where(self, key: str) -> str:
        """`file:line` of a key, for messages about its value."""
        line = _line_of(self._text, self._table, key)
        return f"{self.path}:{line}" if line else str(self.path)

    def excluded(self, path: str) -> bool:
        """Does an exclude pattern match the path, one of its directories or its name?"""
        if not self.exclude:
            return False
        try:
            rel = Path(os.path.abspath(path)).relative_to(self.root).as_posix()
        except ValueError:
            rel = Path(path).as_posix()
        parts = rel.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        for pattern in self.exclude:
            pat = pattern.strip("/")
            if "/" not in pat and any(fnmatch.fnmatchcase(p, pat) for p in parts):
                return True
            if any(fnmatch.fnmatchcase(p, pat) for p in prefixes):
                return True
        return False


def find(start: str) -> Path | None:
    """The nearest configuration file at or above `start` (a file or a directory)."""
    here = Path(os.path.abspath(start))
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        dotfile = directory / ".devmlint.toml"
        if dotfile.is_file():
            return dotfile
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[+\s*tool\.devmlint[\].]", text, re.M) is not None


def load(path: Path) -> Config:
    """Read and check one configuration file; raises ConfigError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_POS.search(str(exc))
        where = f"{path}:{m.group(1)}" if m else str(path)
        raise ConfigError(f"{where}: invalid TOML: {_TOML_POS.sub('', str(exc)).strip()}") from None
    if path.name == "pyproject.toml":
        tool = doc.get("tool")
        table, header = (
            (tool.get("devmlint", {}) if isinstance(tool, dict) else {}),
            "tool.devmlint",
        )
    else:
        table, header = doc, ""
    config = Config(path=path, _text=text, _table=header)
    prefix = f"[{header}] " if header else ""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {prefix}must be a table")
    api: dict = {}
    for key, value in table.items():
        if key in _LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{config.where(key)}: {prefix}{key}: expected a list of strings")
            setattr(config, key, [v.strip().upper() if key != "exclude" else v for v in value])
        elif key == "min-confidence":
            if value not in CONFIDENCES:
                raise ConfigError(
                    f"{config.where(key)}: {prefix}min-confidence: expected one of "
                    f"{', '.join(CONFIDENCES)}, not {value!r}"
                )
            config.min_confidence = value
        elif key in _API_SECTIONS:
            api[key] = value
        else:
            raise ConfigError(f"{config.where(key)}: {prefix}unknown key {key!r}")
    if api:
        _check_api(config, header, api)
        config.api_extra = [(api, str(path))]
    return config


def _check_api(config: Config, header: str, api: dict) -> None:
    """Load each API entry alone, so an error names the entry (and so its line)."""
    for section, entries in api.items():
        name = f"{header}.{section}" if header else section
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            line = _line_of(config._text, header, section)
            where = f"{config.path}:{line}" if line else str(config.path)
            raise ConfigError(f"{where}: {section}: expected [[{name}]] tables")
        for n, entry in enumerate(entries, 1):
            try:
                apis_mod.load([({section: [entry]}, "")])
            except (apis_mod.ApiError, TypeError, ValueError, AttributeError) as exc:
                line = _nth_header(config._text, name, n)
                where = f"{config.path}:{line}" if line else str(config.path)
                why = _API_ENTRY.sub("", str(exc).removeprefix(": ")).lstrip(" :")
                raise ConfigError(f"{where}: [[{name}]] entry {n}: {why}") from None


def _nth_header(text: str, section: str, n: int) -> int | None:
    pattern = re.compile(r"^\s*\[\[\s*" + re.escape(section) + r"\s*\]\]")
    seen = 0
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            seen += 1
            if seen == n:
                return number
    return _line_of(text, section.rpartition(".")[0], section.rpartition(".")[2]) or None


def _line_of(text: str, table: str, key: str) -> int | None:
    """The line where `key = ...` is set under the `[table]` header ("" = top level)."""
    current = ""
    key_re = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"^\s*\[+\s*([^\]]+?)\s*\]+", line)
        if header:
            current = header.group(1)
            continue
        if current == table and key_re.match(line):
            return number
    return None


# -- inline suppression ------------------------------------------------------------

_SUPPRESS = re.compile(rb"devmlint:\s*ignore(?:\[([A-Za-z0-9_,\s]*)\]|(?![\w-]))")


def suppressed_codes(line: bytes) -> set[str] | None:
    """Codes a `devmlint: ignore[...]` comment on this line names ({"*"} = all)."""
    m = _SUPPRESS.search(line)
    if not m:
        return None
    if m.group(1) is None:
        return {"*"}
    return {c.strip().decode().upper() for c in m.group(1).split(b",") if c.strip()}


def apply_suppressions(source: bytes, findings: list[Finding]) -> list[Finding]:
    """Drop findings with `/* devmlint: ignore[CODE] */` on their line or the line before."""
    if b"devmlint:" not in source:
        return findings
    lines = source.split(b"\n")
    kept = []
    for f in findings:
        hidden = False
        for number in (f.line, f.line - 1):
            if 1 <= number <= len(lines):
                codes = suppressed_codes(lines[number - 1])
                if codes and ("*" in codes or f.rule in codes):
                    hidden = True
        if not hidden:
            kept.append(f)
    return kept
